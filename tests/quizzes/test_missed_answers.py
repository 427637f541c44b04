"""A wrong answer to a several-answers question names the right answers not ticked and
the ticked answers that are not right, on the result page."""

from __future__ import annotations

import pytest

from induction.quizzes.review import review_answers
from tests.quizzes.pages import take, text_of
from tests.quizzes.test_ticks_summary import several


def names(options) -> list[str]:
    return [option.html for option in options]


@pytest.mark.parametrize(
    ("ticked", "missed", "wrong"),
    [
        ((0,), ["Option 1", "Option 2"], []),
        ((0, 3), ["Option 1", "Option 2"], ["Option 3"]),
        ((4, 3), ["Option 0", "Option 1", "Option 2"], ["Option 3", "Option 4"]),
        ((0, 1, 2, 4), [], ["Option 4"]),
        ((0, 1, 2), [], []),  # right: nothing to name
        ((), [], []),  # not answered: "Wrong: not answered" says it
    ],
)
def test_which_were_missed_and_which_were_wrong(ticked, missed, wrong):
    [review] = review_answers([several(3, 2)], {"q": ticked} if ticked else {})
    assert names(review.missed) == missed
    assert names(review.wrongly_ticked) == wrong


def test_one_answer_questions_name_nothing_more():
    [review] = review_answers([several(1, 2, kind="single")], {"q": (2,)})
    assert review.missed == () and review.wrongly_ticked == ()


def test_the_result_page_names_the_missed_answer(app, login_as):
    html = take(
        login_as(),
        {
            "be-what": "Kind",
            "rules-ask": ["Kindness", "Silence"],
            "rules-kind": "True",
            "first-lesson": {"text": "The welcome"},
        },
    )
    text = text_of(html)
    assert "You ticked 1 of the 2 right answers, and 1 that is not right." in text
    assert "Right answer you did not tick Being on time" in text
    assert "Ticked, but not right Silence" in text


def test_a_right_answer_names_nothing(app, login_as):
    html = take(
        login_as(),
        {
            "be-what": "Kind",
            "rules-ask": ["Kindness", "Being on time"],
            "rules-kind": "True",
            "first-lesson": {"text": "The welcome"},
        },
    )
    text = text_of(html)
    assert "did not tick" not in text and "not right" not in text
