"""The lead officers' digest: who is overdue, who finished, who has not joined; weekly or off.

Sent by `reminders send` (cron) to each lead officer who chose it, about their own
organisation only, at most once per period even when two runs overlap.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from induction.accounts.models import User
from induction.extensions import db
from induction.mail import QueuedEmail
from induction.progress.models import ReminderKind, ReminderSent
from induction.progress.reminders import plan_reminders, queue_reminders
from tests.factories import csrf_token_from
from tests.quizzes.pages import page, text_of
from tests.reports.helpers import add_course_completion, at
from tests.reports.test_reminders import mail, send
from tests.reports.test_summary import _invite


@pytest.fixture
def digest_world(app, world, make_user):
    """Own: Alice finished 2 days ago (conftest); an old completion 30 days ago; one
    invitation waiting, one accepted. Other: one invitation waiting."""
    old_finisher = make_user(organisation=world.own, name="Olive Oldfinish", audience="officer")
    with app.app_context():
        add_course_completion(old_finisher.id, "basics", at(world.day - dt.timedelta(days=30)))
        _invite(world.own.id, "waiting@example.org", name="Wanda Waiting")
        _invite(world.own.id, "joined@example.org", accepted_at=at(world.day))
        _invite(world.other.id, "elsewhere@example.org", name="Elsa Elsewhere")
        db.session.commit()
    return world


def _digests(app) -> dict[str, str]:
    return {m.to_address: m.text_body for m in mail(app) if m.subject.startswith("People in ")}


def test_the_digest_holds_exactly_the_right_people(app, digest_world):
    world = digest_world
    send(app, world.day)
    digests = _digests(app)
    assert set(digests) == {world.manager.email, world.other_manager.email}
    own = digests[world.manager.email]
    overdue = own.split("have an overdue course:", 1)[1].split("They have been reminded", 1)[0]
    assert "Bob Partway" in overdue and world.formula.email in overdue
    assert "Alice" not in overdue and "Olga" not in overdue
    finished = own.split("Finished a course since your last digest:", 1)[1].split("Invited", 1)[0]
    assert "Alice Complete" in finished and "Basics" in finished
    assert "Olive Oldfinish" not in finished  # finished a month ago
    waiting = own.split("Invited and not joined yet:", 1)[1].split("You can send", 1)[0]
    assert "Wanda Waiting <waiting@example.org>" in waiting
    assert "joined@" not in own and "Elsa" not in own and "Olga" not in own
    other = digests[world.other_manager.email]
    assert "Olga Outsider" in other and "Elsa Elsewhere" in other
    assert "Bob" not in other and "Wanda" not in other and "Alice" not in other
    assert "Nobody finished a course since your last digest." in other


def test_an_officer_who_chose_off_gets_no_digest(app, digest_world, login_as):
    world = digest_world
    client = login_as(world.manager)
    account = page(client.get("/account"))
    assert "The digest of your organisation by email" in text_of(account)
    response = client.post(
        "/account/digest", data={"csrf_token": csrf_token_from(account), "frequency": "off"}
    )
    assert response.status_code == 302
    assert "Your digest is off now." in text_of(page(client.get(response.location)))
    send(app, world.day)
    assert set(_digests(app)) == {world.other_manager.email}
    # A learner has no digest to choose; nonsense is refused with a message.
    learner = login_as(world.partway)
    token = csrf_token_from(page(learner.get("/account")))
    assert (
        learner.post("/account/digest", data={"csrf_token": token, "frequency": "off"}).status_code
        == 404
    )
    bad = client.post("/account/digest", data={"csrf_token": token, "frequency": "daily"})
    assert bad.status_code == 302
    with app.app_context():
        assert db.session.get(User, world.manager.id).digest_frequency == "off"


def test_once_per_period_even_when_runs_overlap(app, digest_world):
    world = digest_world
    with app.app_context():
        first = [r for r in plan_reminders(world.day) if r.kind is ReminderKind.MANAGER_DIGEST]
        second = [r for r in plan_reminders(world.day) if r.kind is ReminderKind.MANAGER_DIGEST]
        assert len(first) == len(second) == 2  # both planned before either sent
        queue_reminders(first, world.day)
        db.session.commit()
        with pytest.raises(IntegrityError):
            queue_reminders(second, world.day)
        db.session.rollback()
    assert len(_digests(app)) == 2
    # Later in the week: nothing; a week on: the next digest.
    for later in range(1, 7):
        send(app, world.day + dt.timedelta(days=later))
    assert len(_digests(app)) == 2
    send(app, world.day + dt.timedelta(days=7))
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(ReminderSent)
                .where(ReminderSent.kind == ReminderKind.MANAGER_DIGEST.value)
            )
            == 4
        )
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(QueuedEmail)
                .where(QueuedEmail.subject.like("People in Own Council%"))
            )
            == 2
        )
