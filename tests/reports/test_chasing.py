"""Officers remind people: choose, preview, send; throttled; exactly once; out of scope is 404.

World: in "own", Bob Partway and the formula person are overdue, Cara New and Mona
Manager have not started, Alice Complete has finished (see conftest.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import threading
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import func, select, update

from induction.accounts.audit import AuditEvent
from induction.accounts.models import Invitation, User
from induction.database import utcnow
from induction.extensions import db
from induction.mail import QueuedEmail
from induction.progress import chasing
from induction.progress.models import ReminderKind, ReminderSent
from induction.progress.services import today
from induction.web.templating import uk_date
from tests.factories import csrf_token_from
from tests.quizzes.pages import page, text_of
from tests.reports.helpers import add_lesson, at
from tests.reports.test_summary import _invite


def remind_url(world, org=None, **args) -> str:
    args.setdefault("course", "basics")
    return f"/reminders/organisations/{(org or world.own).id}?" + urlencode(args, doseq=True)


def _send(client, url: str, message: str = ""):
    token = csrf_token_from(page(client.get(url)))
    return client.post(url, data={"csrf_token": token, "message": message, "send": "1"})


def _reminders(app) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(QueuedEmail.to_address, QueuedEmail.subject)
            .where(QueuedEmail.subject.like("Reminder: please %"))
            .order_by(QueuedEmail.to_address)
        ).all()
        return [tuple(row) for row in rows]


def test_everyone_overdue_gets_one_reminder_with_the_officers_message(app, world, login_as):
    client = login_as(world.manager)
    url = remind_url(world, group="overdue")
    preview = text_of(page(client.get(url)))
    assert "Remind everyone overdue" in preview
    assert "2 people will get this reminder" in preview
    assert "Bob Partway" in preview and "Alice Complete" not in preview
    assert "Mona Manager at Own Council asks you to" in preview
    assert "You won't get this email yourself." in preview
    # Bob read a lesson, the formula person (shown, coming first) nothing: the page says
    # how Bob's email differs from the one shown.
    assert (
        "Everyone gets the same email with their own name, due date and how far they are, except"
        " that the one who has started Basics but not finished it is asked to finish it, not"
        " start it." in preview
    )
    assert "Open your course here (if you have started it, you carry on where" in preview

    token = csrf_token_from(page(client.get(url)))
    updated = text_of(
        page(client.post(url, data={"csrf_token": token, "message": "Call me.", "preview": "1"}))
    )
    assert "Mona Manager writes: Call me." in updated
    assert _reminders(app) == []  # a preview sends nothing

    response = _send(client, url, "Please finish by Friday.")
    assert response.status_code == 302
    assert "Reminded 2 people about Basics." in text_of(page(client.get(response.location)))
    assert _reminders(app) == sorted(
        [
            (world.formula.email, "Reminder: please start Basics"),
            (world.partway.email, "Reminder: please finish Basics"),
        ]
    )
    with app.app_context():
        body = db.session.scalar(
            select(QueuedEmail.text_body).where(QueuedEmail.to_address == world.partway.email)
        )
        assert "Please finish by Friday." in body and "Hello Bob Partway" in body
        assert "asks you to finish your course" in body
        formula_body = db.session.scalar(
            select(QueuedEmail.text_body).where(QueuedEmail.to_address == world.formula.email)
        )
        assert "asks you to start your course" in formula_body
        recorded = db.session.execute(
            select(ReminderSent.user_id, ReminderSent.kind, ReminderSent.course_id)
        ).all()
        assert sorted(recorded) == sorted(
            [(world.partway.id, "officer", "basics"), (world.formula.id, "officer", "basics")]
        )
        events = db.session.execute(
            select(AuditEvent.target_id, AuditEvent.actor_id, AuditEvent.details).where(
                AuditEvent.action == "reminder.sent"
            )
        ).all()
        assert sorted(e.target_id for e in events) == sorted(
            [str(world.partway.id), str(world.formula.id)]
        )
        assert all(e.actor_id == world.manager.id for e in events)
        assert events[0].details == {"course": "basics", "message": "Please finish by Friday."}
    # The dashboard says when each person was last reminded.
    dashboard = text_of(page(client.get(f"/reports/organisations/{world.own.id}")))
    bob = dashboard.split("Remind Bob Partway", 1)[1].split("Cara New", 1)[0]
    assert today().strftime("%B %Y") in bob and "Never" not in bob


def test_people_ticked_one_by_one(app, world, login_as):
    client = login_as(world.manager)
    url = remind_url(world, person=[world.new.id, world.complete.id])
    text = text_of(page(client.get(url)))
    assert "1 person will get this reminder" in text
    assert "Already complete: 1" in text and "Alice Complete" in text
    _send(client, url)
    assert _reminders(app) == [(world.new.email, "Reminder: please start Basics")]


def test_nobody_is_reminded_twice_within_the_set_days(app, world, login_as):
    client = login_as(world.manager)
    url = remind_url(world, group="not_started")
    _send(client, url)
    first = _reminders(app)
    # Mona Manager has not started either, but a group never holds the officer sending it.
    assert {to for to, _ in first} == {world.new.email, world.formula.email}
    # Straight away again: nobody, and the page says when they were last reminded.
    text = text_of(page(client.get(url)))
    assert "There is no one to remind now" in text
    days = app.config["OFFICER_REMINDER_DAYS"]
    assert f"Left out: already reminded in the last {days} days (2)" in text
    assert "last reminded" in text
    assert "GMT" in text or "BST" in text  # the time is named with its zone
    _send(client, url)
    assert _reminders(app) == first
    # After OFFICER_REMINDER_DAYS days they may be reminded again.
    with app.app_context():
        db.session.execute(
            update(ReminderSent).values(
                sent_on=today() - dt.timedelta(days=days),
                created_at=utcnow() - dt.timedelta(days=days, minutes=1),
            )
        )
        db.session.commit()
    _send(client, url)
    assert len(_reminders(app)) == 4


def test_a_group_keeps_the_dashboards_audience_and_search(app, world, login_as):
    client = login_as(world.manager)
    dashboard = page(client.get(f"/reports/organisations/{world.own.id}?audience=officer"))
    found = re.search(
        r'<a href="([^"]+)">Remind the council officers not started'
        r'<span class="visually-hidden"> about Basics</span></a>',
        dashboard,
    )
    assert found is not None, "the dashboard's link names the audience it keeps"
    href = html.unescape(found.group(1))
    assert "audience=officer" in href and "group=not_started" in href
    text = text_of(page(client.get(href)))
    assert "Remind the council officers not started" in text
    assert "1 person will get this reminder" in text
    assert "-formula@example.org" in text and "Cara New" not in text  # Cara is an affiliate
    _send(client, href)
    assert _reminders(app) == [(world.formula.email, "Reminder: please start Basics")]
    # Back on the dashboard with the same filter.
    response = _send(client, remind_url(world, group="not_started", q="CARA"))
    assert "q=CARA" in response.location
    assert _reminders(app) == sorted(
        [
            (world.formula.email, "Reminder: please start Basics"),
            (world.new.email, "Reminder: please start Basics"),
        ]
    )


@pytest.mark.parametrize(
    ("cara_started", "shown", "verb", "others"),
    [
        (
            False,
            "formula",
            "start",
            "the one who has started Basics but not finished it is"
            " asked to finish it, not start it",
        ),
        (
            True,
            "partway",
            "finish",
            "the one who has not started Basics is asked to start it, not finish it",
        ),
    ],
    ids=["most not started", "most part way"],
)
def test_the_preview_shows_the_larger_groups_email_and_names_the_others(
    app, world, login_as, cara_started, shown, verb, others
):
    """The formula person (nothing done) comes first; the preview shows the email most
    of the people chosen get, and the words under it describe the others, not them."""
    if cara_started:
        with app.app_context():
            add_lesson(world.new.id, "basics", "welcome", 1, at(world.day))
            db.session.commit()
    client = login_as(world.manager)
    chosen = [world.formula.id, world.partway.id, world.new.id]
    text = text_of(page(client.get(remind_url(world, person=chosen))))
    sample = getattr(world, shown)
    assert f"What {sample.name} will get" in text
    assert f"To {sample.email}" in text
    assert f"Subject Reminder: please {verb} Basics" in text
    assert (
        "Everyone gets the same email with their own name, due date and how far they are,"
        f" except that {others}." in text
    )


@pytest.mark.parametrize(
    ("person", "verb"), [("new", "start"), ("partway", "finish")], ids=["nothing done", "part way"]
)
def test_someone_who_has_done_nothing_is_asked_to_start_not_finish(
    app, world, login_as, person, verb
):
    chosen = getattr(world, person)
    client = login_as(world.manager)
    url = remind_url(world, person=[chosen.id])
    text = text_of(page(client.get(url)))
    assert f"Subject Reminder: please {verb} Basics" in text
    assert f"Mona Manager at Own Council asks you to {verb} your course" in text
    assert "except that" not in text  # one person: nobody gets another email
    _send(client, url)
    assert _reminders(app) == [(chosen.email, f"Reminder: please {verb} Basics")]


@pytest.mark.parametrize(("days", "words"), [(3, "3 days"), (1, "day")])
def test_the_people_left_out_are_counted_with_the_configured_days(
    app, world, login_as, days, words
):
    app.config["OFFICER_REMINDER_DAYS"] = days
    client = login_as(world.manager)
    url = remind_url(world, group="overdue")
    _send(client, url)
    text = text_of(page(client.get(url)))
    assert f"Left out: already reminded in the last {words} (2)" in text
    assert f"Nobody is reminded about Basics more than once in {days} day" in text


@pytest.mark.parametrize("args", [{"audience": "mayor"}, {"q": "x" * 201}])
def test_a_group_with_a_filter_that_is_none_is_not_found(world, login_as, args):
    client = login_as(world.manager)
    assert client.get(remind_url(world, group="overdue", **args)).status_code == 404


def test_two_overlapping_sends_remind_each_person_once(app, world):
    """Both plan before either sends (two officers, or two tabs): one reminds, one does not."""
    with app.app_context():
        day = today()
        manager = db.session.get(User, world.manager.id)
        own = manager.organisation
        from induction.catalogue import get_catalogue

        course = get_catalogue().course("basics")
        first = chasing.plan(manager, own, course, day, group=chasing.Group.OVERDUE)
        with app.app_context():
            second_manager = db.session.get(User, world.manager.id)
            second = chasing.plan(
                second_manager,
                second_manager.organisation,
                course,
                day,
                group=chasing.Group.OVERDUE,
            )
        assert len(first.ready) == len(second.ready) == 2
        assert len(chasing.send(manager, own, first, "", day).reminded) == 2
        db.session.commit()
        with app.app_context():
            second_manager = db.session.get(User, world.manager.id)
            sent = chasing.send(second_manager, second_manager.organisation, second, "", day)
            db.session.commit()
            assert sent.reminded == [] and sent.skipped == 2
    assert len(_reminders(app)) == 2


def test_a_send_waits_for_the_other_and_then_reminds_nobody(app, world):
    """PostgreSQL: the second update waits for the first's row locks, then sees the new times."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("PostgreSQL only: SQLite writes one transaction at a time")
    from induction.catalogue import get_catalogue

    results: dict[str, int] = {}
    started = threading.Event()

    def remind_overdue(run: str, signal: threading.Event | None = None) -> None:
        """Plan and send in the current transaction (the caller commits)."""
        manager = db.session.get(User, world.manager.id)
        prepared = chasing.plan(
            manager,
            manager.organisation,
            get_catalogue().course("basics"),
            today(),
            group=chasing.Group.OVERDUE,
        )
        if signal is not None:
            signal.set()
        sent = chasing.send(manager, manager.organisation, prepared, "", today())
        results[run] = len(sent.reminded)

    def second_run() -> None:
        with app.app_context():
            remind_overdue("second", started)
            db.session.commit()

    with app.app_context():
        remind_overdue("first")
        thread = threading.Thread(target=second_run)
        thread.start()
        started.wait(10)
        thread.join(1)  # the second is blocked on the first's row locks
        assert thread.is_alive()
        db.session.commit()
    thread.join(30)
    assert results == {"first": 2, "second": 0}
    assert len(_reminders(app)) == 2


