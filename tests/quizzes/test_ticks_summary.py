"""A wrong answer to a several-answers question says how far off the ticks were: how
many of the right answers were ticked and how many others (which ones: see
test_missed_answers)."""

from __future__ import annotations

import pytest

from induction.quizzes.review import review_answers
from induction.quizzes.snapshot import AskedOption, AskedQuestion
from tests.quizzes.pages import take, text_of


def several(right: int, others: int, kind: str = "multiple") -> AskedQuestion:
    """Return a question with `right` right options then `others` wrong ones."""
    options = tuple(
        AskedOption(index=n, html=f"Option {n}", is_correct=n < right, feedback_html=None)
        for n in range(right + others)
    )
    return AskedQuestion(
        id="q",
        type=kind,
        prompt_html="Which?",
        stem_html="",
        shown=options,
        answers=(),
        explanation_html=None,
        review_links=(),
    )


@pytest.mark.parametrize(
    ("right", "others", "ticked", "expected"),
    [
        (3, 2, (0,), "You ticked 1 of the 3 right answers."),
        (3, 2, (0, 3), "You ticked 1 of the 3 right answers, and 1 that is not right."),
        (3, 2, (3, 4), "You ticked none of the 3 right answers, and 2 that are not right."),
        (2, 2, (0, 1, 2), "You ticked both right answers, but also 1 that is not right."),
        (2, 2, (2,), "You ticked neither of the 2 right answers, and 1 that is not right."),
        (4, 1, (0, 1, 2, 3, 4), "You ticked all 4 right answers, but also 1 that is not right."),
        (3, 2, (0, 1, 2), None),  # right: nothing to say
        (3, 2, (), None),  # not answered: "Wrong: not answered" says it
    ],
)
def test_how_far_off_the_ticks_were(right, others, ticked, expected):
    [review] = review_answers([several(right, others)], {"q": ticked} if ticked else {})
    assert review.ticks_summary == expected


def test_one_answer_questions_say_nothing_more():
    question = several(1, 2, kind="single")
    [review] = review_answers([question], {"q": (2,)})
    assert not review.is_correct
    assert review.ticks_summary is None


def test_the_result_page_says_it_under_the_answer(app, login_as):
    html = take(
        login_as(),
        {
            "be-what": "Kind",
            "rules-ask": ["Kindness", "Being on time", "Silence"],
            "rules-kind": "True",
            "first-lesson": {"text": "The welcome"},
        },
    )
    text = text_of(html)
    assert text.count("You ticked") == 1
    assert "You ticked both right answers, but also 1 that is not right." in text
