"""The shape of the CCIN induction course in `courses/01-ccin-induction`.

These tests read the real course files through the pure content core, so a
content edit that breaks the course's promises fails here before it reaches a
learner: four modules, one per induction question, each opening or ending
with its answer; an appendix about the figures; a scenario and a reflection
in each module and one slot for the council's own notes; quizzes that test
each module's own question, ask role lessons' questions only of that role,
give single answers four options and accept sensible variants of a typed
answer; each story told in one lesson; dated facts; sources on every lesson;
plain English (a Flesch reading ease of 60 or more); accessible pictures.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from induction.content import check_tree
from induction.content.model import AUDIENCES, Course, Lesson, Module, Problem, Question
from tests.benchmarks.readability import flesch_reading_ease
from tests.conftest import SHIPPED_COURSES

COURSE_DIR = SHIPPED_COURSES / "01-ccin-induction"
COURSE_ID = "ccin-induction"
QUESTION_MODULE_IDS = (
    "co-operative-difference",
    "how-the-ccin-operates",
    "benefits-of-membership",
    "values-and-principles",
)
APPENDIX_ID = "appendix"
MODULE_IDS = (*QUESTION_MODULE_IDS, APPENDIX_ID)
QUESTION_TYPES = {"single", "multiple", "truefalse", "text", "scenario"}
REQUIRED_SVGS = ("governance.svg", "membership-growth.svg")
SVG_NS = "{http://www.w3.org/2000/svg}"
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)")
BLOCK = re.compile(
    r"^::: (?P<kind>reflection|council-notes) \{#(?P<id>[a-z0-9-]+)\}\n(?P<text>.*?)^:::$",
    re.M | re.S,
)
# Each module's own question, as a review link that its quiz must hold.
KEY_LINKS = {
    "co-operative-difference": "what-is-a-co-operative-council#short-answer",
    "how-the-ccin-operates": "the-network-and-its-members#sig",
    "benefits-of-membership": "what-members-get#benefits",
    "values-and-principles": "making-the-commitment#upheld",
}
# A phrase only the one full telling of each story uses.
STORIES = {
    "Co-operatives Unleashed": "inspire ambition",
    "co-operation through Covid-19": "steering group",
    "the Code of Conduct": "Conduct and Complaints Procedure",
    "the opposition-group mentor": "model motions",
    "the 2020 online events": "Dashboards and Indicators",
}


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


def question_modules(course: Course) -> list[Module]:
    return [module for module in course.modules if module.id in QUESTION_MODULE_IDS]


def all_questions(course: Course) -> list[Question]:
    return [q for module in course.modules if module.quiz for q in module.quiz.questions]


def anchors(lesson: Lesson) -> set[str]:
    return {heading.anchor for heading in lesson.headings if heading.anchor}


def word_count(markdown: str) -> int:
    return len(markdown.split())


def blocks(lesson: Lesson, kind: str) -> list[re.Match[str]]:
    """Return the lesson's `kind` blocks as written, after checking the loader parsed the same."""
    written = [match for match in BLOCK.finditer(lesson.body) if match.group("kind") == kind]
    parsed = lesson.blocks(kind)
    assert [m.group("id") for m in written] == [part.id for part in parsed], lesson.id
    assert all(part.html.strip() for part in parsed if kind == "reflection"), lesson.id
    return written


def asked_of(question: Question) -> frozenset[str]:
    return question.audiences if question.audiences is not None else frozenset(AUDIENCES)


def test_course_checks_without_errors_and_only_the_two_audience_links_warned(
    checked: tuple[Course, tuple[Problem, ...]],
) -> None:
    """The governance lesson, for everyone, points officers and councillors each to a
    lesson of their own; the others read those two links as plain words, on purpose."""
    _, problems = checked
    found = [p.format() for p in problems]
    assert len(found) == 2, found
    assert all("will see this link as plain text" in line for line in found), found
    assert all("02-how-the-ccin-operates/02-governance.md" in line for line in found), found


def test_course_settings(course: Course) -> None:
    assert course.title == "CCIN induction"
    assert course.summary
    assert course.pass_mark == 80
    assert course.due_days == 28
    assert course.certificate is True
    assert course.draft is False
    assert course.audiences == frozenset(AUDIENCES)


