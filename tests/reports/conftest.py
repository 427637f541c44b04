"""Fixtures of the report tests: two councils with people at every stage of the basics course."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from induction.accounts.models import Organisation, User
from induction.extensions import db
from induction.progress.services import today
from tests.reports.helpers import add_attempt, add_course_completion, add_lesson, age, at


@dataclass
class World:
    """Two organisations: "own" with people at every stage, "other" with one learner."""

    own: Organisation
    other: Organisation
    complete: User  # officer, finished everything
    partway: User  # councillor, read one lesson; overdue
    new: User  # affiliate, started today, nothing done
    formula: User  # a name and address a spreadsheet would run as a formula; overdue
    manager: User  # manager of own (also a learner of the course)
    outsider: User  # learner of other
    other_manager: User
    admin: User
    day: dt.date


@pytest.fixture
def world(app, make_org, make_user) -> World:
    own, other = make_org("Own Council"), make_org("Other Council")
    with app.app_context():
        day = today()
    old = day - dt.timedelta(days=30)
    complete = make_user(
        organisation=own, name="Alice Complete", audience="officer", start_date=old
    )
    partway = make_user(organisation=own, name="Bob Partway", audience="councillor", start_date=old)
    new = make_user(organisation=own, name="Cara New", audience="affiliate", start_date=day)
    formula = make_user(
        organisation=own,
        name='=HYPERLINK("http://evil.example","click")',
        email="-formula@example.org",
        audience="officer",
        start_date=day - dt.timedelta(days=20),
    )
    manager = make_user(
        role="manager", organisation=own, name="Mona Manager", audience="officer", start_date=day
    )
    outsider = make_user(
        organisation=other, name="Olga Outsider", audience="officer", start_date=old
    )
    other_manager = make_user(role="manager", organisation=other, name="Otto Othermanager")
    admin = make_user(role="admin", name="Ada Admin")
    with app.app_context():
        when = at(day - dt.timedelta(days=2))
        for lesson_id, version, statement in (
            ("welcome", 1, None),
            ("rules", 2, "I have read and understood the rules."),
            ("officers-only", 1, None),
            ("next", 1, None),
        ):
            add_lesson(complete.id, "basics", lesson_id, version, when, statement)
        add_attempt(complete.id, "basics", "first-steps", right=1, total=4, passed=False, when=when)
        add_attempt(complete.id, "basics", "first-steps", right=4, total=4, passed=True, when=when)
        add_course_completion(complete.id, "basics", when)
        add_lesson(partway.id, "basics", "welcome", 1, at(day - dt.timedelta(days=1)))
        add_lesson(outsider.id, "basics", "welcome", 1, when)
        db.session.commit()
    return World(
        own=own,
        other=other,
        complete=complete,
        partway=partway,
        new=new,
        formula=formula,
        manager=manager,
        outsider=outsider,
        other_manager=other_manager,
        admin=admin,
        day=day,
    )


@pytest.fixture
def lapsed(app, world):
    """The world a year and more after Alice completed the course: she is due for renewal."""
    with app.app_context():
        age(world.complete.id, 400)
        db.session.commit()
    return world
