"""People invited who have not joined: the expired links first, new invitations to all of
them at once, and sending one keeps the dashboard's filters.

World: see conftest.py ("own" and "other", each with a lead officer).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import delete, func, select

from induction.accounts.audit import AuditEvent
from induction.accounts.models import Invitation
from induction.database import utcnow
from induction.extensions import db
from induction.mail import QueuedEmail
from tests.factories import csrf_token_from
from tests.quizzes.pages import page, text_of
from tests.reports.test_summary import _invite, _listed


def _lapsed(org_id: int, email: str, *, audience: str = "officer", days_ago: int = 20) -> None:
    """Invite `email` `days_ago` days ago, with a link that has expired since."""
    now = utcnow()
    _invite(
        org_id,
        email,
        audience=audience,
        created_at=now - dt.timedelta(days=days_ago),
        expires_at=now - dt.timedelta(days=days_ago - 14),
    )


@pytest.fixture
def waiting(app, world):
    """Own: Zed and Cal invited long ago (links expired; Cal a councillor), Amy and Bob
    invited since (links work); other: one expired."""
    with app.app_context():
        _lapsed(world.own.id, "zed@example.org", days_ago=30)
        _lapsed(world.own.id, "cal@example.org", audience="councillor", days_ago=20)
        _invite(world.own.id, "amy@example.org", created_at=utcnow() - dt.timedelta(days=2))
        _invite(world.own.id, "bob@example.org")
        _lapsed(world.other.id, "elsewhere@example.org")
        db.session.commit()
    return world


def _url(world, **args) -> str:
    return f"/reports/organisations/{world.own.id}?" + urlencode({"status": "invited", **args})


def _names(html_text: str) -> list[str]:
    return [line.split()[0] for line in _listed(html_text)]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ({}, ["Cal", "Zed", "Amy", "Bob"]),
        ({"sort": "-name"}, ["Zed", "Cal", "Bob", "Amy"]),
        ({"sort": "-email"}, ["Zed", "Cal", "Bob", "Amy"]),
        ({"sort": "-progress"}, ["Cal", "Zed", "Amy", "Bob"]),  # no progress yet: by name
    ],
)
def test_expired_links_are_listed_first_then_in_the_order_chosen(waiting, login_as, sort, expected):
    html_text = page(login_as(waiting.manager).get(_url(waiting, **sort)))
    assert _names(html_text) == expected
    assert "2 invitation links have expired: they are listed first." in text_of(html_text)


def _expired_form(html_text: str) -> str:
    block = html_text.split('id="expired-links"', 1)[1].split("</div>", 1)[0]
    return html.unescape(block)


def test_everyone_whose_link_has_expired_is_sent_a_new_invitation_at_once(app, waiting, login_as):
    client = login_as(waiting.manager)
    dashboard = page(client.get(f"/reports/organisations/{waiting.own.id}"))
    block = _expired_form(dashboard)
    assert "2 invitation links have expired: those people cannot join until they get new" in (
        text_of(block)
    )
    action = f"/reminders/organisations/{waiting.own.id}/invitations/renew-expired"
    assert f'action="{action}"' in block and "Send new invitations to all 2" in block
    token = csrf_token_from(dashboard)

    response = client.post(action, data={"csrf_token": token})
    assert response.status_code == 302
    assert response.location == _url(waiting)
    after = page(client.get(response.location))
    assert (
        "New invitations are on their way to 2 people whose link had expired. "
        "Each new link works for 14 days." in text_of(after)
    )
    assert "expired-links" not in after and _names(after) == ["Amy", "Bob", "Cal", "Zed"]
    with app.app_context():
        rows = db.session.execute(
            select(Invitation.email, Invitation.revoked_at, Invitation.expires_at)
        ).all()
        live = {row.email for row in rows if row.revoked_at is None}
        renewed = {row.email for row in rows if row.revoked_at is not None}
        assert renewed == {"zed@example.org", "cal@example.org"}
        assert live == {
            "zed@example.org",
            "cal@example.org",
            "amy@example.org",
            "bob@example.org",
            "elsewhere@example.org",
        }
        fresh = {row.email for row in rows if row.revoked_at is None and row.expires_at > utcnow()}
        assert "elsewhere@example.org" not in fresh  # another organisation's: untouched
        sent = db.session.scalars(select(QueuedEmail.to_address)).all()
        assert sorted(sent) == ["cal@example.org", "zed@example.org"]
        audited = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "invitation.renewed")
        )
        assert audited == 2

    # Pressed again (a second tab): nothing has expired now, nothing is sent.
    again = client.post(action, data={"csrf_token": token})
    assert "No invitation link has expired now: nothing was sent." in text_of(
        page(client.get(again.location))
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QueuedEmail)) == 2


def test_the_dashboards_audience_and_search_choose_whose_links_are_renewed(app, waiting, login_as):
    client = login_as(waiting.manager)
    councillors = page(client.get(f"/reports/organisations/{waiting.own.id}?audience=councillor"))
    block = _expired_form(councillors)
    assert "1 invitation link has expired among the people you chose" in text_of(block)
    action = f"/reminders/organisations/{waiting.own.id}/invitations/renew-expired"
    assert f'action="{action}?audience=councillor"' in block
    assert "Send a new invitation to that person" in block
    response = client.post(
        f"{action}?audience=councillor", data={"csrf_token": csrf_token_from(councillors)}
    )
    assert response.location == _url(waiting, audience="councillor")
    with app.app_context():
        assert db.session.scalars(select(QueuedEmail.to_address)).all() == ["cal@example.org"]


@pytest.mark.parametrize("query", ["", "?audience=nobody"])
def test_another_organisation_or_an_unknown_audience_is_not_found(app, waiting, login_as, query):
    client = login_as(waiting.other_manager)
    token = csrf_token_from(page(client.get(f"/reports/organisations/{waiting.other.id}")))
    org = waiting.own if not query else waiting.other
    response = client.post(
        f"/reminders/organisations/{org.id}/invitations/renew-expired{query}",
        data={"csrf_token": token},
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QueuedEmail)) == 0


def test_a_new_invitation_to_one_person_comes_back_to_the_same_list(waiting, login_as):
    client = login_as(waiting.manager)
    listing = page(client.get(_url(waiting, sort="-name", q="example")))
    form = re.search(
        r'<form method="post" action="(/reminders/invitations/\d+/renew)">.*?'
        r'name="next" value="([^"]+)"',
        listing,
    )
    assert form is not None
    back = html.unescape(form.group(2))
    address = urlsplit(back)
    assert address.path == f"/reports/organisations/{waiting.own.id}"
    wanted = {"status": ["invited"], "q": ["example"], "sort": ["-name"]}
    assert {k: v for k, v in parse_qs(address.query).items() if k != "course"} == wanted
    response = client.post(
        form.group(1), data={"csrf_token": csrf_token_from(listing), "next": back}
    )
    assert response.status_code == 302 and response.location == back


NOTE = "Welcome aboard & ask for <b>me</b> at the first meeting."


@pytest.mark.parametrize("renewal", ["one", "every-expired"])
def test_a_renewed_invitation_carries_the_first_ones_note(app, world, login_as, renewal):
    """The inviter's note is kept with the invitation: the new invitation sent when the
    link has expired, to one person or to all at once, says it again (escaped in HTML)."""
    client = login_as(world.manager)
    invited = client.post(
        "/admin/people/invite",
        data={
            "email": "noted@example.org",
            "name": "Nia Noted",
            "role": "learner",
            "audience": "officer",
            "note": NOTE,
        },
    )
    assert invited.status_code == 302
    with app.app_context():
        first = db.session.scalars(select(Invitation)).one()
        assert first.note == NOTE
        first.expires_at = utcnow() - dt.timedelta(days=1)
        first_id = first.id
        db.session.execute(delete(QueuedEmail))
        db.session.commit()

    listing = page(client.get(_url(world)))
    action = (
        f"/reminders/invitations/{first_id}/renew"
        if renewal == "one"
        else f"/reminders/organisations/{world.own.id}/invitations/renew-expired"
    )
    assert client.post(action, data={"csrf_token": csrf_token_from(listing)}).status_code == 302

    with app.app_context():
        [email] = db.session.scalars(select(QueuedEmail)).all()
        renewed = db.session.scalars(
            select(Invitation).where(Invitation.revoked_at.is_(None))
        ).one()
        assert (renewed.id != first_id, renewed.note) == (True, NOTE)
    assert email.to_address == "noted@example.org"
    assert NOTE in email.text_body
    assert "Welcome aboard &amp; ask for &lt;b&gt;me&lt;/b&gt; at the first meeting." in (
        email.html_body
    )
    assert "<b>me</b>" not in email.html_body


def test_a_note_sent_again_by_someone_else_is_still_in_its_writers_name(app, world, login_as):
    client = login_as(world.manager)
    client.post(
        "/admin/people/invite",
        data={"email": "noted@example.org", "role": "learner", "audience": "officer", "note": NOTE},
    )
    with app.app_context():
        first = db.session.scalars(select(Invitation)).one()
        writer = first.invited_by.name
        first.expires_at = utcnow() - dt.timedelta(days=1)
        first_id = first.id
        db.session.execute(delete(QueuedEmail))
        db.session.commit()
    admin = login_as(role="admin", name="Ada Admin")
    listing = page(admin.get(_url(world)))
    response = admin.post(
        f"/reminders/invitations/{first_id}/renew", data={"csrf_token": csrf_token_from(listing)}
    )
    assert response.status_code == 302
    with app.app_context():
        [email] = db.session.scalars(select(QueuedEmail)).all()
    assert "Ada Admin has invited you" in email.text_body
    assert f"{writer} writes:\n\n{NOTE}" in email.text_body


def _expire_and_renew(app, client, world, by_name: str) -> QueuedEmail:
    """Let the pending invitation's link expire, send it again as `client`, and return the
    email sent (the only one)."""
    with app.app_context():
        pending = db.session.scalars(
            select(Invitation).where(Invitation.revoked_at.is_(None))
        ).one()
        pending.expires_at = utcnow() - dt.timedelta(days=1)
        pending_id = pending.id
        db.session.execute(delete(QueuedEmail))
        db.session.commit()
    listing = page(client.get(_url(world)))
    response = client.post(
        f"/reminders/invitations/{pending_id}/renew", data={"csrf_token": csrf_token_from(listing)}
    )
    assert response.status_code == 302
    with app.app_context():
        [email] = db.session.scalars(select(QueuedEmail)).all()
        db.session.expunge(email)
    assert f"{by_name} has invited you" in email.text_body
    return email


def test_a_note_sent_again_and_again_stays_in_its_writers_name(app, world, login_as):
    """However many people send an invitation again, and in whatever order, its note is
    in the name of the one who wrote it, never of whoever sent it before."""
    writer = login_as(world.manager)
    writer.post(
        "/admin/people/invite",
        data={"email": "noted@example.org", "role": "learner", "audience": "officer", "note": NOTE},
    )
    second = login_as(world.admin)
    third = login_as(role="manager", organisation=world.own, name="Theo Third")
    for client, name in (
        (second, "Ada Admin"),
        (third, "Theo Third"),
        (writer, "Mona Manager"),
        (third, "Theo Third"),
    ):
        email = _expire_and_renew(app, client, world, name)
        assert f"Mona Manager writes:\n\n{NOTE}" in email.text_body
    with app.app_context():
        invitations = db.session.scalars(select(Invitation)).all()
        assert {i.note_by_id for i in invitations} == {world.manager.id}
        assert len({i.invited_by_id for i in invitations}) == 3
