"""Question types: the one place a type is defined. Pure: no Flask, no database.

A `QuestionType` says everything the platform needs to know about one kind of
question: its name (the `type=` value in quiz files) and the words authors see
for it; how it is read from a quiz.md (whether its body holds options or
`Answer:` lines, when it is inferred without `type=`, what is wrong with a body
of its kind); which GIFT questions it imports and how; how a form shows it and
reads an answer; and how an answer is graded. The quiz parser, the writer, the
GIFT import and grading all ask the registry here, so a new type plugs in with
`register(MyType())` without touching any of them.

An answer is what a learner chose, independent of the order the options were
shown in: a tuple of option indexes in *authored* order for choice questions,
or the typed text for text questions, or None when nothing was given.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

from induction.content.giftsyntax import (
    TRUE_FALSE,
    GiftBody,
    GiftQuestion,
    GiftSkip,
    one_line,
    pieces,
    restore,
    short,
    weight,
)
from induction.content.model import Option

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


@dataclass(frozen=True)
class DraftOption:
    """An option as read from a quiz.md, with its line."""

    text: str
    is_correct: bool
    line: int
    has_feedback: bool = False


@dataclass(frozen=True)
class QuestionDraft:
    """A question's body as read from a quiz.md, for its type to check.

    `name` is how messages name the question ("question 'budget-owner'");
    `answers` holds each `Answer:` line's text and line number.
    """

    name: str
    id: str | None
    line: int
    options: tuple[DraftOption, ...]
    answers: tuple[tuple[str, int], ...]

    @property
    def ticks(self) -> int:
        return sum(option.is_correct for option in self.options)


class QuestionType:
    """Base class of a question type.

    Subclasses set `name` (the `type=` value in quiz files), `label` (a few words
    shown to authors beside the question), `widget` (the form control: "radio",
    "checkbox" or "text"; a text widget takes `Answer:` lines, the others take
    options), `instruction` (shown with the question, or None),
    `shuffle_options` (whether a quiz with `shuffle: true` may reorder its
    options), `gift_kind` (the Moodle kind of question it imports, or None),
    `kind_label` (a word shown before the question number, such as "Scenario",
    or None) and `shows_all_feedback` (whether the result shows the feedback of
    every option, not only of those chosen), and implement `grade`. They may
    override `infers`, `check` and `read_gift`.
    """

    name: str = ""
    label: str = ""
    widget: str = "radio"
    instruction: str | None = None
    shuffle_options: bool = True
    gift_kind: str | None = None
    kind_label: str | None = None
    shows_all_feedback: bool = False

    @property
    def takes_options(self) -> bool:
        """Return True when the body holds options, False when it holds `Answer:` lines."""
        return self.widget != "text"

    def infers(self, ticks: int) -> bool:
        """Return True when a question with `ticks` ticked options and no `type=` is this type."""
        return False

    def check(self, draft: QuestionDraft) -> Iterator[tuple[int, str]]:
        """Yield (line, message) for each thing wrong with a body of this type.

        The parser has already checked that the body holds what the type takes
        (options or `Answer:` lines); this default asks for two options and a
        tick, or for non-empty answers.
        """
        if not self.takes_options:
            if not draft.answers:
                yield (
                    draft.line,
                    f"{draft.name} is type={self.name} but has no 'Answer:' lines: add one, "
                    "like 'Answer: Dynamic Purchasing System'",
                )
            for answer, line in draft.answers:
                if not answer:
                    yield line, "this 'Answer:' line is empty: write the accepted answer"
            return
        if len(draft.options) < 2:
            yield draft.line, f"{draft.name} has only one option: add at least one more"
        if draft.ticks == 0:
            how = "one" if self.widget == "radio" else "at least one"
            yield draft.line, f'{draft.name} has no correct option: tick {how} with "- [x]"'

    def read_gift(self, answers: str, gift: GiftQuestion) -> GiftBody | None:
        """Return the body of a GIFT answer block of kind `gift_kind`, or None when not this type's.

        Raises GiftSkip when the block is this type's but cannot be expressed.
        """
        return None

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


def chosen_options(question: QuestionLike, answer: Answer) -> frozenset[int]:
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


def ticked_options(question: QuestionLike) -> frozenset[int]:
    """Return the indexes of the options ticked as correct."""
    return frozenset(i for i, option in enumerate(question.options) if option.is_correct)


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


# --- the built-in types --------------------------------------------------------------------------


class SingleChoice(QuestionType):
    """One option ticked in the file; right when exactly that option is chosen.

    Inferred when one option is ticked (or none, which is then an error). From
    GIFT: multiple choice with one `=` answer.
    """

    name = "single"
    label = "one answer"
    widget = "radio"
    gift_kind: str | None = "multichoice"

    def infers(self, ticks: int) -> bool:
        """Return True for fewer than two ticks."""
        return ticks < 2

    def check(self, draft: QuestionDraft) -> Iterator[tuple[int, str]]:
        """Yield the base checks, and an error when several options are ticked."""
        yield from super().check(draft)
        if draft.ticks > 1:
            yield (
                draft.line,
                f"{draft.name} is type=single but {draft.ticks} options are ticked: tick one, "
                "or use type=multiple",
            )

    def read_gift(self, answers: str, gift: GiftQuestion) -> GiftBody | None:
        """Read `{=right ~wrong}`; None without an `=` answer (then it is multiple answer)."""
        if "=" not in answers:
            return None
        weighted = gift.choices(answers)
        right = sum(1 for value, _, _ in weighted if value == 100)
        if right > 1:
            raise GiftSkip(
                "it has several '=' answers, each fully right on its own: our single-answer "
                "questions have one right option (use ~%50% weights for 'pick all that apply')"
            )
        if sum(1 for value, _, _ in weighted if value > 0) > right:
            raise GiftSkip(
                "it gives partial credit to some answers (~%50%): our questions have none"
            )
        if any(value < 0 for value, _, _ in weighted):
            gift.note("negative weights dropped: a wrong answer scores 0, it takes nothing away")
        return _choice_body(weighted)

    def grade(self, question: QuestionLike, answer: Answer) -> Graded:
        """Return the grade: right only when the chosen set is exactly the ticked option."""
        chosen = chosen_options(question, answer)
        if not chosen:
            return UNANSWERED
        is_correct = len(chosen) == 1 and chosen == ticked_options(question)
        return Graded(is_answered=True, is_correct=is_correct)


class MultipleChoice(QuestionType):
    """Any number of options ticked; all or nothing.

    Inferred when two or more options are ticked. From GIFT: multiple answer
    (`~%50%a ~%50%b ~%-100%c`) whose right answers all weigh the same.
    """

    name = "multiple"
    label = "select all that apply"
    widget = "checkbox"
    instruction = "Select all that apply."
    gift_kind = "multichoice"

    def infers(self, ticks: int) -> bool:
        """Return True for two ticks or more."""
        return ticks >= 2

    def read_gift(self, answers: str, gift: GiftQuestion) -> GiftBody | None:
        """Read weighted answers without `=`; partial weights are flattened (and noted)."""
        if "=" in answers:
            return None
        weighted = gift.choices(answers)
        positive = [value for value, _, _ in weighted if value > 0]
        if not positive:
            raise GiftSkip("none of its answers is right: mark one with '=' or a positive weight")
        if len(set(positive)) != 1:
            raise GiftSkip(
                "its partial weights differ between right answers: our questions are right "
                "or wrong as a whole, so they cannot be flattened without changing the marks"
            )
        if positive != [100.0] or any(value < 0 for value, _, _ in weighted):
            gift.note(
                "partial weights were flattened: the answer is right only when the learner "
                "picks exactly the right options, with no partial credit or penalty"
            )
        return _choice_body(weighted)

    def grade(self, question: QuestionLike, answer: Answer) -> Graded:
        """Return the grade: right only when the chosen set equals the ticked set."""
        chosen = chosen_options(question, answer)
        if not chosen:
            return UNANSWERED
        return Graded(is_answered=True, is_correct=chosen == ticked_options(question))


def _choice_body(weighted: Sequence[tuple[float, str, str | None]]) -> GiftBody:
    """Return options ticked where the GIFT weight is positive."""
    return GiftBody(
        options=tuple(
            Option(text, "", value > 0, feedback, None) for value, text, feedback in weighted
        )
    )


class TrueFalse(SingleChoice):
    """Two options, True and False; graded like a single-choice question. Only when declared."""

    name = "truefalse"
    label = "true or false"
    # "True" then "False" is the order everyone expects; shuffling it only confuses.
    shuffle_options = False
    gift_kind = "truefalse"

    def infers(self, ticks: int) -> bool:
        """Return False: a true/false question always says type=truefalse."""
        return False

    def check(self, draft: QuestionDraft) -> Iterator[tuple[int, str]]:
        """Yield errors unless the options are exactly True and False with one ticked."""
        if sorted(option.text for option in draft.options) != ["False", "True"]:
            yield (
                draft.line,
                f"{draft.name} is type=truefalse, so it needs exactly two options: "
                "write '- [ ] True' and '- [ ] False' and tick one",
            )
        if draft.ticks != 1:
            yield draft.line, f"{draft.name} is type=truefalse: tick one of True and False"

    def read_gift(self, answers: str, gift: GiftQuestion) -> GiftBody | None:
        """Read `{T}` or `{F}`; `{T#wrong#right}` gives feedback to the wrong and right options."""
        parts = answers.split("#", 2)
        is_true = TRUE_FALSE[parts[0].strip().lower()]
        wrong = gift.markdown(parts[1], "feedback") if len(parts) > 1 else ""
        right = gift.markdown(parts[2], "feedback") if len(parts) > 2 else ""
        true_feedback, false_feedback = (right, wrong) if is_true else (wrong, right)
        return GiftBody(
            options=(
                Option("True", "", is_true, true_feedback or None, None),
                Option("False", "", not is_true, false_feedback or None, None),
            )
        )


class TextAnswer(QuestionType):
    """A typed answer compared with the accepted answers after `normalise_text`. Only when declared.

    From GIFT: short answer (`{=answer =other}`).
    """

    name = "text"
    label = "typed answer"
    widget = "text"
    shuffle_options = False
    gift_kind = "shortanswer"

    def read_gift(self, answers: str, gift: GiftQuestion) -> GiftBody | None:
        """Read the accepted answers; weights other than 100% cannot be kept."""
        accepted: list[str] = []
        for piece in pieces(answers, "="):
            found, rest = weight(piece)
            if found is not None and found != 100:
                raise GiftSkip(
                    f"its answers carry percentage weights (%{found:g}%): our text questions "
                    "accept an answer fully or not at all"
                )
            answer, _, feedback = rest.partition("#")
            text = one_line(restore(answer))
            if not text:
                raise GiftSkip("one of its answers is empty")
            if feedback.strip():
                gift.note(
                    f"feedback for the answer '{short(text)}' dropped: text questions have no "
                    "feedback per answer (put it in the explanation, after '####')"
                )
            if "*" in text:
                gift.note(f"'*' in the answer '{short(text)}' is matched as a star, not a wildcard")
            accepted.append(text)
        if not accepted:
            raise GiftSkip("it has no accepted answer")
        return GiftBody(answers=tuple(accepted))

    def grade(self, question: QuestionLike, answer: Answer) -> Graded:
        """Return the grade: right when the normalised answer equals a normalised accepted one."""
        if not isinstance(answer, str):
            return UNANSWERED
        given = normalise_text(answer)
        if not given:
            return UNANSWERED
        accepted = {normalise_text(a) for a in question.answers}
        return Graded(is_answered=True, is_correct=given in accepted)


class Scenario(SingleChoice):
    """A situation and 3-4 choices, each with the consequence of taking it; graded like single.

    Only when declared (`type=scenario`). Exactly one option, the best choice, is
    ticked, and every option carries feedback: the result shows what follows from
    each choice, so the learner learns from the ones they did not take too. Not
    imported from GIFT (Moodle has no such kind).
    """

    name = "scenario"
    label = "scenario"
    instruction = "Choose what you would do."
    gift_kind = None
    kind_label = "Scenario"
    shows_all_feedback = True
    MIN_OPTIONS = 3
    MAX_OPTIONS = 4

    def infers(self, ticks: int) -> bool:
        """Return False: a scenario always says type=scenario."""
        return False

    def check(self, draft: QuestionDraft) -> Iterator[tuple[int, str]]:
        """Yield errors unless there are 3-4 options, one ticked, each with its feedback."""
        count = len(draft.options)
        if not self.MIN_OPTIONS <= count <= self.MAX_OPTIONS:
            yield (
                draft.line,
                f"{draft.name} is type=scenario, so it needs {self.MIN_OPTIONS} or "
                f"{self.MAX_OPTIONS} options (it has {count}): one choice per line",
            )
        if draft.ticks != 1:
            yield (
                draft.line,
                f"{draft.name} is type=scenario: tick exactly one option, the best choice, "
                f'with "- [x]" ({draft.ticks} are ticked)',
            )
        for option in draft.options:
            if not option.has_feedback:
                yield (
                    option.line,
                    f"this option of {draft.name} has no feedback: a scenario tells the "
                    "consequence of every choice, so add a line '  > what happens then' under it",
                )

    def read_gift(self, answers: str, gift: GiftQuestion) -> GiftBody | None:
        """Return None: GIFT has no scenario kind."""
        return None


# --- the registry --------------------------------------------------------------------------------

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


def infer_type(ticks: int) -> str:
    """Return the type of a question with options, `ticks` of them ticked, and no `type=`.

    The first registered type that infers it; raises LookupError when none does.
    """
    for question_type in _registry.values():
        if question_type.takes_options and question_type.infers(ticks):
            return question_type.name
    raise LookupError(f"no question type is inferred from {ticks} ticked options")


def must_declare(type_name: str, options: Sequence[OptionLike]) -> bool:
    """Return True when a question of `type_name` with these options is written with `type=`.

    That is when the parser would not infer the type from the options alone.
    """
    return infer_type(sum(option.is_correct for option in options)) != type_name


for _builtin in (SingleChoice(), MultipleChoice(), TrueFalse(), TextAnswer(), Scenario()):
    register(_builtin)
