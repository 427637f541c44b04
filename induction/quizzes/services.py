"""Quiz attempts: starting one, keeping unsent answers, and submitting exactly once.

Services add to the session and flush; the view that calls them commits once. A
submit is graded from the attempt's own snapshot, never from the current quiz file,
and is stored by one conditional UPDATE, so two submits of the same attempt (a double
click, two tabs, a retry after a timeout) record one result whichever arrives first.

A quiz's `max_attempts` counts the attempts submitted since `attempts_count_from`: all of
them, except while someone renews a course whose completion has run out (`renew:`), when
only those of the renewal period count (progress says when that began; this package may
not ask it, so progress tells the app, see progress.services.init_app). The result page
learns the same way where the person stands in the quiz's module and course (standing.py).

Answers not yet submitted are kept with the attempt (`keep_draft`): when the learner
checks them, saves them to come back later, or sends them from an expired page.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

from flask import current_app
from sqlalchemy import func, insert, null, select, update
from sqlalchemy.exc import IntegrityError

from induction.accounts.access import audience_of
from induction.accounts.models import User
from induction.catalogue import get_catalogue
from induction.content.model import Course, Module, Quiz
from induction.content.question_types import Answer
from induction.database import rows_changed, table_of, utcnow
from induction.extensions import db
from induction.inputs import stored_time
from induction.quizzes.grading import QuizResult, attempt_orders, grade_quiz
from induction.quizzes.models import QuestionResult, QuizAttempt, without_snapshots
from induction.quizzes.review import review_answers, unanswered
from induction.quizzes.snapshot import (
    answers_from_json,
    answers_to_json,
    asked_questions,
    review_resolver,
    snapshot_questions,
)

# Why answers were kept in `draft_answers`: checked before submitting, saved by the
# learner to come back later, or rescued from a submit that could not be accepted because
# the form or the session had expired.
DRAFT_CHECKED = "checked"
DRAFT_SAVED = "saved"
DRAFT_EXPIRED = "expired"
DRAFT_SIGNED_OUT = "signed_out"
DRAFT_REASONS = frozenset({DRAFT_CHECKED, DRAFT_SAVED, DRAFT_EXPIRED, DRAFT_SIGNED_OUT})


class Unset(Enum):
    """The type of UNSET: an argument not given (where None means something)."""

    UNSET = "unset"


UNSET = Unset.UNSET

# The app's extension under which progress keeps its answer to "since when do this
# person's attempts at this course's quizzes count?" (a function of person and course).
COUNTS_FROM = "induction.attempts_count_from"
CountsFrom = Callable[[User, Course], "dt.datetime | None"]


def attempts_count_from(user: User, course: Course) -> dt.datetime | None:
    """Return since when `user`'s attempts at the quizzes of `course` count towards their
    limit (None: every attempt), as the app's progress rules say (renewals)."""
    finder: CountsFrom | None = current_app.extensions.get(COUNTS_FROM)
    return finder(user, course) if finder is not None else None


class QuizError(Exception):
    """A quiz action that cannot be done; the message says why, for the learner."""


class NoAttemptsLeft(QuizError):
    """Every allowed attempt at the quiz has been submitted."""


class WrongSubmitKey(QuizError):
    """The submit key sent does not belong to the attempt."""


