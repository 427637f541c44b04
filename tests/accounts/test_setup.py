"""First run: the one-time link that creates the first admin."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from induction.accounts.models import AccountToken, User
from induction.accounts.setup import first_run_link
from induction.database import utcnow
from induction.extensions import db
from tests.factories import TEST_PASSWORD


def _link(app) -> str:
    with app.app_context():
        link = first_run_link("http://localhost:5000")
    assert link is not None
    return link.removeprefix("http://localhost:5000")


def _admin_form(**overrides):
    return {"name": "Ada Admin", "email": "ada@example.org", "password": TEST_PASSWORD, **overrides}


def test_link_while_no_admin_exists(app):
    with app.app_context():
        link = first_run_link("http://localhost:5000")
        tokens = db.session.scalars(select(AccountToken)).all()
    assert link.startswith("http://localhost:5000/setup/")
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes: 256 bits
    assert len(tokens) == 1
    assert tokens[0].token_hash != token


def test_no_link_once_an_admin_exists(app, make_user):
    make_user(role="admin")
    with app.app_context():
        assert first_run_link("http://localhost:5000") is None


def test_building_the_app_prints_no_link_and_makes_no_token(app, capsys):
    app.test_client().get("/healthz")
    with app.app_context():
        assert db.session.scalars(select(AccountToken)).all() == []
    assert "/setup/" not in capsys.readouterr().out


def test_setup_creates_the_first_admin_who_then_sets_up_two_factor(app, client, audit_actions):
    path = _link(app)
    assert client.get(path).status_code == 200
    response = client.post(path, data=_admin_form(email="Ada@Example.org"))
    assert response.headers["Location"] == "/account/two-factor"
    with app.app_context():
        admin = db.session.scalar(select(User))
        assert admin.email == "ada@example.org"
        assert admin.is_admin
        assert admin.organisation_id is None
    assert client.get("/admin/").headers["Location"] == "/account/two-factor"
    assert "setup.first_admin" in audit_actions()


def test_setup_link_works_once(app, client):
    path = _link(app)
    client.post(path, data=_admin_form())
    other = app.test_client()
    assert other.get(path).status_code == 404
    assert other.post(path, data=_admin_form(email="eve@example.org")).status_code == 404


def test_only_the_newest_link_works(app, client):
    older, newer = _link(app), _link(app)
    assert client.get(older).status_code == 404
    assert client.get(newer).status_code == 200


def test_expired_link_is_refused(app, client):
    path = _link(app)
    with app.app_context():
        db.session.execute(
            update(AccountToken).values(expires_at=utcnow() - dt.timedelta(seconds=1))
        )
        db.session.commit()
    response = client.get(path)
    assert response.status_code == 404
    assert "start command again" in response.get_data(as_text=True)


def test_made_up_token_is_refused(client):
    assert client.get("/setup/" + "A" * 43).status_code == 404


def test_bad_input_keeps_values_and_explains(app, client):
    path = _link(app)
    page = client.post(path, data=_admin_form(email="not-an-email", password="password")).get_data(
        as_text=True
    )
    assert "Enter an email address in the right format" in page
    assert 'value="not-an-email"' in page
    assert 'value="Ada Admin"' in page
    assert "harder to guess" in page
    assert client.get(path).status_code == 200  # the link still works


@pytest.mark.parametrize(
    ("base_url", "options", "expected"),
    [
        (None, ["--port", "5123"], "http://localhost:5123/setup/"),
        ("https://learn.example.org:8443", [], "https://learn.example.org:8443/setup/"),
        ("https://example.org/induction/", [], "https://example.org/induction/setup/"),
    ],
)
def test_start_prints_the_setup_link_at_the_base_url(
    app_factory, tmp_path, base_url, options, expected
):
    """`start --no-serve` prints a link that opens where the app is reached from outside."""
    # A new, empty database that the start command migrates (on SQLite in both runs:
    # the link, not the database, is under test).
    app = app_factory(
        DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite'}",
        SQLALCHEMY_ENGINE_OPTIONS={},
        BASE_URL=base_url,
    )
    result = app.test_cli_runner().invoke(args=["start", "--no-serve", *options])
    assert result.exit_code == 0, result.output
    [link] = [line.strip() for line in result.output.splitlines() if "/setup/" in line]
    assert link.startswith(expected), link
    path = "/setup/" + link.removeprefix(expected)
    assert app.test_client().get(path).status_code == 200


def test_admin_home_says_who_set_up_the_first_admin_account(app, client, login_as):
    path = _link(app)
    client.post(path, data=_admin_form(name="Sam Carter", email="sam@example.org"))
    home = login_as(role="admin").get("/admin/").get_data(as_text=True)
    activity = home.split('id="recent-activity"', 1)[1]
    assert "</a> set up the first admin account" in activity
    assert ">Sam Carter</a> set up the first admin account" in activity
    assert "Someone created an account" not in activity
