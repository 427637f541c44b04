"""Question types and quiz grading: pure functions, no Flask, no database.

Each question type is a `QuestionType` subclass registered by name, so a new
type plugs in with `register(MyType())` without touching the others. Grading
works on anything shaped like a question (`QuestionLike`): the content model's
`Question` and the snapshot of a question stored with an attempt both fit.

An answer is what a learner chose, independent of the order the options were
shown in: a tuple of option indexes in *authored* order for choice questions,
or the typed text for text questions, or None when nothing was given.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

Answer = tuple[int, ...] | str | None

WIDGETS: frozenset[str] = frozenset({"radio", "checkbox", "text"})

# A typed answer longer than this is cut: no accepted answer is that long, and
# it keeps a hostile form post from bloating the stored attempt.
MAX_TEXT_ANSWER = 1000

# Option indexes arrive as form strings; accept plain ASCII digits only (not
# "+1", " 1", Arabic-Indic digits) and few enough that int() stays cheap.
_INDEX = re.compile(r"[0-9]{1,6}")


class OptionLike(Protocol):
    @property
    def is_correct(self) -> bool: ...


class QuestionLike(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def options(self) -> Sequence[OptionLike]: ...

    @property
    def answers(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Graded:
    """The outcome for one question: was it answered, and was it right."""

    is_answered: bool
    is_correct: bool


UNANSWERED = Graded(is_answered=False, is_correct=False)


class QuestionType:
    """Base class of a question type: how it is shown, read from a form and graded.

    Subclasses set `name` (the `type=` value in quiz files), `widget` (the form
    control: "radio", "checkbox" or "text"), `instruction` (shown with the
    question, or None) and `shuffle_options` (whether a quiz with `shuffle: true`
    may reorder its options), and implement `grade`.
    """

    name: str = ""
    widget: str = "radio"
    instruction: str | None = None
    shuffle_options: bool = True

    def parse_answer(self, question: QuestionLike, values: Sequence[str]) -> Answer:
        """Return the answer held in submitted form values.

        For choice widgets `values` are option indexes in authored order as
        decimal strings; junk and out-of-range values are ignored, a radio keeps
        the first valid one, and nothing valid gives None. For a text widget the
        first value is the answer; blank text gives None. Never raises on bad input.
        """
        if self.widget == "text":
            text = values[0] if values else ""
            if not isinstance(text, str) or not text.strip():
                return None
            return text[:MAX_TEXT_ANSWER]
        chosen = _valid_indexes(values, len(question.options))
        if not chosen:
            return None
        if self.widget == "radio":
            return (chosen[0],)
        return tuple(sorted(set(chosen)))

    def grade(self, question: QuestionLike, answer: Answer) -> Graded:
        """Return whether `answer` answers `question`, and whether it is right.

        Raises NotImplementedError on the base class.
        """
        raise NotImplementedError(f"question type {self.name!r} does not implement grade()")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


def _valid_indexes(values: Sequence[object], n_options: int) -> list[int]:
    """Return the in-range option indexes among form values, in submitted order."""
    indexes: list[int] = []
    for value in values:
        if isinstance(value, str) and _INDEX.fullmatch(value):
            index = int(value)
            if index < n_options:
                indexes.append(index)
    return indexes


def _chosen(question: QuestionLike, answer: Answer) -> frozenset[int]:
    """Return the valid option indexes of a stored choice answer.

    Stored answers may come back from JSON as lists, so any list or tuple of
    ints is accepted; anything else (text, None, junk) chooses nothing.
    """
    if not isinstance(answer, tuple | list):
        return frozenset()
    n_options = len(question.options)
    return frozenset(
        i for i in answer if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n_options
    )


def _ticked(question: QuestionLike) -> frozenset[int]:
    return frozenset(i for i, option in enumerate(question.options) if option.is_correct)


class SingleChoice(QuestionType):
    """One option ticked in the file; right when exactly that option is chosen."""

    name = "single"
    widget = "radio"

    def grade(self, question: QuestionLike, answer: Answer) -> Graded:
        """Return the grade: right only when the chosen set is exactly the ticked option."""
        chosen = _chosen(question, answer)
        if not chosen:
            return UNANSWERED
        return Graded(is_answered=True, is_correct=len(chosen) == 1 and chosen == _ticked(question))


class TrueFalse(SingleChoice):
    """Two options, True and False; graded like a single-choice question."""

    name = "truefalse"
    # "True" then "False" is the order everyone expects; shuffling it only confuses.
    shuffle_options = False


class MultipleChoice(QuestionType):
    """Any number of options ticked; all or nothing."""

    name = "multiple"
    widget = "checkbox"
    instruction = "Select all that apply."

    def grade(self, question: QuestionLike, answer: Answer) -> Graded:
        """Return the grade: right only when the chosen set equals the ticked set."""
        chosen = _chosen(question, answer)
        if not chosen:
            return UNANSWERED
        return Graded(is_answered=True, is_correct=chosen == _ticked(question))


class TextAnswer(QuestionType):
    """A typed answer compared with the accepted answers after `normalise_text`."""

    name = "text"
    widget = "text"
    shuffle_options = False

    def grade(self, question: QuestionLike, answer: Answer) -> Graded:
        """Return the grade: right when the normalised answer equals a normalised accepted one."""
        if not isinstance(answer, str):
            return UNANSWERED
        given = normalise_text(answer)
        if not given:
            return UNANSWERED
        accepted = {normalise_text(a) for a in question.answers}
        return Graded(is_answered=True, is_correct=given in accepted)


_registry: dict[str, QuestionType] = {}
QUESTION_TYPES: Mapping[str, QuestionType] = MappingProxyType(_registry)


def register(question_type: QuestionType) -> QuestionType:
    """Register a question type under its `name` and return it.

    Raises ValueError when the name is empty or already taken, or the widget is
    not one of WIDGETS (a form could not show it).
    """
    name = question_type.name
    if not name:
        raise ValueError(f"{question_type!r} has no name")
    if name in _registry:
        raise ValueError(f"question type {name!r} is already registered")
    if question_type.widget not in WIDGETS:
        raise ValueError(
            f"question type {name!r} has widget {question_type.widget!r}; "
            f"use one of {', '.join(sorted(WIDGETS))}"
        )
    _registry[name] = question_type
    return question_type


def unregister(name: str) -> QuestionType:
    """Remove the question type registered as `name` and return it.

    Raises KeyError when no such type is registered.
    """
    return _registry.pop(name)


def get_type(name: str) -> QuestionType:
    """Return the question type registered as `name`.

    Raises KeyError (naming the known types) when there is none.
    """
    try:
        return _registry[name]
    except KeyError:
        known = ", ".join(sorted(_registry))
        raise KeyError(f"unknown question type {name!r} (known: {known})") from None


for _builtin in (SingleChoice(), MultipleChoice(), TrueFalse(), TextAnswer()):
    register(_builtin)


def normalise_text(text: str) -> str:
    """Return `text` ready to compare: NFKC, case-folded, trimmed, white space runs as one space.

    Idempotent: normalising a normalised text changes nothing.
    """
    # Case folding can produce text that NFKC changes again (and vice versa), so
    # repeat the pair until it settles; in practice that is one or two rounds.
    previous = None
    while text != previous:
        previous = text
        text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.split())


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
