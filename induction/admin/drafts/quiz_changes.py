"""What a draft changes in a quiz, in words an admin can check against what they meant to do.

The draft page shows a changed quiz as these sentences rather than as its text: the
quiz's settings (its pass mark, title, attempts, order of answers), and each question
added, removed or changed: reworded, moved, its type, its answers added, removed or
reworded, which answer is right, its feedback, its explanation, who is asked it.

A question is known by its id, which the builder keeps whatever its words become; an
answer by its words (as `quiz_ticks` knows it), so an answer reworded in its place is
one change, not one removed and one added. Pure: no Flask, no database.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from induction.admin.quiz_mapping import state_from_questions
from induction.admin.quiz_summary import AUDIENCE_WORDS, TYPE_WORDS, question_facts, short_prompt
from induction.admin.quiz_ticks import option_key
from induction.content.document import Document, parse_source
from induction.content.loader import DEFAULT_PASS_MARK
from induction.content.model import Option, Question
from induction.content.quizbuild import DEFAULT_QUIZ_TITLE
from induction.content.source import decoded, from_text
from induction.content.tree import COURSE_FILE
from induction.progress.wording import listed

_LINK_TARGET = re.compile(r"\]\([^)]*\)")  # a link's address, after its words


@dataclass(frozen=True)
class QuestionChange:
    """One question added, removed or changed, and what changed in it."""

    what: str  # "added", "removed" or "changed"
    number: int  # its place in the quiz as the draft makes it (as published, when removed)
    title: str  # the start of its words (see `short_prompt`)
    details: tuple[str, ...]  # sentences


@dataclass(frozen=True)
class QuizChanges:
    """Everything a draft changes in one quiz, in words."""

    settings: tuple[str, ...]
    questions: tuple[QuestionChange, ...]

    @property
    def is_empty(self) -> bool:
        """True when nothing a learner meets changed (only spaces, notes or layout)."""
        return not self.settings and not self.questions


def _quoted(text: str) -> str:
    return f"“{short_prompt(text)}”"


def _sentence(text: str) -> str:
    """Return `text` ended with a full stop, unless a quotation already ends it with one."""
    return text if text.endswith((".”", "?”", "!”", "…”")) else f"{text}."


def _parsed(text: str) -> Document | None:
    document = parse_source(from_text(text), "quiz", "quiz.md")
    return None if document.has_errors else document


def _attempts(value: object) -> str:
    return f"{value}" if isinstance(value, int) and value > 0 else "no limit"


def _settings(
    before: dict[str, object] | None, after: dict[str, object], pass_mark: int
) -> list[str]:
    """Return what changed in the quiz's settings; for a new quiz, what they are."""
    lines = []
    new_mark = after.get("pass_mark", pass_mark)
    new_title = after.get("title") or DEFAULT_QUIZ_TITLE
    if before is None:
        lines.append(f"Pass mark: {new_mark}%.")
        if after.get("max_attempts"):
            lines.append(f"Attempts allowed: {_attempts(after.get('max_attempts'))}.")
        return lines
    old_mark = before.get("pass_mark", pass_mark)
    if old_mark != new_mark:
        lines.append(f"The pass mark is now {new_mark}%; it was {old_mark}%.")
    old_title = before.get("title") or DEFAULT_QUIZ_TITLE
    if old_title != new_title:
        lines.append(f"The quiz is now called “{new_title}”; it was “{old_title}”.")
    old_attempts, new_attempts = before.get("max_attempts"), after.get("max_attempts")
    if _attempts(old_attempts) != _attempts(new_attempts):
        lines.append(
            f"Attempts allowed: now {_attempts(new_attempts)}; it was {_attempts(old_attempts)}."
        )
    if bool(before.get("shuffle")) != bool(after.get("shuffle")):
        lines.append(
            "The answers are now shown in a different order on each attempt."
            if after.get("shuffle")
            else "The answers are no longer shuffled: they are shown in the order written."
        )
    return lines


def _who(question: Question) -> str:
    if not question.audiences:
        return "everyone"
    return listed([AUDIENCE_WORDS[a].lower() for a in AUDIENCE_WORDS if a in question.audiences])


