"""Renewal emails from `reminders send`: a first notice once when a completion runs out,
then a reminder every REMINDER_REPEAT_DAYS days while it stays due, never twice a day."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from induction.extensions import db
from induction.progress.models import ReminderKind, ReminderSent
from induction.progress.reminders import plan_reminders, queue_reminders
from tests.reports.helpers import renewing
from tests.reports.test_reminders import mail, send


@pytest.fixture
def app(app_factory, tree):
    renewing(tree)
    return app_factory(COURSES_DIR=str(tree))


def renewal_mail(app, email: str) -> list:
    return [m for m in mail(app) if m.to_address == email and "renewal" in m.subject]


def test_a_person_due_for_renewal_is_told_once_then_reminded(app, lapsed):
    alice = lapsed.complete.email
    output = send(app, lapsed.day)
    assert f"Sending due for renewal to {alice}: Basics" in output
    [first] = renewal_mail(app, alice)
    assert first.subject == "Basics is due for renewal"
    assert "it is now due for renewal" in first.text_body
    assert "every 365 days" in first.text_body
    assert "/courses/basics" in first.text_body
    # Nothing more until the repeat interval (7 days) has passed.
    for later in range(0, 7):
        send(app, lapsed.day + dt.timedelta(days=later))
    assert len(renewal_mail(app, alice)) == 1
    output = send(app, lapsed.day + dt.timedelta(days=7))
    assert f"Sending renewal reminder to {alice}: Basics" in output
    second = renewal_mail(app, alice)[-1]
    assert second.subject == "Reminder: Basics is due for renewal"
    assert "still due for renewal" in second.text_body
    assert len(renewal_mail(app, alice)) == 2


def test_no_renewal_email_for_a_recent_completion(app, world):
    send(app, world.day)
    assert renewal_mail(app, world.complete.email) == []


def test_two_runs_racing_on_the_same_day_record_one_renewal_email(app, lapsed):
    with app.app_context():
        planned = plan_reminders(lapsed.day)  # both runs planned before either committed
        assert [r.kind for r in planned].count(ReminderKind.RENEWAL) == 1
        queue_reminders(planned, lapsed.day)
        db.session.commit()
        with pytest.raises(IntegrityError):
            queue_reminders(planned, lapsed.day)
        db.session.rollback()
        renewals = db.session.scalar(
            select(func.count())
            .select_from(ReminderSent)
            .where(ReminderSent.kind == ReminderKind.RENEWAL.value)
        )
        assert renewals == 1
    assert len(renewal_mail(app, lapsed.complete.email)) == 1