def test_another_organisations_people_answer_404(app, world, login_as):
    client = login_as(world.other_manager)
    for url in (
        remind_url(world, group="overdue"),  # own's organisation
        remind_url(world, org=world.other, person=[world.partway.id]),  # own's person
        remind_url(world, org=world.other, person=[world.outsider.id, world.partway.id]),
        remind_url(world, org=world.other, person=[999999]),
        remind_url(world, org=world.other, group="overdue", course="no-such-course"),
        remind_url(world, org=world.other, group="nonsense"),
        remind_url(world, org=world.other, person=["x"]),
        f"/reminders/organisations/{world.other.id}?group=overdue",  # no course
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data={"send": "1"}).status_code in (400, 404), url
    ok = client.get(remind_url(world, org=world.other, person=[world.outsider.id]))
    assert ok.status_code == 200
    # Learners may not remind anyone.
    learner = login_as(world.partway)
    assert learner.get(remind_url(world, group="overdue")).status_code == 403
    assert _reminders(app) == []


def test_nothing_chosen_goes_back_with_a_message(world, login_as):
    client = login_as(world.manager)
    response = client.get(remind_url(world))
    assert response.status_code == 302
    assert "Tick the people to remind first" in text_of(page(client.get(response.location)))


def test_a_message_too_long_is_refused_with_a_clear_message(app, world, login_as):
    client = login_as(world.manager)
    response = _send(client, remind_url(world, group="overdue"), "x" * 1001)
    assert response.status_code == 200
    assert "Keep your message to 1000 characters or fewer" in text_of(page(response))
    assert _reminders(app) == []


