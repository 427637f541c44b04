"""What a learner is told about a lesson updated since they read it: note, dates, sections.

When a publish raises a lesson's version with a note for learners (a `LessonUpdate`),
each person who completed an earlier version sees "Updated on <date>: <note>. Please
read it again by <date>" on My learning and on the lesson, with the sections that
changed. The newest update above the version they read is the one shown. Reading the
lesson again (a completion of the new version) ends the notice; nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, tuple_

from induction.extensions import db
from induction.inputs import add_days
from induction.progress.models import LessonUpdate
from induction.progress.status import CourseProgress, LessonProgress, LessonState
from induction.web.templating import local_time


@dataclass(frozen=True)
class UpdateNotice:
    """One updated lesson as its earlier reader is told about it."""

    course_id: str
    lesson_id: str
    lesson_title: str
    updated_on: dt.date  # in the network's time zone
    note: str
    read_by: dt.date
    changed: tuple[tuple[str, str], ...]  # (anchor, heading text); anchor "" when none

    @property
    def note_sentence(self) -> str:
        """Return the note without its closing full stop (the notice adds its own)."""
        return self.note.rstrip().rstrip(".")


def _changed(text: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for line in text.split("\n"):
        anchor, _, heading = line.partition("\t")
        if heading:
            pairs.append((anchor, heading))
    return tuple(pairs)


def notice_from(lesson: LessonProgress, row: LessonUpdate) -> UpdateNotice:
    """Return what the reader of an earlier version of `lesson` is told about `row`."""
    published = local_time(row.published_at).date()
    return UpdateNotice(
        course_id=lesson.lesson.course_id,
        lesson_id=lesson.lesson.id,
        lesson_title=lesson.lesson.title,
        updated_on=published,
        note=row.note,
        read_by=add_days(published, row.reread_days),
        changed=_changed(row.changed_sections),
    )


def update_notices(progress: Iterable[CourseProgress]) -> dict[tuple[str, str], UpdateNotice]:
    """Return the notice of each lesson updated since the person read it, keyed by
    (course id, lesson id), for the courses of `progress`: one query (none when nothing
    is updated). Lessons updated without a note for learners have no notice."""
    updated = [
        lesson
        for course in progress
        for module in course.modules
        for lesson in module.lessons
        if lesson.state is LessonState.UPDATED
    ]
    if not updated:
        return {}
    keys = {(lp.lesson.course_id, lp.lesson.id) for lp in updated}
    rows = db.session.scalars(
        select(LessonUpdate)
        .where(tuple_(LessonUpdate.course_id, LessonUpdate.lesson_id).in_(keys))
        .order_by(LessonUpdate.version, LessonUpdate.id)
    ).all()
    notices = {}
    for lesson in updated:
        key = (lesson.lesson.course_id, lesson.lesson.id)
        read = lesson.completed_version or 0
        for row in rows:  # in version order: the newest that applies wins
            if (
                row.course_id,
                row.lesson_id,
            ) == key and read < row.version <= lesson.lesson.version:
                notices[key] = notice_from(lesson, row)
    return notices
