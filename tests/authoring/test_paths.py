"""Paths from URLs and forms: traversal, absolute paths, hidden files and symlinks are refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from induction.admin.course_files.paths import (
    PathRefused,
    check_new_name,
    open_course,
    resolve,
)
from tests.authoring.conftest import BASICS, edit_url, text_of

UNSAFE = [
    "../02-drafty/course.md",
    "01-first-steps/../../02-drafty/course.md",
    "/etc/passwd",
    "01-first-steps\\01-welcome.md",
    "01-first-steps/01-welcome.md\x00.png",
    "./course.md",
    "01-first-steps//01-welcome.md",
    ".git/config",
    "C:/Windows/win.ini",
    "",
]


@pytest.mark.parametrize("relative", UNSAFE)
def test_unsafe_paths_are_refused(tree, relative):
    folder = open_course(tree, BASICS)
    with pytest.raises(PathRefused):
        resolve(folder, relative)


def test_a_symlink_leading_out_of_the_course_is_refused(tree, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\n---\n")
    os.symlink(secret, tree / BASICS / "01-first-steps" / "04-link.md")
    folder = open_course(tree, BASICS)
    with pytest.raises(PathRefused, match="outside the course"):
        resolve(folder, "01-first-steps/04-link.md")


@pytest.mark.parametrize("name", ["..", "../02-drafty", "_drafts", ".git", "nope", "a/b"])
def test_course_folders_must_be_real_course_folders(tree, name):
    (tree / "_drafts").mkdir()
    with pytest.raises(PathRefused):
        open_course(tree, name)


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("03-budgets.md", True),
        ("budgets_2.md", True),
        ("my lesson.md", False),
        ("../x.md", False),
        ("x/y.md", False),
        (".hidden.md", False),
        ("-x.md", False),
        ("café.md", False),
        ("", False),
        ("a" * 101, False),
    ],
)
def test_new_names_use_a_small_alphabet(name, ok):
    if ok:
        assert check_new_name(name) == name
    else:
        with pytest.raises(PathRefused):
            check_new_name(name)


@pytest.mark.parametrize(
    "url",
    [
        edit_url("..%2F02-drafty%2Fcourse.md"),
        edit_url("01-first-steps/..%2F..%2F02-drafty%2Fcourse.md"),
        edit_url("%2Fetc%2Fpasswd"),
        edit_url("01-first-steps%5C01-welcome.md"),
        edit_url(".git%2Fconfig"),
        edit_url("media/diagram.svg"),  # not a Markdown file: nothing to edit
        edit_url("01-first-steps/04-missing.md"),
        "/admin/courses/..%2F/",
        "/admin/courses/_secret/",
        "/admin/courses/01-basics/delete/..%2F02-drafty",
        "/admin/courses/01-basics/delete/course.md",
        "/admin/courses/01-basics/rename/01-first-steps/quiz.md",
        "/admin/courses/01-basics/modules/..%2F02-drafty/",
    ],
)
def test_unsafe_urls_answer_404(admin, url):
    # Werkzeug may first redirect a doubled slash to its single form; the end is a 404.
    assert admin.get(url, follow_redirects=True).status_code == 404


def test_a_traversal_in_a_form_is_a_form_error_and_writes_nothing(admin, tree):
    before = sorted(p.as_posix() for p in tree.parent.rglob("*"))
    response = admin.post(
        f"/admin/courses/{BASICS}/modules/01-first-steps/new-lesson",
        data={"file_name": "../../escaped.md", "text": "---\ntitle: X\n---\n", "save": "y"},
    )
    assert response.status_code == 400
    assert "letters, digits" in text_of(response)
    assert sorted(p.as_posix() for p in tree.parent.rglob("*")) == before
    assert not (tree.parent / "escaped.md").exists()


def test_renaming_to_a_path_is_refused(admin, tree):
    response = admin.post(
        f"/admin/courses/{BASICS}/rename/01-first-steps/03-officers-only.md",
        data={"new_name": "../../outside.md"},
    )
    assert response.status_code == 400
    assert (tree / BASICS / "01-first-steps" / "03-officers-only.md").exists()
    assert not Path(tree.parent / "outside.md").exists()
