"""The courses an organisation's dashboard offers, each with how far its people are.

With more than one course, the dashboard starts with one link per course, saying how
many of the organisation's people completed it and how many are overdue: an officer
sees at once which course they are looking at and how the others stand, instead of a
course menu. The figures are the network overview's (reports/figures.py: a few rows per
course, whatever the number of people).

Which course the dashboard opens on when none is asked for is the one the person last
looked at (kept in their session), else the first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import session

from induction.accounts.models import User
from induction.content.model import Course
from induction.reports import figures
from induction.reports.services import Counts, courses_for_reports

LAST_COURSE_KEY = "report_course"  # the session's note of the course last reported on


@dataclass(frozen=True)
class CourseTab:
    """One course of the dashboard's list, with its organisation's totals."""

    course: Course
    people: int
    complete: int
    overdue: int


def course_tabs(
    actor: User,
    organisation_id: int,
    today: dt.date,
    counted: Mapping[str, Counts] | None = None,
) -> list[CourseTab]:
    """Return each course `actor` may report on with `organisation_id`'s totals in it, in
    folder order; empty when there is only one course (there is nothing to choose).

    `counted` gives, by course id, totals of every active person of the organisation the
    caller already has (the dashboard's summary when no audience, search or intake narrows
    it): those courses' figures are not read again.
    """
    courses = courses_for_reports(actor)
    if len(courses) < 2:
        return []
    tabs = []
    for course in courses:
        totals: Any = (counted or {}).get(course.id)
        if totals is None:
            totals = figures.organisation_totals(course, today, [organisation_id]).get(
                organisation_id
            )
        tabs.append(
            CourseTab(
                course=course,
                people=int(totals.people) if totals else 0,
                complete=int(totals.complete) if totals else 0,
                overdue=int(totals.overdue) if totals else 0,
            )
        )
    return tabs


def remember(course_id: str) -> None:
    """Note `course_id` as the course this person last reported on."""
    if session.get(LAST_COURSE_KEY) != course_id:
        session[LAST_COURSE_KEY] = course_id


def remembered() -> str:
    """Return the id of the course this person last reported on ("" when none)."""
    course_id = session.get(LAST_COURSE_KEY, "")
    return course_id if isinstance(course_id, str) else ""