def _answer_words(question: Question) -> tuple[str, str]:
    """Return what the question's answers are called: ("answer", "answers") or choices."""
    return ("choice", "choices") if question.type == "scenario" else ("answer", "answers")


def _pairs(
    old: Sequence[Option], new: Sequence[Option]
) -> tuple[list[tuple[Option, Option]], list[Option], list[Option]]:
    """Return the options kept (paired, old with new), removed and added. An option whose
    words changed in its place is kept, reworded, when another took no other place."""
    new_keys = {option_key(o.text) for o in new}
    old_keys = {option_key(o.text) for o in old}
    by_key = {option_key(o.text): o for o in new}
    kept = [(o, by_key[option_key(o.text)]) for o in old if option_key(o.text) in new_keys]
    gone = {i: o for i, o in enumerate(old) if option_key(o.text) not in new_keys}
    came = {i: o for i, o in enumerate(new) if option_key(o.text) not in old_keys}
    for place in sorted(set(gone) & set(came)):
        kept.append((gone.pop(place), came.pop(place)))
    return kept, list(gone.values()), list(came.values())


def _right(options: Sequence[Option]) -> list[str]:
    return [_quoted(o.text) for o in options if o.is_correct]


def _right_answer(old: Question, new: Question, kept: list[tuple[Option, Option]]) -> str | None:
    """Return the sentence on which answers are right, when a kept answer's tick moved."""
    if not any(a.is_correct != b.is_correct for a, b in kept):
        return None
    now, was = _right(new.options), _right(old.options)
    if new.type == "scenario":
        return _sentence(
            f"The best choice is now {listed(now) or 'none'}; it was {listed(was) or 'none'}"
        )
    if len(now) <= 1 and len(was) <= 1:
        return _sentence(
            f"The right answer is now {listed(now) or 'none'}; it was {listed(was) or 'none'}"
        )
    return _sentence(
        f"The right answers are now {listed(now) or 'none'}; they were {listed(was) or 'none'}"
    )


def _option_details(old: Question, new: Question) -> list[str]:
    """Return what changed in a question's answers: added, removed, reworded, put in
    another order, which is right, and their feedback."""
    one, many = _answer_words(new)
    kept, removed, added = _pairs(old.options, new.options)
    details = []
    for a, b in kept:
        if option_key(a.text) != option_key(b.text):
            details.append(
                _sentence(
                    f"{one.capitalize()} reworded: {_quoted(a.text)} is now {_quoted(b.text)}"
                )
            )
    for option in removed:
        right = " (it was a right answer)" if option.is_correct else ""
        details.append(_sentence(f"{one.capitalize()} removed: {_quoted(option.text)}{right}"))
    for option in added:
        right = " (a right answer)" if option.is_correct else ""
        details.append(_sentence(f"{one.capitalize()} added: {_quoted(option.text)}{right}"))
    right_answer = _right_answer(old, new, kept)
    if right_answer:
        details.append(right_answer)
    places = sorted((old.options.index(a), new.options.index(b)) for a, b in kept)
    if [now for _, now in places] != sorted(now for _, now in places):
        details.append(f"The {many} are in a different order.")
    for a, b in kept:
        if (a.feedback or "").strip() != (b.feedback or "").strip():
            details.append(f"The feedback on {_quoted(b.text)} changed.")
    return details


def _accepted(old: Question, new: Question) -> list[str]:
    was = {" ".join(a.split()).casefold(): a for a in old.answers}
    now = {" ".join(a.split()).casefold(): a for a in new.answers}
    details = [f"Accepted answer removed: “{was[k]}”." for k in was if k not in now]
    details += [f"Accepted answer added: “{now[k]}”." for k in now if k not in was]
    return details


def _explanation(old: Question, new: Question) -> str | None:
    before, after = (old.explanation or "").strip(), (new.explanation or "").strip()
    if before == after:
        return None
    if not before:
        return "An explanation was added, shown after the question is answered."
    if not after:
        return "Its explanation was removed."
    if _LINK_TARGET.sub("]", before) == _LINK_TARGET.sub("]", after):
        return "The link in its explanation now goes to another place; its words are the same."
    return "Its explanation, shown after the question is answered, changed."


