"""Signing in and out, server-side sessions, `next` redirects and no account enumeration."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from induction.accounts.models import User, UserSession
from induction.database import utcnow
from induction.extensions import db
from tests.factories import TEST_PASSWORD, sign_in


def _sessions_of(app, user_id):
    with app.app_context():
        return list(db.session.scalars(select(UserSession).where(UserSession.user_id == user_id)))


def test_login_page_has_labelled_fields_with_autocomplete(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<label class="label" for="email">' in page
    assert 'autocomplete="email"' in page
    assert 'autocomplete="current-password"' in page
    assert page.count("<h1>") == 1


def test_sign_in_goes_home_and_creates_a_server_side_session(app, client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email.upper(), "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert len(_sessions_of(app, user.id)) == 1
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize("email_kind", ["unknown", "wrong password", "deactivated"])
def test_failed_sign_in_gives_the_same_answer_whatever_the_reason(client, make_user, email_kind):
    user = make_user(email="known@example.org", is_active=email_kind != "deactivated")
    email = "nobody@example.org" if email_kind == "unknown" else user.email
    password = "wrong horse battery staple" if email_kind == "wrong password" else TEST_PASSWORD
    response = client.post("/login", data={"email": email, "password": password})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your email address or password is not right" in page
    assert f'value="{email}"' in page  # kept
    assert TEST_PASSWORD not in page
    assert "wrong horse" not in page
    assert page.startswith("<!doctype html>")
    assert "<title>Error: Sign in" in page


def test_failed_and_successful_sign_ins_are_audited(client, make_user, audit_actions):
    user = make_user()
    client.post("/login", data={"email": user.email, "password": "nope nope nope"})
    client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert audit_actions()[-2:] == ["auth.login_failed", "auth.login"]


def test_empty_form_says_what_to_fix(client):
    page = client.post("/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert "Enter your email address" in page
    assert "Enter your password" in page
    assert 'href="#email"' in page  # the error summary links to the field


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/courses/", "/courses/"),
        ("/account?tab=1", "/account?tab=1"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"),
        ("/\tevil", "/"),
        ("courses", "/"),
    ],
)
def test_next_only_redirects_within_this_site(client, make_user, target, expected):
    user = make_user()
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": user.email, "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == expected


def test_logout_is_post_only(login_as):
    client = login_as()
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200


def test_logout_ends_every_session_of_the_person(app, login_as, make_user):
    user = make_user()
    phone, laptop = login_as(user), login_as(user)
    assert len(_sessions_of(app, user.id)) == 2
    response = phone.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    assert _sessions_of(app, user.id) == []
    assert laptop.get("/account").status_code == 302


def test_a_copied_cookie_stops_working_after_logout(app, login_as):
    client = login_as()
    cookie = client.get_cookie("session").value
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    response = thief.get("/account")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_sign_in_renews_the_session(app, client, make_user):
    user = make_user()
    client.get("/login")
    client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    first = client.get_cookie("session").value
    other = app.test_client()
    other.set_cookie("session", first)
    assert other.get("/account").status_code == 200  # the same cookie is the same session...
    client.post("/logout")
    sign_in(client, user)
    assert client.get_cookie("session").value != first  # ...and a new sign-in gets a new one
    assert other.get("/account").status_code == 302


def test_signed_in_person_visiting_login_goes_home(login_as):
    assert login_as().get("/login").headers["Location"] == "/"


def _age_sessions(app, user_id, **ages):
    with app.app_context():
        values = {field: utcnow() - age for field, age in ages.items()}
        db.session.execute(
            update(UserSession).where(UserSession.user_id == user_id).values(**values)
        )
        db.session.commit()


def test_session_ends_after_the_idle_lifetime(app, login_as):
    client = login_as()
    _age_sessions(app, client.user.id, last_seen_at=dt.timedelta(hours=19, minutes=50))
    assert client.get("/account").status_code == 200  # still alive after almost 20 hours
    _age_sessions(app, client.user.id, last_seen_at=dt.timedelta(hours=20, minutes=1))
    assert client.get("/account").status_code == 302


def test_session_ends_after_the_absolute_lifetime_even_when_used(app, login_as):
    client = login_as()
    _age_sessions(app, client.user.id, created_at=dt.timedelta(days=14, minutes=1))
    assert client.get("/account").status_code == 302


def test_last_seen_is_written_at_most_every_five_minutes(app, login_as):
    client = login_as()
    _age_sessions(app, client.user.id, last_seen_at=dt.timedelta(minutes=4))
    before = _sessions_of(app, client.user.id)[0].last_seen_at
    client.get("/account")
    assert _sessions_of(app, client.user.id)[0].last_seen_at == before
    _age_sessions(app, client.user.id, last_seen_at=dt.timedelta(minutes=6))
    client.get("/account")
    assert utcnow() - _sessions_of(app, client.user.id)[0].last_seen_at < dt.timedelta(seconds=30)


def test_idle_lifetime_is_configurable(app_factory, make_user):
    app = app_factory(SESSION_IDLE_HOURS=1)
    user = make_user()
    client = app.test_client()
    sign_in(client, user)
    _age_sessions(app, user.id, last_seen_at=dt.timedelta(minutes=61))
    assert client.get("/account").status_code == 302


def test_no_remember_me_cookie_and_session_cookie_flags(app_factory, make_user):
    app = app_factory(SESSION_COOKIE_SECURE=True)
    user = make_user()
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    cookies = response.headers.getlist("Set-Cookie")
    assert not any(c.startswith("remember_token") for c in cookies)
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=Lax" in session_cookie
    assert "Secure" in session_cookie


def test_deactivated_person_is_signed_out_at_once(app, login_as):
    client = login_as()
    with app.app_context():
        db.session.execute(update(User).where(User.id == client.user.id).values(is_active=False))
        db.session.commit()
    assert client.get("/account").status_code == 302


def test_rehash_on_sign_in_when_parameters_changed(app, client, make_user):
    from argon2 import PasswordHasher

    user = make_user()
    old_hash = PasswordHasher(time_cost=1, memory_cost=16, parallelism=1).hash(TEST_PASSWORD)
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(password_hash=old_hash))
        db.session.commit()
    sign_in(client, user)
    with app.app_context():
        assert db.session.get(User, user.id).password_hash != old_hash


def test_course_pages_require_sign_in(client):
    response = client.get("/courses/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
