"""A wrong answer names the right one on the result page: a one-answer or true-or-false
question says "Right answer", as a several-answers question names those not ticked and a
typed question its accepted answer."""

from __future__ import annotations

from dataclasses import replace

import pytest

from induction.quizzes.review import review_answers
from tests.quizzes.pages import ALL_RIGHT, take, text_of
from tests.quizzes.test_ticks_summary import several


def names(options) -> list[str]:
    return [option.html for option in options]


@pytest.mark.parametrize(
    ("kind", "right", "others", "answer", "named"),
    [
        ("single", 1, 3, (2,), ["Option 0"]),  # wrong: the right one is named
        ("single", 1, 3, None, ["Option 0"]),  # not answered: named too
        ("single", 1, 3, (0,), []),  # right: nothing to name
        ("truefalse", 1, 1, (1,), ["Option 0"]),
        ("multiple", 2, 2, None, ["Option 0", "Option 1"]),  # left empty: both named
        ("multiple", 2, 2, (0, 3), []),  # ticked wrong: "Right answer you did not tick" says it
        ("multiple", 2, 2, (0, 1), []),
    ],
)
def test_which_right_answers_are_named(kind, right, others, answer, named):
    question = several(right, others, kind=kind)
    [review] = review_answers([question], {"q": answer} if answer is not None else {})
    assert names(review.right_options) == named


def test_a_typed_answer_is_named_as_the_accepted_answer_instead():
    question = replace(several(0, 0, kind="text"), answers=("Welcome",))
    [review] = review_answers([question], {"q": "Goodbye"})
    assert review.right_options == ()
    assert review.accepted_answers == ("Welcome",)


def test_a_scenario_names_its_best_choice_only_when_no_feedback_does():
    question = several(1, 2, kind="scenario")
    options = list(question.shown)
    with_feedback = replace(
        question, shown=tuple(replace(o, feedback_html=f"<p>If {o.html}</p>") for o in options)
    )
    [review] = review_answers([with_feedback], {"q": (1,)})
    assert review.right_options == ()  # "If you choose “Option 0” (the best choice)" says it
    [review] = review_answers([question], {"q": (1,)})
    assert names(review.right_options) == ["Option 0"]


def test_the_result_page_names_the_right_answer_of_a_one_answer_question(app, login_as):
    text = text_of(take(login_as(), {**ALL_RIGHT, "be-what": "Late", "rules-kind": "False"}))
    assert "Your answer Late Right answer Kind" in text
    assert "Your answer False Right answer True" in text
    # A question answered right names nothing more.
    assert text.count("Right answer ") == 2
