"""Email: queued with the change that caused it, delivered by SMTP or to the outbox folder."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from induction.extensions import db
from induction.mail import QueuedEmail, deliver_pending, outbox_files, queue_mail, read_outbox_file


def _rows(app):
    with app.app_context():
        return list(db.session.scalars(select(QueuedEmail).order_by(QueuedEmail.id)))


def test_queued_mail_is_part_of_the_callers_transaction(app):
    with app.app_context():
        queue_mail("a@example.org", "Hello", "Text")
        db.session.rollback()
        assert db.session.scalars(select(QueuedEmail)).all() == []
        queue_mail("a@example.org", "Hello", "Text")
        db.session.commit()
    assert len(_rows(app)) == 1


def test_without_smtp_messages_are_written_to_the_outbox(app, tmp_path):
    with app.app_context():
        queue_mail("a@example.org", "First", "One")
        queue_mail("b@example.org", "Second", "Two: https://example.org/link")
        db.session.commit()
        report = deliver_pending()
        assert (report.sent, report.failed) == (2, 0)
        files = outbox_files()
        assert [f.subject for f in files] == ["Second", "First"]  # newest first
        message = read_outbox_file(files[0].name)
        assert message["To"] == "b@example.org"
        assert "https://example.org/link" in message.get_body(("plain",)).get_content()
        assert read_outbox_file("../secret_key") is None
    folder = tmp_path / "instance" / "outbox"
    assert all(p.stat().st_mode & 0o077 == 0 for p in folder.glob("*.eml"))
    assert all(row.sent_at and row.delivered_via == "outbox" for row in _rows(app))
    with app.app_context():
        assert deliver_pending().sent == 0  # nothing is sent twice


class FakeSMTP:
    sent: list[EmailMessage] = []
    fail = False

    def __init__(self, host, port, timeout):
        self.host, self.port = host, port

    def starttls(self, context):
        self.tls = True

    def login(self, user, password):
        self.user = user

    def send_message(self, message):
        if FakeSMTP.fail:
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no such user")})
        FakeSMTP.sent.append(message)

    def quit(self):
        pass


@pytest.fixture
def fake_smtp(monkeypatch):
    FakeSMTP.sent, FakeSMTP.fail = [], False
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    return FakeSMTP


def test_with_smtp_configured_messages_are_sent_by_smtp(app_factory, fake_smtp):
    app = app_factory(
        MAIL_SERVER="smtp.example.org", MAIL_USERNAME="u", MAIL_FROM="learn@example.org"
    )
    with app.app_context():
        queue_mail("a@example.org", "Hi", "Body")
        db.session.commit()
        assert deliver_pending().sent == 1
        assert outbox_files() == []
    assert fake_smtp.sent[0]["From"] == "CCIN induction <learn@example.org>"
    assert fake_smtp.sent[0]["Subject"] == "Hi"


def test_a_failed_message_stays_queued_with_its_error(app_factory, fake_smtp, tmp_path):
    app = app_factory(MAIL_SERVER="smtp.example.org")
    fake_smtp.fail = True
    with app.app_context():
        queue_mail("a@example.org", "Hi", "Body")
        db.session.commit()
        assert deliver_pending().failed == 1
    [row] = _rows(app)
    assert row.sent_at is None
    assert row.attempts == 1
    assert "no such user" in row.last_error
    fake_smtp.fail = False
    with app.app_context():
        assert deliver_pending().sent == 1


def test_mail_send_command(app, runner):
    with app.app_context():
        queue_mail("a@example.org", "Hi", "Body")
        db.session.commit()
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0
    assert "Sent 1 message(s); 0 failed" in result.output


def test_views_deliver_after_the_response(app, client, make_user):
    user = make_user()
    response = client.post("/reset", data={"email": user.email})
    with app.app_context():
        assert outbox_files() == []  # not while the response is being sent...
    response.close()  # ...but once the server has sent it (WSGI servers call close())
    with app.app_context():
        assert [f.to for f in outbox_files()] == [user.email]


def test_admin_outbox_lists_and_shows_messages(app, login_as, make_user):
    admin = login_as(role="admin")
    user = make_user()
    app.test_client().post("/reset", data={"email": user.email}).close()
    page = admin.get("/admin/outbox").get_data(as_text=True)
    assert "Reset your password" in page
    with app.app_context():
        name = outbox_files()[0].name
    message = admin.get(f"/admin/outbox/{name}").get_data(as_text=True)
    assert "/reset/" in message
    assert user.email in message
    assert "Plain text and HTML" in message
    assert "CCIN induction &lt;induction@localhost&gt;" in message  # the sender
    assert admin.get("/admin/outbox/..%2Fsecret_key").status_code == 404
    assert admin.get("/admin/outbox/20990101T000000-999999.eml").status_code == 404


def test_admin_outbox_shows_queued_failures_and_can_retry(app_factory, fake_smtp, make_user):
    app = app_factory(MAIL_SERVER="smtp.example.org")
    fake_smtp.fail = True
    with app.app_context():
        queue_mail("a@example.org", "Stuck", "Body")
        db.session.commit()
        deliver_pending()
    from tests.factories import sign_in

    admin = app.test_client()
    sign_in(admin, make_user(role="admin"))
    page = admin.get("/admin/outbox").get_data(as_text=True)
    assert "Stuck" in page
    assert "no such user" in page
    fake_smtp.fail = False
    response = admin.post("/admin/outbox/send")
    assert response.status_code == 302
    assert all(row.sent_at for row in _rows(app))
