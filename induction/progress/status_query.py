"""Each person's status in a course, computed by the database: the SQL form of the status rules.

What "done" means comes from the current course files, so they are passed into SQL as
a small table of constants (see requirements_table.py): for each audience, the modules
that ask something of it, with their quiz and their required lessons at their current
versions. For each person and module the database looks up the highest version read of
each required lesson and the best result at the quiz, then works out the module's
status, the person's status, progress, overdue flag and last activity: the same answer
as the pure rules of `induction.progress.status.course_progress` (a test compares the
two for varied people). Every statement here is one query whatever the number of
people, and its plan stays linear even on a new database without statistics.

The stored statuses (stored_status.py) are written from it, and the reports aggregate
it. Statuses are small integers in SQL (see STATUS_CODES) so they sort and compare.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    Subquery,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import aliased

from induction.accounts.access import audience_key
from induction.accounts.models import Intake, User
from induction.accounts.start_dates import counts_from_sql
from induction.content.model import Course
from induction.database import UTCDateTime
from induction.inputs import add_days
from induction.progress.models import CourseCompletion, CourseRenewal, LessonCompletion
from induction.progress.renewal import renewal_since_sql
from induction.progress.requirements_table import lesson_slots, requirements_table
from induction.progress.status import Status
from induction.quizzes.models import QuizAttempt

NOT_STARTED, IN_PROGRESS, COMPLETE, UPDATE_TO_READ, DUE_FOR_RENEWAL = 0, 1, 2, 3, 4
STATUS_CODES = {
    Status.NOT_STARTED: NOT_STARTED,
    Status.IN_PROGRESS: IN_PROGRESS,
    Status.COMPLETE: COMPLETE,
    Status.UPDATE_TO_READ: UPDATE_TO_READ,
    Status.DUE_FOR_RENEWAL: DUE_FOR_RENEWAL,
}
STATUS_OF_CODE = {code: status for status, code in STATUS_CODES.items()}


def people_select(
    *conditions: ColumnElement[bool], active_only: bool = True
) -> Select[*tuple[Any, ...]]:
    """Return the select of active people (with the columns reports need) meeting `conditions`
    (with `active_only` False, deactivated people too).

    Callers pass it through `people_in_scope` before handing it to CourseReport (or to
    stored_status.person_status).
    """
    active = [User.is_active.is_(True)] if active_only else []
    return select(
        User.id.label("user_id"),
        User.organisation_id.label("organisation_id"),
        User.name.label("name"),
        User.email.label("email"),
        User.audience.label("audience"),
        # The day due dates count from (the intake's date when later): start_dates.py.
        effective_start_date().label("start_date"),
        audience_key().label("audience_key"),
    ).where(*active, *conditions)


def whole_percent_sql(part: Any, whole: Any) -> Any:
    """Return, in SQL, `part` of `whole` as status.whole_percent rounds it (integer columns
    or values, part between 0 and `whole`): to the nearest, a half up; 1 to 99 for a share
    between none and all; 0 when `whole` is 0."""
    return case(
        (whole <= 0, 0),
        # Between none and all: under a half percent (200 part < whole) is still 1, and
        # from 99.5 percent (200 part >= 199 whole) still 99.
        (and_(part > 0, 200 * part < whole), 1),
        (and_(part < whole, 200 * part >= 199 * whole), 99),
        else_=(200 * part + whole) // (2 * whole),
    )


def effective_start_date() -> Any:
    """Return, over User, the day the person's due dates count from (start_dates.py)."""
    return counts_from_sql(User.start_date, _intake_date())


def _intake_date() -> Any:
    """Return the date of the person's intake (NULL: none), one lookup by primary key."""
    return select(Intake.starts_on).where(Intake.id == User.intake_id).scalar_subquery()


# How the two per-module lookups pack what they find into one number each.
LESSON_DONE = 1000  # per required lesson read at its current version (plus 1 per lesson read)
QUIZ_PASSED = 1000  # added to the best percentage when any attempt passed


