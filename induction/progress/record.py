"""A learner's own record: everything they did (lessons read, quiz attempts passed or not,
modules and courses completed), as evidence they can read and download."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import select

from induction.accounts.models import User
from induction.content.model import Library
from induction.extensions import db
from induction.progress.models import CourseCompletion, LessonCompletion, ModuleCompletion
from induction.quizzes.models import QuizAttempt, without_snapshots
from induction.web.templating import spreadsheet_time_and_date, zone_name


@dataclass(frozen=True)
class RecordEntry:
    """One line of a person's record."""

    kind: str  # lesson, acknowledgement, quiz, module, course
    course_id: str
    course_title: str
    item_id: str
    item_title: str
    version: int | None
    statement: str | None
    score: str | None
    outcome: str
    at: dt.datetime


def csv_header() -> tuple[str, ...]:
    """Return the header of a learning record's CSV file (times in the network's zone)."""
    return (*CSV_HEADER[:-1], f"Date and time ({zone_name()})", "Date")


CSV_HEADER = (
    "Kind",
    "Course id",
    "Course",
    "Item id",
    "Item",
    "Version",
    "Statement acknowledged",
    "Score",
    "Outcome",
    "Date and time",
)


def entry_row(entry: RecordEntry) -> tuple[object, ...]:
    """Return an entry as a CSV row in the order of csv_header()."""
    return (
        entry.kind,
        entry.course_id,
        entry.course_title,
        entry.item_id,
        entry.item_title,
        entry.version,
        entry.statement,
        entry.score,
        entry.outcome,
        *spreadsheet_time_and_date(entry.at),
    )


def entry_dict(entry: RecordEntry) -> dict[str, object]:
    """Return an entry as a JSON-ready dict."""
    data = asdict(entry)
    data["at"] = entry.at.isoformat()
    return data


def learner_record(user: User, library: Library) -> list[RecordEntry]:
    """Return everything `user` did, newest first, named by the current course files:
    lessons read, every submitted quiz attempt (passed or not), modules and courses completed.

    Items that no longer exist in the files keep their ids as titles; nothing is hidden.
    """
    entries: list[RecordEntry] = []
    titles = _Titles(library)
    for row in db.session.scalars(
        select(LessonCompletion).where(LessonCompletion.user_id == user.id)
    ):
        entries.append(
            RecordEntry(
                kind="acknowledgement" if row.acknowledged_statement else "lesson",
                course_id=row.course_id,
                course_title=titles.course(row.course_id),
                item_id=row.lesson_id,
                item_title=titles.lesson(row.course_id, row.lesson_id),
                version=row.lesson_version,
                statement=row.acknowledged_statement,
                score=None,
                outcome="read and acknowledged" if row.acknowledged_statement else "read",
                at=row.completed_at,
            )
        )
    for attempt in db.session.scalars(
        select(QuizAttempt)
        .options(*without_snapshots())
        .where(QuizAttempt.user_id == user.id, QuizAttempt.submitted_at.is_not(None))
    ):
        assert attempt.submitted_at is not None
        entries.append(
            RecordEntry(
                kind="quiz",
                course_id=attempt.course_id,
                course_title=titles.course(attempt.course_id),
                item_id=attempt.quiz_id,
                item_title=titles.quiz(attempt.course_id, attempt.module_id),
                version=None,
                statement=None,
                score=f"{attempt.right} of {attempt.total} ({attempt.percent}%)",
                outcome=(
                    f"{'passed' if attempt.is_passed else 'not passed'} "
                    f"(pass mark {attempt.pass_mark}%)"
                ),
                at=attempt.submitted_at,
            )
        )
    for module_done in db.session.scalars(
        select(ModuleCompletion).where(ModuleCompletion.user_id == user.id)
    ):
        entries.append(
            RecordEntry(
                kind="module",
                course_id=module_done.course_id,
                course_title=titles.course(module_done.course_id),
                item_id=module_done.module_id,
                item_title=titles.module(module_done.course_id, module_done.module_id),
                version=None,
                statement=None,
                score=None,
                outcome="module completed",
                at=module_done.completed_at,
            )
        )
    for course_done in db.session.scalars(
        select(CourseCompletion).where(CourseCompletion.user_id == user.id)
    ):
        entries.append(
            RecordEntry(
                kind="course",
                course_id=course_done.course_id,
                course_title=titles.course(course_done.course_id),
                item_id=course_done.course_id,
                item_title=titles.course(course_done.course_id),
                version=None,
                statement=None,
                score=None,
                outcome="course completed",
                at=course_done.completed_at,
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


LESSON_KINDS = frozenset({"lesson", "acknowledgement"})


@dataclass(frozen=True)
class RecordLine:
    """One line of My record as the learner reads it: the entry and, for a lesson read in
    more than one version, which reading this was ("After the lesson was updated (version
    2)"); None when the lesson's version tells the reader nothing."""

    entry: RecordEntry
    version_note: str | None


@dataclass(frozen=True)
class CourseRecord:
    """A person's record in one course, newest first."""

    course_id: str
    course_title: str
    lines: tuple[RecordLine, ...]


def by_course(entries: Sequence[RecordEntry]) -> list[CourseRecord]:
    """Return `entries` (newest first) grouped by course: the course with the latest entry
    first, each course's lines newest first.

    A lesson's version is named only where the person read the lesson in more than one
    version, to tell the readings apart: the first version they read is "before the lesson
    was updated", a later one "after". Every version stays in the downloads.
    """
    versions: dict[tuple[str, str], set[int]] = defaultdict(set)
    for entry in entries:
        if entry.kind in LESSON_KINDS and entry.version is not None:
            versions[(entry.course_id, entry.item_id)].add(entry.version)
    groups: dict[str, list[RecordLine]] = {}
    titles: dict[str, str] = {}
    for entry in entries:
        seen = versions.get((entry.course_id, entry.item_id), set())
        note = None
        if entry.kind in LESSON_KINDS and entry.version is not None and len(seen) > 1:
            when = "Before" if entry.version == min(seen) else "After"
            note = f"{when} the lesson was updated (version {entry.version})"
        groups.setdefault(entry.course_id, []).append(RecordLine(entry, note))
        titles.setdefault(entry.course_id, entry.course_title)
    return [
        CourseRecord(course_id, titles[course_id], tuple(lines))
        for course_id, lines in groups.items()
    ]


class _Titles:
    """Looks up current titles, falling back to the id when the item has gone."""

    def __init__(self, library: Library) -> None:
        self.library = library

    def course(self, course_id: str) -> str:
        course = self.library.course(course_id)
        return course.title if course else course_id

    def lesson(self, course_id: str, lesson_id: str) -> str:
        course = self.library.course(course_id)
        lesson = course.lesson(lesson_id) if course else None
        return lesson.title if lesson else lesson_id

    def module(self, course_id: str, module_id: str) -> str:
        course = self.library.course(course_id)
        module = course.module(module_id) if course else None
        return module.title if module else module_id

    def quiz(self, course_id: str, module_id: str) -> str:
        course = self.library.course(course_id)
        module = course.module(module_id) if course else None
        if module and module.quiz_name:
            return module.quiz_name
        return module_id
