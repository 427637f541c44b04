"""Housekeeping: remove what has expired and is no longer needed (data minimisation).

Run daily from cron with `flask --app induction housekeeping`. It deletes:

- server-side sessions past their idle or absolute lifetime (they can no longer sign
  anyone in; a person's own expired sessions are otherwise only cleared at their
  next sign-in);
- one-time links (password reset, email change, first-admin setup) past their expiry
  date, used or not;
- email sent more than MAIL_KEEP_DAYS days ago (90 by default), with its outbox copy:
  such mail often carries a link, and its address is personal data;
- uploaded files awaiting confirmation (bulk invitations) more than a day old: they
  can no longer be confirmed, and they hold names and addresses.

Learning records, quiz attempts, certificates, invitations and the audit log are
never touched. Running it twice removes nothing more the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Select, delete, func, select

from induction.accounts import sessions, uploads
from induction.accounts.models import AccountToken, PendingUpload, UserSession
from induction.database import rows_changed, utcnow
from induction.extensions import db
from induction.mail import QueuedEmail


@dataclass(frozen=True)
class Housekeeping:
    """How many of each kind were removed (or, in a dry run, would be)."""

    sessions: int
    one_time_links: int
    emails: int
    uploads: int = 0
    outbox_files: tuple[str, ...] = ()  # to remove once the deletion is committed


def _expired_sessions(now: dt.datetime) -> Select:
    return select(UserSession.id).where(sessions.expired(now))


def _expired_links(now: dt.datetime) -> Select:
    return select(AccountToken.id).where(AccountToken.expires_at <= now)


def _old_emails(now: dt.datetime) -> Select:
    keep = dt.timedelta(days=float(current_app.config["MAIL_KEEP_DAYS"]))
    return select(QueuedEmail.id).where(
        QueuedEmail.sent_at.is_not(None), QueuedEmail.sent_at <= now - keep
    )


def _count(ids: Select) -> int:
    return int(db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0)


def clean_up(*, dry_run: bool = False, now: dt.datetime | None = None) -> Housekeeping:
    """Delete expired sessions, expired one-time links, old sent email and uploads awaiting
    confirmation for more than a day; return the counts.

    With `dry_run`, only count. The caller commits, then removes the outbox copies
    named in the result (mail.remove_outbox_files).
    """
    now = now or utcnow()
    sessions, links, emails = _expired_sessions(now), _expired_links(now), _old_emails(now)
    if dry_run:
        return Housekeeping(
            _count(sessions), _count(links), _count(emails), _count(uploads.expired_ids(now))
        )
    files = db.session.scalars(
        select(QueuedEmail.outbox_file).where(
            QueuedEmail.id.in_(emails), QueuedEmail.outbox_file.is_not(None)
        )
    ).all()
    return Housekeeping(
        sessions=_delete(UserSession, UserSession.id.in_(sessions)),
        one_time_links=_delete(AccountToken, AccountToken.id.in_(links)),
        emails=_delete(QueuedEmail, QueuedEmail.id.in_(emails)),
        uploads=_delete(PendingUpload, PendingUpload.id.in_(uploads.expired_ids(now))),
        outbox_files=tuple(name for name in files if name),
    )


def _delete(model: type, condition) -> int:
    result = db.session.execute(
        delete(model).where(condition).execution_options(synchronize_session=False)
    )
    return rows_changed(result)
