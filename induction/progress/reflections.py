"""Reflections: a learner's private answers to a lesson's reflection prompts.

A reflection belongs to its learner alone. It is optional (it never counts towards
completion), it is shown only to them on the lesson page, it is in their own record
download and their data export, and it is deleted when their account is erased. No
report, officer's page or admin page reads this table; the tests check that.

Services add to the session and flush; the view that calls them commits once.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from induction.accounts.models import User
from induction.content.model import Lesson
from induction.database import rows_changed, utcnow
from induction.extensions import db
from induction.progress.models import Reflection

# Enough for a few paragraphs; a longer text is refused with a message, not cut.
MAX_REFLECTION = 5000


def reflections_in(user: User, lesson: Lesson) -> dict[str, str]:
    """Return the person's saved text for each prompt of `lesson`, keyed by prompt id."""
    rows = db.session.execute(
        select(Reflection.prompt_id, Reflection.text).where(
            Reflection.user_id == user.id,
            Reflection.course_id == lesson.course_id,
            Reflection.lesson_id == lesson.id,
        )
    ).all()
    return {prompt_id: text for prompt_id, text in rows}


def save_reflection(user: User, lesson: Lesson, prompt_id: str, text: str) -> str:
    """Keep `text` as the person's answer to a prompt of `lesson`; return what was done.

    "saved" or "cleared" (blank text deletes the answer: reflections are optional).
    Raises KeyError when the lesson has no such prompt and ValueError when the text
    is longer than MAX_REFLECTION. Line ends are kept as LF.
    """
    if lesson.block("reflection", prompt_id) is None:
        raise KeyError(prompt_id)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_REFLECTION:
        raise ValueError(
            f"Your reflection is {len(text):,} characters long; the most it can hold is "
            f"{MAX_REFLECTION:,}. Shorten it and save it again."
        )
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
