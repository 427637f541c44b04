"""`flask --app induction reminders send`: due-soon and overdue emails, managers' digests, once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from induction.accounts.models import User
from induction.extensions import db
from induction.mail import QueuedEmail
from induction.progress.models import ReminderSent


@pytest.fixture
def soon(world, make_user):
    """A learner of the own council whose course is due in 4 days."""
    return make_user(
        organisation=world.own,
        name="Dan Duesoon",
        audience="officer",
        start_date=world.day - dt.timedelta(days=10),
    )


def send(app, day: dt.date, *extra: str):
    result = app.test_cli_runner().invoke(
        args=["reminders", "send", "--today", day.isoformat(), *extra]
    )
    assert result.exit_code == 0, result.output
    return result.output


def mail(app) -> list[QueuedEmail]:
    with app.app_context():
        rows = db.session.scalars(select(QueuedEmail).order_by(QueuedEmail.id)).all()
        db.session.expunge_all()
        return rows


def test_people_are_reminded_and_managers_get_a_digest_of_their_own_people(app, world, soon):
    output = send(app, world.day)
    messages = mail(app)
    by_person = {m.to_address: m for m in messages}
    assert set(by_person) == {
        world.partway.email,
        world.formula.email,
        world.outsider.email,
        soon.email,
        world.manager.email,
        world.other_manager.email,
    }
    assert "is overdue" in by_person[world.partway.email].subject
    assert "/courses/basics" in by_person[world.partway.email].text_body
    assert "is due on" in by_person[soon.email].subject
    due = world.day + dt.timedelta(days=4)
    assert f"{due.day} {due:%B %Y}" in by_person[soon.email].text_body
    digest = by_person[world.manager.email].text_body
    assert "2 people in Own Council have an overdue course" in digest
    assert "Bob Partway" in digest and world.formula.email in digest
    assert "Olga" not in digest and "Dan Duesoon" not in digest
    assert f"/reports/organisations/{world.own.id}?overdue=yes" in digest
    other_digest = by_person[world.other_manager.email].text_body
    assert "Olga Outsider" in other_digest and "Bob" not in other_digest
    assert "Queued 6 reminder(s); delivered 6 message(s)" in output
    assert all(m.sent_at is not None for m in messages)  # delivered at the end (outbox)


def test_a_second_run_the_same_day_sends_nothing(app, world, soon):
    send(app, world.day)
    before = len(mail(app))
    output = send(app, world.day)
    assert "Queued 0 reminder(s)" in output
    assert len(mail(app)) == before


def test_a_dry_run_lists_what_it_would_send_and_writes_nothing(app, world, soon):
    output = send(app, world.day, "--dry-run")
    assert f"Would send overdue to {world.partway.email}: Basics" in output
    assert f"Would send due soon to {soon.email}" in output
    assert f"Would send manager digest to {world.manager.email} (Own Council): 2 overdue" in output
    assert "Dry run: 6 reminder(s) would be sent; nothing was sent." in output
    assert mail(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReminderSent)) == 0


def test_overdue_people_are_reminded_again_after_the_repeat_interval(app, world, soon):
    send(app, world.day)
    for later in range(1, 5):
        assert "Queued 0 reminder(s)" in send(app, world.day + dt.timedelta(days=later))
    # Dan's course falls due: his first overdue reminder, and nothing else.
    output = send(app, world.day + dt.timedelta(days=5))
    assert f"Sending overdue to {soon.email}" in output
    assert "Queued 1 reminder(s)" in output
    assert "Queued 0 reminder(s)" in send(app, world.day + dt.timedelta(days=6))
    # A week on, the others are reminded again, the managers get a new digest, and the
    # three who started on the first day (Cara, Mona, Otto) are now due within a week.
    output = send(app, world.day + dt.timedelta(days=7))
    assert "Queued 8 reminder(s)" in output
    assert output.count("Sending due soon") == 3
    addresses = [m.to_address for m in mail(app)]
    assert addresses.count(soon.email) == 2  # due soon, then overdue
    assert addresses.count(world.partway.email) == 2
    digests = [m for m in mail(app) if m.subject.startswith("People in Own Council")]
    assert [m.to_address for m in digests] == [world.manager.email] * 2
    digest = digests[-1].text_body
    assert "3 people in Own Council" in digest and "Dan Duesoon" in digest


def test_the_settings_decide_how_early_and_how_often(app_factory, world, soon):
    app = app_factory(REMINDER_DAYS_BEFORE=2, REMINDER_REPEAT_DAYS=1)
    output = send(app, world.day, "--dry-run")
    assert soon.email not in output  # due in 4 days: not yet
    send(app, world.day)
    assert "Queued 5 reminder(s)" in send(app, world.day + dt.timedelta(days=1))


def test_completed_people_and_admins_are_never_reminded(app, world, soon):
    send(app, world.day)
    addresses = {m.to_address for m in mail(app)}
    assert world.complete.email not in addresses
    assert world.admin.email not in addresses
    assert world.new.email not in addresses  # started today: due in two weeks


def test_a_bad_date_is_refused(app, world):
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--today", "28/11/2026"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output


def test_two_runs_racing_on_the_same_day_cannot_both_record_a_reminder(app, world, soon):
    from sqlalchemy.exc import IntegrityError

    from induction.progress.reminders import plan_reminders, queue_reminders

    with app.app_context():
        planned = plan_reminders(world.day)  # both runs planned before either committed
        queue_reminders(planned, world.day)
        db.session.commit()
        with pytest.raises(IntegrityError):
            queue_reminders(planned, world.day)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(ReminderSent)) == len(planned)


def test_reminders_and_digests_carry_list_unsubscribe_and_an_html_part(app, world, soon):
    from induction.mail import deliver_pending, outbox_files, read_outbox_file

    send(app, world.day)
    with app.app_context():
        assert deliver_pending(limit=None).failed == 0
        messages = [read_outbox_file(f.name) for f in outbox_files()]
    assert len(messages) == 6  # three overdue, one due soon, two digests
    subjects = {m["To"]: m["Subject"] for m in messages}
    assert subjects[world.manager.email] == (
        "People in Own Council: 2 overdue, 1 finished, 0 not joined yet"
    )
    addresses = set()
    for message in messages:
        # Each person's own one-click address (RFC 8058).
        assert (
            str(message["List-Unsubscribe"])
            .strip()
            .startswith(f"<{app.config['BASE_URL']}/unsubscribe/")
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        addresses.add(message["List-Unsubscribe"])
        html = message.get_body(("html",)).get_content()
        assert "Open your course" in html or "Open your organisation&#39;s dashboard" in html
    assert len(addresses) == 6  # one address per person
    digest = next(m for m in messages if m["To"] == world.manager.email)
    html = digest.get_body(("html",)).get_content()
    # The formula-like name is listed as text; the only link is the dashboard's.
    assert "<li>=HYPERLINK(&#34;http://evil.example&#34;" in html
    assert re.findall(r'href="([^"]*)"', html) == [
        f"{app.config['BASE_URL']}/reports/organisations/{world.own.id}?overdue=yes"
    ]


def _unsubscribe_path(app, person) -> str:
    from induction.accounts.unsubscribe import unsubscribe_url

    with app.app_context():
        return unsubscribe_url(person.id).removeprefix(app.config["BASE_URL"])


def test_one_click_unsubscribe_stops_a_persons_reminders_and_a_managers_digest(app, world, soon):
    """A mail program's POST (RFC 8058), with no cookie and no CSRF token, stops them."""
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: the token is not needed here
    client = app.test_client()
    for person in (world.partway, world.manager):
        path = _unsubscribe_path(app, person)
        response = client.post(path, data={"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        assert "gets no more reminder emails" in response.get_data(as_text=True)
    send(app, world.day)
    sent_to = {row.to_address for row in mail(app)}
    assert world.partway.email not in sent_to and world.manager.email not in sent_to
    assert {world.formula.email, soon.email, world.other_manager.email} <= sent_to
    with app.app_context():
        from induction.accounts.audit import AuditEvent

        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("reminders.%"))
        ).all()
    assert actions == ["reminders.stopped", "reminders.stopped"]


