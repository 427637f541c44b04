"""What an invitation says about the courses: which, about how long, by when; the inviter's
note; and the invitation form's warning before it invites someone overdue on day one."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from induction.accounts import invitations
from induction.accounts.audit import AuditEvent
from induction.accounts.models import Invitation, User
from induction.catalogue import get_catalogue
from induction.extensions import db
from induction.mail import QueuedEmail, deliver_pending, outbox_files, read_outbox_file
from induction.progress.services import progress_for, today
from tests.factories import TEST_PASSWORD
from tests.quizzes.pages import page, text_of

INVITE = "/admin/people/invite"


def _invite(client, **data):
    form = {"email": "new@example.org", "name": "", "role": "learner", "audience": "councillor"}
    return client.post(INVITE, data={**form, **data})


def _seen(html: str) -> str:
    """Return the start date the form says it warned about (its hidden field)."""
    return re.search(r'name="overdue_seen"[^>]*value="([^"]*)"', html).group(1)


def _day(app) -> dt.date:
    with app.app_context():
        return today()


def _queued(app, to: str) -> QueuedEmail:
    with app.app_context():
        found = db.session.scalars(
            select(QueuedEmail).where(QueuedEmail.to_address == to).order_by(QueuedEmail.id)
        ).all()
        assert found, f"no email to {to}"
        db.session.expunge(found[-1])
        return found[-1]


def _invitations(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Invitation))


def _uk(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_the_email_names_the_course_how_long_it_takes_and_when_it_is_due(app, login_as):
    client = login_as(role="manager", audience="officer")
    start = _day(app) + dt.timedelta(days=30)
    response = _invite(client, email="cllr@example.org", start_date=start.isoformat())
    assert response.status_code == 302
    text = _queued(app, "cllr@example.org").text_body
    due = start + dt.timedelta(days=14)  # the fixture course "Basics" is due 14 days on
    assert "You are asked to complete this course:" in text
    assert re.search(rf"- Basics: about \d+ minutes, due by {_uk(due)}\n", text)
    assert "already passed" not in text
    assert "Drafty" not in text  # a draft course is nobody's to do yet


def test_without_a_start_date_the_email_counts_from_the_day_they_join(app, login_as):
    client = login_as(role="manager", audience="officer")
    _invite(client, email="later@example.org")
    text = _queued(app, "later@example.org").text_body
    assert "- Basics: about" in text
    assert "due within 14 days of joining" in text


def test_the_email_says_when_the_due_date_has_already_passed(app, login_as):
    client = login_as(role="manager", audience="officer")
    start = _day(app) - dt.timedelta(days=200)
    data = {"email": "old@example.org", "start_date": start.isoformat()}
    warned = page(_invite(client, **data))
    assert _invite(client, **data, overdue_seen=_seen(warned)).status_code == 302
    text = _queued(app, "old@example.org").text_body
    assert f"due by {_uk(start + dt.timedelta(days=14))}" in text
    assert "That date has already passed: please start as soon as you have joined." in text


def test_the_due_date_in_the_email_is_the_one_the_learner_then_sees(app, login_as, mailbox):
    client = login_as(role="manager", audience="officer")
    start = _day(app) + dt.timedelta(days=3)
    _invite(client, email="joiner@example.org", start_date=start.isoformat())
    invitation = mailbox("joiner@example.org")[-1]
    said = re.search(r"due by (\d+ \w+ \d{4})", invitation.text).group(1)
    joiner = app.test_client()
    joiner.post(invitation.link_path, data={"name": "Jo Joiner", "password": TEST_PASSWORD})
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "joiner@example.org"))
        due = progress_for(user, get_catalogue().course("basics")).due_date
    assert said == _uk(due)


def test_an_admin_invited_is_not_asked_to_do_a_course_a_lead_officer_is(app, login_as, make_org):
    client = login_as(role="admin")
    _invite(client, email="boss@example.org", role="admin", organisation="0")
    assert "You are asked to complete" not in _queued(app, "boss@example.org").text_body
    org = make_org("Kirklees Council")
    _invite(client, email="lead@example.org", role="manager", organisation=str(org.id))
    assert "You are asked to complete this course:" in _queued(app, "lead@example.org").text_body


def test_the_note_is_in_the_email_as_plain_text_escaped_and_never_in_a_header(
    app, login_as, audit_actions
):
    client = login_as(role="manager", audience="officer")
    note = 'Welcome!\r\nBcc: victim@example.org\r\n<script>alert("x")</script>'
    assert _invite(client, email="noted@example.org", note=note).status_code == 302
    queued = _queued(app, "noted@example.org")
    assert " writes:\n\nWelcome!\nBcc: victim@example.org\n<script>" in queued.text_body
    assert "&lt;script&gt;" in queued.html_body and "<script>" not in queued.html_body
    assert "\n" not in queued.subject and "Bcc" not in queued.subject
    with app.app_context():
        assert deliver_pending().failed == 0
        [sent] = [read_outbox_file(f.name) for f in outbox_files()]
        assert sent["Bcc"] is None
        assert sent["To"] == "noted@example.org"
        details = db.session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "invitation.sent")
        ).one()
    assert details["note"].startswith("Welcome!\nBcc:")


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("x" * (invitations.MAX_NOTE + 1), f"Keep your note to {invitations.MAX_NOTE} characters"),
        ("Hello\x1b[31m", "Remove an invisible character (code 27)"),
    ],
)
def test_a_note_too_long_or_with_control_characters_is_refused_with_a_message(
    app, login_as, note, message
):
    client = login_as(role="manager", audience="officer")
    response = _invite(client, email="noted@example.org", note=note)
    assert response.status_code == 200
    assert message in text_of(page(response))
    assert _invitations(app) == 0


def test_a_start_date_long_past_is_checked_before_anything_is_sent(app, login_as):
    client = login_as(role="manager", audience="officer")
    start = _day(app) - dt.timedelta(days=365)
    due = start + dt.timedelta(days=14)
    response = _invite(client, email="late@example.org", start_date=_uk(start))
    assert response.status_code == 200
    text = text_of(page(response))
    assert "Check the start date: nothing has been sent yet" in text
    assert f"Overdue as soon as they join: Basics due {_uk(due)}." in text
    assert "Send the invitation anyway" in text
    assert _invitations(app) == 0
    seen = _seen(page(response))
    assert seen == start.isoformat()

    # Another date long past is checked again; the same one goes ahead, and says so.
    other = (start - dt.timedelta(days=1)).isoformat()
    again = _invite(client, email="late@example.org", start_date=other, overdue_seen=seen)
    assert "Check the start date" in text_of(page(again))
    assert _invitations(app) == 0
    sent = _invite(client, email="late@example.org", start_date=_uk(start), overdue_seen=seen)
    assert sent.status_code == 302
    assert _invitations(app) == 1
    people = text_of(page(client.get(sent.headers["Location"])))
    assert (
        "Invitation sent to late@example.org. "
        f"Overdue as soon as they join: Basics due {_uk(due)}." in people
    )


@pytest.mark.parametrize("days_ago", [0, 14])
def test_a_start_date_that_is_not_overdue_yet_sends_at_once(app, login_as, days_ago):
    client = login_as(role="manager", audience="officer")
    start = _day(app) - dt.timedelta(days=days_ago)  # due today at the latest: not overdue
    response = _invite(client, email="fine@example.org", start_date=start.isoformat())
    assert response.status_code == 302
    assert _invitations(app) == 1
    text = _queued(app, "fine@example.org").text_body
    assert f"due by {_uk(start + dt.timedelta(days=14))}" in text
    assert "already passed" not in text


def test_the_html_email_lists_the_courses(app, login_as):
    client = login_as(role="manager", audience="officer")
    _invite(client, email="html@example.org", note="See you there")
    html = _queued(app, "html@example.org").html_body
    assert re.search(r"<ul[^>]*>\s*<li>Basics: about \d+ minutes, due within 14 days", html)
    assert "See you there" in html
