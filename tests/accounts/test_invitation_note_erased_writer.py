"""An invitation whose note writer (or inviter) has since been erased: the email sent
again, and the invitation page, say who it was in plain words, never "Erased person 7"."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select

from induction.accounts.models import Invitation, User
from induction.admin import data_rights_service
from induction.database import utcnow
from induction.extensions import db
from induction.mail import QueuedEmail
from tests.factories import csrf_token_from
from tests.quizzes.pages import page, text_of

NOTE = "Ring me on 01632 960000 if you get stuck."


def _invite_with_note(client, org_id: int) -> None:
    data = {"email": "noted@example.org", "role": "learner", "audience": "officer", "note": NOTE}
    response = client.post("/admin/people/invite", data={**data, "organisation": org_id})
    assert response.status_code == 302


def _erase(app, person: User, admin: User) -> None:
    with app.app_context():
        data_rights_service.erase(
            db.session.get(User, person.id), actor=db.session.get(User, admin.id)
        )
        db.session.commit()


def _renew(app, client, org_id: int) -> QueuedEmail:
    """Let the pending invitation's link expire, send it again as `client` from the
    dashboard, and return the email sent."""
    with app.app_context():
        pending = db.session.scalars(
            select(Invitation).where(Invitation.revoked_at.is_(None))
        ).one()
        pending.expires_at = utcnow() - dt.timedelta(days=1)
        pending_id = pending.id
        db.session.execute(delete(QueuedEmail))
        db.session.commit()
    listing = page(client.get(f"/reports/organisations/{org_id}?status=invited"))
    response = client.post(
        f"/reminders/invitations/{pending_id}/renew", data={"csrf_token": csrf_token_from(listing)}
    )
    assert response.status_code == 302
    with app.app_context():
        [email] = db.session.scalars(select(QueuedEmail)).all()
        db.session.expunge(email)
    return email


@pytest.mark.parametrize(
    ("writer_role", "words"),
    [
        ("manager", "A former lead officer of Ashbury Council wrote:"),
        ("admin", "A former member of the CCIN induction team wrote:"),
    ],
)
def test_a_note_sent_again_after_its_writer_was_erased_says_who_in_plain_words(
    app, make_org, make_user, login_as, writer_role, words
):
    ashbury = make_org("Ashbury Council")
    writer = make_user(
        role=writer_role,
        organisation=ashbury if writer_role == "manager" else None,
        name="Wendy Writer",
    )
    admin = make_user(role="admin", name="Ada Admin")
    _invite_with_note(login_as(writer), ashbury.id)
    _erase(app, writer, admin)
    email = _renew(app, login_as(admin), ashbury.id)
    assert "Ada Admin has invited you" in email.text_body
    assert f"{words}\n\n{NOTE}" in email.text_body
    assert words in email.html_body
    for body in (email.text_body, email.html_body):
        assert "Erased person" not in body
        assert "Wendy Writer" not in body


def test_a_note_whose_writer_is_still_here_keeps_their_name(app, make_org, make_user, login_as):
    ashbury = make_org("Ashbury Council")
    writer = make_user(role="manager", organisation=ashbury, name="Wendy Writer")
    admin = make_user(role="admin", name="Ada Admin")
    _invite_with_note(login_as(writer), ashbury.id)
    email = _renew(app, login_as(admin), ashbury.id)
    assert f"Wendy Writer writes:\n\n{NOTE}" in email.text_body


def test_the_invitation_page_names_an_erased_inviter_in_plain_words(
    app, make_org, make_user, login_as, mailbox
):
    ashbury = make_org("Ashbury Council")
    writer = make_user(role="manager", organisation=ashbury, name="Wendy Writer")
    admin = make_user(role="admin", name="Ada Admin")
    _invite_with_note(login_as(writer), ashbury.id)
    [invitation_email] = mailbox("noted@example.org")
    _erase(app, writer, admin)
    text = text_of(page(app.test_client().get(invitation_email.link_path)))
    assert "Invited by A former lead officer of Ashbury Council" in text
    assert "Erased person" not in text
