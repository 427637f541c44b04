"""Recording and reading progress: lesson completions, quiz submissions, module and course
completions.

Recording what a learner did is one sequence, in this order and in one transaction:
1. the record itself (a lesson completion, or a quiz attempt's result);
2. the module and course completions it reached (`record_reached_completions`);
3. the person's stored status in the course (`status_rewrite.rewrite_person`).
`complete_lesson` and `submit_quiz` are those sequences. Services add to the session
and flush; the view that calls them commits once.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import Boolean, Integer, String, bindparam, func, literal, select, union_all
from sqlalchemy.exc import IntegrityError

from induction.accounts import invitations
from induction.accounts.access import audience_of, may_see
from induction.accounts.models import User
from induction.catalogue import get_catalogue
from induction.content.model import Course, Lesson
from induction.content.question_types import Answer
from induction.database import utcnow
from induction.extensions import db
from induction.progress import wording
from induction.progress.models import (
    CourseCompletion,
    CourseRenewal,
    LessonCompletion,
    ModuleCompletion,
)
from induction.progress.renewal import renewal_days_for, renewal_round, renewing_since
from induction.progress.status import (
    CourseProgress,
    LessonState,
    Record,
    Status,
    course_progress,
)
from induction.progress.status_rewrite import rewrite_person
from induction.quizzes import services as quizzes
from induction.quizzes.grading import QuizResult
from induction.quizzes.models import QuizAttempt
from induction.quizzes.standing import STANDING, LessonLeft, NextCourse, Standing
from induction.web.templating import network_zone


class AcknowledgementRequired(ValueError):
    """The lesson asks the learner to tick its statement, and they did not."""


@dataclass(frozen=True)
class QuizSubmission:
    """The outcome of submitting a quiz attempt.

    `is_new` is False when the attempt had already been submitted (nothing was recorded,
    `result` is None); `newly_completed` lists the module and course completions the
    submission reached ("module:<id>", "course").
    """

    is_new: bool
    result: QuizResult | None = None
    newly_completed: tuple[str, ...] = ()


@dataclass(frozen=True)
class LessonCompletionResult:
    completion: LessonCompletion
    is_new: bool  # False when this version was already recorded (double click, two tabs)
    newly_completed: tuple[str, ...]  # "module:<id>" / "course" reached by this completion


def today() -> dt.date:
    """Return today's date where the platform's people are (TIMEZONE, default Europe/London)."""
    return dt.datetime.now(network_zone()).date()


def attempts_count_from(user: User, course: Course) -> dt.datetime | None:
    """Return since when `user`'s quiz attempts in `course` count towards a quiz's
    `max_attempts`: the start of the renewal period while they renew, else None (all)."""
    return renewing_since(user, course, today())


def quiz_standing(user: User, course: Course, module_id: str) -> Standing | None:
    """Return where `user` stands in a quiz's module and in its course, by the completion
    rules of `course_progress`, with their valid certificate and, once the course is
    complete, the course to go on to; None when the module has nothing for them. For the
    quiz's result page (one records query for the course and the others together)."""
    from induction.progress.certificates import certificate_for

    progress, *others = progress_in(user, [course, *_other_courses(user, course)])
    module = progress.module(module_id)
    if module is None:
        return None
    is_complete = progress.status is Status.COMPLETE
    certificate = certificate_for(user.id, course.id) if is_complete else None
    return Standing(
        is_module_complete=module.status is Status.COMPLETE,
        rule=module.rule,
        lessons_left=tuple(
            LessonLeft(
                id=lp.lesson.id,
                title=lp.lesson.title,
                note=None if lp.state is LessonState.TO_DO else lp.label,
            )
            for lp in module.lessons
            if lp.state is not LessonState.DONE
        ),
        is_course_complete=is_complete,
        certificate_code=certificate.code if certificate and certificate.is_valid else None,
        next_course=_first_to_do(others) if is_complete else None,
    )


def my_courses(user: User) -> list[Course]:
    """Return the courses on the person's My learning, in the order they are listed there
    (the order to do them in): the published courses for their audience."""
    return get_catalogue().courses_for(audience_of(user))


def courses_to_do(progress: Iterable[CourseProgress]) -> list[CourseProgress]:
    """Return the courses of `progress` still to do, in the order given: not complete and
    with a next step (a lesson to read or a quiz to pass)."""
    return [p for p in progress if p.status is not Status.COMPLETE and p.next_step is not None]


