"""The network's identity as saved on the admin page: one row, absent until first saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from induction.database import UTCDateTime, utcnow
from induction.extensions import Model

ROW_ID = 1  # there is only ever this row


class SiteIdentity(Model):
    __tablename__ = "site_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(40))
    site_name: Mapped[str] = mapped_column(String(200))
    brand_colour: Mapped[str] = mapped_column(String(7))
    sender_name: Mapped[str] = mapped_column(String(200))
    sender_address: Mapped[str] = mapped_column(String(254))
    support_email: Mapped[str | None] = mapped_column(String(254))
    footer_links: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # The logo itself is read only by the page that serves it, never with the rest.
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo_type: Mapped[str | None] = mapped_column(String(32))
    logo_alt: Mapped[str | None] = mapped_column(String(200))
    # The id of the course the reports open on; None: the configuration's REPORT_COURSE.
    report_course_id: Mapped[str | None] = mapped_column(String(100))
    # Raised on every save: part of the logo's and the colours' addresses, so browsers
    # fetch them again after a change.
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
