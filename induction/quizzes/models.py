"""Quiz attempts: what was asked, in what order, what the learner answered and the result."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, defer, mapped_column

from induction.database import UTCDateTime, utcnow
from induction.extensions import Model

OPEN_ATTEMPT_INDEX = "uq_quiz_attempt_open"


class QuizAttempt(Model):
    """One try at a quiz.

    It starts when the learner opens the quiz for a new try: it then holds the option
    order shown and a one-time submit key, so the shuffle is stable and a repeated
    submit is recognised. `questions` is a snapshot of each question as asked (prompt,
    options in the order shown, which were correct, feedback, explanation), so an old
    attempt can be reviewed after the author edits the quiz. The result fields are
    written once, together, when the attempt is submitted.
    """

    __tablename__ = "quiz_attempt"
    __table_args__ = (
        Index("ix_quiz_attempt_user_course", "user_id", "course_id"),
        Index("ix_quiz_attempt_course_quiz", "course_id", "quiz_id"),
        # Reports read each person's best score and pass at each quiz from this index alone.
        Index(
            "ix_quiz_attempt_results",
            "user_id",
            "course_id",
            "quiz_id",
            "submitted_at",
            "right",
            "total",
            "is_passed",
        ),
        # At most one open (unsubmitted) attempt per person and version of a quiz, so two
        # starts at once (a double click, two tabs) cannot both make one: the second
        # insert fails and the service continues on the first one's attempt.
        Index(
            OPEN_ATTEMPT_INDEX,
            "user_id",
            "course_id",
            "quiz_id",
            "quiz_hash",
            unique=True,
            sqlite_where=text("submitted_at IS NULL"),
            postgresql_where=text("submitted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(100))
    module_id: Mapped[str] = mapped_column(String(100))
    quiz_id: Mapped[str] = mapped_column(String(100))
    quiz_hash: Mapped[str] = mapped_column(String(64))  # content hash of quiz.md when asked
    submit_key: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    pass_mark: Mapped[int]
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    right: Mapped[int | None]
    total: Mapped[int | None]
    is_passed: Mapped[bool | None]
    # Answers not yet submitted: checked, saved to come back later, or kept from a submit
    # that could not be accepted (an expired form or session), so they come back filled
    # in instead of being lost. See services.keep_draft.
    draft_answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def percent(self) -> int:
        """Return the score as a whole percentage, rounded down (0 before submission)."""
        if not self.total or self.right is None:
            return 0
        return 100 * self.right // self.total


class QuestionResult(Model):
    """Whether one question of one submitted attempt was answered right.

    Written with the attempt's result, in the same transaction, so reports can count
    the share of right answers per question in SQL instead of reading every snapshot.
    """

    __tablename__ = "question_result"
    __table_args__ = (
        UniqueConstraint("attempt_id", "question_id"),
        # Covers the difficult-questions count: the share right is read from the index alone.
        Index(
            "ix_question_result_course_quiz",
            "course_id",
            "quiz_id",
            "question_id",
            "is_correct",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(100))
    quiz_id: Mapped[str] = mapped_column(String(100))
    question_id: Mapped[str] = mapped_column(String(100))
    is_correct: Mapped[bool]


def without_snapshots() -> tuple[Any, ...]:
    """Return the query options that leave an attempt's JSON columns (the questions as
    asked, the answers, the draft) unloaded, for lists that show only scores and dates."""
    return (
        defer(QuizAttempt.questions),
        defer(QuizAttempt.answers),
        defer(QuizAttempt.draft_answers),
    )
