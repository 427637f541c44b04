"""What a folded question's summary line says in the quiz builder, and which questions are open."""

from __future__ import annotations

import pytest

from induction.admin.quiz_state import OptionState, QuestionState, QuizState, removes_question
from induction.admin.quiz_summary import (
    question_facts,
    question_of,
    question_summaries,
    short_prompt,
)


def test_a_long_question_is_cut_at_a_word_and_a_short_one_kept_whole() -> None:
    assert short_prompt("  What should\n you be?  ") == "What should you be?"
    long = "Which body holds delegated powers to run the Network's business on behalf of members?"
    cut = short_prompt(long, limit=40)
    assert cut == "Which body holds delegated powers to…"
    assert short_prompt(long, limit=41) == "Which body holds delegated powers to run…"
    assert short_prompt("One two, three", limit=9) == "One two…"
    assert short_prompt("x" * 50, limit=10) == "xxxxxxxxx…"


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        (
            QuestionState(options=[OptionState("A", True), OptionState("B"), OptionState()]),
            ("One right answer", "1 of 2 options marked right"),
        ),
        (
            QuestionState(type="multiple", options=[OptionState("A"), OptionState("B")]),
            ("Several right answers", "2 options, none marked right yet"),
        ),
        (
            QuestionState(options=[OptionState(), OptionState()]),
            ("One right answer", "No options written yet"),
        ),
        (
            QuestionState(
                type="truefalse", options=[OptionState("True"), OptionState("False", True)]
            ),
            ("True or false", "False is right"),
        ),
        (
            QuestionState(type="truefalse", options=[OptionState("True"), OptionState("False")]),
            ("True or false", "Neither True nor False ticked yet"),
        ),
        (
            QuestionState(type="text", answers="DPS\n\nDynamic Purchasing System\n"),
            ("Typed answer", "2 accepted answers"),
        ),
        (
            QuestionState(type="text", answers=" \n"),
            ("Typed answer", "No accepted answer written yet"),
        ),
        (
            QuestionState(
                type="scenario",
                options=[OptionState("A", True), OptionState("B"), OptionState("C")],
                audiences=["officer", "councillor"],
            ),
            (
                "Scenario: a situation and what to do",
                "3 choices, the best one ticked",
                "Only for councillors and council officers",
            ),
        ),
        (
            QuestionState(type="scenario", options=[OptionState("A")], audiences=["affiliate"]),
            (
                "Scenario: a situation and what to do",
                "1 choice, no best choice ticked yet",
                "Only for affiliate members",
            ),
        ),
        (QuestionState(type="nonsense"), ("Type of question not chosen", "No options written yet")),
        (
            QuestionState(type="scenario", options=[OptionState(), OptionState()]),
            ("Scenario: a situation and what to do", "No choices written yet"),
        ),
    ],
)
def test_the_summary_says_what_a_question_is_in_words(question, facts) -> None:
    assert question_facts(question) == facts


@pytest.mark.parametrize(
    ("place", "index"),
    [
        ("questions-2-prompt", 2),
        ("questions-0-options-3-text", 0),
        ("question-3", 2),
        ("question-1-options", 0),
        ("questions", None),
        ("pass_mark", None),
        ("add-question", None),
        ("", None),
        (None, None),
    ],
)
def test_a_field_or_a_place_on_the_page_names_its_question(place, index) -> None:
    assert question_of(place) == index


def quiz_of(*prompts: str) -> QuizState:
    return QuizState(
        questions=[
            QuestionState(prompt=p, options=[OptionState("A", True), OptionState("B")])
            for p in prompts
        ]
    )


def test_questions_are_closed_unless_there_is_something_to_do_in_them() -> None:
    state = quiz_of("One", "Two", "", "Four", "Five")
    summaries = question_summaries(
        state,
        {"questions-1-options-0-is_correct": "Question 2: tick", "pass_mark": "Pass mark: ..."},
        acted_on="question-4",
    )
    assert [s.is_open for s in summaries] == [False, True, True, True, False]
    assert [s.needs_fixing for s in summaries] == [False, True, False, False, False]
    assert [s.number for s in summaries] == [1, 2, 3, 4, 5]
    assert summaries[2].title == "not written yet"
    assert summaries[0].description == "One right answer. 1 of 2 options marked right."
    closed = question_summaries(quiz_of("One", "Two"), {"questions": "The quiz cannot..."})
    assert [s.is_open for s in closed] == [False, False]


def test_only_a_questions_remove_button_counts_as_removing_a_question() -> None:
    assert removes_question("remove-2")
    for action in ("remove-option-0-1", "remove-", "remove-x", "up-2", "add-question", ""):
        assert not removes_question(action), action