def test_four_modules_one_per_induction_question_then_the_appendix(course: Course) -> None:
    assert tuple(module.id for module in course.modules) == MODULE_IDS
    titles = [module.title for module in course.modules]
    assert titles[0] == "What is our Co-operative Difference?"
    assert titles[1] == "How does the CCIN operate?"
    assert titles[2] == "What are the benefits of CCIN Membership?"
    assert titles[3].startswith("What is our commitment to the Co-operative Values")
    appendix = course.modules[-1]
    assert appendix.title.startswith("Appendix")
    assert appendix.quiz is None
    assert [lesson.id for lesson in appendix.lessons] == ["about-the-figures"]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_audience_sees_three_or_four_lessons_per_module(
    course: Course, audience: str
) -> None:
    for module in question_modules(course):
        assert 3 <= len(module.lessons_for(audience)) <= 4, (module.id, audience)


def test_the_course_says_how_long_it_takes_and_how_many_lessons(course: Course) -> None:
    text = (COURSE_DIR / "course.md").read_text(encoding="utf-8")
    assert "three or four lessons for you" in text
    assert "four or five" not in text and "hour and a half" not in text
    assert "take about 50 minutes" in text
    for audience in AUDIENCES:
        lessons = [lesson for m in course.modules for lesson in m.lessons_for(audience)]
        # The minutes each lesson page shows add up to "about 50 minutes" for every role...
        assert 45 <= sum(lesson.minutes for lesson in lessons) <= 55, audience
        # ...and each is the lesson's reading time at 200 words a minute, without its Sources.
        for lesson in lessons:
            words = word_count(lesson.body.split("## Sources {#sources}")[0])
            assert abs(lesson.minutes - words / 200) <= 1, lesson.id
    sizes = {
        (module.id, audience): len([q for q in module.quiz.questions if audience in asked_of(q)])
        for module in question_modules(course)
        if module.quiz is not None
        for audience in AUDIENCES
    }
    assert min(sizes.values()) == 5 and max(sizes.values()) == 8, sizes
    assert "quiz of five to eight questions" in text


def test_some_lessons_target_one_audience(course: Course) -> None:
    narrowed = {
        lesson.id: lesson.audiences
        for lesson in all_lessons(course)
        if lesson.audiences != frozenset(AUDIENCES)
    }
    assert narrowed == {
        "serving-on-the-network-committees": {"councillor"},
        "the-officer-network": {"officer"},
        "using-the-network": {"councillor"},
        "using-the-dps": {"officer"},
        "taking-part-as-an-affiliate": {"affiliate"},
        "the-commitment-for-councillors": {"councillor"},
        "the-commitment-for-officers": {"officer"},
    }


def test_each_lesson_reads_between_250_and_900_words(course: Course) -> None:
    counts = {
        lesson.id: word_count(lesson.body.split("## Sources {#sources}")[0])
        for lesson in all_lessons(course)
    }
    outside = {lesson_id: n for lesson_id, n in counts.items() if not 250 <= n <= 900}
    assert outside == {}


def test_every_lesson_is_plain_english(course: Course) -> None:
    scores = {
        lesson.id: round(flesch_reading_ease(lesson.body), 1) for lesson in all_lessons(course)
    }
    assert {lesson_id: s for lesson_id, s in scores.items() if s < 60} == {}


def test_every_lesson_ends_with_its_sources(course: Course) -> None:
    for lesson in all_lessons(course):
        last = lesson.headings[-1]
        assert (last.text, last.anchor) == ("Sources", "sources"), lesson.id
        sources = lesson.body.split("{#sources}", 1)[1]
        assert sources.strip(), f"{lesson.id}: the Sources section is empty"


def test_module_one_opens_with_the_courses_own_answer(course: Course) -> None:
    first = course.modules[0].lessons[0]
    heading = first.headings[0]
    assert heading.anchor == "short-answer"
    assert "this course's summary" in heading.text
    section = first.body.split("{#short-answer}", 1)[1].split("\n## ", 1)[0]
    assert "not a quote" in section
    assert section.count("| Before | After |") == 1
    table_rows = [
        line for line in section.splitlines() if line.startswith("| ") and "Before" not in line
    ]
    assert len(table_rows) == 2  # two short before-and-after examples


@pytest.mark.parametrize("module_id", QUESTION_MODULE_IDS)
def test_each_module_ends_with_its_answer(course: Course, module_id: str) -> None:
    module = course.module(module_id)
    assert module is not None
    last = module.lessons[-1]
    assert last.audiences == frozenset(AUDIENCES), "every learner must reach the answer"
    order = [heading.anchor for heading in last.headings]
    assert "answer" in order, f"{last.id} has no answer section"
    assert set(order[order.index("answer") + 1 :]) <= {"confirmation", "sources"}
    answer = last.body.split("{#answer}", 1)[1].split("\n## ", 1)[0]
    assert module.title.rstrip("?").split()[-1].lower() in answer.lower()
    assert 3 <= answer.count(". ") + 1 <= 9, "a few sentences"