def has_completed_all(progress: Sequence[CourseProgress]) -> bool:
    """Return True when the person has courses and every one of them is complete (none
    still to do, none with an update to read or due for renewal)."""
    return bool(progress) and all(p.status is Status.COMPLETE for p in progress)


def next_course_after(user: User, course: Course) -> NextCourse | None:
    """Return the course to go on to from `course`: the first other course on the person's
    My learning, in its order, that is still to do (`courses_to_do`), with its next step;
    None when every other course is complete (or there is no other)."""
    others = _other_courses(user, course)
    return _first_to_do(progress_in(user, others)) if others else None


def _other_courses(user: User, course: Course) -> list[Course]:
    return [other for other in my_courses(user) if other.id != course.id]


def _first_to_do(progress: Iterable[CourseProgress]) -> NextCourse | None:
    for found in courses_to_do(progress):
        if found.next_step is not None:
            return NextCourse(course=found.course, step=found.next_step, is_started=found.done > 0)
    return None


def courses_on_joining(
    role: str, audience: str, start_date: dt.date | None
) -> list[invitations.CourseOnJoining]:
    """Return the published courses a person of `role` and `audience` will see once they
    join, each with about how long it takes and when it is due (counting from
    `start_date`; None: from the day they join, so no date yet), by `course_progress`:
    the rule every page, report and reminder uses, applied to an empty record."""
    person = User(role=role, audience=audience)  # never added to the session
    seen_as = audience_of(person)
    day = today()
    found = []
    for course in get_catalogue().library().courses:
        if not may_see(person, course):
            continue
        progress = course_progress(course, seen_as, Record(), start_date, day)
        found.append(
            invitations.CourseOnJoining(
                title=course.title,
                minutes=progress.minutes_left,
                due_days=course.due_days,
                due_on=progress.due_date,
                overdue_at_once=progress.is_overdue,
            )
        )
    return found


def init_app(app: Flask) -> None:
    """Tell the quizzes since when a person's attempts count, and where a person stands in
    a quiz's module and course (quizzes may not import this); tell invitations which
    courses a new person will have and when they are due (accounts may not import this);
    give templates the rule for ending a sentence after a title, and a duration in words."""
    app.extensions[quizzes.COUNTS_FROM] = attempts_count_from
    app.extensions[STANDING] = quiz_standing
    app.extensions[invitations.ON_JOINING] = courses_on_joining
    # `{% if title is not punctuated %}.{% endif %}`: the pages' one rule for a full stop.
    app.jinja_env.tests["punctuated"] = wording.ends_a_sentence
    app.jinja_env.filters["duration"] = wording.duration_words
    # `{% if course.title is not naming_the_site(site_name) %} on {{ site_name }}{% endif %}`.
    app.jinja_env.tests["naming_the_site"] = wording.names_the_site


@functools.cache
def _records_select(scoped: bool) -> Any:
    """Return one person's lesson completions, submitted attempts, module and course
    completions as one select of rows (kind, course_id, item_id, number, right, total,
    is_passed, at), `kind` one of "lesson", "quiz", "module", "course", "renewal".

    Parameters: user_id, and with `scoped` course_ids (a list). Built once, executed often.
    """

    def rows(model: Any, kind: str, item: Any, number: Any, quiz: Any, at: Any) -> Any:
        right, total, is_passed = quiz
        stmt = select(
            literal(kind, String()).label("kind"),
            model.course_id.label("course_id"),
            item.label("item_id"),
            number.label("number"),
            right.label("right"),
            total.label("total"),
            is_passed.label("is_passed"),
            at.label("at"),
        ).where(model.user_id == bindparam("user_id"))
        if scoped:
            stmt = stmt.where(model.course_id.in_(bindparam("course_ids", expanding=True)))
        return stmt

    none = literal(None, Integer())
    no_quiz = (none, none, literal(None, Boolean()))
    return union_all(
        rows(
            LessonCompletion,
            "lesson",
            LessonCompletion.lesson_id,
            LessonCompletion.lesson_version,
            no_quiz,
            LessonCompletion.completed_at,
        ),
        rows(
            QuizAttempt,
            "quiz",
            QuizAttempt.quiz_id,
            none,
            (QuizAttempt.right, QuizAttempt.total, QuizAttempt.is_passed),
            QuizAttempt.submitted_at,
        ).where(QuizAttempt.submitted_at.is_not(None)),
        rows(
            ModuleCompletion,
            "module",
            ModuleCompletion.module_id,
            none,
            no_quiz,
            ModuleCompletion.completed_at,
        ),
        rows(
            CourseCompletion,
            "course",
            literal(None, String()),
            none,
            no_quiz,
            CourseCompletion.completed_at,
        ),
        rows(
            CourseRenewal,
            "renewal",
            literal(None, String()),
            CourseRenewal.number,
            no_quiz,
            CourseRenewal.completed_at,
        ),
    )


