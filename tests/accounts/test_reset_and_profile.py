"""Forgot password, change password, change email address, and the profile page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from induction.accounts.models import AccountToken, User, UserSession
from induction.database import utcnow
from induction.extensions import db
from tests.factories import TEST_PASSWORD, sign_in

NEW_PASSWORD = "lighthouse pebble orchard violin"


def _user(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def _session_count(app, user_id):
    with app.app_context():
        return len(
            db.session.scalars(select(UserSession).where(UserSession.user_id == user_id)).all()
        )


def test_reset_answers_the_same_whether_or_not_the_address_has_an_account(
    client, make_user, mailbox
):
    user = make_user(email="known@example.org")
    known = client.post("/reset", data={"email": "KNOWN@example.org"})
    unknown = client.post("/reset", data={"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 200
    normalise = lambda r, e: r.get_data(as_text=True).replace(e, "EMAIL")  # noqa: E731
    assert normalise(known, "known@example.org") == normalise(unknown, "unknown@example.org")
    known.close()
    unknown.close()
    assert mailbox("unknown@example.org") == []
    assert "/reset/" in mailbox(user.email)[-1].link_path


def test_reset_link_sets_a_new_password_once_and_ends_every_session(app, login_as, client, mailbox):
    signed_in = login_as()
    user = signed_in.user
    client.post("/reset", data={"email": user.email}).close()
    link = mailbox(user.email)[-1].link_path
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD})
    assert response.headers["Location"] == "/login"
    assert _session_count(app, user.id) == 0
    assert signed_in.get("/account").status_code == 302  # the old session ended
    assert client.get(link).status_code == 404  # used
    sign_in(app.test_client(), user, NEW_PASSWORD)
    assert "changed" in mailbox(user.email)[-1].subject


def test_reset_link_expires_after_an_hour(app, client, make_user, mailbox):
    user = make_user()
    client.post("/reset", data={"email": user.email}).close()
    with app.app_context():
        token = db.session.scalar(select(AccountToken))
        assert (
            dt.timedelta(minutes=59) < token.expires_at - token.created_at <= dt.timedelta(hours=1)
        )
        db.session.execute(
            update(AccountToken).values(expires_at=utcnow() - dt.timedelta(seconds=1))
        )
        db.session.commit()
    response = client.get(mailbox(user.email)[-1].link_path)
    assert response.status_code == 404
    assert "ask for a new one" in response.get_data(as_text=True)


def test_a_new_password_from_a_reset_link_must_follow_the_rules(client, make_user, mailbox):
    user = make_user()
    client.post("/reset", data={"email": user.email}).close()
    link = mailbox(user.email)[-1].link_path
    page = client.post(link, data={"password": "12345678"}).get_data(as_text=True)
    assert "harder to guess" in page
    assert client.get(link).status_code == 200  # not used up by a refused attempt


def test_using_one_reset_link_cancels_the_others(client, make_user, mailbox):
    user = make_user()
    client.post("/reset", data={"email": user.email}).close()
    client.post("/reset", data={"email": user.email}).close()
    first, second = (m.link_path for m in mailbox(user.email)[-2:])
    client.post(second, data={"password": NEW_PASSWORD})
    assert client.get(first).status_code == 404


def test_deactivated_account_gets_no_reset_email(client, make_user, mailbox):
    user = make_user(is_active=False)
    client.post("/reset", data={"email": user.email}).close()
    assert mailbox(user.email) == []


def test_change_password_keeps_this_session_and_ends_the_others(app, login_as, audit_actions):
    client = login_as()
    other = login_as(client.user)
    response = client.post(
        "/account/password", data={"current_password": TEST_PASSWORD, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302
    assert _session_count(app, client.user.id) == 1
    assert "password.changed" in audit_actions()
    sign_in(app.test_client(), client.user, NEW_PASSWORD)


def test_change_password_asks_for_the_right_current_password(login_as):
    client = login_as()
    page = client.post(
        "/account/password", data={"current_password": "not it at all", "password": NEW_PASSWORD}
    ).get_data(as_text=True)
    assert "Your current password is not right" in page
    assert NEW_PASSWORD not in page  # passwords are never put back in the form


def test_change_email_needs_confirmation_from_the_new_address(
    app, login_as, mailbox, audit_actions
):
    client = login_as()
    old = client.user.email
    response = client.post(
        "/account/email", data={"email": "New@Example.org", "current_password": TEST_PASSWORD}
    )
    assert "Check your new email address" in response.get_data(as_text=True)
    assert _user(app, client.user.id).email == old  # not yet
    assert "new@example.org" in mailbox(old)[-1].text  # the old address is told
    link = mailbox("new@example.org")[-1].link_path
    assert client.get(link).status_code == 200  # a page with a button: scanners change nothing
    assert _user(app, client.user.id).email == old
    response = client.post(link)
    assert response.status_code == 302
    assert _user(app, client.user.id).email == "new@example.org"
    assert client.post(link).status_code == 404
    assert "email.changed" in audit_actions()


def test_change_email_to_a_taken_address_tells_that_address_and_changes_nothing(
    app, login_as, make_user, mailbox
):
    taken = make_user(email="taken@example.org")
    client = login_as()
    response = client.post(
        "/account/email", data={"email": taken.email, "current_password": TEST_PASSWORD}
    )
    assert "Check your new email address" in response.get_data(as_text=True)  # same answer
    assert "already has an account" in mailbox(taken.email)[-1].text
    with app.app_context():
        assert (
            db.session.scalar(select(AccountToken).where(AccountToken.email == taken.email)) is None
        )


def test_change_email_checks_the_password_and_keeps_the_address_typed(login_as):
    client = login_as()
    page = client.post(
        "/account/email", data={"email": "typed@example.org", "current_password": "wrong"}
    ).get_data(as_text=True)
    assert "Your current password is not right" in page
    assert 'value="typed@example.org"' in page


def test_profile_shows_details_and_saves_the_name(app, login_as):
    client = login_as(name="Old Name")
    page = client.get("/account").get_data(as_text=True)
    assert client.user.email in page
    assert "Two-step verification" in page
    assert "20 hours" in page
    client.post("/account", data={"name": "  New   Name "})
    assert _user(app, client.user.id).name == "New Name"
    page = client.post("/account", data={"name": ""}).get_data(as_text=True)
    assert "Enter your full name" in page


def test_account_pages_need_sign_in(client):
    for path in ("/account", "/account/password", "/account/email", "/account/two-factor"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