def test_an_invitation_is_renewed_and_another_organisations_is_not_found(app, world, login_as):
    with app.app_context():
        _invite(
            world.own.id,
            "late@example.org",
            expires_at=utcnow() - dt.timedelta(days=1),
            created_at=utcnow() - dt.timedelta(days=20),
        )
        _invite(world.other.id, "elsewhere@example.org")
        db.session.commit()
        own_id, other_id = (
            db.session.scalar(select(Invitation.id).where(Invitation.email == email))
            for email in ("late@example.org", "elsewhere@example.org")
        )
    client = login_as(world.manager)
    listing = page(client.get(f"/reports/organisations/{world.own.id}?status=invited"))
    assert "Send a new invitation" in listing
    token = csrf_token_from(listing)
    assert (
        client.post(
            f"/reminders/invitations/{other_id}/renew", data={"csrf_token": token}
        ).status_code
        == 404
    )
    response = client.post(f"/reminders/invitations/{own_id}/renew", data={"csrf_token": token})
    assert response.status_code == 302
    assert "A new invitation is on its way to late@example.org." in text_of(
        page(client.get(response.location))
    )
    with app.app_context():
        invitations = db.session.execute(
            select(Invitation.revoked_at, Invitation.expires_at)
            .where(Invitation.email == "late@example.org")
            .order_by(Invitation.id)
        ).all()
        assert invitations[0].revoked_at is not None
        assert invitations[1].revoked_at is None and invitations[1].expires_at > utcnow()
        for model, condition in (
            (QueuedEmail, QueuedEmail.to_address == "late@example.org"),
            (AuditEvent, AuditEvent.action == "invitation.renewed"),
        ):
            assert db.session.scalar(select(func.count()).select_from(model).where(condition)) == 1
    # The old invitation is withdrawn now: renewing it again is not found.
    assert (
        client.post(
            f"/reminders/invitations/{own_id}/renew", data={"csrf_token": token}
        ).status_code
        == 404
    )