@dataclass(frozen=True)
class QuizHistory:
    """A person's attempts at one quiz, newest first, and what the attempt limit allows.

    With `counts_from` (a renewal), only the attempts submitted since then count: towards
    the limit, and as a pass.
    """

    attempts: tuple[QuizAttempt, ...]
    max_attempts: int  # 0 = unlimited
    counts_from: dt.datetime | None = None

    @property
    def submitted(self) -> tuple[QuizAttempt, ...]:
        """Return the submitted attempts that count (see `counts_from`)."""
        since = self.counts_from
        return tuple(
            a
            for a in self.attempts
            if a.submitted_at is not None and (since is None or a.submitted_at >= since)
        )

    @property
    def used(self) -> int:
        return len(self.submitted)

    @property
    def left(self) -> int | None:
        """Return how many attempts may still be submitted (None: no limit)."""
        if not self.max_attempts:
            return None
        return max(0, self.max_attempts - self.used)

    @property
    def is_passed(self) -> bool:
        return any(a.is_passed for a in self.submitted)

    def open_attempt(self, quiz_hash: str) -> QuizAttempt | None:
        """Return the newest unsubmitted attempt on this version of the quiz, if any."""
        for attempt in self.attempts:
            if not attempt.is_submitted and attempt.quiz_hash == quiz_hash:
                return attempt
        return None

    def may_start(self, quiz_hash: str) -> bool:
        """Return True when a new attempt may start (or an open one be resumed)."""
        return self.open_attempt(quiz_hash) is not None or self.left != 0


def quiz_history(
    user_id: int,
    course_id: str,
    quiz_id: str,
    max_attempts: int,
    counts_from: dt.datetime | None = None,
) -> QuizHistory:
    """Return the person's attempts at a quiz, newest first, in one query (snapshots not
    loaded); only those submitted since `counts_from` count (see QuizHistory)."""
    attempts = db.session.scalars(
        select(QuizAttempt)
        .options(*without_snapshots())
        .where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.course_id == course_id,
            QuizAttempt.quiz_id == quiz_id,
        )
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
    ).all()
    return QuizHistory(attempts=tuple(attempts), max_attempts=max_attempts, counts_from=counts_from)


def start_attempt(
    user: User, course: Course, module: Module, quiz: Quiz, audience: str | None | Unset = UNSET
) -> QuizAttempt:
    """Return the person's open attempt at this version of the quiz, or a new one.

    A new attempt fixes its option order (shuffled with a fresh seed when the quiz says
    so), a one-time submit key and a snapshot of the questions asked: those for
    `audience` (by default the person's own, as `access.audience_of` says; None: every
    question), so the pass mark applies to what they were asked. Raises NoAttemptsLeft
    when `max_attempts` attempts that count (attempts_count_from) were submitted.

    Two starts at once (a double click, two tabs) both find no open attempt and both
    insert one; the database allows one open attempt per person and quiz version, so
    the second insert fails inside a savepoint and that start returns the first one's
    attempt instead.
    """
    history = quiz_history(
        user.id, course.id, quiz.id, quiz.max_attempts, attempts_count_from(user, course)
    )
    open_attempt = history.open_attempt(quiz.content_hash)
    if open_attempt is not None:
        return open_attempt
    if history.left == 0:
        raise NoAttemptsLeft(_used_up_message(quiz.max_attempts))
    asked = quiz.questions_for(audience_of(user) if isinstance(audience, Unset) else audience)
    orders = attempt_orders(asked, secrets.randbits(64), quiz.shuffle)
    links = get_catalogue().links
    attempt = QuizAttempt(
        user_id=user.id,
        course_id=course.id,
        module_id=module.id,
        quiz_id=quiz.id,
        quiz_hash=quiz.content_hash,
        submit_key=secrets.token_urlsafe(32),
        started_at=utcnow(),
        pass_mark=quiz.pass_mark,
        questions=snapshot_questions(asked, orders, review_resolver(course, links.lesson)),
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        started = _open_attempt(user.id, course.id, quiz.id, quiz.content_hash)
        if started is None:  # not the one-open-attempt rule: a real fault
            raise
        return started
    return attempt


def _open_attempt(user_id: int, course_id: str, quiz_id: str, quiz_hash: str) -> QuizAttempt | None:
    """Return the person's open attempt at this version of the quiz, read afresh."""
    return db.session.scalars(
        select(QuizAttempt)
        .where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.course_id == course_id,
            QuizAttempt.quiz_id == quiz_id,
            QuizAttempt.quiz_hash == quiz_hash,
            QuizAttempt.submitted_at.is_(None),
        )
        .execution_options(populate_existing=True)
    ).first()


