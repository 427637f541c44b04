"""Quiz grading, what the pass mark asks and option order: pure functions, no Flask, no
database.

Each question is graded by its type, as the question-type registry
(`induction.content.question_types`) defines it; a quiz is right-or-wrong per
question, one point each. Grading works on anything shaped like a question
(`QuestionLike`): the content model's `Question` and the snapshot of a question
stored with an attempt both fit.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from induction.content.question_types import Answer, Graded, QuestionLike, get_type


@dataclass(frozen=True)
class QuizResult:
    """The outcome of a whole quiz.

    `graded` maps each question id to its grade; `percent` is floor(100 x
    right / total), for display only (pass or fail is decided by `is_pass`).
    """

    right: int
    total: int
    graded: Mapping[str, Graded]
    passed: bool
    percent: int


def is_pass(right: int, total: int, pass_mark: int) -> bool:
    """Return True when `right` of `total` meets `pass_mark` percent: 100 x right >= mark x total.

    Whole numbers only, so there is no rounding. Raises ValueError when the
    pass mark is outside 0-100 or `right` is outside 0..total.
    """
    if not 0 <= pass_mark <= 100:
        raise ValueError(f"pass mark must be between 0 and 100, not {pass_mark}")
    if not 0 <= right <= total:
        raise ValueError(f"right answers ({right}) must be between 0 and the total ({total})")
    return 100 * right >= pass_mark * total


def fewest_to_pass(total: int, pass_mark: int) -> int:
    """Return the fewest right answers of `total` that pass at `pass_mark` percent (is_pass).

    Raises ValueError when the pass mark is outside 0-100 or `total` is negative.
    """
    if not 0 <= pass_mark <= 100:
        raise ValueError(f"pass mark must be between 0 and 100, not {pass_mark}")
    if total < 0:
        raise ValueError(f"the number of questions cannot be negative ({total})")
    return -(-pass_mark * total // 100)


def _right_of(needed: int, total: int) -> str:
    """Return "all 4", "at least 7 of the 8" or "the one question": how many must be right."""
    if needed == total == 1:
        return "the one question"
    if needed == total:
        return f"all {total}"
    return f"at least {needed} of the {total}"


def what_it_takes(total: int, pass_mark: int) -> str:
    """Return what passing a quiz of `total` questions asks, in right answers, for the words
    after the pass mark: "you need all 4 right", "you need at least 7 of the 8 right" or,
    at 0%, "every attempt passes".

    Raises ValueError as fewest_to_pass does.
    """
    needed = fewest_to_pass(total, pass_mark)
    if needed == 0:
        return "every attempt passes"
    return f"you need {_right_of(needed, total)} right"


def how_far_short(right: int, total: int, pass_mark: int) -> str | None:
    """Return, for a score that does not pass, what passing takes and how many more right
    answers that is ("To pass, you need at least 7 of the 8 right: 1 more right answer
    than this time."); None for a pass.

    Raises ValueError as is_pass does.
    """
    if is_pass(right, total, pass_mark):
        return None
    needed = fewest_to_pass(total, pass_mark)
    more = needed - right
    answers = "right answer" if more == 1 else "right answers"
    return (
        f"To pass, you need {_right_of(needed, total)} right: {more} more {answers} than this time."
    )


def grade_quiz(
    questions: Sequence[QuestionLike], answers: Mapping[str, Answer], pass_mark: int
) -> QuizResult:
    """Return the result of a quiz: each question graded by its type, one point each.

    A question missing from `answers` is unanswered, so wrong. Answers to
    questions not in `questions` are ignored. Raises KeyError for an unknown
    question type and ValueError for duplicate question ids or a pass mark
    outside 0-100.
    """
    graded: dict[str, Graded] = {}
    for question in questions:
        if question.id in graded:
            raise ValueError(f"question id {question.id!r} appears twice")
        graded[question.id] = get_type(question.type).grade(question, answers.get(question.id))
    right = sum(1 for g in graded.values() if g.is_correct)
    total = len(graded)
    return QuizResult(
        right=right,
        total=total,
        graded=graded,
        passed=is_pass(right, total, pass_mark),
        percent=100 * right // total if total else 0,
    )


def option_order(n_options: int, rng: random.Random, shuffle: bool) -> tuple[int, ...]:
    """Return the order to show `n_options` options in: a permutation of 0..n-1.

    Without `shuffle` it is the authored order and `rng` is not used. Raises
    ValueError for a negative count.
    """
    if n_options < 0:
        raise ValueError(f"number of options must not be negative, not {n_options}")
    order = list(range(n_options))
    if shuffle:
        rng.shuffle(order)
    return tuple(order)


def attempt_orders(
    questions: Sequence[QuestionLike], seed: int, shuffle: bool
) -> dict[str, tuple[int, ...]]:
    """Return the option order of every question for one attempt, keyed by question id.

    The same seed always gives the same orders. Each question draws from its
    own generator seeded with (seed, question id), so adding, removing or
    moving another question leaves its order alone. Types that must keep their
    order (true/false, text) get the authored order. Raises KeyError for an
    unknown question type.
    """
    orders: dict[str, tuple[int, ...]] = {}
    for question in questions:
        may_shuffle = shuffle and get_type(question.type).shuffle_options
        # A str seed is hashed with SHA-512 by random.Random, so it is the same
        # in every process whatever PYTHONHASHSEED says.
        rng = random.Random(f"{seed}:{question.id}")
        orders[question.id] = option_order(len(question.options), rng, may_shuffle)
    return orders