def test_the_daily_reminders_count_in_the_throttle(app, world, login_as):
    """Someone the daily reminders just wrote to is not reminded again by an officer."""
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    text = text_of(page(login_as(world.manager).get(remind_url(world, group="overdue"))))
    assert "There is no one to remind now" in text
    days = app.config["OFFICER_REMINDER_DAYS"]
    assert f"Left out: already reminded in the last {days} days (2)" in text


def _stop_reminders(app, person) -> None:
    with app.app_context():
        db.session.execute(
            update(User).where(User.id == person.id).values(reminders_stopped_at=utcnow())
        )
        db.session.commit()


def test_people_who_stopped_reminder_emails_get_none_and_the_officer_is_told(app, world, login_as):
    _stop_reminders(app, world.partway)
    client = login_as(world.manager)
    url = remind_url(world, group="overdue")
    text = text_of(page(client.get(url)))
    assert "1 person will get this reminder" in text
    stopped = text.split("Stopped reminder emails: 1", 1)[1]
    assert "Bob Partway" in stopped and "ask them another way" in stopped
    assert "Bob Partway" not in text.split("will get this reminder", 1)[1].split("Stopped")[0]

    response = _send(client, url)
    assert "Reminded 1 person about Basics." in text_of(page(client.get(response.location)))
    assert _reminders(app) == [(world.formula.email, "Reminder: please start Basics")]
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(ReminderSent)
                .where(ReminderSent.user_id == world.partway.id)
            )
            == 0
        )
    # Ticked alone, nobody is left to remind, and the page says why.
    alone = text_of(page(client.get(remind_url(world, person=[world.partway.id]))))
    assert "There is no one to remind now" in alone
    assert "Stopped reminder emails: 1" in alone


