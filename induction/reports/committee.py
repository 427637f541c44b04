"""Figures for a committee paper: for each course, how far the organisation's people have
got, one line per audience (councillors, council officers, affiliates) and a total.

A lead officer asked for "the figures for the committee" copies one small table into a
paper, not a dashboard: complete (with its percentage, by the one rule of every report
percentage), in progress, not started, overdue, and the people invited who have not
joined yet (not counted among the people, as on the dashboard). The course the reports
open on (the network's choice) comes first. Above each table, the dashboard's headline
sentence for everyone, with how many more were invited and have not joined, to paste as
it is. One query per course (the stored statuses, grouped by audience) and one for the
invitations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from induction.accounts.invitations import pending_conditions
from induction.accounts.models import AUDIENCE_NAMES, Invitation, Organisation, User
from induction.content.model import Course
from induction.extensions import db
from induction.progress import stored_status
from induction.progress.status import Status, whole_percent
from induction.reports import headline, queries
from induction.reports.services import (
    Counts,
    DashboardQuery,
    counts_of,
    courses_for_reports,
    people_of,
    report_course,
)
from induction.web.templating import uk_date

EVERYONE = "Everyone"


@dataclass(frozen=True)
class Line:
    """One line of a course's table: an audience (or everyone) and its counts."""

    label: str  # "Councillors", "Council officers", "Affiliate members", "Everyone"
    counts: Counts

    @property
    def complete_percent(self) -> int:
        return whole_percent(self.counts.complete, self.counts.people)


@dataclass(frozen=True)
class CourseTable:
    """One course's table: a line per audience with anyone in it, then everyone."""

    course: Course
    lines: list[Line]
    sentence: str = ""  # the figures for everyone in words, to paste into a paper

    @property
    def total(self) -> Line:
        return self.lines[-1]

    @property
    def shows_update_to_read(self) -> bool:
        return self.total.counts.update_to_read > 0

    @property
    def shows_due_for_renewal(self) -> bool:
        return self.total.counts.due_for_renewal > 0


def committee_tables(actor: User, organisation: Organisation, today: dt.date) -> list[CourseTable]:
    """Return the table of each course `actor` may report on, for `organisation`, on `today`."""
    invited = _invited_by_audience(organisation.id)
    tables = []
    opening = report_course(actor, None)
    courses = courses_for_reports(actor)
    courses.sort(key=lambda course: course is not opening)  # stable: the rest keep their order
    for course in courses:
        people = people_of(actor, organisation.id, DashboardQuery(course=course))
        ps = stored_status.person_status(
            course, people, today, activity=False, organisation_id=organisation.id
        )
        rows = {row.audience: row for row in db.session.execute(queries.audience_totals_select(ps))}
        lines = []
        for audience, name in AUDIENCE_NAMES.items():
            counts = _counts(rows.get(audience), invited.get(audience, 0))
            if counts.people or counts.invited:
                lines.append(Line(name[:1].upper() + name[1:], counts))
        # Everyone, whatever their audience (a line above or none).
        everyone = _sum([_counts(row, 0) for row in rows.values()])
        lines.append(Line(EVERYONE, _with_invited(everyone, sum(invited.values()))))
        tables.append(CourseTable(course, lines, _sentence(organisation, course, lines[-1], today)))
    return tables


def _sentence(organisation: Organisation, course: Course, total: Line, today: dt.date) -> str:
    """Return the dashboard's headline for everyone (`headline.headline`), then how many
    more were invited and have not joined yet, when anyone was."""
    counts = total.counts
    sentence = headline.headline(
        complete=counts.complete,
        people=counts.people,
        update_to_read=counts.update_to_read,
        organisation=organisation.name,
        course=course.title,
        day=uk_date(today),
    )
    if counts.invited:
        verb = "has" if counts.invited == 1 else "have"
        sentence += f" {counts.invited} more {verb} been invited and not joined yet."
    return sentence


def _invited_by_audience(organisation_id: int) -> dict[str, int]:
    """Return how many pending invitations there are per audience (one query)."""
    found = db.session.execute(
        select(Invitation.audience, func.count(Invitation.id))
        .where(*pending_conditions(organisation_id))
        .group_by(Invitation.audience)
    )
    return {audience: int(count) for audience, count in found}


def _counts(row: object | None, invited: int) -> Counts:
    if row is None:
        return Counts(people=0, by_status={}, overdue=0, invited=invited)
    return _with_invited(counts_of(row), invited)


def _with_invited(counts: Counts, invited: int) -> Counts:
    return Counts(counts.people, counts.by_status, counts.overdue, invited=invited)


def _sum(parts: list[Counts]) -> Counts:
    by_status: dict[Status, int] = {}
    for part in parts:
        for status, number in part.by_status.items():
            by_status[status] = by_status.get(status, 0) + number
    return Counts(
        people=sum(part.people for part in parts),
        by_status=by_status,
        overdue=sum(part.overdue for part in parts),
    )
