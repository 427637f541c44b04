"""What people receive: HTML and text parts, the configured sender, plain subjects, safe links."""

from __future__ import annotations

import re
from collections import namedtuple

import pytest

from induction import create_app
from induction.accounts import invitations, mailer
from induction.extensions import db
from induction.mail import deliver_pending, outbox_files, read_outbox_file

Person = namedtuple("Person", "name")
XSS_NAME = '<script>alert("x")</script> <a href="https://evil.example/">Eve</a>'


def _outbox(app):
    """Deliver everything queued and return the outbox messages, oldest first."""
    with app.app_context():
        assert deliver_pending().failed == 0
        return [read_outbox_file(f.name) for f in reversed(outbox_files())]


@pytest.fixture
def branded(app_factory):
    return app_factory(
        SITE_NAME="CCIN induction",
        MAIL_FROM="induction@learn.example.org",
        BASE_URL="https://learn.example.org",
    )


def _invite(app, make_org, name: str = "Nia New"):
    org = make_org("Oldham Council")
    with app.app_context():
        org = db.session.merge(org)
        invitations.issue(
            None, org, [invitations.Invitee("nia@example.org", name, "learner", "officer")]
        )
        db.session.commit()


def test_an_invitation_has_html_and_text_parts_a_plain_sender_and_a_clear_subject(
    branded, make_org
):
    _invite(branded, make_org)
    [message] = _outbox(branded)
    assert message["Subject"] == "Your invitation to the CCIN induction from Oldham Council"
    assert message["From"] == "CCIN induction <induction@learn.example.org>"
    assert message["List-Unsubscribe"] is None  # only reminders and digests have one
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = re.search(r"https://\S+", text).group(0)
    assert link.startswith("https://learn.example.org/invitations/")
    # The HTML says what the link does; its full address is only in the text part.
    assert f'<a href="{link}"' in html
    assert ">Accept your invitation</a>" in html
    assert f">{link}<" not in html
    assert "Nia New" in html and "Oldham Council" in html


def test_the_html_part_escapes_names_and_links_only_to_base_url(branded, make_org):
    _invite(branded, make_org, name=XSS_NAME)
    [message] = _outbox(branded)
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "evil.example" in html  # shown as text...
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs  # ...but the one link is the invitation, under BASE_URL
    assert all(href.startswith("https://learn.example.org/") for href in hrefs)


def test_a_name_written_in_mail_from_becomes_the_sender_name(app_factory):
    app = app_factory(MAIL_FROM="Oldham learning <learn@oldham.example.org>")
    assert app.config["MAIL_FROM"] == "learn@oldham.example.org"
    with app.app_context():
        mailer.send(
            "pat@example.org", "password_changed", "Your password was changed", user=Person("Pat")
        )
        db.session.commit()
    [message] = _outbox(app)
    assert message["From"] == "Oldham learning <learn@oldham.example.org>"
    assert message["Subject"] == "Your password was changed"
    assert "Hello Pat," in message.get_body(("html",)).get_content()


@pytest.mark.parametrize(
    "sender", [None, "induction@localhost", "induction@localhost.", "noreply@box.local", "nobody"]
)
def test_production_refuses_to_start_without_a_real_sender(tmp_path, monkeypatch, sender):
    monkeypatch.delenv("INDUCTION_MAIL_FROM", raising=False)
    config = {
        "INSTANCE_PATH": str(tmp_path),
        "ENV": "production",
        "SECRET_KEY": "s" * 40,
        "BASE_URL": "https://learn.example.org",
    }
    if sender is not None:
        config["MAIL_FROM"] = sender
    with pytest.raises(RuntimeError, match="MAIL_FROM"):
        create_app(config)