def test_someone_who_stops_reminders_after_the_preview_is_not_reminded(app, world):
    from induction.catalogue import get_catalogue

    with app.app_context():
        manager = db.session.get(User, world.manager.id)
        course = get_catalogue().course("basics")
        prepared = chasing.plan(
            manager, manager.organisation, course, today(), group=chasing.Group.OVERDUE
        )
        assert {r.user_id for r in prepared.ready} == {world.partway.id, world.formula.id}
        assert prepared.stopped == []
    _stop_reminders(app, world.partway)  # between the preview and the send
    with app.app_context():
        manager = db.session.get(User, world.manager.id)
        sent = chasing.send(manager, manager.organisation, prepared, "", today())
        db.session.commit()
        assert [r.user_id for r in sent.reminded] == [world.formula.id]
        assert sent.skipped == 1
    assert _reminders(app) == [(world.formula.email, "Reminder: please start Basics")]


def test_the_person_page_and_the_dashboard_say_who_stopped_reminder_emails(app, world, login_as):
    client = login_as(world.manager)
    person, dashboard = (
        f"/reports/people/{world.partway.id}",
        f"/reports/organisations/{world.own.id}",
    )
    assert "Reminder emails" not in text_of(page(client.get(person)))
    assert "Stopped reminder emails" not in text_of(page(client.get(dashboard)))
    _stop_reminders(app, world.partway)
    after = text_of(page(client.get(person)))
    assert f"Reminder emails Stopped by {world.partway.name} on {today():%-d %B %Y}" in after
    board = text_of(page(client.get(dashboard)))
    assert board.count("Stopped reminder emails") == 1
    bob = board.split("Remind Bob Partway", 1)[1].split("Cara New", 1)[0]
    assert "Never Stopped reminder emails" in bob


