"""One person's full learning record, for their manager or an admin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from induction.accounts.access import audience_of
from induction.accounts.models import User
from induction.catalogue import get_catalogue
from induction.content.model import Library
from induction.content.outline import Step
from induction.extensions import db
from induction.progress.models import ReminderKind, ReminderSent
from induction.progress.record import RecordEntry, learner_record
from induction.progress.renewal import renewal_days_for
from induction.progress.services import load_records
from induction.progress.status import (
    CourseProgress,
    LessonState,
    Record,
    Status,
    course_progress,
)
from induction.progress.wording import end_sentence, listed
from induction.quizzes.models import QuizAttempt
from induction.quizzes.review import QuestionReview, review_answers
from induction.quizzes.snapshot import answers_from_json, asked_questions
from induction.web.templating import uk_date


@dataclass(frozen=True)
class AttemptReview:
    """One submitted quiz attempt with every answer as asked (from its own snapshot)."""

    attempt: QuizAttempt
    course_title: str
    quiz_title: str
    reviews: list[QuestionReview] | None  # None when the snapshot cannot be read
    is_old_version: bool


@dataclass(frozen=True)
class ReminderLine:
    """One reminder the person was sent: when, which kind, about which course, and for a
    lead officer's, who sent it and their own message."""

    sent_at: dt.datetime
    kind: str  # in words: "Reminder from a lead officer", "Overdue reminder"...
    course_title: str
    is_automatic: bool = True  # the daily reminder emails, not a person
    sent_by: str | None = None  # a lead officer's (or admin's) name; None: not recorded
    # (sent before senders were kept, or their account has since been deleted)
    message: str | None = None  # their own words in the email; None: they added none


REMINDER_KINDS = {
    ReminderKind.OFFICER.value: "Reminder from a lead officer",
    ReminderKind.OVERDUE.value: "Overdue reminder",
    ReminderKind.DUE_SOON.value: "Due soon reminder",
    ReminderKind.RENEWAL.value: "Renewal reminder",
}


@dataclass(frozen=True)
class PersonReport:
    """Everything about one person's learning, for their manager or an admin."""

    person: User
    progress: list[CourseProgress]
    record: list[RecordEntry]
    attempts: list[AttemptReview]
    reminders: list[ReminderLine]

    @property
    def last_reminded_at(self) -> dt.datetime | None:
        """Return when they were last reminded about any course (None: never)."""
        return max((line.sent_at for line in self.reminders), default=None)

    @property
    def still_to_do(self) -> list[tuple[CourseProgress, str]]:
        """Return each course with the sentence of what is still to do in it."""
        return [(progress, still_to_do(progress)) for progress in self.progress]


def still_to_do(progress: CourseProgress) -> str:
    """Return, in one plain sentence, what the person still has to do in the course, from
    their progress (no query): "Still to do: 3 lessons in 2 modules and the quiz of “How
    does the CCIN operate?”", "Nothing left to do: completed on 3 December 2026."

    Lessons read at an earlier version, or before the renewal period, count as still to
    do ("to read again" when they are all of that kind), as quizzes not passed (or to take
    again) do. The first of them in course order is named: "Next: the lesson “The rules”
    in “First steps”."
    """
    if not progress.modules:
        return "Nothing to do: this course asks nothing of them."
    if progress.status is Status.COMPLETE:
        done_at = progress.last_completed_at or progress.first_completed_at
        if done_at is None:
            return "Nothing left to do."
        return f"Nothing left to do: completed on {uk_date(done_at)}."
    lessons = [
        (module.module.title, lesson.state)
        for module in progress.modules
        for lesson in module.lessons
        if lesson.state is not LessonState.DONE
    ]
    quizzes = [
        module.module.title
        for module in progress.modules
        if module.quiz is not None and not module.quiz.is_passed
    ]
    parts = []
    if lessons:
        count = len(lessons)
        noun = "lesson" if count == 1 else "lessons"
        if all(state is not LessonState.TO_DO for _title, state in lessons):
            noun += " to read again"
        modules = list(dict.fromkeys(title for title, _state in lessons))
        where = f"“{modules[0]}”" if len(modules) == 1 else f"{len(modules)} modules"
        parts.append(f"{count} {noun} in {where}")
    if len(quizzes) in (1, 2):
        titles = listed([f"“{title}”" for title in quizzes])
        parts.append(f"the quiz{'zes' if len(quizzes) > 1 else ''} of {titles}")
    elif quizzes:
        parts.append(f"{len(quizzes)} quizzes")
    if not parts:  # complete in every module, the course not yet recorded complete
        return "Nothing left to do."
    return end_sentence(f"Still to do: {listed(parts)}") + _next(progress.next_step)


