"""The network overview's totals per organisation, read from the organisation figures.

Every write keeps each organisation's figures in each course current (see
progress/figures.py, which explains why they are exact): how many active people are in
each status, by audience key, fingerprint and due_start. Reading them costs a few rows
per organisation, whatever the number of people: overdue on `today` is a sum of the
figures whose due_start is before the day's cutoff (status_query.overdue_flag, the rule
the dashboards use).

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
from typing import Any

from sqlalchemy import case, func, null, select

from induction.accounts.models import User
from induction.content.model import Course
from induction.extensions import db
from induction.progress import stored_status
from induction.progress.models import OrganisationFigure, OrganisationHeadcount
from induction.progress.status_query import due_cutoff, overdue_flag
from induction.reports import queries


def _figures_select(course: Course, today: dt.date) -> Any:
    """Return the totals of organisation_totals_select per organisation with figures in
    `course`, read from them, with `stale`: how many people they count under another
    fingerprint than the current one."""
    figure = OrganisationFigure
    current = figure.fingerprint == stored_status.current_fingerprint(
        course, figure.__table__.c.audience_key
    )
    rows = (
        select(
            figure.organisation_id,
            figure.status,
            overdue_flag(due_cutoff(course, today), figure.due_start, figure.status, null()).label(
                "is_overdue"
            ),
            figure.people,
            case((current, 0), else_=figure.people).label("stale"),
        )
        .where(figure.course_id == course.id)
        .subquery("figures")
    )
    return queries.organisation_totals_select(rows, people=rows.c.people).add_columns(
        func.sum(rows.c.stale).label("stale")
    )


def organisation_totals(
    course: Course, today: dt.date, organisation_ids: Collection[int]
) -> dict[int, Any]:
    """Return, for each of `organisation_ids` that has people, its totals in `course` on
    `today` (rows of queries.organisation_totals_select), counting every active person:
    one query, and two more when some organisation's figures are not current.
    """
    kept_select = _figures_select(course, today).subquery("kept")
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
            .where(head.course_id == course.id)
        )
    }
    found: dict[int, Any] = {}
    others = []
    for organisation_id in organisation_ids:
        values = kept.get(organisation_id)
        if values is None or values.stale or int(values.people or 0) != values.headcount:
            others.append(organisation_id)
        elif values.headcount:
            found[organisation_id] = values
    if others:
        people = queries.people_select(User.organisation_id.in_(others))
        ps = stored_status.person_status(course, people, today, activity=False)
        for values in db.session.execute(queries.organisation_totals_select(ps)):
            found[values.organisation_id] = values
    return found
