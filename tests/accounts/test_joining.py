"""Invitations and self-registration with a join code."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from induction.accounts.models import AccountToken, Invitation, Organisation, User
from induction.database import utcnow
from induction.extensions import db
from tests.factories import TEST_PASSWORD, sign_in


def _invite(client, **data):
    form = {
        "email": "new@example.org",
        "name": "",
        "role": "learner",
        "audience": "councillor",
        **data,
    }
    return client.post("/admin/people/invite", data=form)


def _user(app, email):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def test_admin_invites_a_manager_who_invites_a_councillor_who_signs_in(
    app, login_as, make_org, mailbox, audit_actions
):
    org = make_org("Kirklees Council")
    admin = login_as(role="admin")
    response = _invite(
        admin,
        email="Lead@Kirklees.example",
        name="Lee Lead",
        role="manager",
        audience="officer",
        organisation=org.id,
    )
    assert response.status_code == 302
    invitation = mailbox("lead@kirklees.example")[-1]
    assert "Lee Lead" in invitation.text or "Hello" in invitation.text

    manager = app.test_client()
    page = manager.get(invitation.link_path).get_data(as_text=True)
    assert "Kirklees Council" in page
    assert 'value="Lee Lead"' in page
    response = manager.post(
        invitation.link_path, data={"name": "Lee Lead", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    lead = _user(app, "lead@kirklees.example")
    assert lead.role == "manager"
    assert lead.organisation_id == org.id

    # The manager invites a councillor into their own organisation.
    response = _invite(
        manager, email="cllr@kirklees.example", role="learner", audience="councillor"
    )
    assert response.status_code == 302
    link = mailbox("cllr@kirklees.example")[-1].link_path
    councillor = app.test_client()
    councillor.post(link, data={"name": "Cllr Cooper", "password": "river otter marmalade sky"})
    councillor.post("/logout")
    response = councillor.post(
        "/login", data={"email": "cllr@kirklees.example", "password": "river otter marmalade sky"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    person = _user(app, "cllr@kirklees.example")
    assert (person.role, person.audience, person.organisation_id) == (
        "learner",
        "councillor",
        org.id,
    )
    assert {"invitation.sent", "invitation.accepted"} <= set(audit_actions())


def test_invitation_link_is_single_use(app, login_as, make_org, mailbox):
    org = make_org()
    _invite(login_as(role="admin"), organisation=org.id)
    link = mailbox("new@example.org")[-1].link_path
    app.test_client().post(link, data={"name": "New", "password": TEST_PASSWORD})
    again = app.test_client()
    assert again.get(link).status_code == 404
    assert again.post(link, data={"name": "Eve", "password": TEST_PASSWORD}).status_code == 404


def test_expired_invitation_is_refused(app, login_as, make_org, mailbox):
    _invite(login_as(role="admin"), organisation=make_org().id)
    with app.app_context():
        db.session.execute(update(Invitation).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
        db.session.commit()
    assert app.test_client().get(mailbox()[-1].link_path).status_code == 404


def test_invitation_lasts_fourteen_days_and_stores_only_a_hash(app, login_as, make_org, mailbox):
    _invite(login_as(role="admin"), organisation=make_org().id)
    token = mailbox()[-1].link_path.rsplit("/", 1)[1]
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        lifetime = invitation.expires_at - invitation.created_at
    assert dt.timedelta(days=13, hours=23) < lifetime <= dt.timedelta(days=14)
    assert token not in invitation.token_hash
    assert len(token) >= 43


def test_a_new_invitation_replaces_the_pending_one(app, login_as, make_org, mailbox):
    admin = login_as(role="admin")
    org = make_org()
    _invite(admin, organisation=org.id)
    first = mailbox()[-1].link_path
    _invite(admin, organisation=org.id)
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(mailbox()[-1].link_path).status_code == 200


def test_revoked_invitation_stops_working(app, login_as, make_org, mailbox):
    admin = login_as(role="admin")
    _invite(admin, organisation=make_org().id)
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    assert admin.post(f"/admin/invitations/{invitation_id}/revoke").status_code == 302
    assert app.test_client().get(mailbox()[-1].link_path).status_code == 404


def test_manager_cannot_invite_an_admin(login_as):
    manager = login_as(role="manager")
    page = _invite(manager, role="admin").get_data(as_text=True)
    assert "Not a valid choice" in page or "cannot invite" in page


def test_manager_invites_only_into_their_own_organisation(app, login_as, make_org, mailbox):
    manager = login_as(role="manager")
    other = make_org("Elsewhere Council")
    _invite(manager, organisation=other.id)
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
    assert invitation.organisation_id == manager.user.organisation_id


def test_inviting_a_visible_existing_account_says_so(login_as, make_user):
    manager = login_as(role="manager")
    colleague = make_user(organisation=SimpleNamespace(id=manager.user.organisation_id))
    page = _invite(manager, email=colleague.email).get_data(as_text=True)
    assert "already has an account" in page


def test_inviting_an_account_the_manager_cannot_see_reveals_nothing(login_as, make_user, mailbox):
    manager = login_as(role="manager")
    stranger = make_user()  # another organisation
    response = _invite(manager, email=stranger.email)
    assert response.status_code == 302  # the same answer as for a new address
    assert "already have an account" in mailbox(stranger.email)[-1].text


def test_invitation_form_errors_keep_values(login_as):
    admin = login_as(role="admin")
    page = _invite(admin, email="bad", name="Someone Typed", role="", organisation=0).get_data(
        as_text=True
    )
    assert "Enter an email address in the right format" in page
    assert 'value="Someone Typed"' in page
    assert "Choose a role" in page


def test_learner_and_anonymous_cannot_invite(client, login_as):
    assert _invite(login_as()).status_code == 403
    assert _invite(client).status_code == 302


# Self-registration


@pytest.fixture
def org_with_code(make_org):
    return make_org("Oldham Council", join_code="OLDHAM2024CODE")


SAME_ANSWER = "If the join code is right, we have sent an email"


def test_registration_with_the_right_code_sends_a_link_to_finish(
    app, client, org_with_code, mailbox
):
    response = client.post(
        "/register", data={"join_code": "oldham-2024-code", "email": "Me@Example.org"}
    )
    assert SAME_ANSWER in response.get_data(as_text=True)
    response.close()
    link = mailbox("me@example.org")[-1].link_path
    page = client.get(link).get_data(as_text=True)
    assert "Oldham Council" in page
    assert "me@example.org" in page
    response = client.post(
        link, data={"name": "Morgan", "audience": "councillor", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    me = _user(app, "me@example.org")
    assert (me.role, me.audience, me.organisation_id) == ("learner", "councillor", org_with_code.id)
    assert app.test_client().get(link).status_code == 404  # single use


def test_registration_answers_the_same_for_wrong_code_and_existing_account(
    client, org_with_code, make_user, mailbox
):
    existing = make_user(email="taken@example.org")
    answers = []
    for code, email in [
        ("WRONGCODE", "a@example.org"),
        ("OLDHAM2024CODE", existing.email),
        ("OLDHAM2024CODE", "b@example.org"),
    ]:
        response = client.post("/register", data={"join_code": code, "email": email})
        page = response.get_data(as_text=True).replace(email, "EMAIL")
        answers.append((response.status_code, page))
        response.close()
    assert answers[0] == answers[1] == answers[2]
    assert mailbox("a@example.org") == []  # wrong code: nothing sent
    reminder = mailbox(existing.email)[-1]
    assert "you already have one" in reminder.text
    assert "/reset/" in reminder.link_path
    with client.application.app_context():
        assert (
            db.session.scalar(select(User).where(User.email == "taken@example.org")).id
            == existing.id
        )


def test_registration_link_expires_after_a_day(app, client, org_with_code, mailbox):
    client.post(
        "/register", data={"join_code": "OLDHAM2024CODE", "email": "late@example.org"}
    ).close()
    with app.app_context():
        token = db.session.scalar(select(AccountToken))
        assert (
            dt.timedelta(hours=23) < token.expires_at - token.created_at <= dt.timedelta(hours=24)
        )
        db.session.execute(
            update(AccountToken).values(expires_at=utcnow() - dt.timedelta(seconds=1))
        )
        db.session.commit()
    assert client.get(mailbox()[-1].link_path).status_code == 404


def test_clearing_the_join_code_turns_registration_off_for_that_organisation(
    app, client, org_with_code, mailbox
):
    client.post("/register", data={"join_code": "OLDHAM2024CODE", "email": "x@example.org"}).close()
    link = mailbox()[-1].link_path
    with app.app_context():
        db.session.execute(update(Organisation).values(join_code=None))
        db.session.commit()
    assert client.get(link).status_code == 404


def test_registration_can_be_turned_off_for_the_site(app_factory, org_with_code):
    app = app_factory(SELF_REGISTRATION_ENABLED=False)
    client = app.test_client()
    assert client.get("/register").status_code == 404
    assert "join code" not in client.get("/login").get_data(as_text=True)


def test_registration_form_errors(client):
    page = client.post("/register", data={"join_code": "", "email": "nope"}).get_data(as_text=True)
    assert "Enter your organisation&#39;s join code" in page
    assert "Enter an email address in the right format" in page
    assert 'value="nope"' in page


def test_registration_finish_form_keeps_values_but_not_the_password(client, org_with_code, mailbox):
    client.post("/register", data={"join_code": "OLDHAM2024CODE", "email": "p@example.org"}).close()
    link = mailbox()[-1].link_path
    page = client.post(
        link, data={"name": "Pat", "audience": "officer", "password": "password1"}
    ).get_data(as_text=True)
    assert "harder to guess" in page
    assert 'value="Pat"' in page
    assert "password1" not in page
    assert re.search(r'<input checked [^>]*name="audience"[^>]*value="officer">', page)


def test_signed_in_manager_sees_invite_link(login_as):
    page = login_as(role="manager").get("/admin/people").get_data(as_text=True)
    assert "Invite someone" in page


def test_existing_sign_in_is_unaffected_by_invitation(app, login_as, make_org, mailbox):
    admin = login_as(role="admin")
    _invite(admin, organisation=make_org().id)
    invitee = app.test_client()
    invitee.post(mailbox()[-1].link_path, data={"name": "In Vitee", "password": TEST_PASSWORD})
    assert invitee.get("/account").status_code == 200
    person = _user(app, "new@example.org")
    fresh = app.test_client()
    sign_in(fresh, person)
    assert fresh.get("/account").status_code == 200


def test_an_invitation_may_say_the_day_due_dates_count_from(app, login_as, mailbox):
    manager = login_as(role="manager")
    election = dt.date.today() - dt.timedelta(days=10)
    written = f"{election.day} {election:%B %Y}"  # "7 May 2026", as people write it
    response = _invite(manager, email="cllr@example.org", start_date=written)
    assert response.status_code == 302
    link = mailbox("cllr@example.org")[-1].link_path
    app.test_client().post(link, data={"name": "Cllr Cooper", "password": TEST_PASSWORD})
    assert _user(app, "cllr@example.org").start_date == election
    # Left empty, they count from the day they join.
    _invite(manager, email="later@example.org")
    link = mailbox("later@example.org")[-1].link_path
    app.test_client().post(link, data={"name": "Lee Later", "password": TEST_PASSWORD})
    assert _user(app, "later@example.org").start_date != election


def test_an_invitation_start_date_that_is_not_a_date_is_explained(login_as):
    response = _invite(login_as(role="manager"), start_date="next Tuesday")
    page = response.get_data(as_text=True)
    assert "Enter a real date" in page
    assert 'value="new@example.org"' in page  # what was typed is kept