def _next(step: Step | None) -> str:
    """Return " Next: the lesson “The rules” in “First steps”." ("" when there is none)."""
    if step is None:
        return ""
    if step.kind == "quiz":
        return f" Next: the quiz of “{step.module.title}”."
    return f" Next: the lesson “{step.title}” in “{step.module.title}”."


def person_report(person: User, today: dt.date) -> PersonReport:
    """Return `person`'s progress in every course for them (or that they have records in),
    their full record (lessons, acknowledgements with versions, quizzes, completions) and
    every submitted quiz attempt with the answers as asked: a bounded number of queries.

    The caller checks that the viewer may see the person.
    """
    library = get_catalogue().library()
    records = load_records(person.id)
    audience = audience_of(person)
    courses = [
        course
        for course in library.courses
        if course.id in records or (course.applies_to(audience) and not course.draft)
    ]
    progress = [
        course_progress(
            course,
            audience,
            records.get(course.id, Record()),
            person.counts_from,
            today,
            renewal_days_for(person, course),
        )
        for course in courses
    ]
    attempts = db.session.scalars(
        select(QuizAttempt)
        .where(QuizAttempt.user_id == person.id, QuizAttempt.submitted_at.is_not(None))
        .order_by(QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc())
    ).all()
    return PersonReport(
        person=person,
        progress=progress,
        record=learner_record(person, library),
        attempts=[_attempt_review(attempt, library) for attempt in attempts],
        reminders=_reminders(person, library),
    )


def _reminders(person: User, library: Library) -> list[ReminderLine]:
    """Return the reminders sent to `person` about a course, newest first (digests are
    sent to officers about others, so they are not in the list), with who sent a lead
    officer's reminder and the words they added: one query."""
    sender = aliased(User)
    found = db.session.execute(
        select(
            ReminderSent.created_at,
            ReminderSent.kind,
            ReminderSent.course_id,
            ReminderSent.sent_by_id,
            sender.name,
            ReminderSent.message,
        )
        .outerjoin(sender, sender.id == ReminderSent.sent_by_id)
        .where(ReminderSent.user_id == person.id, ReminderSent.kind.in_(list(REMINDER_KINDS)))
        .order_by(ReminderSent.created_at.desc(), ReminderSent.id.desc())
    )
    lines = []
    for sent_at, kind, course_id, sent_by_id, sender_name, message in found:
        course = library.course(course_id)
        title = course.title if course else course_id
        if kind != ReminderKind.OFFICER.value:
            lines.append(ReminderLine(sent_at, REMINDER_KINDS[kind], title))
            continue
        lines.append(
            ReminderLine(
                sent_at,
                REMINDER_KINDS[kind],
                title,
                is_automatic=False,
                sent_by=sender_name if sent_by_id is not None else None,
                message=message,
            )
        )
    return lines


def _attempt_review(attempt: QuizAttempt, library: Library) -> AttemptReview:
    course = library.course(attempt.course_id)
    module = course.module(attempt.module_id) if course else None
    quiz = module.quiz if module else None
    try:
        reviews: list[QuestionReview] | None = review_answers(
            asked_questions(attempt.questions), answers_from_json(attempt.answers)
        )
    except (KeyError, TypeError, ValueError):
        reviews = None  # a snapshot from a question type this version no longer knows
    return AttemptReview(
        attempt=attempt,
        course_title=course.title if course else attempt.course_id,
        quiz_title=module.quiz_name if module and module.quiz_name else attempt.quiz_id,
        reviews=reviews,
        is_old_version=quiz is None or quiz.content_hash != attempt.quiz_hash,
    )
