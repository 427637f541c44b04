"""`flask --app induction housekeeping`: expired sessions, expired links, old sent email and
uploads awaiting confirmation for more than a day go."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update

from induction.accounts import sessions, tokens, uploads
from induction.accounts.models import AccountToken, PendingUpload, TokenPurpose, UserSession
from induction.database import utcnow
from induction.extensions import db
from induction.mail import QueuedEmail, deliver_pending, outbox_dir, queue_mail


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _world(app, make_user):
    """Two sessions, two links, two sent emails and two uploads: one of each expired or old."""
    person = make_user()
    now = utcnow()
    with app.app_context():
        with app.test_request_context():
            sessions.start_session(person)
            sessions.start_session(person)
        tokens.issue(TokenPurpose.RESET, lifetime=dt.timedelta(hours=1), user=person)
        tokens.issue(TokenPurpose.RESET, lifetime=dt.timedelta(hours=1), user=person)
        queue_mail("old@example.org", "Old", "An old message")
        queue_mail("new@example.org", "New", "A new message")
        for name in ("old.csv", "new.csv"):
            uploads.save(
                b"email,name,audience\n",
                actor_id=person.id,
                organisation_id=person.organisation_id,
                plan="-",
                filename=name,
            )
        db.session.commit()
        deliver_pending(limit=None)
        first_session = db.session.scalar(select(func.min(UserSession.id)))
        db.session.execute(
            update(UserSession)
            .where(UserSession.id == first_session)
            .values(last_seen_at=now - dt.timedelta(days=2))
        )
        first_link = db.session.scalar(select(func.min(AccountToken.id)))
        db.session.execute(
            update(AccountToken)
            .where(AccountToken.id == first_link)
            .values(expires_at=now - dt.timedelta(minutes=1))
        )
        db.session.execute(
            update(QueuedEmail)
            .where(QueuedEmail.to_address == "old@example.org")
            .values(sent_at=now - dt.timedelta(days=91))
        )
        db.session.execute(
            update(PendingUpload)
            .where(PendingUpload.filename == "old.csv")
            .values(created_at=now - dt.timedelta(days=1, minutes=1))
        )
        db.session.commit()
        old_file = db.session.scalar(
            select(QueuedEmail.outbox_file).where(QueuedEmail.to_address == "old@example.org")
        )
    return first_session, first_link, old_file


def test_a_dry_run_counts_and_removes_nothing(app, make_user, runner):
    _world(app, make_user)
    result = runner.invoke(args=["housekeeping", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would remove 1 expired session(s), 1 expired one-time link(s), 1 sent email(s)" in (
        result.output
    )
    assert "and 1 uploaded file(s) awaiting confirmation" in result.output
    with app.app_context():
        assert (_count(UserSession), _count(AccountToken), _count(QueuedEmail)) == (2, 2, 2)
        assert _count(PendingUpload) == 2


def test_expired_and_old_rows_go_and_the_rest_stay(app, make_user, runner):
    first_session, first_link, old_file = _world(app, make_user)
    with app.app_context():
        assert (outbox_dir() / old_file).is_file()
    result = runner.invoke(args=["housekeeping"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 expired session(s), 1 expired one-time link(s), 1 sent email(s)" in (
        result.output
    )
    with app.app_context():
        assert first_session not in db.session.scalars(select(UserSession.id)).all()
        assert _count(UserSession) == 1
        assert first_link not in db.session.scalars(select(AccountToken.id)).all()
        assert _count(AccountToken) == 1
        assert db.session.scalars(select(QueuedEmail.to_address)).all() == ["new@example.org"]
        assert not (outbox_dir() / old_file).exists()
        assert len(list(outbox_dir().glob("*.eml"))) == 1
        assert db.session.scalars(select(PendingUpload.filename)).all() == ["new.csv"]
    # Idempotent: a second run finds nothing more.
    again = runner.invoke(args=["housekeeping"])
    assert "Removed 0 expired session(s), 0 expired one-time link(s), 0 sent email(s)" in (
        again.output
    )


def test_unsent_email_is_never_removed(app, runner):
    with app.app_context():
        queue_mail("waiting@example.org", "Waiting", "Not sent yet")
        db.session.commit()
        db.session.execute(update(QueuedEmail).values(created_at=utcnow() - dt.timedelta(days=400)))
        db.session.commit()
    runner.invoke(args=["housekeeping"])
    with app.app_context():
        assert _count(QueuedEmail) == 1
