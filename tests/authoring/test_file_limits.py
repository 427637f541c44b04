"""The editor refuses a file that breaks the limits on course files, saying what to fix and
losing nothing; the check's copy of a course never copies what a symbolic link points at."""

from __future__ import annotations

import os

import pytest

from induction.admin.course_files.checking import _copy_course
from tests.authoring.conftest import BASICS, WELCOME, edit_url, open_editor, text_of

SECRET = "SECRET-KEY-never-to-be-copied"


@pytest.fixture
def max_bytes() -> int:
    return 200 * 1024


@pytest.fixture
def app(app_factory, tree, max_bytes):
    return app_factory(COURSES_DIR=str(tree), COURSE_FILE_MAX_BYTES=max_bytes)


def save(client, path, text, base_hash):
    return client.post(edit_url(path), data={"text": text, "base_hash": base_hash, "save": "Save"})


@pytest.mark.parametrize(
    ("addition", "message"),
    [
        ("[" * 9_000, "too many &#39;[&#39; or &#39;(&#39; that are never closed"),
        ("- " * 30 + "deep", "nested more than 10 deep"),
        ("*" * 80, "80 &#39;*&#39; characters in a row"),
    ],
)
def test_the_editor_refuses_a_pathological_file_and_keeps_the_text(admin, tree, addition,
                                                                   message):  # fmt: skip
    before = (tree / BASICS / WELCOME).read_bytes()
    text, base = open_editor(admin, WELCOME)
    lines = text.rstrip("\n").split("\n")
    broken = text.rstrip("\n") + "\n\nMy unsaved sentence.\n\n" + addition + "\n"
    response = save(admin, WELCOME, broken, base)
    page = text_of(response)
    assert response.status_code == 400
    assert "Not saved: the course would not pass its check" in page
    assert message in page
    assert f'data-line="{len(lines) + 4}"' in page  # the line, linked to the text box
    assert "My unsaved sentence." in page  # kept in the editor
    assert (tree / BASICS / WELCOME).read_bytes() == before
    assert admin.get("/courses/basics/lessons/welcome").status_code == 200


@pytest.mark.parametrize("max_bytes", [2048])
def test_the_editor_refuses_a_file_over_the_size_setting(admin, tree):
    before = (tree / BASICS / WELCOME).read_bytes()
    text, base = open_editor(admin, WELCOME)
    response = save(admin, WELCOME, text + "\nMore words on a line.\n" * 200, base)
    page = text_of(response)
    assert response.status_code == 400
    assert "more than the 2 KB a course file may be (setting COURSE_FILE_MAX_BYTES)" in page
    assert (tree / BASICS / WELCOME).read_bytes() == before


def test_the_check_copy_never_copies_a_linked_file(tree, tmp_path):
    secret = tmp_path / "secret.key"
    secret.write_text(SECRET)
    os.symlink(secret, tree / BASICS / "media" / "secret.png")
    os.symlink(secret, tree / BASICS / "01-first-steps" / "04-linked.md")
    os.symlink(tmp_path, tree / BASICS / "02-going-further" / "folder")
    copy = tmp_path / "copy"
    _copy_course(tree / BASICS, copy)
    for name in ("media/secret.png", "01-first-steps/04-linked.md", "02-going-further/folder"):
        assert (copy / name).is_symlink(), name
        assert not (copy / name).exists(), name  # a link to nowhere, reported by the check
    for current, _, files in os.walk(copy):
        for name in files:
            path = os.path.join(current, name)
            if not os.path.islink(path):
                with open(path, encoding="utf-8", errors="replace") as handle:
                    assert SECRET not in handle.read()
