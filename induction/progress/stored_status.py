"""Each person's status in each course, kept in `course_status` so that reports read it fast.

Working out a status means reading every lesson completion and quiz attempt a person
has in the course (status_query.CourseReport): for a dashboard of 5,000 people that is too
slow to do on every view. So the result is stored, one row per person and course:

- when a person completes a lesson or submits a quiz, their row is rewritten in the
  same transaction (the last step of `progress.services.complete_lesson` and
  `submit_quiz`, with `status_rewrite.rewrite_person`);
- `flask --app induction reports refresh` rewrites every row that is missing or out of
  date (`start` runs it, and so does the demo data generator).

A row is out of date when the course asks something different of the person than when
the row was written (a new lesson version, a lesson or module added or removed, a change
of audience or role) or when the person has moved to another organisation. Each row
keeps a fingerprint of what was asked and the organisation, and person_status uses only
current rows; everybody else is computed from the records in the same statement. So
reports are always right, only slower until the rows are rewritten. Overdue is not
stored: it depends on today and the start date, and is worked out when read. Nor is
"Due for renewal" (it depends on today and the latest completion): rows are written as
if nobody were renewing, and a person whose stored latest completion is older than the
renewal period on the day of reading is computed from the records instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    Subquery,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import QueryableAttribute

from induction.accounts.models import User
from induction.content.model import Course
from induction.extensions import db
from induction.progress import status_query
from induction.progress.models import CourseStatus
from induction.progress.renewal import renewal_since_sql
from induction.progress.requirements_table import AUDIENCE_KEYS, requirements
from induction.progress.status_query import CourseReport

# Bump when the meaning of the stored columns, or of the organisation figures counted
# from them, changes: every row (and figure) is then out of date until the refresh.
# 5: `percent` is rounded to the nearest (status.whole_percent), no longer down.
ROW_FORMAT = 5
# Module columns: one status character, and the best percentage plus BEST_OFFSET as four
# digits (so every entry has the same width and can be cut out by position in SQL).
NOT_ASKED = "-"
BEST_OFFSET = 1000
NO_BEST = "----"

VALUE_COLUMNS = (
    "organisation_id",
    "fingerprint",
    "status",
    "done",
    "total",
    "percent",
    "completed_at",
    "last_completed_at",
    "last_activity",
    "module_statuses",
    "module_best",
)


def fingerprints(course: Course) -> dict[str, str]:
    """Return, for each audience key, a digest of what `course` asks of it (and of its modules)."""
    found = requirements(course)
    modules = tuple(module.id for module in course.modules)
    prints = {}
    for key in AUDIENCE_KEYS:
        asked = [
            (r.module_id, r.position, r.lessons, r.quiz_id) for r in found if r.audience == key
        ]
        # The due date and renewal decide how the organisation figures write their days.
        terms = (course.due_days, course.renew)
        digest = hashlib.sha256(repr((ROW_FORMAT, course.id, modules, asked, terms)).encode())
        prints[key] = digest.hexdigest()[:32]
    return prints


def current_fingerprint(course: Course, key: ColumnElement[Any]) -> ColumnElement[Any]:
    """Return the current fingerprint for the audience key `key` (None for an unknown key)."""
    prints = fingerprints(course)
    return case(
        *((key == audience, literal(value, String())) for audience, value in prints.items())
    )


def is_current(
    course: Course,
    key: ColumnElement[Any],
    organisation: ColumnElement[Any] | QueryableAttribute[Any],
    organisation_id: int | None,
) -> ColumnElement[bool]:
    """Return the condition "the stored row (CourseStatus) is current" for a person of audience
    key `key` in `organisation`; with `organisation_id`, only that organisation's rows are
    looked at (the database then reads them by index rather than every row of the course).
    """
    current = (
        (CourseStatus.course_id == course.id)
        & (CourseStatus.organisation_id == organisation)
        & (CourseStatus.fingerprint == current_fingerprint(course, key))
    )
    if organisation_id is not None:
        current &= CourseStatus.organisation_id == organisation_id
    return current


def not_renewing(course: Course, today: dt.date | None) -> ColumnElement[bool]:
    """Return the condition "the stored row (CourseStatus) holds no completion due for
    renewal on `today`", by the term of the row's organisation (always true for a course
    without `renew:`, or without `today`)."""
    if course.renew is None or today is None:
        return true()
    since = renewal_since_sql(course, today, CourseStatus.organisation_id)
    return or_(CourseStatus.last_completed_at.is_(None), CourseStatus.last_completed_at >= since)


def without_current_row(
    course: Course, organisation_id: int | None, today: dt.date | None = None
) -> ColumnElement[bool]:
    """Return the condition, on User, "the person has no current row in `course`"; with
    `today`, a row due for renewal that day is not current either (see not_renewing)."""
    return ~exists().where(
        CourseStatus.user_id == User.id,
        is_current(course, status_query.audience_key(), User.organisation_id, organisation_id),
        not_renewing(course, today),
    )


# --- Reading ---------------------------------------------------------------------------------


def person_status(
    course: Course,
    people: Select[Any],
    today: dt.date,
    *,
    modules: bool = False,
    activity: bool = True,
    organisation_id: int | None = None,
    somebody_out_of_date: bool | None = None,
) -> Subquery:
    """Return the same subquery as CourseReport(...).person_status, read from stored rows.

    People whose row is current are read from it. When anybody's is not (a query finds
    out, unless the caller says: `somebody_out_of_date`), they are computed from their
    records (CourseReport) in the same statement. Give `organisation_id` when `people`
    are all of that organisation: it lets the database read only its rows.

    With `somebody_out_of_date` False, the rows are read from current stored rows alone,
    without asking: a person without one is left out. That is exact only when everyone
    has a current row, so a caller that cannot know counts the rows it reads and compares
    them with `people_count(people)` in the same statement, and asks again with True
    when they differ: one statement fewer in the usual case (nobody out of date), the same
    answer in every case. Each person has at most one row per course (its primary key),
    so equal counts mean nobody was left out.
    """
    stored = _stored_select(course, people, today, modules, activity, organisation_id)
    outdated = people.where(without_current_row(course, organisation_id, today))
    # Counted rather than asked with EXISTS: nearly always nobody is out of date, so every
    # person is looked at either way, and a count lets PostgreSQL match them to their rows
    # in one hash join instead of one index lookup per person (half the time at 5,000).
    if somebody_out_of_date is None:
        somebody_out_of_date = bool(
            db.session.scalar(select(func.count()).select_from(outdated.subquery()))
        )
    if not somebody_out_of_date:
        return stored.subquery("person_status")
    live = CourseReport(course, outdated, today, modules=modules, activity=activity).person_status
    order = [c.key for c in live.c]
    assert order == [c.key for c in stored.selected_columns], order
    return union_all(stored, select(live)).subquery("person_status")


def people_count(people: Select[Any]) -> Any:
    """Return how many people `people` selects, as a scalar subquery (see person_status)."""
    return select(func.count()).select_from(people.subquery("counted_people")).scalar_subquery()


def _stored_select(
    course: Course,
    people: Select[Any],
    today: dt.date,
    modules: bool,
    activity: bool,
    organisation_id: int | None,
) -> Select[Any]:
    """Return the person_status columns of those of `people` whose stored row is current."""
    stored = people.subquery("stored_people")
    values: dict[str, Any] = {
        "user_id": stored.c.user_id,
        "organisation_id": stored.c.organisation_id,
        "name": stored.c.name,
        "email": stored.c.email,
        "audience": stored.c.audience,
        "start_date": stored.c.start_date,
        "status": CourseStatus.status,
        "done": CourseStatus.done,
        "total": CourseStatus.total,
        "percent": CourseStatus.percent,
        "completed_at": CourseStatus.completed_at,
    }
    for number in range(len(course.modules) if modules else 0):
        values[f"m{number}_status"] = cast(
            func.nullif(func.substr(CourseStatus.module_statuses, number + 1, 1), NOT_ASKED),
            Integer(),
        )
        best = func.nullif(func.substr(CourseStatus.module_best, 4 * number + 1, 4), NO_BEST)
        values[f"m{number}_best"] = cast(best, Integer()) - BEST_OFFSET
    values["is_overdue"] = status_query.overdue_flag(
        status_query.due_cutoff(course, today),
        stored.c.start_date,
        CourseStatus.status,
        CourseStatus.completed_at,
    )
    values["last_activity"] = CourseStatus.last_activity if activity else null()
    values["last_completed_at"] = CourseStatus.last_completed_at
    return select(*(value.label(key) for key, value in values.items())).join_from(
        stored,
        CourseStatus,
        (CourseStatus.user_id == stored.c.user_id)
        & is_current(course, stored.c.audience_key, stored.c.organisation_id, organisation_id)
        & not_renewing(course, today),
    )
