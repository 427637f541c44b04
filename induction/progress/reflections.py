"""Reflections: a learner's private answers to a lesson's reflection prompts.

A reflection belongs to its learner alone. It is optional (it never counts towards
completion), it is shown only to them on the lesson page, it is in their own record
download and their data export, and it is deleted when their account is erased. No
report, officer's page or admin page reads this table; the tests check that.

Services add to the session and flush; the view that calls them commits once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select

from induction.accounts.models import User
from induction.content.model import Lesson
from induction.database import rows_changed, utcnow
from induction.extensions import db
from induction.progress.models import Reflection

# Enough for a few paragraphs; a longer text is refused with a message, not cut.
MAX_REFLECTION = 5000


@dataclass(frozen=True)
class SavedReflection:
    """What a person last saved for one reflection prompt, and when (UTC)."""

    text: str
    saved_at: dt.datetime


def reflections_in(user: User, lesson: Lesson) -> dict[str, SavedReflection]:
    """Return the person's saved reflection for each prompt of `lesson`, keyed by prompt id
    (a prompt with nothing saved is not in it)."""
    rows = db.session.execute(
        select(Reflection.prompt_id, Reflection.text, Reflection.updated_at).where(
            Reflection.user_id == user.id,
            Reflection.course_id == lesson.course_id,
            Reflection.lesson_id == lesson.id,
        )
    ).all()
    return {prompt_id: SavedReflection(text, saved_at) for prompt_id, text, saved_at in rows}


def normalise_reflection(text: str) -> str:
    """Return a reflection as it is kept: line ends as LF, no blank space around it."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def reflection_problem(text: str) -> str | None:
    """Return what is wrong with a reflection's text, in words for the learner, or None.

    The one check of what may be saved, whichever button saves it: at most
    MAX_REFLECTION characters once normalised.
    """
    length = len(normalise_reflection(text))
    if length > MAX_REFLECTION:
        return (
            f"Your reflection is {length:,} characters long; the most it can hold is "
            f"{MAX_REFLECTION:,}. Shorten it and save it again."
        )
    return None


def shown_mark(text: str) -> str:
    """Return a short fingerprint of the text a reflection box showed.

    The lesson page keeps it beside the box, so that when the page is sent back the box
    can be told apart as changed by the learner (kept, or cleared when they emptied it)
    or left as it was (not written: a blank box the learner never touched must not wipe
    what they saved meanwhile in another tab).
    """
    digest = hashlib.sha256(normalise_reflection(text).encode("utf-8")).hexdigest()
    return digest[:16]


def is_changed(text: str, mark: str | None) -> bool:
    """Return True when a box sent back with `text` differs from what it showed (`mark`,
    from shown_mark). Without a mark (a page from before marks were kept), only a box
    with something written in it counts as changed."""
    if not mark:
        return bool(normalise_reflection(text))
    return shown_mark(text) != mark


def save_reflection(user: User, lesson: Lesson, prompt_id: str, text: str) -> str:
    """Keep `text` as the person's answer to a prompt of `lesson`; return what was done.

    "saved" or "cleared" (blank text deletes the answer: reflections are optional).
    Raises KeyError when the lesson has no such prompt and ValueError (with the words of
    reflection_problem) when the text is too long. Line ends are kept as LF.
    """
    if lesson.block("reflection", prompt_id) is None:
        raise KeyError(prompt_id)
    problem = reflection_problem(text)
    if problem is not None:
        raise ValueError(problem)
    text = normalise_reflection(text)
    where = (
        Reflection.user_id == user.id,
        Reflection.course_id == lesson.course_id,
        Reflection.lesson_id == lesson.id,
        Reflection.prompt_id == prompt_id,
    )
    if not text:
        db.session.execute(delete(Reflection).where(*where))
        return "cleared"
    found = db.session.scalars(select(Reflection).where(*where)).first()
    if found is None:
        db.session.add(
            Reflection(
                user_id=user.id,
                course_id=lesson.course_id,
                lesson_id=lesson.id,
                prompt_id=prompt_id,
                text=text,
                updated_at=utcnow(),
            )
        )
    else:
        found.text = text
        found.updated_at = utcnow()
    db.session.flush()
    return "saved"


def save_reflections(user: User, lesson: Lesson, texts: Mapping[str, str]) -> dict[str, str]:
    """Keep each text of `texts` (prompt id -> text) as with save_reflection, in the
    lesson's order; return prompt id -> "saved" or "cleared".

    Every text is checked before any is written, so a problem with one saves none:
    raises KeyError for an unknown prompt and ValueError for a text that is too long.
    """
    for prompt_id, text in texts.items():
        if lesson.block("reflection", prompt_id) is None:
            raise KeyError(prompt_id)
        problem = reflection_problem(text)
        if problem is not None:
            raise ValueError(problem)
    done: dict[str, str] = {}
    for part in lesson.blocks("reflection"):
        if part.id is not None and part.id in texts:
            done[part.id] = save_reflection(user, lesson, part.id, texts[part.id])
    return done


def reflections_of(user_id: int) -> list[Reflection]:
    """Return every reflection of a person, oldest first (for their own downloads)."""
    return list(
        db.session.scalars(
            select(Reflection)
            .where(Reflection.user_id == user_id)
            .order_by(Reflection.course_id, Reflection.lesson_id, Reflection.prompt_id)
        )
    )


def reflection_dict(reflection: Reflection) -> dict[str, object]:
    """Return one reflection as JSON-ready data."""
    return {
        "course_id": reflection.course_id,
        "lesson_id": reflection.lesson_id,
        "prompt_id": reflection.prompt_id,
        "text": reflection.text,
        "updated_at": reflection.updated_at.isoformat(),
    }


def erase_reflections(user_id: int) -> int:
    """Delete every reflection of a person; return how many there were."""
    result = db.session.execute(
        delete(Reflection)
        .where(Reflection.user_id == user_id)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result)