def load_records(user_id: int, course_ids: Sequence[str] | None = None) -> dict[str, Record]:
    """Return each course's Record for one person, in one query whatever the course size.

    With `course_ids` None, every course the person has records in is returned.
    """
    versions: dict[str, dict[str, int]] = defaultdict(dict)
    completed_at: dict[str, dict[str, dt.datetime]] = defaultdict(dict)
    last_activity: dict[str, dt.datetime] = {}
    best: dict[str, dict[str, int]] = defaultdict(dict)
    best_score: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    passed: dict[str, set[str]] = defaultdict(set)
    modules: dict[str, dict[str, dt.datetime]] = defaultdict(dict)
    courses: dict[str, dt.datetime] = {}
    read_at: dict[str, dict[tuple[str, int], dt.datetime]] = defaultdict(dict)
    passed_at: dict[str, dict[str, dt.datetime]] = defaultdict(dict)
    last_completed: dict[str, dt.datetime] = {}
    params: dict[str, Any] = {"user_id": user_id}
    if course_ids is not None:
        params["course_ids"] = list(course_ids)
    found = db.session.execute(_records_select(course_ids is not None), params)
    for kind, course_id, item_id, number, right, total, is_passed, at in found:
        if kind == "lesson":
            highest = versions[course_id].get(item_id, 0)
            if number > highest or (number == highest and at > completed_at[course_id][item_id]):
                versions[course_id][item_id] = number  # the latest reading of the highest
                completed_at[course_id][item_id] = at
            key = (item_id, number)
            if key not in read_at[course_id] or at > read_at[course_id][key]:
                read_at[course_id][key] = at
            _latest(last_activity, course_id, at)
        elif kind == "quiz":
            percent = 100 * (right or 0) // total if total else 0
            if item_id not in best[course_id] or percent > best[course_id][item_id]:
                best[course_id][item_id] = percent
                best_score[course_id][item_id] = (right or 0, total or 0)
            if is_passed:
                passed[course_id].add(item_id)
                _latest(passed_at[course_id], item_id, at)
            _latest(last_activity, course_id, at)
        elif kind == "module":
            modules[course_id][item_id] = at
        elif kind == "course":
            courses[course_id] = at
            _latest(last_completed, course_id, at)
        else:
            _latest(last_completed, course_id, at)

    ids = (
        set(course_ids)
        if course_ids is not None
        else (set(versions) | set(best) | set(modules) | set(courses))
    )
    return {
        course_id: Record(
            lesson_versions=versions.get(course_id, {}),
            lesson_completed_at=completed_at.get(course_id, {}),
            quiz_best=best.get(course_id, {}),
            quiz_best_score=best_score.get(course_id, {}),
            quizzes_passed=frozenset(passed.get(course_id, ())),
            module_completed_at=modules.get(course_id, {}),
            course_completed_at=courses.get(course_id),
            last_activity_at=last_activity.get(course_id),
            lesson_read_at=read_at.get(course_id, {}),
            quiz_passed_at=passed_at.get(course_id, {}),
            last_completed_at=last_completed.get(course_id),
        )
        for course_id in ids
    }


def _latest(latest: dict[str, dt.datetime], key: str, at: dt.datetime | None) -> None:
    if at is not None and (key not in latest or at > latest[key]):
        latest[key] = at


def progress_in(user: User, courses: Iterable[Course]) -> list[CourseProgress]:
    """Return the person's progress in each course, in the order given (bounded queries)."""
    courses = list(courses)
    records = load_records(user.id, [c.id for c in courses])
    audience = audience_of(user)
    day = today()
    return [
        course_progress(
            course,
            audience,
            records[course.id],
            user.counts_from,
            day,
            renewal_days_for(user, course),
        )
        for course in courses
    ]


def progress_for(user: User, course: Course) -> CourseProgress:
    """Return the person's progress in one course."""
    return progress_in(user, [course])[0]