def test_opening_the_address_changes_nothing_and_the_page_starts_them_again(app, world, soon):
    client = app.test_client()
    path = _unsubscribe_path(app, world.partway)
    page = client.get(path).get_data(as_text=True)  # a mail scanner following the link
    assert "Stop reminder emails" in page
    client.post(path)
    resumed = client.post(path, data={"action": "resume"}).get_data(as_text=True)
    assert "Stop reminder emails" in resumed
    send(app, world.day)
    assert world.partway.email in {row.to_address for row in mail(app)}


@pytest.mark.parametrize("token", ["not-a-token", "1.forged", "Mg.AAAAAAAAAAAAAAAAAAAAAAAAAAA"])
def test_a_forged_or_altered_unsubscribe_address_is_not_found(app, world, token):
    client = app.test_client()
    assert client.get(f"/unsubscribe/{token}").status_code == 404
    assert client.post(f"/unsubscribe/{token}").status_code == 404
    real = _unsubscribe_path(app, world.partway)
    assert client.post(real[:-2] + ("AA" if not real.endswith("AA") else "BB")).status_code == 404


def test_your_account_says_whether_reminders_are_on_and_links_to_stop_and_start_them(
    app, world, login_as
):
    client = login_as(world.partway)
    account = client.get("/account").get_data(as_text=True)
    path = _unsubscribe_path(app, world.partway)
    assert "Reminder emails" in account and "Stop reminder emails" in account
    assert f'href="{path}"' in account
    client.post(path)  # they stop them on their own page
    stopped = client.get("/account").get_data(as_text=True)
    assert "Stopped on" in stopped and "Start them again" in stopped
    assert f'href="{path}"' in stopped
    with app.app_context():
        assert db.session.get(User, world.partway.id).reminders_stopped_at is not None