def test_the_people_page_invites_from_a_csv_file_and_sends_a_new_invitation(app, world, login_as):
    with app.app_context():
        _invite(world.own.id, "waiting@example.org")
        db.session.commit()
        waiting = db.session.scalar(
            select(Invitation.id).where(Invitation.email == "waiting@example.org")
        )
    client = login_as(world.manager)
    people = page(client.get("/admin/people"))
    assert 'href="/reports/invitations/import">Invite several people from a CSV file</a>' in people
    assert f'action="/reminders/invitations/{waiting}/renew"' in people
    token = csrf_token_from(people)
    # Sent from the People page, it comes back there.
    response = client.post(
        f"/reminders/invitations/{waiting}/renew",
        data={"csrf_token": token, "next": "/admin/people?"},
    )
    assert response.status_code == 302 and response.location.rstrip("?") == "/admin/people"
    assert "A new invitation is on its way to waiting@example.org." in text_of(
        page(client.get(response.location))
    )
    # Anywhere else than this site, it goes to the dashboard's invited people instead.
    with app.app_context():
        renewed = db.session.scalar(
            select(Invitation.id).where(
                Invitation.email == "waiting@example.org", Invitation.revoked_at.is_(None)
            )
        )
    response = client.post(
        f"/reminders/invitations/{renewed}/renew",
        data={"csrf_token": token, "next": "https://evil.example/"},
    )
    assert response.location.endswith(f"/reports/organisations/{world.own.id}?status=invited")


def test_the_people_page_lists_expired_invitations_to_send_again(app, world, login_as):
    with app.app_context():
        _invite(world.own.id, "lapsed@example.org")
        _invite(world.own.id, "fresh@example.org")
        db.session.execute(
            update(Invitation)
            .where(Invitation.email == "lapsed@example.org")
            .values(expires_at=_noon_two_days_ago())
        )
        db.session.commit()
        lapsed = db.session.scalar(
            select(Invitation.id).where(Invitation.email == "lapsed@example.org")
        )
    client = login_as(world.manager)
    people = page(client.get("/admin/people"))
    words = text_of(people)
    assert "1 invitation link has expired: press Send a new invitation beside a person" in words
    # Said at the top too, linking down to them.
    top = words.split("Invite someone", 1)[0]
    assert "1 invitation link has expired. See the invitations not yet accepted" in top
    assert 'href="#invitations"' in people and 'id="invitations"' in people
    # The manager role is named as everywhere else on the pages.
    assert '<td data-label="Role">Lead officer</td>' in people
    assert '<td data-label="Role">Manager</td>' not in people
    lapsed_line = words.split("lapsed@example.org", 1)[1].split("Withdraw", 1)[0]
    expired_on = _noon_two_days_ago().date()  # noon UTC: the same day in the UK
    assert f"its link expired on {expired_on:%-d %B %Y}" in lapsed_line
    assert "Link expired" in lapsed_line
    fresh_line = words.split("fresh@example.org", 1)[1].split("Withdraw", 1)[0]
    assert "its link works until" in fresh_line and "Link expired" not in fresh_line
    # The expired one can be sent again from here.
    assert f'action="/reminders/invitations/{lapsed}/renew"' in people


def _noon_two_days_ago() -> dt.datetime:
    return dt.datetime.combine(today() - dt.timedelta(days=2), dt.time(12), tzinfo=dt.UTC)


def _preview_block(text: str) -> str:
    return text.split('<div id="preview" tabindex="-1">', 1)[1].split("</section>", 1)[0]


def test_updating_the_preview_comes_back_to_the_preview(app, world, login_as):
    client = login_as(world.manager)
    url = remind_url(world, group="overdue")
    form = page(client.get(url))
    # The button posts to the same address with #preview: the browser comes back there
    # (the preview can take focus), with or without JavaScript. Sending does not.
    button = re.search(r'<button [^>]*name="preview"[^>]*>', form).group(0)
    action = html.unescape(re.search(r'formaction="([^"]+)"', button).group(1))
    assert action.endswith("#preview")
    assert parse_qs(urlsplit(action).query) == parse_qs(urlsplit(url).query)
    assert "formaction" not in form.split('name="send"', 1)[1][:80]
    assert "Preview updated" not in form

    token = csrf_token_from(form)
    updated = page(
        client.post(action, data={"csrf_token": token, "message": "Call me.", "preview": "1"})
    )
    block = _preview_block(updated)
    assert "Preview updated with your message. Nothing has been sent yet." in text_of(block)
    assert "Mona Manager writes: Call me." in text_of(block)

    too_long = page(
        client.post(action, data={"csrf_token": token, "message": "x" * 1001, "preview": "1"})
    )
    block = _preview_block(too_long)
    assert "Error: Keep your message to 1000 characters or fewer . Nothing is sent until you" in (
        text_of(block)
    )
    assert '<a href="#message">' in block
    assert _reminders(app) == []


