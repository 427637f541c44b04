"""The pass mark in right answers, not only as a percentage: the quiz's page says how many
right answers pass ("80%, so you need all 4 right"), and a result that did not pass says
how many more it needed."""

from __future__ import annotations

import pytest

from induction.quizzes.grading import fewest_to_pass, how_far_short, is_pass, what_it_takes
from tests.quizzes.pages import ALL_RIGHT, ALL_WRONG, BASICS_QUIZ, page, take, text_of


@pytest.mark.parametrize(
    ("total", "mark", "needed", "words"),
    [
        (4, 80, 4, "you need all 4 right"),
        (8, 80, 7, "you need at least 7 of the 8 right"),
        (10, 80, 8, "you need at least 8 of the 10 right"),
        (3, 50, 2, "you need at least 2 of the 3 right"),
        (1, 80, 1, "you need the one question right"),
        (5, 100, 5, "you need all 5 right"),
        (4, 0, 0, "every attempt passes"),
    ],
)
def test_what_the_pass_mark_asks(total, mark, needed, words):
    assert fewest_to_pass(total, mark) == needed
    assert what_it_takes(total, mark) == words


@pytest.mark.parametrize("total", range(0, 30))
@pytest.mark.parametrize("mark", [0, 1, 33, 50, 67, 75, 80, 99, 100])
def test_the_fewest_that_pass_is_where_is_pass_turns(total, mark):
    needed = fewest_to_pass(total, mark)
    assert is_pass(needed, total, mark)
    assert needed == 0 or not is_pass(needed - 1, total, mark)


@pytest.mark.parametrize(
    ("right", "total", "mark", "words"),
    [
        (
            6,
            8,
            80,
            "To pass, you need at least 7 of the 8 right: 1 more right answer than this time.",
        ),
        (1, 4, 80, "To pass, you need all 4 right: 3 more right answers than this time."),
        (0, 1, 80, "To pass, you need the one question right: 1 more right answer than this time."),
        (7, 8, 80, None),
        (4, 4, 80, None),
    ],
)
def test_how_far_short_a_result_was(right, total, mark, words):
    assert how_far_short(right, total, mark) == words


@pytest.mark.parametrize(
    ("total", "mark", "problem"),
    [(4, 101, "pass mark"), (4, -1, "pass mark"), (-1, 80, "cannot be negative")],
)
def test_a_pass_mark_out_of_range_is_refused(total, mark, problem):
    with pytest.raises(ValueError, match=problem):
        fewest_to_pass(total, mark)


def test_the_quiz_page_says_how_many_right_answers_pass(login_as):
    text = text_of(page(login_as().get(BASICS_QUIZ)))
    assert "Pass mark 50%, so you need at least 2 of the 4 right" in text


def test_a_result_not_passed_says_how_many_more_it_needed(login_as):
    client = login_as()
    text = text_of(take(client, {**ALL_WRONG, "be-what": "Kind"}))
    assert "You scored 1 of 4, 25%." in text
    assert (
        "The pass mark is 50%. Submitted" in text
        and "To pass, you need at least 2 of the 4 right: 1 more right answer than this time."
        in text
    )
    # A pass says nothing of the kind.
    assert "To pass" not in text_of(take(client, ALL_RIGHT))
