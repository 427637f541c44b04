"""Callable factories for test data: organisations, people, signed-in clients."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient

from induction.accounts.models import Organisation, User
from induction.accounts.passwords import hash_password
from induction.accounts.totp import new_secret
from induction.database import utcnow
from induction.extensions import db

TEST_PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)
_CSRF_INPUT = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_token_from(page: str) -> str:
    """Return the first CSRF token in a page ('' when there is none)."""
    match = _CSRF_INPUT.search(page)
    return (match.group(1) or match.group(2)) if match else ""


def form_data(client: FlaskClient, url: str, data: dict[str, Any]) -> dict[str, Any]:
    """Return `data` plus the CSRF token of the form at `url` when CSRF is switched on."""
    if not client.application.config.get("WTF_CSRF_ENABLED", True):
        return data
    return {**data, "csrf_token": csrf_token_from(client.get(url).get_data(as_text=True))}


@pytest.fixture
def make_org(app: Flask) -> Callable[..., Organisation]:
    """Return a function that creates an organisation (committed) and returns it."""

    def make(name: str | None = None, **fields: Any) -> Organisation:
        with app.app_context():
            org = Organisation(name=name or f"Council {next(_sequence)}", **fields)
            db.session.add(org)
            db.session.commit()
            db.session.refresh(org)
            db.session.expunge(org)
            return org

    return make


@pytest.fixture
def make_user(app: Flask, make_org: Callable[..., Organisation]) -> Callable[..., User]:
    """Return a function that creates a person (committed) and returns it, detached.

    Everyone gets the password TEST_PASSWORD unless `password` says otherwise (None: no
    password). Admins get a confirmed TOTP second factor unless `totp=False`, as the
    real set-up requires; others get one with `totp=True`.
    """

    def make(
        role: str = "learner",
        audience: str = "officer",
        organisation: Organisation | None = None,
        password: str | None = TEST_PASSWORD,
        totp: bool | None = None,
        **fields: Any,
    ) -> User:
        n = next(_sequence)
        with_totp = role == "admin" if totp is None else totp
        with app.app_context():
            if organisation is None and role != "admin":
                organisation = make_org()
            user = User(
                email=fields.pop("email", f"person{n}@example.org"),
                name=fields.pop("name", f"Person {n}"),
                password_hash=hash_password(password) if password is not None else None,
                role=role,
                audience=audience,
                organisation_id=organisation.id if organisation else None,
                **fields,
            )
            if with_totp:
                user.totp_secret = new_secret()
                user.totp_enabled_at = utcnow()
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


def sign_in(client: FlaskClient, user: User, password: str = TEST_PASSWORD) -> None:
    """Sign `user` in on `client` through the real pages, second factor included.

    The code is computed with pyotp from the user's secret. One shortcut: the step of
    the last accepted code is cleared first, so one person can sign in on several
    clients within the same 30 seconds (replay protection has its own tests).
    """
    app = client.application
    response = client.post(
        "/login", data=form_data(client, "/login", {"email": user.email, "password": password})
    )
    assert response.status_code == 302, f"sign-in failed for {user.email}"
    if response.headers["Location"].endswith("/login/two-factor"):
        with app.app_context():
            stored = db.session.get(User, user.id)
            assert stored is not None
            assert stored.totp_secret
            stored.totp_last_step = None
            db.session.commit()
            code = pyotp.TOTP(stored.totp_secret).now()
        response = client.post(
            "/login/two-factor", data=form_data(client, "/login/two-factor", {"code": code})
        )
        assert response.status_code == 302, f"second factor refused for {user.email}"
    assert "/login" not in response.headers["Location"]


@pytest.fixture
def login_as(app: Flask, make_user: Callable[..., User]) -> Callable[..., FlaskClient]:
    """Return a function that gives a test client signed in as `user` (or a new one of `role`).

    It signs in through the real login (and two-factor) pages, so the session is a real
    server-side one.
    """

    def login(user: User | None = None, role: str = "learner", **fields: Any) -> FlaskClient:
        user = user or make_user(role=role, **fields)
        client = app.test_client()
        sign_in(client, user)
        client.user = user  # type: ignore[attr-defined]
        return client

    return login
