"""Which options a quiz save made right or wrong, so the builder can ask for their feedback
to be checked. Pure: no Flask.

Moving a question's "right answer" tick from one option to another keeps each option's
feedback as it was: the old right answer's feedback still says why it is right, the new
one's why it is wrong. The builder does not stop the author to ask; after the save it
shows, on each such question, that its right answers changed and which options changed,
until the author saves again.

A question is known by its id and an option by its text (on one line, spaces
squeezed, kept as a short hash so the marks stay small in a session cookie), so the
marks find their options again after questions are moved or options added. An option
new to the question, or reworded in the same save, has no rightness before it and is
not marked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from induction.admin.quiz_state import QuizState
from induction.content.model import Question

TickChanges = dict[str, list[str]]  # question id -> keys of the options made right or wrong


def option_key(text: str) -> str:
    """Return what names an option's text in the marks: a short hash of its words on one
    line (runs of spaces and line breaks as one space)."""
    words = " ".join(text.split())
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:16]


def changed_ticks(before: Sequence[Question], after: Sequence[Question]) -> TickChanges:
    """Return, by question id, the options whose tick a save changed (right to wrong or
    wrong to right), as `option_key`s, in the question's order. Questions without options, new
    questions and questions whose ticks did not move are left out."""
    was = {question.id: question for question in before}
    found: TickChanges = {}
    for question in after:
        old = was.get(question.id)
        if old is None or not question.options:
            continue
        right_before = {option_key(o.text): o.is_correct for o in old.options}
        changed = [
            option_key(option.text)
            for option in question.options
            if right_before.get(option_key(option.text), option.is_correct) != option.is_correct
        ]
        if changed:
            found[question.id] = changed
    return found


def tick_marks(state: QuizState, changes: Mapping[str, Sequence[str]]) -> dict[int, frozenset[int]]:
    """Return, by question (0-based, as the form has them), the options (0-based) that
    `changes` names: the places to show "check this option's feedback"."""
    marks: dict[int, frozenset[int]] = {}
    for index, question in enumerate(state.questions):
        texts = set(changes.get(question.id, ()) if question.id else ())
        options = frozenset(
            number
            for number, option in enumerate(question.options)
            if option_key(option.text) in texts
        )
        if options:
            marks[index] = options
    return marks
