"""What organisations add to the courses: their notes for the council-notes slots of lessons."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from induction.database import UTCDateTime, utcnow
from induction.extensions import Model


class CouncilNote(Model):
    """One organisation's text for one council-notes slot of a lesson.

    `body` is the Markdown its lead officer wrote; `html` the same rendered and
    sanitized when it was saved (like every lesson), so the lesson page never
    renders it again.
    """

    __tablename__ = "council_note"
    __table_args__ = (UniqueConstraint("organisation_id", "course_id", "lesson_id", "slot_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(100))
    lesson_id: Mapped[str] = mapped_column(String(100))
    slot_id: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