def _used_up_message(max_attempts: int) -> str:
    noun = "attempt" if max_attempts == 1 else "attempts"
    return f"You have used all {max_attempts} {noun} at this quiz."


def get_attempt(attempt_id: int) -> QuizAttempt | None:
    """Return the attempt with this id, or None."""
    return db.session.get(QuizAttempt, attempt_id)


def key_matches(attempt: QuizAttempt, submit_key: object) -> bool:
    """Return True when `submit_key` is the attempt's own key (compared in constant time)."""
    return isinstance(submit_key, str) and secrets.compare_digest(
        attempt.submit_key.encode(), submit_key.encode()
    )


def latest_results(attempt: QuizAttempt) -> list[tuple[str, bool]]:
    """Return (question id, answered right) for each question of the person's latest
    submitted attempt at the same quiz other than `attempt`, in one query.

    Returns an empty list when there is none (a first attempt). The rows are those
    written with that attempt's result (QuestionResult), so no snapshot is read.
    """
    latest = (
        select(QuizAttempt.id)
        .where(
            QuizAttempt.user_id == attempt.user_id,
            QuizAttempt.course_id == attempt.course_id,
            QuizAttempt.quiz_id == attempt.quiz_id,
            QuizAttempt.submitted_at.is_not(None),
            QuizAttempt.id != attempt.id,
        )
        .order_by(QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(QuestionResult.question_id, QuestionResult.is_correct).where(
            QuestionResult.attempt_id == latest
        )
    )
    return [(row.question_id, row.is_correct) for row in rows]


@dataclass(frozen=True)
class Draft:
    """Answers kept for an open attempt, why they were kept (one of DRAFT_REASONS) and
    when (None for answers kept before the time was recorded)."""

    answers: dict[str, Answer]
    reason: str
    kept_at: dt.datetime | None = None

    @property
    def is_saved(self) -> bool:
        """Return True when the learner pressed "Save and come back later"."""
        return self.reason == DRAFT_SAVED


def draft_of(attempt: QuizAttempt) -> Draft | None:
    """Return the answers kept for an open attempt, or None (always None once submitted)."""
    if attempt.is_submitted:
        return None
    return _draft(attempt.draft_answers)


def _draft(data: object) -> Draft | None:
    """Return the Draft stored as `data` (an attempt's draft_answers), or None for none."""
    if not isinstance(data, dict):
        return None
    reason = data.get("reason")
    return Draft(
        answers=answers_from_json(data.get("answers")),
        reason=reason if reason in DRAFT_REASONS else DRAFT_CHECKED,
        kept_at=stored_time(data.get("at")),
    )


@dataclass(frozen=True)
class KeptAnswers:
    """How far an open attempt's kept answers go: questions answered of those asked."""

    answered: int
    total: int
    draft: Draft


def kept_answers(attempt_id: int) -> KeptAnswers | None:
    """Return how many questions the open attempt's kept answers answer, of how many asked.

    One query, for pages that list attempts without their JSON columns. Returns None when
    the attempt is submitted, unknown or has no answers kept.
    """
    row = db.session.execute(
        select(QuizAttempt.draft_answers, QuizAttempt.questions).where(
            QuizAttempt.id == attempt_id, QuizAttempt.submitted_at.is_(None)
        )
    ).first()
    draft = _draft(row.draft_answers) if row is not None else None
    if row is None or draft is None:
        return None
    reviews = review_answers(asked_questions(row.questions), draft.answers)
    return KeptAnswers(
        answered=len(reviews) - len(unanswered(reviews)), total=len(reviews), draft=draft
    )


def keep_draft(
    attempt_id: int, submit_key: str, answers: Mapping[str, Answer], reason: str
) -> bool:
    """Keep `answers` with the open attempt whose submit key is `submit_key`.

    The key stands in for the person: only the page that showed the attempt has it, so
    answers can be rescued even when the session has ended. The answers replace any kept
    before, with the time. Returns False (and keeps nothing) when the key is wrong or the
    attempt was already submitted. Raises ValueError for an unknown reason.
    """
    if reason not in DRAFT_REASONS:
        raise ValueError(f"unknown draft reason {reason!r}")
    draft = {"answers": answers_to_json(answers), "reason": reason, "at": utcnow().isoformat()}
    result = db.session.execute(
        update(QuizAttempt)
        .where(
            QuizAttempt.id == attempt_id,
            QuizAttempt.submit_key == submit_key,
            QuizAttempt.submitted_at.is_(None),
        )
        .values(draft_answers=draft)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result) == 1


@dataclass(frozen=True)
class Submission:
    """The outcome of a submit.

    `is_new` is False when the attempt had already been submitted: nothing was stored
    and `result` is None.
    """

    is_new: bool
    result: QuizResult | None = None


def submit_attempt(
    attempt: QuizAttempt,
    submit_key: str,
    answers: Mapping[str, Answer],
    max_attempts: int,
    counts_from: dt.datetime | None = None,
) -> Submission:
    """Grade `answers` against the attempt's snapshot and store the result once.

    The result, the answers and the time are written by one UPDATE that only matches
    while the attempt is unsubmitted. This is the first step of a submission: what
    follows from it (completions, the stored status) is recorded by
    `progress.services.submit_quiz`, which calls this. A second submit of the same
    attempt stores nothing and returns is_new False. Raises WrongSubmitKey when the key
    is not the attempt's, and NoAttemptsLeft when `max_attempts` (0: unlimited) other
    attempts were submitted (since `counts_from`, when given).
    """
    if not key_matches(attempt, submit_key):
        raise WrongSubmitKey("This form does not belong to this attempt. Open the quiz again.")
    if attempt.is_submitted:
        return Submission(is_new=False)
    if max_attempts and _other_submitted(attempt, counts_from) >= max_attempts:
        raise NoAttemptsLeft(_used_up_message(max_attempts))
    questions = asked_questions(attempt.questions)
    given = {q.id: answers.get(q.id) for q in questions}
    result = grade_quiz(questions, given, attempt.pass_mark)
    stored = db.session.execute(
        update(QuizAttempt)
        .where(
            QuizAttempt.id == attempt.id,
            QuizAttempt.submit_key == submit_key,
            QuizAttempt.submitted_at.is_(None),
        )
        .values(
            answers=answers_to_json(given),
            right=result.right,
            total=result.total,
            is_passed=result.passed,
            submitted_at=utcnow(),
            draft_answers=null(),
        )
        .execution_options(synchronize_session=False)
    )
    if rows_changed(stored) != 1:
        return Submission(is_new=False)
    _record_question_results(attempt, result)
    # The object in the session still holds the values read before the UPDATE.
    db.session.expire(
        attempt, ["answers", "right", "total", "is_passed", "submitted_at", "draft_answers"]
    )
    return Submission(is_new=True, result=result)


def _record_question_results(attempt: QuizAttempt, result: QuizResult) -> None:
    """Store whether each question was answered right, in one statement (reports count them)."""
    rows = [
        {
            "attempt_id": attempt.id,
            "course_id": attempt.course_id,
            "quiz_id": attempt.quiz_id,
            "question_id": question_id,
            "is_correct": graded.is_correct,
        }
        for question_id, graded in result.graded.items()
    ]
    if rows:
        db.session.execute(insert(table_of(QuestionResult)), rows)


def _other_submitted(attempt: QuizAttempt, counts_from: dt.datetime | None) -> int:
    submitted = (
        QuizAttempt.submitted_at.is_not(None)
        if counts_from is None
        else QuizAttempt.submitted_at >= counts_from
    )
    return (
        db.session.scalar(
            select(func.count())
            .select_from(QuizAttempt)
            .where(
                QuizAttempt.user_id == attempt.user_id,
                QuizAttempt.course_id == attempt.course_id,
                QuizAttempt.quiz_id == attempt.quiz_id,
                submitted,
                QuizAttempt.id != attempt.id,
            )
        )
        or 0
    )
