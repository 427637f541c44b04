"""Your council's notes: each organisation's own text in the council-notes slots of lessons.

A lesson may hold slots (`::: council-notes {#id}` blocks). Each organisation's lead
officer (a manager) writes its text for a slot; the organisation's learners see it
there, everyone else sees the course's default text (or nothing when it has none).
The text is Markdown, rendered and sanitized when it is saved, exactly as a lesson
is, and every save is written to the audit log.

Who may edit an organisation's notes is `permissions.organisation_in_scope`: its
own managers, and admins. Services add to the session and flush; the view commits.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select

from induction.accounts import audit
from induction.accounts.models import Organisation, User
from induction.catalogue import get_catalogue
from induction.content.blocks import COUNCIL_NOTES
from induction.content.model import Course, Lesson, LessonPart
from induction.content.render import BLOCK
from induction.courses.models import CouncilNote
from induction.database import utcnow
from induction.extensions import db

# A few screens of text; longer notes are refused with a message, not cut.
MAX_NOTES = 10_000


_HEADING = re.compile(r"<h[1-6][^>]*>(?P<text>.*?)</h[1-6]>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Slot:
    """A council-notes slot of a lesson, with the course and lesson it is in.

    `section` is the heading the slot sits under (None when it comes before any), so
    that people can be told where it is in words rather than by its id.
    """

    course: Course
    lesson: Lesson
    part: LessonPart
    section: str | None = None

    @property
    def id(self) -> str:
        assert self.part.id is not None
        return self.part.id

    @property
    def place(self) -> str:
        """Return where the slot is, in words: "under “Who to contact”" or "at the start"."""
        return f"under “{self.section}”" if self.section else "at the start of the lesson"


def slots_of(course: Course, lesson: Lesson) -> list[Slot]:
    """Return the council-notes slots of one lesson, each with the heading it sits under."""
    slots: list[Slot] = []
    section: str | None = None
    for part in lesson.parts:
        if part.kind == "html":
            for heading in _HEADING.finditer(part.html):
                section = html.unescape(_TAG.sub("", heading.group("text"))).strip() or section
        elif part.kind == COUNCIL_NOTES:
            slots.append(Slot(course, lesson, part, section))
    return slots


def slots_in(courses: Iterable[Course]) -> list[Slot]:
    """Return every council-notes slot of these courses, in course order."""
    return [
        slot
        for course in courses
        for module in course.modules
        for lesson in module.lessons
        for slot in slots_of(course, lesson)
    ]


def notes_for_lesson(organisation_id: int | None, lesson: Lesson) -> dict[str, str]:
    """Return the organisation's rendered notes for each slot of `lesson`, keyed by slot id.

    One query; empty when the person has no organisation or the lesson has no slot.
    """
    if organisation_id is None or not lesson.blocks(COUNCIL_NOTES):
        return {}
    rows = db.session.execute(
        select(CouncilNote.slot_id, CouncilNote.html).where(
            CouncilNote.organisation_id == organisation_id,
            CouncilNote.course_id == lesson.course_id,
            CouncilNote.lesson_id == lesson.id,
        )
    ).all()
    return {slot_id: html for slot_id, html in rows}


def notes_of(organisation_id: int) -> dict[tuple[str, str, str], CouncilNote]:
    """Return every note of an organisation, keyed by (course id, lesson id, slot id)."""
    rows = db.session.scalars(
        select(CouncilNote).where(CouncilNote.organisation_id == organisation_id)
    )
    return {(n.course_id, n.lesson_id, n.slot_id): n for n in rows}


def note_of(organisation_id: int, slot: Slot) -> CouncilNote | None:
    """Return the organisation's note for `slot`, or None when it has written none."""
    return db.session.scalars(
        select(CouncilNote).where(
            CouncilNote.organisation_id == organisation_id,
            CouncilNote.course_id == slot.course.id,
            CouncilNote.lesson_id == slot.lesson.id,
            CouncilNote.slot_id == slot.id,
        )
    ).first()


def render_notes(body: str) -> str:
    """Return the sanitized HTML of notes written in Markdown (the lessons' own renderer)."""
    catalogue = get_catalogue()
    catalogue.library()  # the renderer exists once the courses are loaded
    renderer = catalogue.renderer
    assert renderer is not None
    return renderer.render(body, BLOCK).html


def save_notes(organisation: Organisation, slot: Slot, body: str, *, actor: User) -> str:
    """Keep `body` as the organisation's notes for `slot`; return "saved" or "cleared".

    Blank text deletes the notes, so learners see the course's default text again.
    Writes "council_notes.saved" or "council_notes.cleared" to the audit log (with the
    slot and the text's length). Raises ValueError when the text is longer than
    MAX_NOTES characters.
    """
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(body) > MAX_NOTES:
        raise ValueError(
            f"The notes are {len(body):,} characters long; the most they can hold is "
            f"{MAX_NOTES:,}. Shorten them and save again."
        )
    found = note_of(organisation.id, slot)
    where = {"course_id": slot.course.id, "lesson": slot.lesson.id, "slot": slot.id}
    if not body:
        if found is not None:
            db.session.execute(delete(CouncilNote).where(CouncilNote.id == found.id))
        audit.record("council_notes.cleared", actor=actor, target=organisation, details=where)
        return "cleared"
    html = render_notes(body)
    if found is None:
        found = CouncilNote(
            organisation_id=organisation.id,
            course_id=slot.course.id,
            lesson_id=slot.lesson.id,
            slot_id=slot.id,
        )
        db.session.add(found)
    found.body = body
    found.html = html
    found.updated_at = utcnow()
    found.updated_by_id = actor.id
    audit.record(
        "council_notes.saved",
        actor=actor,
        target=organisation,
        details={**where, "characters": len(body)},
    )
    db.session.flush()
    return "saved"
