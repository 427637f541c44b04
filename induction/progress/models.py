"""What a learner has done: lesson completions, module and course completions, certificates;
and what follows from it: each person's stored status per course, and the reminders sent.

Records are evidence: a completion is never changed or deleted by the platform (data
erasure anonymises the person instead). Status is computed from these records and the
current course files, so editing a course never needs a migration; the stored statuses
are a summary that can always be rebuilt from them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from induction.database import UTCDateTime, utcnow
from induction.extensions import Model


class LessonCompletion(Model):
    """A person completed one version of a lesson (with the statement they acknowledged, if any)."""

    __tablename__ = "lesson_completion"
    __table_args__ = (
        UniqueConstraint(
            "user_id",
            "course_id",
            "lesson_id",
            "lesson_version",
            "renewal",
            name="uq_lesson_completion_once_per_round",
        ),
        Index("ix_lesson_completion_course_lesson", "course_id", "lesson_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(100))
    lesson_id: Mapped[str] = mapped_column(String(100))
    lesson_version: Mapped[int]
    acknowledged_statement: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # 0; read again while due for renewal: the renewal's number (see progress.renewal).
    renewal: Mapped[int] = mapped_column(default=0, server_default="0")


class ModuleCompletion(Model):
    """The first time a person completed a module; kept even if new content reopens it."""

    __tablename__ = "module_completion"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(100))
    module_id: Mapped[str] = mapped_column(String(100))
    completed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CourseCompletion(Model):
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


class CourseRenewal(Model):
    """A person completed a course again after their completion was due for renewal.

    `number` counts the person's renewals of the course from 1; the first completion stays
    in CourseCompletion. The latest of the two is when the completion runs out from.
    """

    __tablename__ = "course_renewal"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "number"),
        Index("ix_course_renewal_course", "course_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(100))
    number: Mapped[int]
    completed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LessonUpdate(Model):
    """A new version of a lesson, published with a note for the people who read an earlier one.

    Written when a publish raises the lesson's `version:` (see admin/drafts/updates.py):
    the one-line note learners see, how many days they have to read it again, and the
    headings (anchors) whose section text changed, one a line.
    """

    __tablename__ = "lesson_update"
    __table_args__ = (Index("ix_lesson_update_lesson", "course_id", "lesson_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_publication.id", ondelete="SET NULL")
    )
    course_id: Mapped[str] = mapped_column(String(100))
    lesson_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[int]
    note: Mapped[str] = mapped_column(Text)
    reread_days: Mapped[int]
    changed_sections: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Certificate(Model):
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
    # The lesson versions it was earned on, "welcome 1, rules 2" (None: issued before this
    # was recorded). A later version of a lesson never changes or withdraws it.
    lesson_versions: Mapped[str | None] = mapped_column(Text)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class ReminderKind(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    RENEWAL = "renewal"  # the completion is due for renewal (first notice and reminders)
    MANAGER_DIGEST = "manager_digest"
    OFFICER = "officer"  # sent by a lead officer from the dashboard


class ReminderSent(Model):
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
    # A lead officer's reminder: who sent it (None once their account is gone, and for the
    # daily reminders) and the words they added to the email (None: none).
    sent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    message: Mapped[str | None] = mapped_column(Text)


class CourseStatus(Model):
    """One person's status in one course, as last computed (see stored_status.py).

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
    # The latest completion (the first or a renewal): due for renewal is worked out on read.
    last_completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_activity: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    module_statuses: Mapped[str] = mapped_column(Text)
    module_best: Mapped[str] = mapped_column(Text)


class Reflection(Model):
    """What one learner wrote for one reflection prompt of a lesson (their latest text)."""

    __tablename__ = "reflection"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "lesson_id", "prompt_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(100))
    lesson_id: Mapped[str] = mapped_column(String(100))
    prompt_id: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OrganisationFigure(Model):
    """How many active people of one organisation are in one state of one course (see
    progress/figures.py): the stored statuses counted, kept current by every write.

    A figure counts the people whose stored row (CourseStatus) is of their organisation,
    by their audience key, the row's fingerprint and status, and `due_start`: while not
    started or in progress, the day their due dates count from; else the day of their
    latest completion (FAR_FUTURE: none).
    """

    __tablename__ = "organisation_figure"

    course_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    audience_key: Mapped[str] = mapped_column(String(20), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[int] = mapped_column(primary_key=True)
    due_start: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    people: Mapped[int]


class OrganisationHeadcount(Model):
    """How many active people an organisation has, kept beside its figures in one course:
    the figures are read only while they count exactly this many (see progress/figures.py).
    """

    __tablename__ = "organisation_headcount"

    course_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    people: Mapped[int]
