"""The sample course `courses/02-getting-started`: it checks clean and shows off the format."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from induction.content import check_tree, format_tree
from induction.content.model import AUDIENCES, Course, Lesson, Problem
from tests.content.helpers import SAMPLE_COURSE, formatted


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Course, list[Problem], Path]:
    """Check a copy of the course on its own, so other courses cannot affect the result."""
    root = tmp_path_factory.mktemp("courses")
    shutil.copytree(SAMPLE_COURSE, root / SAMPLE_COURSE.name)
    library, problems = check_tree(root)
    course = library.course("getting-started")
    assert course is not None, formatted(problems)
    return course, problems, root


@pytest.fixture(scope="module")
def course(checked: tuple[Course, list[Problem], Path]) -> Course:
    return checked[0]


def lessons(course: Course) -> list[Lesson]:
    return [lesson for module in course.modules for lesson in module.lessons]


def test_it_checks_without_errors_or_warnings(checked: tuple[Course, list[Problem], Path]) -> None:
    _, problems, _ = checked
    assert formatted(problems) == []


def test_it_is_already_in_canonical_form(checked: tuple[Course, list[Problem], Path]) -> None:
    _, _, root = checked
    assert format_tree(root, check_only=True) == []


def test_course_settings(course: Course) -> None:
    assert course.title == "Getting started with induction"
    assert course.summary
    assert (course.pass_mark, course.due_days, course.certificate, course.draft) == (
        80,
        14,  # sooner than the induction itself (28 days): it is the first thing to do
        True,
        False,
    )
    assert course.audiences == frozenset(AUDIENCES)


def test_two_modules_of_two_or_three_lessons(course: Course) -> None:
    assert len(course.modules) == 2
    assert all(2 <= len(module.lessons) <= 3 for module in course.modules)


def test_lesson_features(course: Course) -> None:
    all_lessons = lessons(course)
    assert [lesson.id for lesson in all_lessons if lesson.acknowledge]
    assert [lesson.id for lesson in all_lessons if lesson.audiences == {"officer"}]
    assert [lesson.id for lesson in all_lessons if lesson.version == 2]
    html = "".join(lesson.html for lesson in all_lessons)
    assert '<img alt="' in html
    assert 'src="/courses/getting-started/media/course-structure.svg"' in html
    assert '<div class="admonition' in html
    assert "<table>" in html
    assert re.search(r'href="/courses/getting-started/lessons/[a-z-]+#[a-z-]+"', html)


def test_each_quiz_uses_all_four_question_types_with_feedback_and_review_links(
    course: Course,
) -> None:
    for module in course.modules:
        quiz = module.quiz
        assert quiz is not None, module.id
        assert {q.type for q in quiz.questions} == {"single", "multiple", "truefalse", "text"}
        assert any(option.feedback for q in quiz.questions for option in q.options)
        for question in quiz.questions:
            assert question.explanation, question.id
            for link in question.review_links:
                lesson_id, _, anchor = link.partition("#")
                lesson = course.lesson(lesson_id)
                assert lesson is not None
                assert anchor in {heading.anchor for heading in lesson.headings}
        assert any("#" in link for q in quiz.questions for link in q.review_links)


def test_the_image_has_a_text_description(course: Course) -> None:
    svg = (SAMPLE_COURSE / "media" / "course-structure.svg").read_text(encoding="utf-8")
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "<desc" in svg
    assert "<script" not in svg
