"""`flask users create` and `flask users set-role`."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from induction.accounts.models import Organisation, User
from induction.extensions import db
from tests.factories import TEST_PASSWORD


def _user(app, email):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge(user)
        return user


def test_create_reads_the_password_from_standard_input(app, runner, make_org):
    make_org("Bristol City Council")
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Cllr@Bristol.example",
            "--name",
            "Cllr Bee",
            "--role",
            "learner",
            "--audience",
            "councillor",
            "--organisation",
            "bristol city council",
        ],
        input=TEST_PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    user = _user(app, "cllr@bristol.example")
    assert (user.role, user.audience, user.name) == ("learner", "councillor", "Cllr Bee")
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/"


def test_create_admin_with_totp_prints_a_secret_that_signs_in(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "ops@example.org",
            "--name",
            "Ops",
            "--role",
            "admin",
            "--totp",
        ],
        input=TEST_PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    secret = re.search(r"TOTP secret: ([A-Z2-7]+)", result.output).group(1)
    assert "otpauth://totp/" in result.output
    assert len(re.findall(r"^  [a-z2-9]{4}-", result.output, re.M)) == 10
    client = app.test_client()
    client.post("/login", data={"email": "ops@example.org", "password": TEST_PASSWORD})
    response = client.post("/login/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (
            ["--email", "x@example.org", "--name", "X", "--organisation", "Nowhere"],
            TEST_PASSWORD,
            "No organisation",
        ),
        (["--email", "x@example.org", "--name", "X"], TEST_PASSWORD, "organisation"),
        (
            ["--email", "taken@example.org", "--name", "X", "--role", "admin"],
            TEST_PASSWORD,
            "already exists",
        ),
        (
            ["--email", "x@example.org", "--name", "X", "--role", "admin"],
            "password",
            "harder to guess",
        ),
        (
            ["--email", "x@example.org", "--name", "X", "--role", "boss"],
            TEST_PASSWORD,
            "Invalid value",
        ),
    ],
)
def test_create_refuses_bad_input_clearly(runner, make_user, args, password, message):
    make_user(email="taken@example.org")
    result = runner.invoke(args=["users", "create", *args], input=password + "\n")
    assert result.exit_code != 0
    assert message in result.output


def test_set_role(app, runner, make_user, make_org):
    user = make_user()
    result = runner.invoke(args=["users", "set-role", user.email.upper(), "manager"])
    assert result.exit_code == 0
    assert "is now manager" in result.output
    assert _user(app, user.email).role == "manager"
    assert runner.invoke(args=["users", "set-role", "ghost@example.org", "admin"]).exit_code == 1


def test_the_last_admin_cannot_be_demoted(runner, make_user):
    admin = make_user(role="admin")
    result = runner.invoke(args=["users", "set-role", admin.email, "learner"])
    assert result.exit_code == 1


def test_deactivate_ends_sessions(app, runner, login_as):
    client = login_as()
    assert runner.invoke(args=["users", "deactivate", client.user.email]).exit_code == 0
    assert client.get("/account").status_code == 302


def test_org_name_lookup_uses_the_name_key(app_ctx):
    db.session.add(Organisation(name="  Greater   Manchester Combined Authority "))
    db.session.commit()
    from induction.accounts.organisations import find_by_name

    assert (
        find_by_name("greater manchester combined authority").name
        == "Greater Manchester Combined Authority"
    )