class CourseReport:
    """The status of each person of `people` in `course` on `today`, as SQL subqueries.

    `people` is a select made by `people_select` (already scoped). Every subquery is
    built so that its plan cannot go badly wrong whatever the planner guesses (there are
    no statistics on a new database): records are read by correlated lookups on their
    (user, course, ...) indexes, and figures for a person as a whole are window
    aggregates over the person's module rows, never a join between two aggregates.

    With `modules` True, person_status also has, for each module of the course (in
    order, numbered from 0), its status (`m0_status`, None when it asks nothing of the
    person) and best quiz percentage (`m0_best`). With `activity` False, its
    last_activity is always None (two lookups per person saved when nobody reads it).

    A course with `renew:` looks up each person's latest completion (the first or a
    renewal) too; someone whose latest completion is older than the renewal period
    counts only what they read and passed inside it (status.course_progress). With
    `renewal` False, everyone is taken as not renewing: the stored rows are written so,
    as they must not depend on the day (stored_status works renewal out when read).
    """

    def __init__(
        self,
        course: Course,
        people: Select[Any],
        today: dt.date,
        *,
        modules: bool = False,
        activity: bool = True,
        renewal: bool = True,
    ) -> None:
        self.course = course
        self.today = today
        self.with_modules = modules
        self.with_activity = activity
        self.renews = course.renew is not None
        # Whether anybody may be renewing (the start of each person's renewal period, by
        # their organisation's term, is then the column `since`).
        self.since = self.renews and renewal
        self.people = people.cte("people")
        if self.renews:
            columns = [_last_completed(self.people.c.user_id, course).label("last_completed")]
            if self.since:
                since = renewal_since_sql(course, today, self.people.c.organisation_id)
                columns.append(since.label("since"))
            self.people = select(self.people, *columns).cte("renewal_people")
        self.modules = requirements_table(course)
        self.slots = lesson_slots(course)

    @property
    def cutoff(self) -> dt.date | None:
        """Return the start date before which the course is overdue (see due_cutoff)."""
        return due_cutoff(self.course, self.today)

    def _lesson_code(self) -> Any:
        """Return, for the person and module, LESSON_DONE x (required lessons read at their
        current version) + (required lessons read at any version): one index range read of
        the person's completions in the course, whatever the number of lessons.
        """
        people, modules = self.people, self.modules
        if not self.slots:
            return literal(0, Integer())
        read = aliased(LessonCompletion)
        ids = [modules.c[f"l{slot}_id"] for slot in range(self.slots)]
        current = or_(
            *(
                and_(
                    read.lesson_id == ids[slot],
                    read.lesson_version >= modules.c[f"l{slot}_version"],
                )
                for slot in range(self.slots)
            )
        )
        if self.since:  # renewing: only what was read inside the period counts
            current = and_(current, self._counts(read.completed_at))
        done = func.count(func.distinct(case((current, read.lesson_id), else_=None)))
        return (
            select(LESSON_DONE * done + func.count(func.distinct(read.lesson_id)))
            .where(
                read.user_id == people.c.user_id,
                read.course_id == self.course.id,
                read.lesson_id.in_(ids),
            )
            # Two levels down from the module rows: name the enclosing tables outright.
            .correlate_except(read)
            .scalar_subquery()
        )

    def _quiz_code(self) -> Any:
        """Return the best percentage of the person's submitted attempts at the module's
        quiz, plus QUIZ_PASSED when one passed (None: never submitted): one lookup.
        """
        percent = case(
            (
                QuizAttempt.total > 0,
                (100 * func.coalesce(QuizAttempt.right, 0)) // QuizAttempt.total,
            ),
            else_=0,
        )
        is_passed: ColumnElement[bool] = QuizAttempt.is_passed.is_(True)
        if self.since:  # renewing: only a pass inside the period counts
            is_passed = and_(is_passed, self._counts(QuizAttempt.submitted_at))
        passed = case((is_passed, QUIZ_PASSED), else_=0)
        return (
            select(func.max(percent) + func.max(passed))
            .where(
                QuizAttempt.user_id == self.people.c.user_id,
                QuizAttempt.course_id == self.course.id,
                QuizAttempt.quiz_id == self.modules.c.quiz_id,
                QuizAttempt.submitted_at.is_not(None),
            )
            .scalar_subquery()
        )

    def _counts(self, at: Any) -> ColumnElement[bool]:
        """Return "a record made at `at` counts": the person is not renewing, or it was
        made inside the renewal period."""
        assert self.since
        since = self.people.c.since
        last = self.people.c.last_completed
        return or_(last.is_(None), last >= since, at >= since)

    def _renewing(self) -> ColumnElement[Any]:
        """Return 1 when the person's latest completion is due for renewal, else 0."""
        if not self.since:
            return literal(0, Integer())
        return case((self.people.c.last_completed < self.people.c.since, 1), else_=0)

    @cached_property
    def _module_values(self) -> CTE:
        """One row per person and module that has something for them (a person the course
        asks nothing of: one row without a module), with the two packed lookups.
        Materialized, so each lookup runs once.
        """
        people, modules = self.people, self.modules
        return (
            select(
                people.c.user_id,
                people.c.start_date,
                modules.c.module_id,
                modules.c.position,
                func.coalesce(modules.c.lessons, 0).label("lessons"),
                func.coalesce(modules.c.has_quiz, 0).label("has_quiz"),
                self._lesson_code().label("lesson_code"),
                case((modules.c.has_quiz == 1, self._quiz_code()), else_=None).label("quiz_code"),
                (people.c.last_completed if self.renews else cast(null(), UTCDateTime())).label(
                    "last_completed"
                ),
                self._renewing().label("renewing"),
            )
            .select_from(people.outerjoin(modules, modules.c.audience_key == people.c.audience_key))
            .cte("module_values")
            .prefix_with("MATERIALIZED")
        )

    @cached_property
    def module_status(self) -> Subquery:
        """One row per person and module (see _module_values), with statuses.

        Columns: user_id, start_date, module_id (None for a person the course asks nothing
        of), position, lessons, has_quiz, done_lessons, best (None: quiz never submitted),
        passed (0/1), module_status and, for the person as a whole, modules, done, total,
        status (STATUS_CODES values), first (1 on one row per person), and the per-module
        columns when asked for.
        """
        values = self._module_values
        code = values.c.lesson_code
        done_lessons = cast(code // LESSON_DONE, Integer())
        best = values.c.quiz_code % QUIZ_PASSED
        passed = case((values.c.quiz_code >= QUIZ_PASSED, 1), else_=0)
        module_complete = and_(
            values.c.module_id.is_not(None),
            done_lessons == values.c.lessons,
            or_(values.c.has_quiz == 0, passed == 1),
        )
        module_started = or_(code > 0, values.c.quiz_code.is_not(None))
        module_status = case(
            (module_complete, COMPLETE), (module_started, IN_PROGRESS), else_=NOT_STARTED
        )
        # One window for everything (whole partition as the frame), so one sort serves all.
        person: dict[str, Any] = {
            "partition_by": values.c.user_id,
            "order_by": values.c.position,
            "rows": (None, None),
        }
        modules = func.count(values.c.module_id).over(**person)
        complete = func.sum(case((module_complete, 1), else_=0)).over(**person)
        not_started = func.sum(
            case((and_(values.c.module_id.is_not(None), module_status == NOT_STARTED), 1), else_=0)
        ).over(**person)
        status = case(
            (and_(modules > 0, complete == modules), COMPLETE),
            (or_(modules == 0, not_started == modules), NOT_STARTED),
            else_=IN_PROGRESS,
        )
        columns: list[Any] = [
            values.c.user_id,
            values.c.start_date,
            values.c.module_id,
            values.c.position,
            values.c.lessons,
            values.c.has_quiz,
            values.c.last_completed,
            values.c.renewing,
            done_lessons.label("done_lessons"),
            best.label("best"),
            passed.label("passed"),
            module_status.label("module_status"),
            modules.label("modules"),
            # PostgreSQL sums integers as numeric: cast back to whole numbers.
            cast(func.sum(done_lessons + passed).over(**person), Integer()).label("done"),
            cast(func.sum(values.c.lessons + values.c.has_quiz).over(**person), Integer()).label(
                "total"
            ),
            status.label("status"),
            func.row_number()
            .over(partition_by=values.c.user_id, order_by=values.c.position)
            .label("first"),
        ]
        if self.with_modules:
            for number, module in enumerate(self.course.modules):
                here = values.c.module_id == literal(module.id, String())
                columns.append(
                    func.max(case((here, module_status), else_=None))
                    .over(**person)
                    .label(f"m{number}_status")
                )
                columns.append(
                    func.max(case((here, best), else_=None)).over(**person).label(f"m{number}_best")
                )
        return select(*columns).subquery("module_status")

    @cached_property
    def person_status(self) -> Subquery:
        """One row per person of `people`.

        Columns: user_id, organisation_id, name, email, audience, start_date, status (with
        "Update to read" for someone who completed the course before and is not complete now),
        done, total, percent, is_overdue (0/1), completed_at (the first completion of the
        course, if recorded), the per-module columns if asked, last_activity (UTC) and
        last_completed_at (the latest completion: the first or a renewal).
        """
        ms = self.module_status
        completed_at = type_coerce(
            select(CourseCompletion.completed_at)
            .where(
                CourseCompletion.user_id == ms.c.user_id,
                CourseCompletion.course_id == self.course.id,
            )
            .scalar_subquery(),
            UTCDateTime(),
        )
        lessons_at: Any = (
            select(func.max(LessonCompletion.completed_at))
            .where(
                LessonCompletion.user_id == ms.c.user_id,
                LessonCompletion.course_id == self.course.id,
            )
            .scalar_subquery()
        )
        quizzes_at: Any = (
            select(func.max(QuizAttempt.submitted_at))
            .where(
                QuizAttempt.user_id == ms.c.user_id,
                QuizAttempt.course_id == self.course.id,
                QuizAttempt.submitted_at.is_not(None),
            )
            .scalar_subquery()
        )
        if not self.with_activity:
            lessons_at = quizzes_at = null()
        extra = [c for c in ms.c if re.fullmatch(r"m\d+_(status|best)", c.key)]
        people = (
            select(
                ms.c.user_id,
                ms.c.start_date,
                ms.c.status,
                type_coerce(ms.c.last_completed, UTCDateTime()).label("last_completed"),
                ms.c.renewing,
                ms.c.done,
                ms.c.total,
                whole_percent_sql(ms.c.done, ms.c.total).label("percent"),
                completed_at.label("completed_at"),
                type_coerce(lessons_at, UTCDateTime()).label("lessons_at"),
                type_coerce(quizzes_at, UTCDateTime()).label("quizzes_at"),
                *extra,
            )
            .where(ms.c.first == 1)
            .cte("person_values")
            .prefix_with("MATERIALIZED")
        )
        overdue = overdue_flag(
            self.cutoff, people.c.start_date, people.c.status, people.c.completed_at
        )
        # The later of the two; either may be missing (SQLite's max() would give NULL then).
        latest = case(
            (people.c.lessons_at.is_(None), people.c.quizzes_at),
            (people.c.quizzes_at.is_(None), people.c.lessons_at),
            (people.c.lessons_at >= people.c.quizzes_at, people.c.lessons_at),
            else_=people.c.quizzes_at,
        )
        # status.course_status: completed the course once, not complete now: due for
        # renewal when the completion has run out, else an update to read.
        again = and_(people.c.completed_at.is_not(None), people.c.status != COMPLETE)
        status = case(
            (and_(again, people.c.renewing == 1), DUE_FOR_RENEWAL),
            (again, UPDATE_TO_READ),
            else_=people.c.status,
        )
        last_completed = func.coalesce(people.c.last_completed, people.c.completed_at)
        # The person's details join on the primary key: rows stay narrow until the end.
        return (
            select(
                people.c.user_id,
                User.organisation_id,
                User.name,
                User.email,
                User.audience,
                *(
                    status.label("status") if c.key == "status" else c
                    for c in people.c
                    if c.key
                    not in ("user_id", "lessons_at", "quizzes_at", "last_completed", "renewing")
                ),
                overdue.label("is_overdue"),
                type_coerce(latest, UTCDateTime()).label("last_activity"),
                type_coerce(last_completed, UTCDateTime()).label("last_completed_at"),
            )
            .join(User, User.id == people.c.user_id)
            .subquery("person_status")
        )


def _last_completed(user_id: Any, course: Course) -> Any:
    """Return the person's latest completion of `course`: their latest renewal, else
    their first completion (None: never completed). Two lookups on unique indexes."""
    renewed = (
        select(func.max(CourseRenewal.completed_at))
        .where(CourseRenewal.user_id == user_id, CourseRenewal.course_id == course.id)
        .scalar_subquery()
    )
    first = (
        select(CourseCompletion.completed_at)
        .where(CourseCompletion.user_id == user_id, CourseCompletion.course_id == course.id)
        .scalar_subquery()
    )
    return type_coerce(func.coalesce(renewed, first), UTCDateTime())


def due_cutoff(course: Course, today: dt.date) -> dt.date | None:
    """Return the start date before which `course` is overdue on `today` (None: no due date).

    Due = start + due_days, and overdue means today > due, that is start < today - due_days.
    """
    if course.due_days is None:
        return None
    return add_days(today, -course.due_days)


def overdue_flag(cutoff: dt.date | None, start_date: Any, status: Any, completed_at: Any) -> Any:
    """Return 1 when the person is overdue, else 0: started before `cutoff` (see
    CourseReport.cutoff; None: the course has no due date), not complete now, and never
    completed the course before.
    """
    if cutoff is None:
        return literal(0, Integer())
    late = and_(start_date < literal(cutoff, Date()), status != COMPLETE, completed_at.is_(None))
    return case((late, 1), else_=0)