OVERDUE = chasing.Group.OVERDUE


def _record_reminder(app, person: User, course_id: str, kind: str, days_ago: int) -> None:
    with app.app_context():
        db.session.add(
            ReminderSent(
                user_id=person.id,
                course_id=course_id,
                kind=kind,
                sent_on=today() - dt.timedelta(days=days_ago),
                created_at=utcnow() - dt.timedelta(days=days_ago),
            )
        )
        db.session.commit()


def test_a_reminder_about_another_course_does_not_hold_this_one_back(app, world, login_as):
    """Reminded yesterday about another course (by an officer, or the daily reminders), a
    person is still reminded about this one; reminded about this one, they are left out."""
    with app.app_context():  # an officer reminds both about another course, through `send`
        from induction.catalogue import get_catalogue

        manager = db.session.get(User, world.manager.id)
        other = dataclasses.replace(get_catalogue().course("basics"), id="another-course")
        prepared = chasing.plan(manager, manager.organisation, other, today(), group=OVERDUE)
        ready = {person.user_id for person in prepared.ready}
        assert {world.partway.id, world.formula.id} <= ready
        chasing.send(manager, manager.organisation, prepared, "", today())
        db.session.commit()
    _record_reminder(app, world.formula, "another-course", ReminderKind.OVERDUE.value, 1)
    before = len(_reminders(app))
    assert before == len(ready)
    client = login_as(world.manager)
    url = remind_url(world, group="overdue")
    text = text_of(page(client.get(url)))
    assert "2 people will get this reminder" in text and "Left out" not in text
    # The dashboard's Last reminded column is about the course it shows: never, for Basics.
    dashboard = page(client.get(f"/reports/organisations/{world.own.id}?course=basics"))
    assert _last_reminded(dashboard, "Bob Partway") == "Never"
    _send(client, url)
    assert len(_reminders(app)) == before + 2
    dashboard = page(client.get(f"/reports/organisations/{world.own.id}?course=basics"))
    assert _last_reminded(dashboard, "Bob Partway") == uk_date(today())
    again = text_of(page(client.get(url)))
    assert "There is no one to remind now" in again
    assert "Nobody is reminded about Basics more than once in" in again
    # A daily reminder about Basics counts as much as an officer's.
    with app.app_context():
        db.session.execute(
            update(ReminderSent)
            .where(ReminderSent.course_id == "basics")
            .values(kind=ReminderKind.OVERDUE.value)
        )
        db.session.commit()
    assert "There is no one to remind now" in text_of(page(client.get(url)))


def test_a_digest_to_a_lead_officer_is_no_reminder_about_a_course(app, world, login_as):
    _record_reminder(app, world.partway, "", ReminderKind.MANAGER_DIGEST.value, 0)
    client = login_as(world.manager)
    text = text_of(page(client.get(remind_url(world, person=[world.partway.id]))))
    assert "1 person will get this reminder" in text


def _last_reminded(dashboard: str, name: str) -> str:
    """Return the text of the Last reminded cell of `name`'s row on the dashboard."""
    row = next(r for r in re.findall(r"<tr\b.*?</tr>", dashboard, re.S) if name in r)
    cell = re.search(r'data-label="Last reminded"[^>]*>(.*?)</td>', row, re.S)
    assert cell is not None, row
    return text_of(cell.group(1)).strip()
