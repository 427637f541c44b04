"""The suite reads a copy of the project's courses, never the folder a running app may edit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from induction import create_app
from induction.content import load_library
from tests.browser.server import copy_courses
from tests.conftest import (
    PROJECT_COURSES,
    SHIPPED_COURSES,
    SITE_COURSES,
    ProjectCoursesRead,
    SharedCoursesWritten,
)

PROJECT = PROJECT_COURSES.parent


def outside_the_project(path: str | Path) -> bool:
    return not Path(path).resolve().is_relative_to(PROJECT)


def test_the_copy_holds_the_shipped_courses_and_lives_outside_the_project():
    assert outside_the_project(SHIPPED_COURSES)
    ids = {course.id for course in load_library(SHIPPED_COURSES).courses}
    assert {"ccin-induction", "getting-started"} <= ids


def test_apps_and_the_browser_server_serve_copies(app, tmp_path):
    assert outside_the_project(app.config["COURSES_DIR"])
    assert Path(app.config["COURSES_DIR"]) == SITE_COURSES
    served = copy_courses(tmp_path)
    assert outside_the_project(served)
    assert sorted(p.name for p in served.iterdir()) == sorted(
        p.name for p in SHIPPED_COURSES.iterdir()
    )


@pytest.mark.parametrize(
    "read",
    [
        lambda: (PROJECT_COURSES / "01-ccin-induction" / "course.md").read_text(),
        lambda: os.listdir(PROJECT_COURSES),
        lambda: list(PROJECT_COURSES.glob("*/media/*.svg")),
        lambda: load_library(PROJECT_COURSES),
    ],
    ids=["open", "listdir", "glob", "load"],
)
def test_reading_the_project_courses_during_the_run_fails_the_test(read):
    """So an edit made there while the suite runs cannot change any test's result."""
    with pytest.raises(ProjectCoursesRead, match="SHIPPED_COURSES"):
        read()


def test_an_app_left_on_the_default_courses_folder_is_caught(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x" * 32,
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        }
    )
    assert Path(app.config["COURSES_DIR"]).resolve() == PROJECT_COURSES.resolve()
    with pytest.raises(ProjectCoursesRead):
        load_library(Path(app.config["COURSES_DIR"]))


@pytest.mark.parametrize(
    "change",
    [
        lambda copy, tmp: (copy / "01-basics" / "course.md").write_text("---\n"),
        lambda copy, tmp: (copy / "01-basics" / "course.md").open("a").close(),
        lambda copy, tmp: os.utime(copy / "01-basics" / "course.md"),
        lambda copy, tmp: (copy / "new-folder").mkdir(),
        lambda copy, tmp: (copy / "01-basics" / "course.md").rename(tmp / "moved.md"),
        lambda copy, tmp: os.link(tmp / "outside.md", copy / "linked.md"),
    ],
    ids=["write", "append", "touch", "mkdir", "rename", "link"],
)
def test_changing_the_shared_course_copies_fails_the_test(change, tmp_path):
    (tmp_path / "outside.md").write_text("x")
    with pytest.raises(SharedCoursesWritten):
        change(SITE_COURSES, tmp_path)
    with pytest.raises(SharedCoursesWritten):
        (SHIPPED_COURSES / "new.md").write_text("x")
    assert (SITE_COURSES / "01-basics" / "course.md").read_text().startswith("---\ntitle: Basics")
    # Reading them, and copying them somewhere private, is what tests do all the time.
    assert load_library(SITE_COURSES).courses
    copy_courses(tmp_path / "served")
