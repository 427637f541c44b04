"""Links are revoked when the secret behind them changes; public requests answer alike.

A password change, an email change and a completed reset each use up every reset and
email-change link still outstanding. The reset and registration requests do the same
work in the request whatever address they name: the rest happens after the answer.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import template_rendered

from induction.extensions import db
from tests.factories import TEST_PASSWORD

NEW_PASSWORD = "lighthouse pebble orchard violin"


def reset_link(client, mailbox, email: str) -> str:
    client.post("/reset", data={"email": email}).close()
    return mailbox(email)[-1].link_path


def email_change_link(client, mailbox, new_email: str) -> str:
    response = client.post(
        "/account/email", data={"email": new_email, "current_password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    return mailbox(new_email)[-1].link_path


def test_changing_the_password_revokes_reset_and_email_change_links(app, login_as, mailbox):
    client = login_as()
    reset = reset_link(app.test_client(), mailbox, client.user.email)
    change = email_change_link(client, mailbox, "elsewhere@example.org")
    response = client.post(
        "/account/password", data={"current_password": TEST_PASSWORD, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert app.test_client().get(reset).status_code == 404
    assert client.get(change).status_code == 404


def test_changing_the_email_address_revokes_reset_links(app, login_as, mailbox):
    client = login_as()
    reset = reset_link(app.test_client(), mailbox, client.user.email)
    change = email_change_link(client, mailbox, "moved@example.org")
    assert client.post(change).status_code == 302
    visitor = app.test_client()
    assert visitor.get(reset).status_code == 404
    assert visitor.post(reset, data={"password": NEW_PASSWORD}).status_code == 404


def test_a_completed_reset_revokes_email_change_links(app, login_as, mailbox):
    client = login_as()
    change = email_change_link(client, mailbox, "attacker@example.org")
    visitor = app.test_client()
    reset = reset_link(visitor, mailbox, client.user.email)
    assert visitor.post(reset, data={"password": NEW_PASSWORD}).status_code == 302
    assert app.test_client().get(change).status_code == 404


# --- the same work for a known and an unknown address ----------------------------------------


class Work:
    """The SQL statements run and the templates rendered while it is active."""

    def __init__(self, app) -> None:
        self.app = app
        self.statements: list[str] = []
        self.templates: list[str] = []

    def _sql(self, conn, cursor, statement, *args) -> None:
        self.statements.append(statement)

    def _template(self, sender, template, context, **extra) -> None:
        self.templates.append(template.name)

    def __enter__(self) -> Work:
        with self.app.app_context():
            self.engine = db.engine
        sa.event.listen(self.engine, "before_cursor_execute", self._sql)
        template_rendered.connect(self._template, self.app)
        return self

    def __exit__(self, *exc) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._sql)
        template_rendered.disconnect(self._template, self.app)


def request_work(app, path: str, data: dict[str, str]):
    """Return the work done before the answer of one POST, and the (still open) response."""
    client = app.test_client()
    client.get(path)  # the session and the form as a visitor has them
    with Work(app) as work:
        response = client.post(path, data=data)
        assert response.status_code == 200
        response.get_data()
    return work, response


@pytest.mark.parametrize(
    ("path", "field", "extra"),
    [
        ("/reset", "email", {}),
        ("/register", "email", {"join_code": "OWNCODE2027"}),
    ],
)
def test_known_and_unknown_addresses_do_the_same_work_in_the_request(
    app, make_org, make_user, mailbox, path, field, extra
):
    org = make_org("Own Council", join_code="OWNCODE2027")
    known = make_user(email="known@example.org", organisation=org)
    known_work, known_response = request_work(app, path, {field: known.email, **extra})
    unknown_work, unknown_response = request_work(app, path, {field: "nobody@example.org", **extra})
    assert known_work.statements == unknown_work.statements
    assert known_work.templates == unknown_work.templates
    assert not any("INSERT" in s.upper() for s in known_work.statements)
    assert mailbox() == []  # nothing yet: the work for the address follows the answer

    known_response.close()  # the server has sent the answer
    unknown_response.close()
    assert len(mailbox(known.email)) == 1
    assert "/reset/" in mailbox(known.email)[0].link_path
    if path == "/register":
        assert "/register/" in mailbox("nobody@example.org")[0].link_path
    else:
        assert mailbox("nobody@example.org") == []
