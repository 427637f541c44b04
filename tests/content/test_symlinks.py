"""No symbolic link in a courses folder is followed: each is a check error naming its path, and
nothing it points at is loaded."""

from __future__ import annotations

import os
from pathlib import Path

from induction.content import check_tree
from induction.content.tree import LINK_REFUSED, inside_course
from tests.content.helpers import errors, formatted, lesson

SECRET = "SECRET-KEY-do-not-serve"


def _outside(tmp_path: Path, name: str, text: str) -> Path:
    target = tmp_path / "elsewhere" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return target


def _link_errors(problems) -> list[str]:
    return [p.format() for p in errors(problems) if p.message == LINK_REFUSED]


def test_a_lesson_linked_from_outside_is_an_error_and_not_loaded(make_tree, tmp_path):
    root = make_tree({"course/01-module/01-lesson.md": lesson(body="Mine.")})
    outside = _outside(tmp_path, "other.md", lesson(title="Linked", body=SECRET))
    os.symlink(outside, root / "course/01-module/02-linked.md")
    library, problems = check_tree(root)
    assert _link_errors(problems) == [f"course/01-module/02-linked.md: {LINK_REFUSED}"]
    assert library.courses == ()
    assert SECRET not in str(library)


def test_a_linked_media_file_is_an_error_and_not_in_the_course(make_tree, tmp_path):
    root = make_tree({"course/01-module/01-lesson.md": lesson(body="Mine."),
                      "course/media/real.png": b"\x89PNG"})  # fmt: skip
    secret = _outside(tmp_path, "secret.png", SECRET)
    os.symlink(secret, root / "course/media/secret.png")
    (root / "course/media/sub").mkdir()
    os.symlink(secret.parent, root / "course/media/sub/folder")
    library, problems = check_tree(root)
    assert _link_errors(problems) == [
        f"course/media/secret.png: {LINK_REFUSED}",
        f"course/media/sub/folder: {LINK_REFUSED}",
    ], formatted(problems)
    assert library.courses == ()


def test_linked_module_and_course_folders_are_errors(make_tree, tmp_path):
    root = make_tree({"course/01-module/01-lesson.md": lesson(body="Mine.")})
    os.symlink(root / "course/01-module", root / "course/02-again")
    os.symlink(root / "course", root / "copy")
    library, problems = check_tree(root)
    assert _link_errors(problems) == [
        f"copy: {LINK_REFUSED}",
        f"course/02-again: {LINK_REFUSED}",
    ]
    assert "copy" in library.broken
    assert [c.id for c in library.courses] == []  # course has an error of its own


def test_a_link_that_stays_inside_the_course_is_refused_too(make_tree):
    root = make_tree({"course/01-module/01-lesson.md": lesson(body="Mine.")})
    os.symlink("01-lesson.md", root / "course/01-module/02-same.md")
    _, problems = check_tree(root)
    assert _link_errors(problems) == [f"course/01-module/02-same.md: {LINK_REFUSED}"]


def test_inside_course(tmp_path):
    course = tmp_path / "course"
    (course / "media").mkdir(parents=True)
    (course / "media" / "a.png").write_bytes(b"x")
    os.symlink(tmp_path, course / "media" / "up")
    os.symlink(course / "media" / "a.png", course / "media" / "b.png")
    assert inside_course(course, course / "media" / "a.png")
    assert inside_course(course, course / "media" / "new" / "file.png")  # not there yet
    assert not inside_course(course, course / "media" / "b.png")  # a link, even to inside
    assert not inside_course(course, course / "media" / "up" / "course" / "media" / "a.png")
    assert not inside_course(course, course / ".." / "elsewhere")
    assert not inside_course(course, tmp_path / "course-2" / "x")
    assert not inside_course(course, Path("/etc/passwd"))
