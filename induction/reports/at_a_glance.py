"""What My learning says first to a lead officer or an admin: how their organisation, or the
whole network, is doing in the course the reports open on, with a link to the report.

Lead officers look after other people's induction, but sign in to their own My learning:
this box answers "how is my council doing?" there, from the figures kept per organisation
(one query for a lead officer, the network overview's three for an admin). Learners get
nothing and cost nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from induction.accounts.models import User
from induction.progress.services import today
from induction.reports import figures, headline, services


@dataclass(frozen=True)
class AtAGlance:
    """One organisation's (or the network's) figures in one course, and where to see more."""

    where: str  # "Aberwen Council", or "the network"
    course_title: str
    people: int
    complete: int
    overdue: int
    url: str  # the dashboard, or the network overview
    is_network: bool

    @property
    def percent_complete(self) -> int:
        """The share complete as the reports show it (the headline's rule)."""
        return headline.percent(self.complete, self.people)


def at_a_glance(actor: User) -> AtAGlance | None:
    """Return the box for `actor`: their organisation's figures for a lead officer, the
    network's for an admin; None for anyone else, or when there is no course to report on."""
    if not (actor.is_admin or actor.is_manager):
        return None
    course = services.report_course(actor, "")
    if course is None:
        return None
    day = today()
    if actor.is_admin:
        total = services.network_totals(services.network_overview(actor, course, day))
        return AtAGlance(
            where="the network",
            course_title=course.title,
            people=total.people,
            complete=total.complete,
            overdue=total.overdue,
            url=url_for("reports.network", course=course.id),
            is_network=True,
        )
    organisation = actor.organisation
    if organisation is None:
        return None
    values = figures.organisation_totals(course, day, [organisation.id]).get(organisation.id)
    return AtAGlance(
        where=organisation.name,
        course_title=course.title,
        people=int(values.people) if values else 0,
        complete=int(values.complete) if values else 0,
        overdue=int(values.overdue) if values else 0,
        url=url_for("reports.organisation", org_id=organisation.id, course=course.id),
        is_network=False,
    )
