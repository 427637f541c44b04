"""A lead officer's reminder: a reply reaches the officer (Reply-To), not the site.

The From stays the site's sender address (its SPF and DKIM vouch for it); the officer is
named in Reply-To and in the text ("Questions? Reply to this email to reach ..."). The
daily reminders, sent by nobody, keep the site's support address. Each message is read
back the way a mail program would: the .eml file (or what SMTP got) parsed by the
email package.
"""

from __future__ import annotations

import email.policy
import re
import smtplib
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from sqlalchemy import select, update

from induction.accounts.models import User
from induction.extensions import db
from induction.mail import QueuedEmail, deliver_pending, outbox_dir, queue_mail, reply_to_header
from tests.accounts.test_mail import FakeSMTP
from tests.quizzes.pages import page, text_of
from tests.reports.test_chasing import _send, remind_url
from tests.reports.test_reminders import send as send_daily_reminders

SUPPORT_LINE = "Questions? Email comms@councils.coop"


def _parsed(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=email.policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def _delivered(app, to: str) -> tuple[bytes, EmailMessage]:
    """Deliver what is queued (to the outbox) and return the newest message to `to`, raw
    and parsed."""
    with app.app_context():
        deliver_pending(None)
        name = db.session.scalar(
            select(QueuedEmail.outbox_file)
            .where(QueuedEmail.to_address == to)
            .order_by(QueuedEmail.id.desc())
            .limit(1)
        )
        assert name, f"nothing to {to} was delivered"
        raw = (outbox_dir() / name).read_bytes()
    return raw, _parsed(raw)


def _parts(message: EmailMessage) -> tuple[str, str]:
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and html is not None
    # As a mail program shows them: lines end in CRLF on the wire.
    return plain.get_content().replace("\r\n", "\n"), html.get_content()


def _rename(app, user: User, name: str) -> None:
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(name=name))
        db.session.commit()


def test_an_officers_reminder_replies_to_the_officer_and_says_so(app, world, login_as):
    client = login_as(world.manager)
    response = _send(client, remind_url(world, person=[world.partway.id]), "Ring me if stuck.")
    assert response.status_code == 302
    raw, message = _delivered(app, world.partway.email)

    assert message["Reply-To"].addresses == (
        Address(display_name="Mona Manager", addr_spec=world.manager.email),
    )
    # From stays the site's: never the officer's address, which the site may not send as.
    [sender] = message["From"].addresses
    assert sender.addr_spec != world.manager.email
    assert sender.addr_spec == app.config["MAIL_FROM"]
    assert raw.count(b"\r\nReply-To:") == 1

    text, html = _parts(message)
    wording = (
        "Questions? Reply to this email to reach Mona Manager, or email comms@councils.coop"
        " for help with the website."
    )
    assert wording in text
    # The officer's words are paragraphs of their own, in the text and in the HTML.
    assert ".\n\nMona Manager writes:\n\nRing me if stuck.\n\nOpen your course" in text
    assert re.search(r"<p [^>]*>Mona Manager writes:</p>", html)
    assert wording in html
    # The footer no longer sends questions to the site's support address.
    assert SUPPORT_LINE not in html and SUPPORT_LINE not in text


def test_an_admin_reminding_everyone_overdue_is_the_reply_to(app, world, login_as):
    client = login_as(world.admin)
    _send(client, remind_url(world, group="overdue"))
    for person in (world.partway, world.formula):
        _, message = _delivered(app, person.email)
        assert [a.addr_spec for a in message["Reply-To"].addresses] == [world.admin.email]
        text = _parts(message)[0]
        assert "Reply to this email to reach Ada Admin" in text
        assert ".\n\nOpen your course here" in text  # no message: still its own paragraph


