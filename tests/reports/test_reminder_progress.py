"""An officer's reminder says how far each person is, and the people left out say from
when they can be reminded again.

World: in "own", Bob Partway (read one lesson) and the formula person (nothing done) are
overdue (see conftest.py).
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from induction.extensions import db
from induction.mail import QueuedEmail
from induction.progress.models import ReminderSent
from induction.progress.services import courses_on_joining
from induction.progress.wording import duration_words
from induction.web.templating import uk_datetime
from tests.quizzes.pages import page, text_of
from tests.reports.test_chasing import _send, remind_url


def _body(app, email: str) -> str:
    with app.app_context():
        return db.session.scalar(
            select(QueuedEmail.text_body).where(QueuedEmail.to_address == email)
        )


def test_the_reminder_says_how_far_each_person_is(app, world, login_as):
    client = login_as(world.manager)
    dashboard = text_of(page(client.get(f"/reports/organisations/{world.own.id}")))
    bob_row = dashboard.split("Remind Bob Partway", 1)[1].split("Cara New", 1)[0]
    found = re.search(r"(\d+) of (\d+) \(", bob_row)
    assert found is not None
    done, total = found.groups()
    assert done == "1"
    url = remind_url(world, group="overdue")
    preview = text_of(page(client.get(url)))
    # The preview is the first by name's email (the formula person, who has done nothing).
    assert "in all, and you can stop and carry on at any time." in preview
    _send(client, url)

    bob = _body(app, world.partway.email)
    assert f"So far you have done {done} of the {total} lessons and quizzes." in bob
    assert "in all, and you can stop" not in bob

    # Nothing done yet: how long the whole course takes them, as the invitation says it.
    with app.app_context():
        (basics,) = [c for c in courses_on_joining("learner", "officer", None) if c.minutes]
        minutes = basics.minutes
    formula = _body(app, world.formula.email)
    assert (
        f"It takes {duration_words(minutes)} in all, and you can stop and carry on at any time."
        in formula
    )
    assert "So far you have done" not in formula


def test_the_people_left_out_say_from_when_they_can_be_reminded_again(app, world, login_as):
    app.config["OFFICER_REMINDER_DAYS"] = 3
    client = login_as(world.manager)
    url = remind_url(world, group="overdue")
    _send(client, url)
    with app.app_context():
        sent_at = db.session.scalar(
            select(ReminderSent.created_at).where(ReminderSent.user_id == world.partway.id)
        )
    text = text_of(page(client.get(url)))
    assert "Each name says from when you can remind them again." in text
    bob = text.split("Bob Partway", 1)[1][:200]
    assert f"can be reminded again from {uk_datetime(sent_at + dt.timedelta(days=3))}" in bob
