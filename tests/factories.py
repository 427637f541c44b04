"""Callable factories for test data: organisations, people, signed-in clients."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from induction.accounts.models import Organisation, User
from induction.extensions import db

TEST_PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)


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
    """Return a function that creates a person (committed) and returns it, detached."""

    def make(
        role: str = "learner",
        audience: str = "officer",
        organisation: Organisation | None = None,
        **fields: Any,
    ) -> User:
        n = next(_sequence)
        with app.app_context():
            if organisation is None and role != "admin":
                organisation = make_org()
            user = User(
                email=fields.pop("email", f"person{n}@example.org"),
                name=fields.pop("name", f"Person {n}"),
                role=role,
                audience=audience,
                organisation_id=organisation.id if organisation else None,
                **fields,
            )
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


@pytest.fixture
def login_as(app: Flask, make_user: Callable[..., User]) -> Callable[..., FlaskClient]:
    """Return a function that gives a test client signed in as `user` (or a new one of `role`)."""

    def login(user: User | None = None, role: str = "learner", **fields: Any) -> FlaskClient:
        user = user or make_user(role=role, **fields)
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
        client.user = user  # type: ignore[attr-defined]
        return client

    return login