@pytest.mark.parametrize("module_id", QUESTION_MODULE_IDS)
def test_each_module_has_a_reflection_every_learner_meets(course: Course, module_id: str) -> None:
    module = course.module(module_id)
    assert module is not None
    found = [
        (lesson.id, match.group("id"))
        for lesson in module.lessons
        if lesson.audiences == frozenset(AUDIENCES)
        for match in blocks(lesson, "reflection")
    ]
    assert found, module_id
    for _, block_id in found:
        assert block_id.startswith("reflect-")


def test_block_ids_are_unique_in_each_lesson(course: Course) -> None:
    for lesson in all_lessons(course):
        ids = [match.group("id") for match in BLOCK.finditer(lesson.body)]
        assert len(ids) == len(set(ids)), lesson.id


def test_one_council_notes_slot_in_the_your_council_activity(course: Course) -> None:
    slots = [
        (lesson.id, match)
        for lesson in all_lessons(course)
        for match in blocks(lesson, "council-notes")
    ]
    assert [(lesson_id, m.group("id")) for lesson_id, m in slots] == [
        ("what-members-get", "council-and-the-ccin")
    ]
    lesson = course.lesson("what-members-get")
    assert lesson is not None
    assert lesson.audiences == frozenset(AUDIENCES)
    section = lesson.body.split("## Your council and the CCIN {#your-council}", 1)[1].split(
        "\n## ", 1
    )[0]
    assert "::: council-notes {#council-and-the-ccin}" in section
    assert re.search(r"^1\. ", section, re.M), "the activity has steps to follow"
    assert slots[0][1].group("text").strip(), "a default text for councils that wrote nothing"


def test_each_story_is_told_in_one_lesson(course: Course) -> None:
    for story, phrase in STORIES.items():
        tellings = [lesson.id for lesson in all_lessons(course) if phrase in lesson.body]
        assert len(tellings) == 1, (story, tellings)


def test_the_disagreements_live_in_the_appendix(course: Course) -> None:
    appendix = course.lesson("about-the-figures")
    assert appendix is not None
    expected = {
        "associates",
        "total-2019",
        "increase",
        "baseline",
        "bids",
        "induction",
        "founding",
        "first-council",
    }
    assert expected <= anchors(appendix)
    reach = course.lesson("the-networks-reach")
    assert reach is not None
    assert "differences" not in anchors(reach)
    assert "350%" not in reach.body


def test_dated_facts_are_dated(course: Course) -> None:
    text = "\n".join(lesson.body for lesson in all_lessons(course))
    assert "Oldham Council is" not in text
    assert "five bodies" not in text.lower() and "four kinds of member" not in text
    governance = course.lesson("governance")
    assert governance is not None
    assert "up to 5" in governance.body.lower()
    for lesson_id in ("what-members-get", "using-the-dps"):  # where the purchasing system is taught
        lesson = course.lesson(lesson_id)
        assert lesson is not None
        assert "31 March 2025" in lesson.body, lesson_id
        assert re.search(r"period (has )?(now )?ended|period is over", lesson.body), lesson_id
    assert "DPS period runs" not in text
    statement = course.lesson("the-ccin-statement")
    assert statement is not None
    assert "2024 Case Study Pack" in statement.body
    approval = course.lesson("approval-self-assessment-and-oversight")
    assert approval is not None
    assert "16 February 2022" in approval.body


def test_only_the_last_lesson_of_module_four_asks_for_an_acknowledgement(course: Course) -> None:
    last = course.module("values-and-principles").lessons[-1]  # type: ignore[union-attr]
    assert last.id == "making-the-commitment"
    assert last.acknowledge is not None
    assert "CCIN Statement of Values and Principles" in last.acknowledge
    assert last.audiences == frozenset(AUDIENCES)
    others = [lesson.id for lesson in all_lessons(course) if lesson.acknowledge and lesson != last]
    assert others == []


@pytest.mark.parametrize("module_id", QUESTION_MODULE_IDS)
def test_each_module_quiz_uses_every_question_type(course: Course, module_id: str) -> None:
    quiz = course.module(module_id).quiz  # type: ignore[union-attr]
    assert quiz is not None
    assert 6 <= len(quiz.questions) <= 10
    assert {question.type for question in quiz.questions} == QUESTION_TYPES


