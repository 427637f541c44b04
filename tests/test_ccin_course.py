"""The shape of the CCIN induction course in `courses/01-ccin-induction`.

These tests read the real course files through the pure content core, so a
content edit that breaks the course's promises (four modules, quizzes that
use every question type and link back to what they test, sources on every
lesson, accessible pictures) fails here before it reaches a learner.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET

import pytest

from induction.content import check_tree
from induction.content.model import AUDIENCES, Course, Lesson, Problem
from tests.conftest import SHIPPED_COURSES

COURSE_DIR = SHIPPED_COURSES / "01-ccin-induction"
COURSE_ID = "ccin-induction"
MODULE_IDS = (
    "co-operative-difference",
    "how-the-ccin-operates",
    "benefits-of-membership",
    "values-and-principles",
)
QUESTION_TYPES = {"single", "multiple", "truefalse", "text"}
REQUIRED_SVGS = ("governance.svg", "membership-growth.svg")
SVG_NS = "{http://www.w3.org/2000/svg}"
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)")


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Course, tuple[Problem, ...]]:
    """Check a copy of the course on its own, so other courses cannot affect the result."""
    root = tmp_path_factory.mktemp("courses")
    shutil.copytree(COURSE_DIR, root / COURSE_DIR.name)
    library, problems = check_tree(root)
    course = library.course(COURSE_ID)
    assert course is not None, "\n".join(p.format() for p in problems)
    return course, tuple(problems)


@pytest.fixture(scope="module")
def course(checked: tuple[Course, tuple[Problem, ...]]) -> Course:
    return checked[0]


def all_lessons(course: Course) -> list[Lesson]:
    return [lesson for module in course.modules for lesson in module.lessons]


def anchors(lesson: Lesson) -> set[str]:
    return {heading.anchor for heading in lesson.headings if heading.anchor}


def word_count(markdown: str) -> int:
    return len(markdown.split())


def test_course_checks_without_errors_or_warnings(
    checked: tuple[Course, tuple[Problem, ...]],
) -> None:
    _, problems = checked
    assert [p.format() for p in problems] == []


def test_course_settings(course: Course) -> None:
    assert course.title == "CCIN induction"
    assert course.summary
    assert course.pass_mark == 80
    assert course.due_days == 28
    assert course.certificate is True
    assert course.draft is False
    assert course.audiences == frozenset(AUDIENCES)


def test_four_modules_one_per_induction_question(course: Course) -> None:
    assert tuple(module.id for module in course.modules) == MODULE_IDS
    titles = [module.title for module in course.modules]
    assert titles[0] == "What is our Co-operative Difference?"
    assert titles[1] == "How does the CCIN operate?"
    assert titles[2] == "What are the benefits of CCIN Membership?"
    assert titles[3].startswith("What is our commitment to the Co-operative Values")


@pytest.mark.parametrize("index", range(len(MODULE_IDS)))
def test_each_module_has_three_to_five_lessons(course: Course, index: int) -> None:
    module = course.modules[index]
    assert 3 <= len(module.lessons) <= 5, module.id


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_audience_sees_at_least_three_lessons_per_module(
    course: Course, audience: str
) -> None:
    for module in course.modules:
        assert len(module.lessons_for(audience)) >= 3, (module.id, audience)


def test_some_lessons_target_one_audience(course: Course) -> None:
    narrowed = {
        lesson.id: lesson.audiences
        for lesson in all_lessons(course)
        if lesson.audiences != frozenset(AUDIENCES)
    }
    assert narrowed["serving-on-the-network-committees"] == {"councillor"}
    assert narrowed["the-officer-network"] == {"officer"}
    assert narrowed["using-the-dps"] == {"officer"}
    assert narrowed["taking-part-as-an-affiliate"] == {"affiliate"}


def test_each_lesson_is_between_250_and_900_words(course: Course) -> None:
    counts = {lesson.id: word_count(lesson.body) for lesson in all_lessons(course)}
    outside = {lesson_id: n for lesson_id, n in counts.items() if not 250 <= n <= 900}
    assert outside == {}


def test_every_lesson_ends_with_its_sources(course: Course) -> None:
    for lesson in all_lessons(course):
        last = lesson.headings[-1]
        assert (last.text, last.anchor) == ("Sources", "sources"), lesson.id
        sources = lesson.body.split("{#sources}", 1)[1]
        assert sources.strip(), f"{lesson.id}: the Sources section is empty"


def test_only_the_last_lesson_asks_for_an_acknowledgement(course: Course) -> None:
    last = course.modules[-1].lessons[-1]
    assert last.acknowledge is not None
    assert "CCIN Statement of Values and Principles" in last.acknowledge
    assert last.audiences == frozenset(AUDIENCES)
    others = [lesson.id for lesson in all_lessons(course) if lesson.acknowledge and lesson != last]
    assert others == []


@pytest.mark.parametrize("index", range(len(MODULE_IDS)))
def test_each_module_quiz_uses_every_question_type(course: Course, index: int) -> None:
    quiz = course.modules[index].quiz
    assert quiz is not None
    assert 6 <= len(quiz.questions) <= 10
    assert {question.type for question in quiz.questions} == QUESTION_TYPES


def test_every_question_explains_and_links_to_a_lesson_section(course: Course) -> None:
    for module in course.modules:
        assert module.quiz is not None
        for question in module.quiz.questions:
            assert question.explanation, question.id
            assert question.review_links, f"{question.id}: explanation links to no lesson"
            for link in question.review_links:
                lesson_id, _, anchor = link.partition("#")
                lesson = course.lesson(lesson_id)
                assert lesson is not None, f"{question.id}: no lesson {lesson_id!r}"
                assert anchor, f"{question.id}: link to {lesson_id!r} has no section anchor"
                assert anchor in anchors(lesson), f"{question.id}: no #{anchor} in {lesson_id}"


def test_quizzes_only_ask_about_lessons_every_audience_sees(course: Course) -> None:
    for module in course.modules:
        assert module.quiz is not None
        for question in module.quiz.questions:
            for link in question.review_links:
                lesson = course.lesson(link.partition("#")[0])
                assert lesson is not None
                assert lesson.audiences == frozenset(AUDIENCES), (question.id, lesson.id)


def test_tempting_wrong_options_have_feedback(course: Course) -> None:
    for module in course.modules:
        assert module.quiz is not None
        for question in module.quiz.questions:
            if question.type == "text":
                assert question.answers, question.id
                continue
            wrong = [option for option in question.options if not option.is_correct]
            assert any(option.feedback for option in wrong), question.id


def test_text_questions_accept_sensible_variants(course: Course) -> None:
    dps = next(
        question
        for module in course.modules
        for question in (module.quiz.questions if module.quiz else ())
        if question.id == "dps-name"
    )
    accepted = {answer.casefold() for answer in dps.answers}
    assert {"dynamic purchasing system", "dps"} <= accepted


def test_every_image_has_alt_text_and_exists(course: Course) -> None:
    seen = 0
    for lesson in all_lessons(course):
        lesson_file = COURSE_DIR.parent / lesson.path  # paths start with the folder name
        for match in IMAGE.finditer(lesson.body):
            seen += 1
            assert match.group("alt").strip(), f"{lesson.id}: image without alt text"
            assert match.group("src").startswith("../media/"), lesson.id
            assert (lesson_file.parent / match.group("src")).resolve().is_file(), lesson.id
    assert seen >= len(REQUIRED_SVGS)


@pytest.mark.parametrize("name", REQUIRED_SVGS)
def test_diagrams_are_accessible_and_self_contained(name: str) -> None:
    path = COURSE_DIR / "media" / name
    root = ET.parse(path).getroot()  # noqa: S314 - our own file, not untrusted input
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG_NS}title")
    desc = root.find(f"{SVG_NS}desc")
    assert title is not None
    assert (title.text or "").strip()
    assert desc is not None
    assert len((desc.text or "").split()) >= 10
    labelled_by = (root.get("aria-labelledby") or "").split()
    assert labelled_by == [title.get("id"), desc.get("id")]
    for element in root.iter():
        assert element.tag not in (f"{SVG_NS}script", f"{SVG_NS}foreignObject", f"{SVG_NS}image")
        for attribute, value in element.attrib.items():
            assert not attribute.lower().startswith("on"), (name, attribute)
            if attribute.endswith("href"):
                assert value.startswith("#"), (name, value)
        size = element.get("font-size")
        if size is not None:
            assert float(size) >= 16, (name, element.tag, size)
    assert "http://" not in path.read_text(encoding="utf-8").replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )


def test_growth_chart_and_its_lesson_give_the_same_figures(course: Course) -> None:
    chart = (COURSE_DIR / "media" / "membership-growth.svg").read_text(encoding="utf-8")
    lesson = course.lesson("the-networks-reach")
    assert lesson is not None
    assert "../media/membership-growth.svg" in lesson.body
    for figure in ("19", "55", "57", "75", "31 July 2020"):
        assert figure in chart, figure
        assert figure in lesson.body, figure


def test_governance_diagram_sits_beside_a_text_version(course: Course) -> None:
    lesson = course.lesson("governance")
    assert lesson is not None
    assert "../media/governance.svg" in lesson.body
    for body in ("Executive Oversight Committee", "Values and Principles Board", "Oldham Council"):
        assert body in lesson.body
