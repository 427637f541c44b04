"""Sign-in links by email: for organisations that allow them, once, for 15 minutes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from induction.accounts.models import AccountToken, TokenPurpose
from induction.database import utcnow
from induction.extensions import db


@pytest.fixture
def linked_org(make_org):
    return make_org("Linkshire Council", has_sign_in_links=True)


def ask(client, email, ip="192.0.2.1"):
    response = client.post("/login/link", data={"email": email}, environ_base={"REMOTE_ADDR": ip})
    response.close()  # the link is made and sent once the answer has gone
    return response


def test_a_link_signs_in_once(app, client, make_user, linked_org, mailbox, audit_actions):
    person = make_user(organisation=linked_org)
    ask(client, person.email)
    mail = mailbox(person.email)[-1]
    assert mail.subject == "Your sign-in link"
    assert "15 minutes" in mail.text

    page = client.get(mail.link_path)  # opening it (or a mail scanner) does not use it
    assert page.status_code == 200
    assert "Press the button to sign in" in page.get_data(as_text=True)
    assert client.get(mail.link_path).status_code == 200

    response = client.post(mail.link_path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/account").status_code == 200
    assert {"sign_in_link.sent", "auth.login"} <= set(audit_actions())

    other = app.test_client()
    assert other.post(mail.link_path).status_code == 404  # used
    assert other.get("/account").status_code == 302


def test_a_link_expires_after_15_minutes(app, client, make_user, linked_org, mailbox):
    person = make_user(organisation=linked_org)
    ask(client, person.email)
    with app.app_context():
        token = db.session.scalar(select(AccountToken))
        assert token.purpose == TokenPurpose.SIGN_IN
        lifetime = token.expires_at - token.created_at
        assert dt.timedelta(minutes=14) < lifetime <= dt.timedelta(minutes=15)
        db.session.execute(
            update(AccountToken).values(expires_at=utcnow() - dt.timedelta(seconds=1))
        )
        db.session.commit()
    response = client.post(mailbox(person.email)[-1].link_path)
    assert response.status_code == 404
    assert "Ask for a new one" in response.get_data(as_text=True)


def test_a_new_link_cancels_the_last(client, make_user, linked_org, mailbox):
    person = make_user(organisation=linked_org)
    ask(client, person.email)
    ask(client, person.email)
    first, second = (m.link_path for m in mailbox(person.email)[-2:])
    assert first != second
    assert client.get(first).status_code == 404
    assert client.post(second).status_code == 302


def test_the_answer_is_the_same_for_unknown_and_not_allowed_addresses(
    client, make_user, make_org, linked_org, mailbox, count_queries
):
    known = make_user(organisation=linked_org, email="known@example.org")
    refused = make_user(organisation=make_org("No Links Council"), email="nolinks@example.org")
    answers = {}
    client.get("/login/link")  # the first page also reads the network's identity, then keeps it
    for email in (known.email, "unknown@example.org", refused.email):
        with count_queries() as counter:
            response = client.post("/login/link", data={"email": email})
            body = response.get_data(as_text=True).replace(email, "EMAIL")
        answers[email] = (response.status_code, body, counter.count)
        response.close()
    # The same page, and the same work before the answer (what differs happens after it),
    # so no timing difference comes from the address.
    assert len(set(answers.values())) == 1, {k: (v[0], v[2]) for k, v in answers.items()}
    assert len(mailbox(known.email)) == 1
    assert mailbox("unknown@example.org") == []
    assert mailbox(refused.email) == []


def test_a_link_is_refused_once_the_organisation_stops_allowing_them(
    app, client, make_user, linked_org, mailbox
):
    person = make_user(organisation=linked_org)
    ask(client, person.email)
    with app.app_context():
        db.session.merge(linked_org).has_sign_in_links = False
        db.session.commit()
    assert client.post(mailbox(person.email)[-1].link_path).status_code == 404


def test_someone_with_a_second_factor_still_enters_their_code(
    client, make_user, linked_org, mailbox
):
    person = make_user(organisation=linked_org, totp=True)
    ask(client, person.email)
    response = client.post(mailbox(person.email)[-1].link_path)
    assert response.headers["Location"] == "/login/two-factor"
    assert client.get("/account").status_code == 302


def test_asking_for_links_is_rate_limited_like_the_password(app_factory, make_user, make_org):
    app = app_factory(
        RATELIMIT_ENABLED=True,
        LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes",
        LOGIN_LIMIT_PER_IP="5 per 15 minutes",
    )
    person = make_user(organisation=make_org("Linkshire Council", has_sign_in_links=True))
    client = app.test_client()
    for n in range(3):
        assert ask(client, person.email, ip=f"192.0.2.{n + 10}").status_code == 200
    limited = ask(client, person.email, ip="192.0.2.99")  # another address: still limited
    assert limited.status_code == 429
    assert "Too many attempts" in limited.get_data(as_text=True)
    for n in range(5):  # and per address, whichever account it names
        ask(client, f"other{n}@example.org", ip="192.0.2.99")
    assert ask(client, "fresh@example.org", ip="192.0.2.99").status_code == 429


def test_the_sign_in_page_asks_for_the_address_first_when_links_are_offered(client, linked_org):
    page = client.get("/login").get_data(as_text=True)
    assert 'name="password"' not in page
    assert "Continue" in page
    second = client.post("/login/email", data={"email": "someone@example.org"})
    text = second.get_data(as_text=True)
    assert 'name="password"' in text
    assert "Email me a sign-in link" in text
    assert "Continue with your council account" not in text
