"""The network overview's totals per organisation, read from the organisation figures.

Every write keeps each organisation's figures in each course current (see
progress/figures.py, which explains why they are exact): how many active people are in
each status, by audience key, fingerprint and due_start. Reading them costs a few rows
per organisation, whatever the number of people. Nothing stored depends on the day; on
`today`:

- overdue: people not started or in progress whose due_start (the day their due dates
  count from, intake included) is before the day's cutoff (status_query.overdue_flag);
- in a course with `renew:`, people whose latest completion (the due_start of a
  completed row) is before the start of the renewal period of their organisation
  (renewal.renewal_since_sql, by its term for `each term`) have run out: stored as
  "Update to read" they are "Due for renewal" (nothing they did since can make them
  complete); stored as "Complete" they may be complete again from what they did inside
  the period, so just those people are worked out from their records in one more
  statement (status_query.CourseReport, the rule the dashboards use). Only people whose
  completion has run out and who have not renewed are read one by one.

An organisation's figures are used only when they are complete and current: a headcount
exists (the reports refresh has counted the organisation), every figure with people in
it carries the current fingerprint of its audience key (no course change since), and the
figures count as many people as the headcount. Every other organisation is worked out
from the stored statuses and the records in one more statement, as before, so the totals
are always exact; only the speed drops until `flask --app induction reports refresh`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Date, and_, case, exists, func, literal, null, select

from induction.accounts.models import User
from induction.content.model import Course
from induction.extensions import db
from induction.progress import stored_status
from induction.progress.models import CourseStatus, OrganisationFigure, OrganisationHeadcount
from induction.progress.renewal import renewal_since_sql
from induction.progress.status_query import (
    COMPLETE,
    DUE_FOR_RENEWAL,
    UPDATE_TO_READ,
    CourseReport,
    due_cutoff,
    overdue_flag,
)
from induction.reports import queries

TOTALS = ("people", "started", "complete", "update_to_read", "due_for_renewal", "overdue")
FEW = 20  # up to this many organisations asked for, only theirs are read


def _figures_select(course: Course, today: dt.date, only: Collection[int] | None = None) -> Any:
    """Return the totals of organisation_totals_select per organisation with figures in
    `course`, read from them, with `stale`: how many people they count under another
    fingerprint than the current one, and `ran_out`: how many people stored as complete
    whose completion has run out (left out of the totals: see `_ran_out_totals`). With
    `only`, of those organisations only."""
    figure = OrganisationFigure
    current = figure.fingerprint == stored_status.current_fingerprint(
        course, figure.__table__.c.audience_key
    )
    status: Any = figure.status
    ran_out: Any = literal(0)
    since = renewal_since_sql(course, today, figure.organisation_id, as_date=True)
    if since is not None:
        expired = figure.due_start < since
        status = case(
            (and_(figure.status == UPDATE_TO_READ, expired), DUE_FOR_RENEWAL), else_=figure.status
        )
        ran_out = case((and_(figure.status == COMPLETE, expired), figure.people), else_=0)
    # A completed row's due_start is its latest completion: never overdue.
    held = case((figure.status == UPDATE_TO_READ, literal(dt.date.min, Date())), else_=null())
    rows = (
        select(
            figure.organisation_id,
            status.label("status"),
            overdue_flag(due_cutoff(course, today), figure.due_start, figure.status, held).label(
                "is_overdue"
            ),
            (figure.people - ran_out).label("people"),
            case((current, 0), else_=figure.people).label("stale"),
            ran_out.label("ran_out"),
        )
        .where(
            figure.course_id == course.id,
            *([figure.organisation_id.in_(only)] if only is not None else []),
        )
        .subquery("figures")
    )
    return queries.organisation_totals_select(rows, people=rows.c.people).add_columns(
        func.sum(rows.c.stale).label("stale"), func.sum(rows.c.ran_out).label("ran_out")
    )


def _ran_out_totals(course: Course, today: dt.date, organisation_ids: list[int]) -> Any:
    """Return the totals, worked out from their records, of the people of these
    organisations stored as complete whose latest completion has run out on `today`."""
    since = renewal_since_sql(course, today, CourseStatus.organisation_id)
    ran_out = exists().where(
        CourseStatus.user_id == User.id,
        CourseStatus.course_id == course.id,
        CourseStatus.organisation_id == User.organisation_id,
        CourseStatus.status == COMPLETE,
        CourseStatus.last_completed_at < since,
    )
    people = queries.people_select(User.organisation_id.in_(organisation_ids), ran_out)
    ps = CourseReport(course, people, today, activity=False).person_status
    return db.session.execute(queries.organisation_totals_select(ps))


def _plus(values: Any, more: Any) -> SimpleNamespace:
    """Return the totals of `values` and `more` (rows of organisation_totals_select) added."""
    return SimpleNamespace(
        organisation_id=values.organisation_id,
        **{
            name: int(getattr(values, name) or 0) + int(getattr(more, name) or 0) for name in TOTALS
        },
    )


def organisation_totals(
    course: Course, today: dt.date, organisation_ids: Collection[int]
) -> dict[int, Any]:
    """Return, for each of `organisation_ids` that has people, its totals in `course` on
    `today` (rows of queries.organisation_totals_select), counting every active person:
    one query, one more when some people's completion has run out (a course with
    `renew:`), and two more when some organisation's figures are not current.
    """
    # A few organisations (a dashboard's list of courses asks for one): read their figures
    # only, not every organisation's.
    only = list(organisation_ids) if len(organisation_ids) <= FEW else None
    kept_select = _figures_select(course, today, only).subquery("kept")
    head = OrganisationHeadcount
    kept = {
        values.organisation_id: values
        for values in db.session.execute(
            select(
                head.organisation_id,
                head.people.label("headcount"),
                *(c for c in kept_select.c if c.key != "organisation_id"),
            )
            .outerjoin(kept_select, kept_select.c.organisation_id == head.organisation_id)
            .where(
                head.course_id == course.id,
                *([head.organisation_id.in_(only)] if only is not None else []),
            )
        )
    }
    found: dict[int, Any] = {}
    others = []
    ran_out = []
    for organisation_id in organisation_ids:
        values = kept.get(organisation_id)
        counted = int(values.people or 0) + int(values.ran_out or 0) if values else 0
        if values is None or values.stale or counted != values.headcount:
            others.append(organisation_id)
        elif values.headcount:
            found[organisation_id] = values
            if values.ran_out:
                ran_out.append(organisation_id)
    if ran_out:
        for more in _ran_out_totals(course, today, ran_out):
            found[more.organisation_id] = _plus(found[more.organisation_id], more)
    if others:
        people = queries.people_select(User.organisation_id.in_(others))
        ps = stored_status.person_status(course, people, today, activity=False)
        for values in db.session.execute(queries.organisation_totals_select(ps)):
            found[values.organisation_id] = values
    return found
