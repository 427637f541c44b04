"""What the quiz builder says about each question while it is folded, and which it shows open.

The builder shows every question folded to one summary line ("Question 2: Which of
these...", its type and how many answers are marked right), so a long quiz reads as
a list. A question is shown unfolded when there is something to do in it: it has a
problem to fix, a button just acted on it (added it, added an option...), several of
its options are marked right when its type has one right answer (`several_marked_right`),
or nothing is written in it yet. Pure: no Flask.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from induction.admin.quiz_state import (
    QuestionState,
    QuizState,
    has_one_right_answer,
    marked_right,
)
from induction.progress.wording import listed

TYPE_WORDS = {
    "single": "One right answer",
    "multiple": "Several right answers",
    "truefalse": "True or false",
    "text": "Typed answer",
    "scenario": "Scenario: a situation and what to do",
}
AUDIENCE_WORDS = {
    "councillor": "Councillors",
    "officer": "Council officers",
    "affiliate": "Affiliate members",
}
SHORT_PROMPT_CHARS = 80  # a longer question is cut at a word before this in its summary
NOT_WRITTEN = "not written yet"

# A field's id ("questions-2-prompt", 0-based) or a place on the page ("question-3", 1-based).
_FIELD_OF_QUESTION = re.compile(r"questions-(\d{1,4})-")
_PLACE_OF_QUESTION = re.compile(r"question-(\d{1,4})(?:-|\Z)")


@dataclass(frozen=True)
class QuestionSummary:
    """One question's summary line, and whether the page shows the question unfolded."""

    number: int  # 1-based, as the page counts
    title: str  # the start of the question's text, or NOT_WRITTEN
    facts: tuple[str, ...]  # sentences: its type, its answers, who is asked it
    needs_fixing: bool
    is_open: bool
    ticks_changed: bool = False  # the last save changed which answers are right
    several_right: str | None = None  # see `several_marked_right`

    @property
    def description(self) -> str:
        """Return the facts as one line of sentences."""
        return " ".join(f"{fact}." for fact in self.facts)


def short_prompt(prompt: str, limit: int = SHORT_PROMPT_CHARS) -> str:
    """Return the start of `prompt` on one line: whole when short, else cut at a word with "…"."""
    words = " ".join(prompt.split())
    if len(words) <= limit:
        return words
    cut = words[: limit - 1]
    if words[limit - 1] != " ":  # the last word is cut through: leave it out
        cut = cut.rsplit(" ", 1)[0] or cut
    return f"{cut.rstrip(' ,;:.')}…"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _answers_fact(question: QuestionState) -> str:
    """Return what the question's answers are, in words ("1 of 3 options marked right")."""
    written = [option for option in question.options if not option.is_empty]
    ticked = sum(option.is_correct for option in written)
    if question.type == "text":
        answers = [line for line in question.answers.splitlines() if line.strip()]
        if not answers:
            return "No accepted answer written yet"
        return _plural(len(answers), "accepted answer", "accepted answers")
    if question.type == "truefalse":
        right = [option.text.strip() for option in written if option.is_correct]
        return f"{right[0]} is right" if len(right) == 1 else "Neither True nor False ticked yet"
    one, many = ("choice", "choices") if question.type == "scenario" else ("option", "options")
    if not written:
        return f"No {many} written yet"
    count = _plural(len(written), one, many)
    if question.type == "scenario":
        return f"{count}, the best one ticked" if ticked else f"{count}, no best choice ticked yet"
    if not ticked:
        return f"{count}, none marked right yet"
    return f"{ticked} of {count} marked right"


def several_marked_right(question: QuestionState) -> str | None:
    """Return what to do about a question whose type has one right answer but which has
    several options marked right (its type was just changed from "Several right answers"),
    else None.

    The words name the options marked right and start with a capital ("Options 1 and 3
    are both marked right, ..."); the builder shows them with the question's choice of
    its right answer, and its check puts them after "Question 2: ".
    """
    numbers = marked_right(question)
    if len(numbers) < 2 or not has_one_right_answer(question.type):
        return None
    if question.type == "truefalse":
        return "True and False are both marked right: choose the one that is right"
    names = listed([str(number + 1) for number in numbers])
    both = "both" if len(numbers) == 2 else "all"
    if question.type == "scenario":
        return (
            f"Choices {names} are {both} marked as the best, but a scenario has one best "
            "choice: choose it"
        )
    return (
        f"Options {names} are {both} marked right, but this type of question has one right "
        "answer: choose it, or choose “Several right answers” as its type"
    )


def _audience_fact(question: QuestionState) -> str | None:
    """Return who is asked the question when it is not everyone ("Only for councillors")."""
    names = [AUDIENCE_WORDS[a].lower() for a in AUDIENCE_WORDS if a in question.audiences]
    if not names:
        return None
    return f"Only for {listed(names)}"


def question_facts(question: QuestionState) -> tuple[str, ...]:
    """Return the sentences a folded question's summary says after its text."""
    kind = TYPE_WORDS.get(question.type, "Type of question not chosen")
    audience = _audience_fact(question)
    return (kind, _answers_fact(question)) + ((audience,) if audience else ())


def question_of(place: str | None) -> int | None:
    """Return the 0-based question a field id or a place on the page names, else None.

    Field ids count from 0 ("questions-2-text"), places from 1 ("question-3").
    """
    if not place:
        return None
    field = _FIELD_OF_QUESTION.match(place)
    if field:
        return int(field.group(1))
    spot = _PLACE_OF_QUESTION.match(place)
    return int(spot.group(1)) - 1 if spot else None


def question_summaries(
    state: QuizState,
    field_errors: Mapping[str, str],
    acted_on: str | None = None,
    ticks_changed: Collection[int] = (),
) -> list[QuestionSummary]:
    """Return each question's summary line and whether it is shown unfolded.

    `field_errors` holds the errors shown, by field id; `acted_on` is the field or place
    the last button sent the page to (see `quiz_state.apply_action`), None when there
    is none; `ticks_changed` the questions (0-based) whose right answers the last save
    changed (see `quiz_ticks`). A question is open when one of its fields has an error,
    when it is the one `acted_on` names, when its right answers changed (its feedback
    is to be checked), when it has several right answers marked and can have one, or
    when its text is not written yet.
    """
    with_errors = {question_of(name) for name in field_errors}
    opened = question_of(acted_on)
    summaries = []
    for index, question in enumerate(state.questions):
        prompt = short_prompt(question.prompt)
        needs_fixing = index in with_errors
        ticked = index in ticks_changed
        several = several_marked_right(question)
        summaries.append(
            QuestionSummary(
                number=index + 1,
                title=prompt or NOT_WRITTEN,
                facts=question_facts(question),
                needs_fixing=needs_fixing,
                is_open=needs_fixing or ticked or bool(several) or index == opened or not prompt,
                ticks_changed=ticked,
                several_right=several,
            )
        )
    return summaries