def _changed(old: Question, new: Question, old_number: int, moved: bool) -> list[str]:
    """Return what changed in one question kept by the draft (none: it is as it was)."""
    details = []
    if old.prompt != new.prompt:
        details.append(_sentence(f"Reworded: it was {_quoted(old.prompt)}"))
    if moved:
        details.append(f"Moved: it was question {old_number}.")
    if old.type != new.type:
        details.append(
            f"Its type is now “{TYPE_WORDS.get(new.type, new.type)}”; "
            f"it was “{TYPE_WORDS.get(old.type, old.type)}”."
        )
    if old.stem.strip() != new.stem.strip():
        details.append("The text under the question changed.")
    details += _option_details(old, new)
    details += _accepted(old, new)
    explanation = _explanation(old, new)
    if explanation:
        details.append(explanation)
    if (old.audiences or None) != (new.audiences or None):
        details.append(f"Now asked to {_who(new)}; it was asked to {_who(old)}.")
    return details


def _added(question: Question) -> tuple[str, ...]:
    """Return what a new question is: its type, its answers, who is asked it."""
    [state] = state_from_questions([question], {}, ()).questions
    # Its type and who is asked it, as the quiz builder says them; its answers in full.
    kind, _, *who = question_facts(state)
    facts = [f"{fact}." for fact in (kind, *who)]
    if question.options:
        words = ", ".join(
            f"{_quoted(o.text)}{' (right)' if o.is_correct else ''}" for o in question.options
        )
        facts.append(_sentence(f"{_answer_words(question)[1].capitalize()}: {words}"))
    elif question.answers:
        facts.append(_sentence(f"Accepted answers: {listed([f'“{a}”' for a in question.answers])}"))
    return tuple(facts)


def _moved_ids(old_ids: list[str], new_ids: list[str]) -> set[str]:
    """Return the ids of the questions both versions hold whose order among them changed."""
    both = set(old_ids) & set(new_ids)
    was = [i for i in old_ids if i in both]
    now = [i for i in new_ids if i in both]
    matcher = difflib.SequenceMatcher(a=was, b=now, autojunk=False)
    stayed = {
        was[block.a + k] for block in matcher.get_matching_blocks() for k in range(block.size)
    }
    return both - stayed


def course_pass_mark(course_md: bytes | None) -> int:
    """Return the pass mark a course's course.md gives its quizzes (the platform's default
    when it sets none, or cannot be read)."""
    source = decoded(course_md)
    value = parse_source(source, "course", COURSE_FILE).values.get("pass_mark") if source else None
    return value if isinstance(value, int) else DEFAULT_PASS_MARK


def compare(before: str | None, after: str, pass_mark: int) -> QuizChanges | None:
    """Return what changes from the quiz text `before` (None: a new quiz) to `after`, in words.

    `pass_mark` is the course's, which a quiz without its own has. Returns None when either
    text has errors, so the page shows the text instead (the check lists the errors).
    """
    new_doc = _parsed(after)
    old_doc = _parsed(before) if before is not None else None
    if new_doc is None or (before is not None and old_doc is None):
        return None
    old = [parsed.question for parsed in old_doc.questions] if old_doc else []
    new = [parsed.question for parsed in new_doc.questions]
    settings = _settings(old_doc.values if old_doc else None, new_doc.values, pass_mark)
    old_by_id = {q.id: (number, q) for number, q in enumerate(old, 1)}
    new_ids = {q.id for q in new}
    moved = _moved_ids([q.id for q in old], [q.id for q in new])
    changes = []
    for number, question in enumerate(new, 1):
        if question.id not in old_by_id:
            changes.append(
                QuestionChange("added", number, short_prompt(question.prompt), _added(question))
            )
            continue
        old_number, was = old_by_id[question.id]
        details = _changed(was, question, old_number, question.id in moved)
        if details:
            changes.append(
                QuestionChange("changed", number, short_prompt(question.prompt), tuple(details))
            )
    for number, question in enumerate(old, 1):
        if question.id not in new_ids:
            changes.append(QuestionChange("removed", number, short_prompt(question.prompt), ()))
    return QuizChanges(tuple(settings), tuple(changes))
