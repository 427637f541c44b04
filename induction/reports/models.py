"""The reports' own tables: reminders sent (so a second run sends nothing new), and
each person's status in each course as last computed (so a dashboard need not
recompute thousands of people on every view)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from induction.database import UTCDateTime, utcnow
from induction.extensions import db


class ReminderKind(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MANAGER_DIGEST = "manager_digest"


class ReminderSent(db.Model):
    """One reminder email queued for one person about one course (digests: course_id "")."""

    __tablename__ = "reminder_sent"
    __table_args__ = (
        # Two runs on the same day (cron twice, or two hosts) cannot both record one reminder.
        UniqueConstraint("user_id", "course_id", "kind", "sent_on"),
        Index("ix_reminder_sent_course_kind", "course_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    sent_on: Mapped[dt.date] = mapped_column(Date)
    # The due date the reminder was about: a changed start date earns a new "due soon".
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CourseStatus(db.Model):
    """One person's status in one course, as the reports last computed it (see summary.py).

    A summary, not evidence: it can always be rebuilt from the records and the course
    files. `fingerprint` names what the course asked of the person when the row was
    written; a row whose fingerprint is not the current one, or that was written while the
    person was in another organisation, is ignored by the reports.
    Module columns hold one entry per module of the course, in order: `module_statuses`
    one character each (0 not started, 1 in progress, 2 complete, - not asked), and
    `module_best` three characters each (the best quiz percentage, or --- when none).
    """

    __tablename__ = "course_status"
    # A dashboard reads one organisation's rows of one course.
    __table_args__ = (
        Index("ix_course_status_course_organisation", "course_id", "organisation_id"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    # The person's organisation when the row was written: a row of another one is not current.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE")
    )
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int]
    done: Mapped[int]
    total: Mapped[int]
    percent: Mapped[int]
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_activity: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    module_statuses: Mapped[str] = mapped_column(Text)
    module_best: Mapped[str] = mapped_column(Text)
