"""How long a completion of a course lasts before it is due for renewal (`renew:` in course.md).

`renewal_days` is the one place that turns a course's `renew:` into a number of days:
a number is taken as it is; `each term` is the organisation's term when it has one,
else the TERM_DAYS setting (four years by default). The status rules (progress.status,
and the SQL form in status_query) take that number; `renewal_round` says which round of
reading a lesson completion belongs to, so that a lesson read again for a renewal is
recorded again; `renewing_since` when the renewal period began (the quizzes count
attempts from then); `currency` whether a completion is still current (the certificate
check says so).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import Date, case, func, literal, select

from induction.accounts.intakes import MAX_TERM_YEARS
from induction.accounts.models import Organisation, days_of_term
from induction.content.model import RENEW_EACH_TERM, Course
from induction.database import UTCDateTime
from induction.extensions import db
from induction.progress.models import CourseCompletion, CourseRenewal
from induction.progress.status import renewal_cutoff, renewal_due_date

DEFAULT_TERM_DAYS = 1461  # four years, leap day included


def renewal_days(course: Course, organisation: Any = None) -> int | None:
    """Return how many days a completion of `course` lasts (None: it never runs out).

    For `renew: each term`, the term of `organisation` when it has one (a `term_days`
    attribute), else the TERM_DAYS setting. The SQL form is renewal_since_sql.
    """
    if course.renew is None:
        return None
    if course.renew != RENEW_EACH_TERM:
        return int(course.renew)
    term = getattr(organisation, "term_days", None)
    if term:
        return int(term)
    return int(current_app.config.get("TERM_DAYS") or DEFAULT_TERM_DAYS)


def renewal_since_sql(
    course: Course, today: dt.date, organisation_id: Any, *, as_date: bool = False
) -> Any:
    """Return, as SQL, the start of the renewal period of `course` on `today` (renewal_cutoff)
    for a person of the organisation whose id is the column `organisation_id`: a constant,
    or for `renew: each term` a choice by the organisation's term (None: no `renew:`).

    With `as_date`, the day it starts (a completion made before midnight of that day,
    UTC, has run out) as a date. Terms are whole years from 1 to MAX_TERM_YEARS (set_term
    refuses others); any other counts as none set, as in renewal_days.
    """
    if course.renew is None:
        return None

    def value(days: int) -> Any:
        cutoff = renewal_cutoff(days, today)
        return literal(cutoff.date(), Date()) if as_date else literal(cutoff, UTCDateTime())

    default = renewal_days(course)
    assert default is not None
    if course.renew != RENEW_EACH_TERM:
        return value(default)
    term = (
        select(Organisation.term_years)
        .where(Organisation.id == organisation_id)
        .correlate_except(Organisation)
        .scalar_subquery()
    )
    choices = [
        (term == years, value(days_of_term(years) or default))
        for years in range(1, MAX_TERM_YEARS + 1)
    ]
    return case(*choices, else_=value(default))


def renewal_days_for(user: Any, course: Course) -> int | None:
    """Return renewal_days for `user`'s organisation (loaded only when the term is asked for)."""
    if course.renew != RENEW_EACH_TERM:
        return renewal_days(course)
    return renewal_days(course, user.organisation)


def renewal_round(user: Any, course: Course, today: dt.date) -> int:
    """Return the round a lesson completion made now belongs to: 0 normally; while the
    person is due for renewal, the number of the renewal they are working on (1 for the
    first), so that reading a lesson again records it again, once per renewal.
    """
    renewing = _renewing(user, course, today)
    return renewing[0] + 1 if renewing is not None else 0


def renewing_since(user: Any, course: Course, today: dt.date) -> dt.datetime | None:
    """Return the start of the renewal period (renewal_cutoff) while the person is due for
    renewal of `course` (their latest completion has run out), else None.

    What they did before it counts for the completion that ran out, not for the renewal:
    the quizzes count only the attempts since then towards `max_attempts`, so someone who
    used every attempt the first time can still renew.
    """
    renewing = _renewing(user, course, today)
    return renewing[1] if renewing is not None else None


def _renewing(user: Any, course: Course, today: dt.date) -> tuple[int, dt.datetime] | None:
    """Return (renewals made so far, start of the renewal period) while the person is due
    for renewal of `course`, else None. Two queries at most."""
    found = currency(user, course)
    if found is None or found.is_current(today):
        return None
    # Not current is the same as: the latest completion is older than the period's start.
    return found.renewals, renewal_cutoff(found.days, today)


@dataclass(frozen=True)
class Currency:
    """How current a person's completion of a course with `renew:` is."""

    last_completed_at: dt.datetime  # the first completion or the latest renewal
    renewals: int  # renewals made since the first completion
    runs_out_on: dt.date  # the day it is due for renewal (renewal_due_date)
    days: int  # how long a completion lasts (renewal_days)

    @property
    def current_until(self) -> dt.date:
        """Return the last day it is current."""
        return self.runs_out_on - dt.timedelta(days=1)

    def is_current(self, today: dt.date) -> bool:
        return today < self.runs_out_on


def currency(user: Any, course: Course) -> Currency | None:
    """Return how current `user`'s completion of `course` is; None when the course has no
    `renew:` or they never completed it. Two queries at most."""
    days = renewal_days_for(user, course)
    if days is None:
        return None
    found = _completions(user.id, course.id)
    if found is None:
        return None
    renewals, last = found
    runs_out = renewal_due_date(days, last)
    assert runs_out is not None
    return Currency(last_completed_at=last, renewals=renewals, runs_out_on=runs_out, days=days)


def _completions(user_id: int, course_id: str) -> tuple[int, dt.datetime] | None:
    """Return (renewals made, when last completed: the first completion or the latest
    renewal) of the person's course; None when they never completed it."""
    first = db.session.scalar(
        select(CourseCompletion.completed_at).where(
            CourseCompletion.user_id == user_id, CourseCompletion.course_id == course_id
        )
    )
    if first is None:
        return None
    renewals, latest = db.session.execute(
        select(func.count(CourseRenewal.id), func.max(CourseRenewal.completed_at)).where(
            CourseRenewal.user_id == user_id, CourseRenewal.course_id == course_id
        )
    ).one()
    return renewals, latest or first
