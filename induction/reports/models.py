"""The record of reminders sent, so that running the reminders twice sends nothing new."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
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
