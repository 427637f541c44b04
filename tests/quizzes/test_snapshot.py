"""The snapshot of an attempt's questions and the review built from it (pure, no app)."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from induction.content import DefaultLinks, load_library
from induction.content.model import Course
from induction.content.question_types import get_type
from induction.quizzes.grading import attempt_orders, grade_quiz
from induction.quizzes.review import lessons_to_review, review_answers, unanswered
from induction.quizzes.snapshot import (
    ReviewLink,
    answers_from_json,
    answers_to_json,
    asked_questions,
    review_resolver,
    snapshot_questions,
)
from tests.quizzes.conftest import QUIZ_COURSES


@pytest.fixture(scope="module")
def course() -> Course:
    library = load_library(QUIZ_COURSES)
    assert not library.errors
    found = library.course("quizzing")
    assert found is not None
    return found


def snapshot(course: Course, seed: int, shuffle: bool = True):
    quiz = course.module("shuffled").quiz
    orders = attempt_orders(quiz.questions, seed, shuffle)
    resolve = review_resolver(course, DefaultLinks().lesson)
    # Stored as JSON: read back what the database would give.
    return asked_questions(json.loads(json.dumps(snapshot_questions(quiz, orders, resolve))))


def test_snapshot_keeps_what_was_asked(course):
    quiz = course.module("shuffled").quiz
    asked = snapshot(course, seed=7)
    assert [q.id for q in asked] == [q.id for q in quiz.questions]
    for question, original in zip(asked, quiz.questions, strict=True):
        assert question.type == original.type
        assert question.prompt_html == original.prompt_html
        assert question.stem_html == original.stem_html
        assert question.explanation_html == original.explanation_html
        assert question.answers == original.answers
        # `options` is authored order, whatever order they were shown in.
        assert [o.html for o in question.options] == [o.html for o in original.options]
        assert [o.is_correct for o in question.options] == [o.is_correct for o in original.options]
        assert [o.feedback_html for o in question.options] == [
            o.feedback_html for o in original.options
        ]
    mix = asked[0]
    assert mix.stem_html == "<p>Think of paint, not light.</p>"
    assert mix.widget == "radio"
    assert asked[1].instruction == "Select all that apply."
    assert mix.review_links == (
        ReviewLink(
            url="/courses/quizzing/lessons/colours#mixing", title="Colours", section="Mixing"
        ),
    )
    assert mix.review_links[0].label == "Colours – Mixing"


def test_review_links_to_missing_lessons_are_dropped(course):
    resolve = review_resolver(course, DefaultLinks().lesson)
    assert resolve("nope#x") is None
    whole = resolve("colours")
    assert whole == ReviewLink(url="/courses/quizzing/lessons/colours", title="Colours")
    assert whole.label == "Colours"


@given(seed=st.integers(min_value=0, max_value=2**64 - 1), data=st.data())
def test_grading_the_snapshot_equals_grading_the_quiz(course, seed, data):
    """Whatever the shuffle, an answer means the same options and earns the same grade."""
    quiz = course.module("shuffled").quiz
    asked = snapshot(course, seed)
    answers = {}
    for question in quiz.questions:
        if question.type == "text":
            answers[question.id] = data.draw(st.sampled_from(["blue", " Sky  Blue", "red", ""]))
        else:
            picks = data.draw(st.sets(st.integers(0, len(question.options) - 1)))
            answers[question.id] = tuple(sorted(picks))
    stored = answers_from_json(json.loads(json.dumps(answers_to_json(answers))))
    assert grade_quiz(asked, stored, 50) == grade_quiz(quiz.questions, answers, 50)
    for question in asked:
        shown = [o.index for o in question.shown]
        assert sorted(shown) == list(range(len(shown)))
        if not get_type(question.type).shuffle_options:
            assert shown == sorted(shown)


def test_the_same_seed_gives_the_same_order_and_the_orders_vary(course):
    assert snapshot(course, 11) == snapshot(course, 11)
    orders = {tuple(o.index for o in snapshot(course, seed)[0].shown) for seed in range(20)}
    assert len(orders) > 1
    unshuffled = snapshot(course, random.randrange(1000), shuffle=False)
    assert all([o.index for o in q.shown] == sorted(o.index for o in q.shown) for q in unshuffled)


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ({"a": [2, 0]}, {"a": (2, 0)}),
        ({"a": "text"}, {"a": "text"}),
        ({"a": None}, {"a": None}),
        ({"a": [1, "x"]}, {"a": None}),
        ({"a": [True]}, {"a": None}),
        ({"a": 3}, {"a": None}),
        (None, {}),
    ],
)
def test_stored_answers_are_read_defensively(stored, expected):
    assert answers_from_json(stored) == expected


def test_review_shows_choices_in_the_order_shown_with_their_feedback(course):
    asked = snapshot(course, seed=3)
    orange = 0  # authored positions
    red, yellow = 0, 1
    reviews = review_answers(
        asked, {"mix-green": (orange,), "primaries": (yellow, red), "sky": "  "}
    )
    first, second, third, fourth = reviews
    assert [r.number for r in reviews] == [1, 2, 3, 4]
    assert first.is_answered
    assert not first.is_correct
    assert [o.html for o in first.feedback] == ["Orange"]
    assert first.feedback[0].feedback_html == "<p>Orange is red and yellow.</p>"
    shown_order = [o.index for o in asked[1].shown]
    assert [o.index for o in second.chosen] == [i for i in shown_order if i in (red, yellow)]
    assert second.feedback == ()  # neither Red nor Yellow carries feedback
    assert not third.is_answered
    assert not fourth.is_answered
    assert fourth.text is None  # blank text is no answer
    assert [r.number for r in unanswered(reviews)] == [3, 4]
    assert [link.url for link in lessons_to_review(reviews)] == [
        "/courses/quizzing/lessons/colours#mixing",
        "/courses/quizzing/lessons/colours#primary",
    ]


def test_lessons_to_review_leaves_out_right_answers(course):
    asked = snapshot(course, seed=5)
    reviews = review_answers(
        asked,
        {"mix-green": (2,), "primaries": (0, 1, 2), "green-primary": (1,), "sky": "Blue"},
    )
    assert all(r.is_correct for r in reviews)
    assert lessons_to_review(reviews) == []