def complete_lesson(
    user: User, course: Course, lesson: Lesson, *, acknowledged: bool
) -> LessonCompletionResult:
    """Record that `user` completed the current version of `lesson`, once; then the
    completions it reached and the person's stored status (see the module docstring).

    Raises AcknowledgementRequired when the lesson has a statement and `acknowledged`
    is False. A second completion of the same version (double click, two tabs, the back
    button) records nothing new and returns the first record with is_new False.
    """
    if lesson.acknowledge and not acknowledged:
        raise AcknowledgementRequired(lesson.acknowledge)
    completion = LessonCompletion(
        user_id=user.id,
        course_id=course.id,
        lesson_id=lesson.id,
        lesson_version=lesson.version,
        acknowledged_statement=lesson.acknowledge,
        completed_at=utcnow(),
        renewal=renewal_round(user, course, today()),
    )
    try:
        with db.session.begin_nested():
            db.session.add(completion)
        is_new = True
    except IntegrityError:
        is_new = False
        completion = db.session.execute(
            select(LessonCompletion).where(
                LessonCompletion.user_id == user.id,
                LessonCompletion.course_id == course.id,
                LessonCompletion.lesson_id == lesson.id,
                LessonCompletion.lesson_version == lesson.version,
                LessonCompletion.renewal == completion.renewal,
            )
        ).scalar_one()
    newly: tuple[str, ...] = ()
    if is_new:
        newly = record_reached_completions(user, course)
        rewrite_person(user, course)
    return LessonCompletionResult(completion=completion, is_new=is_new, newly_completed=newly)


def record_reached_completions(user: User, course: Course) -> tuple[str, ...]:
    """Record the first completion date of every module and of the course the person has reached.

    Returns what was newly recorded ("module:<id>", "course", "renewal"); dates already
    recorded are kept, even when new content has reopened a module. Someone due for
    renewal who has now done everything again gets a renewal recorded (CourseRenewal).
    """
    progress = progress_for(user, course)
    record_time = utcnow()
    newly: list[str] = []
    for module in progress.modules:
        reached = module.status is Status.COMPLETE and module.first_completed_at is None
        if reached and _insert_once(
            ModuleCompletion(
                user_id=user.id,
                course_id=course.id,
                module_id=module.module.id,
                completed_at=record_time,
            )
        ):
            newly.append(f"module:{module.module.id}")
    if progress.status is Status.COMPLETE and progress.is_renewing:
        renewals = (
            db.session.scalar(
                select(func.count(CourseRenewal.id)).where(
                    CourseRenewal.user_id == user.id, CourseRenewal.course_id == course.id
                )
            )
            or 0
        )
        renewal = CourseRenewal(
            user_id=user.id, course_id=course.id, number=renewals + 1, completed_at=record_time
        )
        if _insert_once(renewal):
            newly.append("renewal")
    reached = progress.status is Status.COMPLETE and progress.first_completed_at is None
    if reached and _insert_once(
        CourseCompletion(user_id=user.id, course_id=course.id, completed_at=record_time)
    ):
        newly.append("course")
        if course.certificate:
            from induction.progress.certificates import issue_certificate, versions_text

            issue_certificate(
                user, course, completed_at=record_time, lesson_versions=versions_text(progress)
            )
    return tuple(newly)


def _insert_once(row: object) -> bool:
    """Add `row` unless a unique constraint says it is there already; return True if added."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
        return True
    except IntegrityError:
        return False


def submit_quiz(
    user: User,
    course: Course,
    attempt: QuizAttempt,
    submit_key: str,
    answers: Mapping[str, Answer],
    max_attempts: int,
) -> QuizSubmission:
    """Submit `user`'s quiz attempt in `course`, in order: store the graded attempt once,
    record the module and course completions a pass reached, rewrite the person's stored
    status. Return what happened, for the results page.

    A second submit of the same attempt records nothing and returns is_new False. Raises
    quizzes.services.WrongSubmitKey when the key is not the attempt's, NoAttemptsLeft
    when `max_attempts` (0: unlimited) other attempts that count were submitted
    (attempts_count_from), and ValueError
    when the attempt is not `user`'s in `course`.
    """
    if attempt.user_id != user.id or attempt.course_id != course.id:
        raise ValueError("the attempt is not this person's in this course")
    submission = quizzes.submit_attempt(
        attempt, submit_key, answers, max_attempts, attempts_count_from(user, course)
    )
    if not submission.is_new:
        return QuizSubmission(is_new=False)
    assert submission.result is not None
    newly = record_reached_completions(user, course) if submission.result.passed else ()
    rewrite_person(user, course)
    return QuizSubmission(is_new=True, result=submission.result, newly_completed=newly)
