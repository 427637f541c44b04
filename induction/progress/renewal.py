"""How long a completion of a course lasts before it is due for renewal (`renew:` in course.md).

`renewal_days` is the one place that turns a course's `renew:` into a number of days:
a number is taken as it is; `each term` is the organisation's term when it has one,
else the TERM_DAYS setting (four years by default). The status rules (progress.status,
and the SQL form in status_query) take that number; `renewal_round` says which round of
reading a lesson completion belongs to, so that a lesson read again for a renewal is
recorded again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from induction.content.model import RENEW_EACH_TERM, Course
from induction.extensions import db
from induction.progress.models import CourseCompletion, CourseRenewal
from induction.progress.status import renewal_cutoff

DEFAULT_TERM_DAYS = 1461  # four years, leap day included


def renewal_days(course: Course, organisation: Any = None) -> int | None:
    """Return how many days a completion of `course` lasts (None: it never runs out).

    For `renew: each term`, the term of `organisation` when it has one (a `term_days`
    attribute), else the TERM_DAYS setting. The reports' SQL works on the setting for
    everyone: a per-organisation term must be given to status_query as well.
    """
    if course.renew is None:
        return None
    if course.renew != RENEW_EACH_TERM:
        return int(course.renew)
    term = getattr(organisation, "term_days", None)
    if term:
        return int(term)
    return int(current_app.config.get("TERM_DAYS") or DEFAULT_TERM_DAYS)


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
    days = renewal_days_for(user, course)
    if days is None:
        return 0
    first = db.session.scalar(
        select(CourseCompletion.completed_at).where(
            CourseCompletion.user_id == user.id, CourseCompletion.course_id == course.id
        )
    )
    if first is None:
        return 0
    renewals, latest = db.session.execute(
        select(func.count(CourseRenewal.id), func.max(CourseRenewal.completed_at)).where(
            CourseRenewal.user_id == user.id, CourseRenewal.course_id == course.id
        )
    ).one()
    last = latest or first
    return renewals + 1 if last < renewal_cutoff(days, today) else 0
