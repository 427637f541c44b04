"""What the shipped courses tell learners about the site matches the site: their own due
date, and the name of the button that completes a lesson."""

from __future__ import annotations

import re

import pytest

from induction.content import load_library
from tests.conftest import SHIPPED_COURSES

COURSES = [c for c in load_library(SHIPPED_COURSES).courses if not c.draft]
# "this one is due 14 days after it": a lesson speaking of its own course's due date.
OWN_DUE_DAYS = re.compile(r"this (?:one|course) is due\s+(\d+)\s+days", re.IGNORECASE)


@pytest.fixture
def app(app_factory):
    """The app on the shipped courses."""
    return app_factory(COURSES_DIR=str(SHIPPED_COURSES))


@pytest.mark.parametrize("course", COURSES, ids=[c.id for c in COURSES])
def test_a_lesson_gives_its_own_course_due_days(course):
    said = [
        (lesson.path, int(days))
        for module in course.modules
        for lesson in module.lessons
        for days in OWN_DUE_DAYS.findall(lesson.body)
    ]
    assert [(path, days) for path, days in said if days != course.due_days] == []


def test_the_getting_started_course_says_when_it_is_due():
    course = next(c for c in COURSES if c.id == "getting-started")
    lesson = course.lesson("how-a-course-works")
    assert lesson is not None
    assert OWN_DUE_DAYS.search(lesson.body), "the lesson no longer says when the course is due"


@pytest.mark.parametrize("course", COURSES, ids=[c.id for c in COURSES])
def test_lessons_name_the_completion_button_as_the_page_does(course, app, login_as):
    """A lesson that names the button by a shorter name sends a reader looking for a button
    that is not there."""
    client = login_as()
    first = course.modules[0].lessons[0]
    shown = client.get(f"/courses/{course.id}/lessons/{first.id}").get_data(as_text=True)
    assert "Mark as complete and continue" in shown
    wrong = [
        lesson.path
        for module in course.modules
        for lesson in module.lessons
        if re.search(r"\*\*Mark as complete\*\*", lesson.body)
    ]
    assert wrong == []
