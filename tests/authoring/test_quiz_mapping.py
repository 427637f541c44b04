"""The quiz builder's mapping between quiz files and its form, checked without a browser.

Every quiz in the test fixtures opens in the builder and, saved unchanged, keeps its
bytes; generated quizzes of every type go through the real form and back unchanged;
the form's checks name the question, option and field to fix.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from induction.admin.quiz_form import QuizBuilderForm, form_for, state_from_form
from induction.admin.quiz_mapping import (
    Built,
    build_quiz,
    is_unchanged,
    new_id,
    state_from_document,
    written_problems,
)
from induction.admin.quiz_sections import Section, join_review, lesson_sections, split_review
from induction.admin.quiz_state import (
    OptionState,
    QuestionState,
    QuizState,
    apply_action,
    fit_to_type,
)
from induction.content import load_library
from induction.content.document import Document, parse_source, structure
from induction.content.model import Question
from induction.content.source import decode, from_text
from induction.content.writer import write_quiz
from tests.conftest import SHIPPED_COURSES
from tests.content.test_roundtrip import expected_structure, quizzes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FIXTURE_QUIZZES = sorted(FIXTURES.rglob("quiz.md"))


def _has_errors(quiz: Path) -> bool:
    return parse_source(decode(quiz.read_bytes()), "quiz", "quiz.md").has_errors


OPENABLE = [quiz for quiz in FIXTURE_QUIZZES if not _has_errors(quiz)]
BROKEN = [quiz for quiz in FIXTURE_QUIZZES if _has_errors(quiz)]
SECTIONS = (
    Section("01-welcome.md", "Start › Welcome", "Welcome"),
    Section("01-welcome.md#why", "Start › Welcome › Why", "Why"),
    Section("../02-more/01-rules.md#the-rules", "More › Rules › The rules", "The rules"),
)


def document_of(text: str, path: str = "quiz.md") -> Document:
    return parse_source(from_text(text), "quiz", path)


def flatten(form: Any, data: MultiDict[str, str]) -> None:
    """Add what a browser would send for `form`'s fields (checkboxes only when ticked)."""
    for field in form:
        if field.type == "FieldList":
            for entry in field.entries:
                flatten(entry.form, data)
        elif field.type == "BooleanField":
            if field.data:
                data.add(field.name, "y")
        elif field.type == "SelectMultipleField":
            for value in field.data or []:
                data.add(field.name, value)
        elif field.type != "CSRFTokenField":
            data.add(field.name, "" if field.data is None else str(field.data))


def through_form(app, state: QuizState, sections=SECTIONS) -> QuizState:
    """Return `state` after a trip through the real form: shown, sent by a browser, read back."""
    with app.test_request_context("/", method="POST"):
        shown = form_for(state, sections, "hash")
        data: MultiDict[str, str] = MultiDict()
        flatten(shown, data)
        return state_from_form(QuizBuilderForm(formdata=data))


def meaning(built: Built) -> tuple[Any, ...]:
    return expected_structure(list(built.questions), dict(built.values))


# -- every fixture quiz ---------------------------------------------------------------------------


def sections_for(quiz: Path) -> tuple[Section, ...]:
    """Return the lesson sections of the fixture course holding `quiz` (none when not loaded)."""
    root, course_dir = quiz.parents[2], quiz.parents[1]
    library = load_library(root)
    course = next((c for c in library.courses if c.path == course_dir.name), None)
    return lesson_sections(course, quiz.parent.name)


def name(quiz: Path) -> str:
    return str(quiz.relative_to(FIXTURES))


@pytest.mark.parametrize("quiz", OPENABLE, ids=name)
def test_every_fixture_quiz_saved_unchanged_keeps_its_bytes(app, quiz: Path) -> None:
    data = quiz.read_bytes()
    document = parse_source(decode(data), "quiz", "quiz.md")
    sections = sections_for(quiz)
    state = through_form(app, state_from_document(document, sections), sections)
    built = build_quiz(state, document, sections)
    assert built.errors == ()
    assert is_unchanged(document, built)
    assert [q.id for q in built.questions] == [p.question.id for p in document.questions]
    # What the view then writes: the file's own bytes.
    from induction.admin.authoring.quiz_builder import QuizFile, _change, _text_of

    file = QuizFile("m/quiz.md", data, document, ())
    change = _change(file, built, _text_of(built, file))
    assert change.writes["m/quiz.md"] == data


