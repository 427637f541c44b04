"""One of every kind of record, made through the real pages and services, and a way to compare.

Used by the backup tests (a restored database must hold every record) and the data
rights tests (an export must hold everything about one person).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from induction.accounts import joining, people
from induction.accounts.models import User
from induction.database import Base
from induction.extensions import db
from induction.mail import queue_mail
from induction.quizzes.models import QuizAttempt
from tests.reliability.journeys import COURSE, QUIZ, RIGHT_ANSWERS


@dataclass(frozen=True)
class Made:
    """The ids of the people behind the records made."""

    learner_id: int
    learner_email: str
    admin_id: int
    organisation_id: int


def complete_course(client: FlaskClient, app: Flask) -> int:
    """Complete the fixture course `basics` through its pages (CSRF off); return the attempt id."""
    for lesson_id in ("welcome", "rules", "next"):
        response = client.post(
            f"/courses/{COURSE}/lessons/{lesson_id}/complete", data={"acknowledge": "y"}
        )
        assert response.status_code == 302, f"completing {lesson_id}: {response.status_code}"
    started = client.post(QUIZ)
    assert started.status_code == 303
    attempt_id = int(started.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    with app.app_context():
        submit_key = db.session.get(QuizAttempt, attempt_id).submit_key
    submitted = client.post(
        f"{QUIZ}/attempts/{attempt_id}/submit",
        data=MultiDict([("submit_key", submit_key), *RIGHT_ANSWERS]),
    )
    assert submitted.status_code == 303
    return attempt_id


def make_everything(
    app: Flask,
    make_org: Callable[..., Any],
    make_user: Callable[..., User],
    login_as: Callable[..., FlaskClient],
) -> Made:
    """Make a learner who completed the course (certificate included), an admin, an
    invitation, queued email, a password reset link and audit events; return their ids."""
    organisation = make_org(name="Records Council")
    learner = make_user(organisation=organisation, audience="councillor", name="Lee Learner")
    admin = make_user(role="admin", name="Ada Admin")
    complete_course(login_as(learner), app)
    with app.test_request_context():
        actor = db.session.get(User, admin.id)
        joining.send_invitation(
            actor,
            email="newcomer@example.org",
            name="New Comer",
            role="learner",
            audience="officer",
            organisation=db.session.get(type(organisation), organisation.id),
        )
        people.request_password_reset(learner.email)
        queue_mail(learner.email, "A note", "Hello Lee.")
        db.session.commit()
    return Made(
        learner_id=learner.id,
        learner_email=learner.email,
        admin_id=admin.id,
        organisation_id=organisation.id,
    )


def table_rows(connection: sa.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table of the app, each table's rows in primary key order."""
    rows = {}
    for table in Base.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        rows[table.name] = [
            tuple(row) for row in connection.execute(sa.select(table).order_by(*order))
        ]
    return rows
