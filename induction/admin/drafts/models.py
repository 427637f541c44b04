"""The draft set of each course folder, and the history of what was published.

A draft row holds the whole new content of one file (None: the draft deletes it),
the hash of that content, and the hash of the live file when the draft began. A
save is accepted only when the draft row is still as the author found it
(optimistic locking on `content_hash`), so two authors never overwrite each other.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from induction.accounts.models import User
from induction.database import UTCDateTime, utcnow
from induction.extensions import Model


class DraftFile(Model):
    """One changed file of a course folder's draft set."""

    __tablename__ = "course_draft_file"
    __table_args__ = (UniqueConstraint("folder", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    folder: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(500))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)  # None: the draft deletes the file
    content_hash: Mapped[str] = mapped_column(String(64))  # "" when the draft deletes the file
    base_hash: Mapped[str] = mapped_column(String(64))  # the live file's hash when the draft began
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship()

    @property
    def is_deletion(self) -> bool:
        """True when publishing this draft deletes the file."""
        return self.content is None


class Publication(Model):
    """One publish of a course folder's files (or files found changed on disk)."""

    __tablename__ = "course_publication"
    __table_args__ = (Index("ix_course_publication_folder", "folder", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    folder: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="published")  # or "disk"
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    files: Mapped[list[PublishedFile]] = relationship(
        back_populates="publication", cascade="all, delete-orphan", order_by="PublishedFile.path"
    )


class PublishedFile(Model):
    """One file of a publication: its content before and after (None: it did not exist)."""

    __tablename__ = "course_published_file"
    __table_args__ = (Index("ix_course_published_file_path", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("course_publication.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(String(500))
    before: Mapped[bytes | None] = mapped_column(LargeBinary)
    after: Mapped[bytes | None] = mapped_column(LargeBinary)

    publication: Mapped[Publication] = relationship(back_populates="files")


SCHEDULED = "scheduled"  # the state of a scheduled publish that has not run yet


class ScheduledPublish(Model):
    """A course's draft to publish at a chosen time, by the cron command, exactly once.

    `state` goes scheduled -> running -> done (or failed, with `outcome` saying why);
    a run claims a row by changing its state from scheduled with one conditional
    update, so two overlapping runs never both publish it.
    """

    __tablename__ = "course_scheduled_publish"
    __table_args__ = (Index("ix_course_scheduled_publish_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    folder: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(20), default=SCHEDULED)
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User | None] = relationship()


class DraftSetting(Model):
    """A course folder's draft settings: whether a second admin must approve a publish."""

    __tablename__ = "course_draft_setting"

    folder: Mapped[str] = mapped_column(String(200), primary_key=True)
    needs_review: Mapped[bool] = mapped_column(default=False)


class DraftApproval(Model):
    """An admin approved a course's draft set as it was (`digest` names its exact content)."""

    __tablename__ = "course_draft_approval"
    __table_args__ = (Index("ix_course_draft_approval_folder", "folder", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    folder: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64))
    approver_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    approved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    approver: Mapped[User | None] = relationship()