@pytest.mark.parametrize("quiz", BROKEN, ids=name)
def test_a_fixture_quiz_whose_text_has_errors_is_not_opened_as_a_form(quiz: Path) -> None:
    from induction.admin.authoring.quiz_builder import _quiz_file
    from induction.admin.course_files.paths import CourseFolder

    found = _quiz_file(CourseFolder(quiz.parents[2], quiz.parents[1].name), quiz.parent.name)
    assert found.problems and found.data == quiz.read_bytes()


def test_the_fixture_quizzes_cover_every_type_and_part() -> None:
    assert len(OPENABLE) >= 8 and len(BROKEN) >= 20
    seen: set[str] = set()
    for quiz in FIXTURE_QUIZZES:
        document = parse_source(decode(quiz.read_bytes()), "quiz", "quiz.md")
        if not document.has_errors:
            seen.update(parsed.question.type for parsed in document.questions)
    assert seen >= {"single", "multiple", "truefalse", "text", "scenario"}


def test_review_links_of_a_fixture_quiz_show_as_sections() -> None:
    quiz = FIXTURES / "site-courses" / "01-basics" / "01-first-steps" / "quiz.md"
    sections = sections_for(quiz)
    document = parse_source(decode(quiz.read_bytes()), "quiz", "quiz.md")
    state = state_from_document(document, sections)
    first = state.questions[0]
    assert first.explanation == "The rules ask you to be kind and on time."
    assert first.section == "02-rules.md#the-rules"
    assert any(s.target == "02-rules.md#the-rules" and "The rules" in s.label for s in sections)


# -- generated quizzes ----------------------------------------------------------------------------


@st.composite
def quizzes_with_reviews(draw: st.DrawFn) -> tuple[list[Question], dict[str, Any]]:
    """Generated quizzes whose explanations sometimes end with a review link to a section."""
    from dataclasses import replace

    generated, values = draw(quizzes())
    with_links = []
    for question in generated:
        if draw(st.booleans()):
            section = draw(st.sampled_from(SECTIONS))
            words = draw(st.sampled_from([section.words, "this part"]))
            link = f"Review [{words}]({section.target})."
            sep = draw(st.sampled_from([" ", "\n", "\n\n"]))
            explanation = f"{question.explanation}{sep}{link}" if question.explanation else link
            question = replace(question, explanation=explanation)
        with_links.append(question)
    return with_links, values


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quizzes_with_reviews())
def test_any_quiz_goes_through_the_form_and_back_unchanged(app, quiz) -> None:
    generated, values = quiz
    text = write_quiz(generated, values)
    document = document_of(text)
    assert not document.has_errors
    state = through_form(app, state_from_document(document, SECTIONS))
    built = build_quiz(state, document, SECTIONS)
    assert built.errors == ()
    assert meaning(built) == expected_structure(generated, values)
    assert is_unchanged(document, built)
    written = write_quiz(built.questions, built.values, document.front)
    assert written == text
    assert written_problems(document_of(written), built) == ()


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quizzes())
def test_a_quiz_made_in_the_form_is_written_so_the_parser_reads_it_back(app, quiz) -> None:
    generated, values = quiz
    # As an author would: every question new (no ids yet), sections chosen from the list.
    state = state_from_document(document_of(write_quiz(generated, values)), SECTIONS)
    for number, question in enumerate(state.questions):
        question.id = ""
        question.section = SECTIONS[number % len(SECTIONS)].target
    built = build_quiz(through_form(app, state), None, SECTIONS)
    assert built.errors == ()
    text = write_quiz(built.questions, built.values)
    document = document_of(text)
    assert not document.has_errors, document.problems
    assert structure(document)[2] == meaning(built)[2]
    assert len({q.id for q in built.questions}) == len(built.questions)
    for question in document.questions:
        assert split_review(question.question.explanation or "", [s.target for s in SECTIONS])[1]


