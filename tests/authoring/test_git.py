"""When the courses folder is a git work tree, each publish is one commit by its admin."""

from __future__ import annotations

import subprocess

import pytest

from tests.authoring.conftest import BASICS, RULES, WELCOME, edit_url, open_editor, text_of


def git(tree, *args) -> str:
    done = subprocess.run(  # noqa: S603 - the git command with our arguments
        ["git", "-C", str(tree), *args],
        capture_output=True,
        text=True,
        check=True,  # noqa: S607
    )
    return done.stdout


@pytest.fixture
def repo(tree):
    git(tree, "init", "--quiet")
    git(tree, "config", "user.name", "Courses server")
    git(tree, "config", "user.email", "server@example.org")
    git(tree, "add", "--all")
    git(tree, "commit", "--quiet", "-m", "The courses")
    return tree


def draft(admin, path, words):
    text, base = open_editor(admin, path)
    data = {"text": text + f"\n{words}\n", "base_hash": base, "save": "Save"}
    assert admin.post(edit_url(path), data=data).status_code == 302


def publish(admin, note):
    return admin.post(
        f"/admin/courses/{BASICS}/draft/publish", data={"note": note, "publish_all": "1"}
    )


def test_each_publish_is_one_commit_with_the_admin_as_author_and_the_note_as_message(admin, repo):
    draft(admin, WELCOME, "First change.")
    draft(admin, RULES, "Also first.")
    response = publish(admin, "Clearer welcome and rules")
    assert response.status_code == 302
    draft(admin, WELCOME, "Second change.")
    assert publish(admin, "Second wording").status_code == 302
    log = git(repo, "log", "--format=%an <%ae>|%cn|%s", "-3").splitlines()
    author = f"{admin.user.name} <{admin.user.email}>"
    assert log == [
        f"{author}|Courses server|Second wording",
        f"{author}|Courses server|Clearer welcome and rules",
        "Courses server <server@example.org>|Courses server|The courses",
    ]
    files = git(repo, "show", "--name-only", "--format=", "HEAD~1").split()
    assert sorted(files) == sorted([f"{BASICS}/{WELCOME}", f"{BASICS}/{RULES}"])
    assert git(repo, "status", "--porcelain") == ""
    page = text_of(admin.get(f"/admin/courses/{BASICS}/draft"))
    assert "one commit in the courses folder" in page


def test_a_dirty_work_tree_refuses_the_publish_with_a_clear_message(admin, repo):
    (repo / BASICS / "01-first-steps" / "notes.md").write_text("Someone's unsaved work.\n")
    draft(admin, WELCOME, "A change.")
    response = publish(admin, "A change")
    page = text_of(response)
    assert response.status_code == 400
    assert "changes nobody has committed" in page
    assert "01-basics/01-first-steps/notes.md" in page
    assert "A change." not in (repo / BASICS / WELCOME).read_text()


def test_a_work_tree_without_an_identity_refuses_the_publish_with_a_clear_message(
    admin, repo, monkeypatch, tmp_path
):
    git(repo, "config", "--unset", "user.name")
    git(repo, "config", "--unset", "user.email")
    # No identity from the person running the tests either.
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    draft(admin, WELCOME, "A change.")
    response = publish(admin, "A change")
    assert response.status_code == 400
    assert "git has no user.name set on the server" in text_of(response)
    assert "A change." not in (repo / BASICS / WELCOME).read_text()
