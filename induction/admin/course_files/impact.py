"""Who an edit affects: counts of people, each from one aggregate query.

- Raising a lesson's `version`: the people who completed the current version
  will be asked to read it again.
- Changing a lesson's id: its completions stay with the old id.
- Changing a quiz (its content hash): the people who have taken it keep their
  results; new attempts use the new version.
- Deleting a lesson or a quiz: the records stay, the item no longer counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from induction.admin.course_files.changes import Change, read_bytes
from induction.admin.course_files.listing import course_id_of, kind_of, quiz_id_of
from induction.admin.course_files.paths import CourseFolder
from induction.content.document import Document, parse_source
from induction.content.ids import id_from_name
from induction.content.source import DecodeError, decode
from induction.extensions import db
from induction.progress.models import LessonCompletion
from induction.quizzes.models import QuizAttempt


@dataclass(frozen=True)
class Impact:
    """How many people an edit affects, and how, in one sentence."""

    count: int
    message: str


def people(count: int) -> str:
    """Return "1 person" or "N people"."""
    return "1 person" if count == 1 else f"{count} people"


def _document(data: bytes | None, kind: str, path: str) -> Document | None:
    if data is None:
        return None
    try:
        return parse_source(decode(data), kind, path)
    except DecodeError:
        return None


def _lesson_id(document: Document, path: str) -> str:
    value = document.values.get("id")
    return value if isinstance(value, str) else id_from_name(path.rsplit("/", 1)[-1])


def completed_between(course_id: str, lesson_id: str, lowest: int, below: int) -> int:
    """Return how many people completed a version of the lesson in [lowest, below)."""
    stmt = select(func.count(func.distinct(LessonCompletion.user_id))).where(
        LessonCompletion.course_id == course_id,
        LessonCompletion.lesson_id == lesson_id,
        LessonCompletion.lesson_version >= lowest,
        LessonCompletion.lesson_version < below,
    )
    return int(db.session.scalar(stmt) or 0)


def completed_any(course_id: str, lesson_id: str) -> int:
    """Return how many people completed any version of the lesson."""
    stmt = select(func.count(func.distinct(LessonCompletion.user_id))).where(
        LessonCompletion.course_id == course_id, LessonCompletion.lesson_id == lesson_id
    )
    return int(db.session.scalar(stmt) or 0)


def course_starters(course_id: str) -> int:
    """Return how many people have completed a lesson of the course or submitted a quiz
    attempt in it: who would lose sight of it if it were hidden."""
    readers = select(LessonCompletion.user_id).where(LessonCompletion.course_id == course_id)
    takers = select(QuizAttempt.user_id).where(
        QuizAttempt.course_id == course_id, QuizAttempt.submitted_at.is_not(None)
    )
    both = readers.union(takers).subquery()
    return int(db.session.scalar(select(func.count()).select_from(both)) or 0)


def quiz_takers(course_id: str, quiz_id: str) -> int:
    """Return how many people have submitted at least one attempt at the quiz."""
    stmt = select(func.count(func.distinct(QuizAttempt.user_id))).where(
        QuizAttempt.course_id == course_id,
        QuizAttempt.quiz_id == quiz_id,
        QuizAttempt.submitted_at.is_not(None),
    )
    return int(db.session.scalar(stmt) or 0)


def change_impacts(folder: CourseFolder, change: Change) -> list[Impact]:
    """Return who each edited lesson or quiz of `change` affects (people counted > 0 only)."""
    impacts: list[Impact] = []
    course_id = course_id_of(folder)
    for final, data in change.writes.items():
        old_path = change.source_of(final)
        kind = kind_of(old_path)
        if kind not in ("lesson", "quiz"):
            continue
        old = read_bytes(folder.path / old_path)
        if old is None:
            continue
        if kind == "lesson":
            impacts.extend(_lesson_impacts(course_id, old_path, final, old, data))
        elif _document(old, "quiz", old_path) is not None and _text(old) != _text(data):
            module = old_path.split("/", 1)[0]
            count = quiz_takers(course_id, quiz_id_of(folder, module, _text(old)))
            if count:
                verb = "has" if count == 1 else "have"
                impacts.append(
                    Impact(
                        count,
                        f"{people(count)} {verb} taken this quiz; their results stand, "
                        "new attempts use the new version.",
                    )
                )
    return impacts


def _text(data: bytes) -> str:
    try:
        return decode(data).text
    except DecodeError:
        return data.decode("utf-8", "replace")


def _lesson_impacts(
    course_id: str, old_path: str, new_path: str, old: bytes, new: bytes
) -> list[Impact]:
    before = _document(old, "lesson", old_path)
    after = _document(new, "lesson", new_path)
    if before is None or after is None:
        return []
    old_id, new_id = _lesson_id(before, old_path), _lesson_id(after, new_path)
    if old_id != new_id:
        count = completed_any(course_id, old_id)
        if not count:
            return []
        return [
            Impact(
                count,
                f"{people(count)} completed this lesson under its id '{old_id}': with the id "
                f"'{new_id}' it is a new lesson to them and they will be asked to read it.",
            )
        ]
    old_version = before.values.get("version", 1)
    new_version = after.values.get("version", 1)
    if not isinstance(old_version, int) or not isinstance(new_version, int):
        return []
    if new_version <= old_version:
        return []
    count = completed_between(course_id, old_id, old_version, new_version)
    if not count:
        return []
    return [
        Impact(
            count,
            f"{people(count)} completed version {old_version} of this lesson and will be "
            "asked to read it again.",
        )
    ]


def delete_impacts(folder: CourseFolder, relative: str) -> list[Impact]:
    """Return who deleting the lesson, quiz or module folder at `relative` affects."""
    course_id = course_id_of(folder)
    kind = kind_of(relative)
    impacts: list[Impact] = []
    targets: list[tuple[str, str]] = []
    if kind in ("lesson", "quiz"):
        targets.append((kind, relative))
    elif (folder.path / relative).is_dir() and "/" not in relative:
        targets.extend(
            (kind_of(f"{relative}/{p.name}") or "", f"{relative}/{p.name}")
            for p in sorted((folder.path / relative).iterdir())
        )
    for what, path in targets:
        if what == "lesson":
            data = read_bytes(folder.path / path)
            document = _document(data, "lesson", path)
            lesson_id = (
                _lesson_id(document, path) if document else id_from_name(path.rsplit("/", 1)[-1])
            )
            count = completed_any(course_id, lesson_id)
            title = document.values.get("title") if document else None
            named = f"“{title}”" if isinstance(title, str) and title.strip() else f"'{lesson_id}'"
            if count:
                impacts.append(
                    Impact(
                        count,
                        f"{people(count)} completed the lesson {named}. Their records are "
                        "kept, but the lesson no longer counts towards the module.",
                    )
                )
        elif what == "quiz":
            module = path.split("/", 1)[0]
            count = quiz_takers(course_id, quiz_id_of(folder, module))
            if count:
                verb = "has" if count == 1 else "have"
                impacts.append(
                    Impact(
                        count,
                        f"{people(count)} {verb} taken the quiz of this module. Their attempts "
                        "and passes are kept; the module will no longer have a quiz.",
                    )
                )
    return impacts