# -- ids ------------------------------------------------------------------------------------------


def test_a_new_question_gets_an_id_from_its_prompt_unique_in_the_course() -> None:
    state = QuizState(
        questions=[
            QuestionState(
                prompt="Who chairs the EOC?", options=[OptionState("A", True), OptionState("B")]
            ),
            QuestionState(
                prompt="Who chairs the EOC?", options=[OptionState("A", True), OptionState("B")]
            ),
        ]
    )
    built = build_quiz(state, None, (), taken={"who-chairs-the-eoc"})
    assert [q.id for q in built.questions] == ["who-chairs-the-eoc-2", "who-chairs-the-eoc-3"]


def test_an_existing_id_is_kept_when_the_prompt_changes() -> None:
    text = "## Who chairs the EOC? {#eoc-chair}\n\n- [x] A\n- [ ] B\n"
    document = document_of(text)
    state = state_from_document(document, ())
    state.questions[0].prompt = "Who is the chair of the Executive Oversight Committee?"
    built = build_quiz(state, document, ())
    assert built.questions[0].id == "eoc-chair"
    assert not is_unchanged(document, built)


def test_a_removed_questions_id_is_not_given_to_a_new_one() -> None:
    document = document_of(
        "## Old {#kept}\n\n- [x] A\n- [ ] B\n\n## Gone {#gone}\n\n- [x] A\n- [ ] B\n"
    )
    state = state_from_document(document, ())
    state.questions[1] = QuestionState(
        prompt="Gone", options=[OptionState("A", True), OptionState("B")]
    )
    built = build_quiz(state, document, ())
    assert [q.id for q in built.questions] == ["kept", "gone-2"]


def test_long_prompts_give_short_ids() -> None:
    made = new_id(
        "Which of these bodies signs off the annual accounts of the Network each year?", set()
    )
    assert len(made) <= 48 and not made.endswith("-")


def test_a_tampered_id_is_replaced_by_one_from_the_prompt() -> None:
    state = QuizState(
        questions=[
            QuestionState(
                id="Not An Id", prompt="Why?", options=[OptionState("A", True), OptionState("B")]
            )
        ]
    )
    assert build_quiz(state, None, ()).questions[0].id == "why"


# -- errors ---------------------------------------------------------------------------------------


def messages(state: QuizState) -> dict[str, str]:
    return {e.field: e.message for e in build_quiz(state, None, SECTIONS).errors}


def test_errors_name_the_question_the_option_and_the_field() -> None:
    state = QuizState(
        pass_mark="120",
        max_attempts="two",
        questions=[
            QuestionState(prompt="", options=[OptionState("A", True), OptionState("B")]),
            QuestionState(
                prompt="Pick",
                options=[
                    OptionState("A"),
                    OptionState("B"),
                    OptionState("C"),
                    OptionState("", feedback="x"),
                ],
            ),
            QuestionState(
                prompt="Which?", type="multiple", options=[OptionState("A"), OptionState("B")]
            ),
            QuestionState(prompt="Name it", type="text", answers="\n  \n"),
            QuestionState(
                prompt="Scene",
                type="scenario",
                options=[
                    OptionState("A", True, "a"),
                    OptionState("B"),
                    OptionState("B", feedback="b"),
                ],
            ),
        ],
    )
    found = messages(state)
    assert found["pass_mark"] == "Pass mark: write a whole number from 0 to 100, or leave it empty"
    assert found["max_attempts"].startswith("Attempts allowed: write a whole number 0 or more")
    assert found["questions-0-prompt"] == "Question 1: write the question"
    assert found["questions-1-options-3-text"] == "Question 2, option 4: write the option's text"
    assert found["questions-1-right-0"] == "Question 2: choose the right answer"
    assert found["questions-2-options-0-is_correct"] == "Question 3: tick at least one right answer"
    assert found["questions-3-answers"] == "Question 4: write at least one accepted answer"
    assert found["questions-4-options-1-feedback"].startswith(
        "Question 5, option 2: write what happens after this choice"
    )
    assert found["questions-4-options-2-text"] == (
        "Question 5, option 3: it is the same as option 2: change or remove one"
    )