def test_the_daily_reminders_have_no_reply_to_and_keep_the_support_address(app, world):
    send_daily_reminders(app, world.day)
    with app.app_context():
        assert db.session.scalars(select(QueuedEmail.reply_to)).all()
        assert set(db.session.scalars(select(QueuedEmail.reply_to))) == {None}
    _, message = _delivered(app, world.partway.email)
    assert message["Reply-To"] is None
    text, html = _parts(message)
    assert "Reply to this email" not in text and "Reply to this email" not in html
    assert SUPPORT_LINE in html


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_an_officer_name_with_a_line_break_adds_no_header(app, world, login_as, newline):
    _rename(app, world.manager, f"Mona{newline}Bcc: evil@example.org")
    client = login_as(world.manager)
    _send(client, remind_url(world, person=[world.partway.id]))
    raw, message = _delivered(app, world.partway.email)

    assert message["Bcc"] is None
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert b"\nBcc:" not in headers and b"\rBcc:" not in headers
    # The text names the officer on one line too.
    assert b"\nBcc:" not in raw and b"\rBcc:" not in raw
    assert message["Reply-To"].addresses == (
        Address(display_name="Mona Bcc: evil@example.org", addr_spec=world.manager.email),
    )
    assert "Reply to this email to reach Mona Bcc: evil@example.org," in _parts(message)[0]


def test_a_name_outside_ascii_is_encoded_and_reads_back(app, world, login_as):
    _rename(app, world.manager, 'Zoë O\'Brien, "Jo"')
    client = login_as(world.manager)
    _send(client, remind_url(world, person=[world.partway.id]))
    raw, message = _delivered(app, world.partway.email)
    header = next(line for line in raw.split(b"\r\n") if line.startswith(b"Reply-To:"))
    assert header.isascii() and b"=?utf-8?" in header
    assert message["Reply-To"].addresses == (
        Address(display_name='Zoë O\'Brien, "Jo"', addr_spec=world.manager.email),
    )


def test_the_preview_says_where_replies_go(world, login_as):
    client = login_as(world.manager)
    text = text_of(page(client.get(remind_url(world, group="overdue"))))
    assert f"Replies go to you: Mona Manager <{world.manager.email}>" in text
    assert "Questions? Reply to this email to reach Mona Manager, or email" in text


def test_reply_to_survives_smtp(app_factory, monkeypatch):
    FakeSMTP.sent, FakeSMTP.fail = [], False
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app = app_factory(MAIL_SERVER="smtp.example.org", MAIL_FROM="learn@example.org")
    with app.app_context():
        queue_mail(
            "a@example.org",
            "Reminder",
            "Body",
            reply_to=reply_to_header("Smith, Jane", "jane@council.example"),
        )
        db.session.commit()
        assert deliver_pending().sent == 1
    # What goes down the wire, read back.
    [sent] = FakeSMTP.sent
    message = _parsed(sent.as_bytes(policy=email.policy.SMTP))
    assert message["Reply-To"].addresses == (
        Address(display_name="Smith, Jane", addr_spec="jane@council.example"),
    )
    assert message["From"].addresses[0].addr_spec == "learn@example.org"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jane Smith", "Jane Smith <jane@council.example>"),
        ("Smith, Jane", '"Smith, Jane" <jane@council.example>'),
        ("Jane\r\nBcc: evil@example.org", '"Jane Bcc: evil@example.org" <jane@council.example>'),
        ("Jane\tSmith\u2028", "Jane Smith <jane@council.example>"),
    ],
)
def test_reply_to_header_puts_the_name_on_one_line(name, expected):
    assert reply_to_header(name, "jane@council.example") == expected


@pytest.mark.parametrize(
    "address",
    [
        "",
        "jane@",
        "jane",
        "jane@council.example\r\nBcc: evil@example.org",
        "jane@council.example, evil@example.org",
        "Jane <jane@council.example>",
        "jane smith@council.example",
    ],
)
def test_reply_to_header_refuses_what_is_not_one_plain_address(address):
    assert reply_to_header("Jane", address) is None


def test_a_stored_reply_to_with_a_line_break_fails_rather_than_adds_a_header(app):
    """Only `reply_to_header` makes these; were one mended by hand, nothing is injected."""
    with app.app_context():
        queue_mail("a@example.org", "Hi", "Body", reply_to="J <j@x.example>\r\nBcc: e@x.example")
        db.session.commit()
        report = deliver_pending()
        assert (report.sent, report.failed) == (0, 1)
        assert not list(outbox_dir().glob("*.eml"))


def test_the_admins_outbox_shows_where_replies_go(app, world, login_as):
    client = login_as(world.admin)
    _send(client, remind_url(world, group="overdue"))
    with app.app_context():
        deliver_pending(None)
        name = db.session.scalar(
            select(QueuedEmail.outbox_file).where(QueuedEmail.to_address == world.partway.email)
        )
    shown = text_of(page(client.get(f"/admin/outbox/{name}")))
    assert f"Replies go to Ada Admin <{world.admin.email}>" in shown