@pytest.mark.parametrize("module_id", QUESTION_MODULE_IDS)
def test_each_module_quiz_tests_its_own_question(course: Course, module_id: str) -> None:
    module = course.module(module_id)
    assert module is not None and module.quiz is not None
    links = [link for q in module.quiz.questions for link in q.review_links]
    assert KEY_LINKS[module_id] in links
    own = {lesson.id for lesson in module.lessons}
    assert all(link.partition("#")[0] in own for link in links), "a quiz tests its own module"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_audience_is_asked_at_least_five_questions_a_module(
    course: Course, audience: str
) -> None:
    for module in question_modules(course):
        assert module.quiz is not None
        asked = [q for q in module.quiz.questions if audience in asked_of(q)]
        assert len(asked) >= 5, (module.id, audience)


def test_scenarios_for_councillors_and_officers(course: Course) -> None:
    scenarios = [q for q in all_questions(course) if q.type == "scenario"]
    for module in question_modules(course):
        assert module.quiz is not None
        assert any(q.type == "scenario" for q in module.quiz.questions), module.id
    counts = Counter(audience for q in scenarios for audience in asked_of(q))
    assert 3 <= counts["councillor"] <= 4
    assert counts["officer"] == 2
    for question in scenarios:
        assert question.audiences is not None, question.id
        assert question.stem.strip(), f"{question.id}: a scenario tells its situation"
        assert 3 <= len(question.options) <= 4, question.id
        assert sum(option.is_correct for option in question.options) == 1, question.id
        assert all(option.feedback for option in question.options), question.id


def test_role_lessons_are_tested_by_questions_for_that_role(course: Course) -> None:
    role_lessons = {
        lesson.id: lesson
        for lesson in all_lessons(course)
        if lesson.audiences != frozenset(AUDIENCES)
    }
    tested: set[str] = set()
    for question in all_questions(course):
        for link in question.review_links:
            lesson = role_lessons.get(link.partition("#")[0])
            if lesson is None:
                continue
            tested.add(lesson.id)
            assert question.audiences is not None, f"{question.id} asks everyone about {lesson.id}"
            assert question.audiences <= lesson.audiences, (question.id, lesson.id)
    assert tested == set(role_lessons)


def test_single_answers_have_four_options(course: Course) -> None:
    for question in all_questions(course):
        if question.type == "single":
            assert len(question.options) == 4, question.id


def test_no_question_is_about_the_sources_themselves(course: Course) -> None:
    for question in all_questions(course):
        words = f"{question.prompt} {question.stem}".lower()
        for phrase in (
            "report gives one",
            "consistent figure",
            "email address",
            "how many case studies",
            "in which month",
        ):
            assert phrase not in words, question.id


def test_every_question_explains_and_links_to_a_lesson_section(course: Course) -> None:
    for question in all_questions(course):
        assert question.explanation, question.id
        assert question.review_links, f"{question.id}: explanation links to no lesson"
        for link in question.review_links:
            lesson_id, _, anchor = link.partition("#")
            lesson = course.lesson(lesson_id)
            assert lesson is not None, f"{question.id}: no lesson {lesson_id!r}"
            assert anchor, f"{question.id}: link to {lesson_id!r} has no section anchor"
            assert anchor in anchors(lesson), f"{question.id}: no #{anchor} in {lesson_id}"


def test_tempting_wrong_options_have_feedback(course: Course) -> None:
    for question in all_questions(course):
        if question.type == "text":
            assert question.answers, question.id
            continue
        wrong = [option for option in question.options if not option.is_correct]
        assert any(option.feedback for option in wrong), question.id


def test_typed_answers_accept_sensible_variants(course: Course) -> None:
    typed = [q for q in all_questions(course) if q.type == "text"]
    assert len(typed) == len(QUESTION_MODULE_IDS)
    for question in typed:
        assert len(question.answers) >= 3, question.id
    eoc = next(q for q in typed if q.id == "delegated-powers")
    accepted = {answer.casefold() for answer in eoc.answers}
    assert {"executive oversight committee", "eoc", "the eoc"} <= accepted
    board = next(q for q in typed if q.id == "approval")
    assert {"values and principles board", "v&p board", "values & principles board"} <= {
        answer.casefold() for answer in board.answers
    }


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