def test_more_errors_an_author_can_act_on() -> None:
    state = QuizState(
        questions=[
            QuestionState(prompt="One", options=[OptionState("A", True), OptionState("B", True)]),
            QuestionState(prompt="Two", options=[OptionState("A", True)]),
            QuestionState(prompt="Three", type="truefalse", options=[OptionState("Yes", True)]),
            QuestionState(prompt="Four", type="nonsense"),
            QuestionState(
                prompt="Five", stem="## Heading", options=[OptionState("A", True), OptionState("B")]
            ),
            QuestionState(
                prompt="Six",
                section="nowhere.md",
                options=[OptionState("A", True), OptionState("B")],
            ),
            QuestionState(prompt="Se\x1bven", options=[OptionState("A", True), OptionState("B")]),
        ]
    )
    found = messages(state)
    assert found["questions-0-right-0"] == (
        "Question 1: options 1 and 2 are both marked right, but this type of question has one "
        "right answer: choose it, or choose “Several right answers” as its type"
    )
    assert found["questions-1-options-0-text"] == "Question 2: write at least two options"
    assert found["questions-2-right-0"] == "Question 3: choose True or False, whichever is right"
    assert found["questions-3-type"] == "Question 4: choose a type of question"
    assert "would start a new question" in found["questions-4-stem"]
    assert found["questions-5-section"] == "Question 6: choose the lesson section from the list"
    assert found["questions-6-prompt"].startswith("Question 7: remove an invisible character")
    assert messages(QuizState()) == {"add-question": "Add at least one question"}


def test_empty_option_rows_are_left_out() -> None:
    state = QuizState(
        questions=[
            QuestionState(
                prompt="P", options=[OptionState("A", True), OptionState(), OptionState("B")]
            )
        ]
    )
    built = build_quiz(state, None, ())
    assert built.errors == ()
    assert [o.text for o in built.questions[0].options] == ["A", "B"]


# -- settings -------------------------------------------------------------------------------------


def test_settings_keep_keys_the_file_left_out_and_those_it_wrote() -> None:
    plain = document_of("## Q {#q}\n\n- [x] A\n- [ ] B\n")
    state = state_from_document(plain, ())
    assert (state.title, state.pass_mark, state.max_attempts, state.shuffle) == ("", "", "", False)
    state.title = "Check your understanding"  # the default: not written
    assert build_quiz(state, plain, ()).values == {}
    written = document_of(
        "---\nshuffle: false\nmax_attempts: 0\n---\n\n## Q {#q}\n\n- [x] A\n- [ ] B\n"
    )
    state = state_from_document(written, ())
    assert build_quiz(state, written, ()).values == {"shuffle": False, "max_attempts": 0}
    state.shuffle, state.pass_mark, state.title = True, " 70% ", "Test"
    assert build_quiz(state, written, ()).values == {
        "shuffle": True,
        "max_attempts": 0,
        "pass_mark": 70,
        "title": "Test",
    }


# -- sections -------------------------------------------------------------------------------------


def test_a_chosen_section_is_written_as_a_review_link_and_read_back() -> None:
    section = SECTIONS[2]
    text = join_review("Because.", section)
    assert text == "Because. Review [The rules](../02-more/01-rules.md#the-rules)."
    assert split_review(text, [section.target]) == ("Because.", section.target)
    assert split_review(text, []) == (text, "")
    assert join_review("", section) == "Review [The rules](../02-more/01-rules.md#the-rules)."
    assert join_review("Line one\nline two", section).endswith(
        "\n\nReview [The rules](../02-more/01-rules.md#the-rules)."
    )


def test_a_review_link_wrapped_onto_the_next_line_is_still_the_section() -> None:
    section = SECTIONS[2]
    text = "Because of the rules. Review\n[The rules](../02-more/01-rules.md#the-rules)."
    assert split_review(text, [section.target]) == ("Because of the rules.", section.target)


