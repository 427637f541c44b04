"""What a learner has done: lesson completions, module and course completions, certificates.

Records are evidence: a completion is never changed or deleted by the platform (data
erasure anonymises the person instead). Status is computed from these records and the
current course files, so editing a course never needs a migration.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from induction.database import UTCDateTime, utcnow
from induction.extensions import db


class LessonCompletion(db.Model):
    """A person completed one version of a lesson (with the statement they acknowledged, if any)."""

    __tablename__ = "lesson_completion"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "lesson_id", "lesson_version"),
        Index("ix_lesson_completion_course_lesson", "course_id", "lesson_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(100))
    lesson_id: Mapped[str] = mapped_column(String(100))
    lesson_version: Mapped[int]
    acknowledged_statement: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ModuleCompletion(db.Model):
    """The first time a person completed a module; kept even if new content reopens it."""

    __tablename__ = "module_completion"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(100))
    module_id: Mapped[str] = mapped_column(String(100))
    completed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CourseCompletion(db.Model):
    """The first time a person completed a course; kept even if new content reopens it."""

    __tablename__ = "course_completion"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id"),
        Index("ix_course_completion_course", "course_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(100))
    completed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Certificate(db.Model):
    """A certificate of course completion, issued once per person and course.

    The learner's name, course title and organisation are kept as printed, so the
    certificate stays valid and unchanged when the course is edited later. A revoked
    certificate (for example after the person's data is erased) no longer verifies.
    """

    __tablename__ = "certificate"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(100))
    course_title: Mapped[str] = mapped_column(String(300))
    learner_name: Mapped[str] = mapped_column(String(200))
    organisation_name: Mapped[str | None] = mapped_column(String(200))
    completed_on: Mapped[dt.date]
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