def test_every_review_link_of_the_shipped_quizzes_is_a_section_in_the_builder() -> None:
    for path in sorted(SHIPPED_COURSES.glob("*/*/quiz.md")):
        text = path.read_text(encoding="utf-8")
        for explanation in re.findall(r"(?m)^> .*(?:\n> .*)*", text):
            body = "\n".join(line[2:] for line in explanation.splitlines())
            linked = re.findall(r"Review\s+\[[^\]]+\]\(([^)\s]+)\)\.\Z", body)
            if linked:
                assert split_review(body, linked)[1] == linked[0], (path, body)


def test_changing_the_section_rewrites_the_link_and_keeps_the_words_otherwise() -> None:
    document = document_of(
        "## Q {#q}\n\n- [x] A\n- [ ] B\n\n> Why. Review [see here](01-welcome.md#why).\n"
    )
    state = state_from_document(document, SECTIONS)
    assert (state.questions[0].explanation, state.questions[0].section) == (
        "Why.",
        "01-welcome.md#why",
    )
    assert build_quiz(state, document, SECTIONS).questions[0].explanation == (
        "Why. Review [see here](01-welcome.md#why)."
    )
    state.questions[0].section = "01-welcome.md"
    assert build_quiz(state, document, SECTIONS).questions[0].explanation == (
        "Why. Review [Welcome](01-welcome.md)."
    )
    state.questions[0].section = ""
    assert build_quiz(state, document, SECTIONS).questions[0].explanation == "Why."


# -- buttons --------------------------------------------------------------------------------------


def three() -> QuizState:
    return QuizState(questions=[QuestionState(prompt=p, options=[OptionState()]) for p in "ABC"])


def test_buttons_add_remove_and_move() -> None:
    state = three()
    assert apply_action(state, "up-1") == "question-1"
    assert [q.prompt for q in state.questions] == ["B", "A", "C"]
    assert apply_action(state, "down-1") == "question-3"
    assert [q.prompt for q in state.questions] == ["B", "C", "A"]
    apply_action(state, "up-0")  # the first cannot move up
    apply_action(state, "down-2")  # nor the last down
    assert [q.prompt for q in state.questions] == ["B", "C", "A"]
    assert apply_action(state, "remove-1") == "question-2"
    assert [q.prompt for q in state.questions] == ["B", "A"]
    assert apply_action(state, "add-option-0") == "questions-0-options-1-text"
    assert len(state.questions[0].options) == 2
    apply_action(state, "remove-option-0-0")
    assert len(state.questions[0].options) == 1
    assert apply_action(state, "add-question") == "question-3"
    assert len(state.questions[2].options) == 2
    for junk in (
        "remove-99",
        "up-x",
        "remove-option-0-99",
        "explode-0",
        "",
        "add-option-123456789",
    ):
        apply_action(state, junk)
    assert [q.prompt for q in state.questions] == ["B", "A", ""]


def test_a_question_gets_the_rows_its_type_needs() -> None:
    tf = fit_to_type(QuestionState(type="truefalse", options=[OptionState("False", True, "No.")]))
    # The option there is kept, tick and feedback; the missing one is added.
    assert [(o.text, o.is_correct, o.feedback) for o in tf.options] == [
        ("True", False, ""),
        ("False", True, "No."),
    ]
    kept = fit_to_type(
        QuestionState(
            type="truefalse", options=[OptionState("False", True, "No."), OptionState("True")]
        )
    )
    assert [(o.text, o.is_correct, o.feedback) for o in kept.options] == [
        ("False", True, "No."),
        ("True", False, ""),
    ]
    assert len(fit_to_type(QuestionState(type="scenario")).options) == 3
    assert len(fit_to_type(QuestionState(type="single")).options) == 2
    text = fit_to_type(QuestionState(type="text", options=[OptionState("A")]))
    assert [o.text for o in text.options] == ["A"]  # kept, in case the author changes back
