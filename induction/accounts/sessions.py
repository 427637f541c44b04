"""Server-side sessions: how a signed-in person is found again on each request.

The Flask session cookie carries a random session id (256 bits); the database keeps
only its hash in `user_session`, with when it started and when it was last used.
Flask-Login's user loader accepts a person only while that record lives, so ending
the record (logout, password change, deactivation) makes any copy of the cookie
useless. A session ends after SESSION_IDLE_HOURS without use (20 hours by default:
WCAG 2.2.1 asks for at least 20 hours without a warning) and SESSION_ABSOLUTE_DAYS
after sign-in (14 days by default). There is no "remember me" cookie.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, g, request, session
from flask_login import login_user, logout_user
from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.orm import joinedload

from induction.accounts.models import User, UserSession
from induction.accounts.tokens import hash_token, new_token
from induction.database import rows_changed, utcnow, write_intent
from induction.extensions import db

SESSION_KEY = "sid"
_CACHE_KEY = "_induction_user_session"


def _idle_limit() -> dt.timedelta:
    return dt.timedelta(hours=float(current_app.config["SESSION_IDLE_HOURS"]))


def _absolute_limit() -> dt.timedelta:
    return dt.timedelta(days=float(current_app.config["SESSION_ABSOLUTE_DAYS"]))


def _touch_interval() -> dt.timedelta:
    return dt.timedelta(seconds=float(current_app.config["SESSION_TOUCH_SECONDS"]))


def expired(now: dt.datetime) -> ColumnElement[bool]:
    """Return the condition "this session record is past its idle or absolute lifetime"."""
    return or_(
        UserSession.created_at <= now - _absolute_limit(),
        UserSession.last_seen_at <= now - _idle_limit(),
    )


def is_live(record: UserSession, now: dt.datetime | None = None) -> bool:
    """Return True while a session is within both its idle and its absolute lifetime."""
    now = now or utcnow()
    return now - record.created_at < _absolute_limit() and now - record.last_seen_at < _idle_limit()


def start_session(user: User) -> str:
    """Add a new session record for `user` and return its token (for the cookie only).

    Expired records of the same person are cleared on the way.
    """
    now = utcnow()
    db.session.execute(
        delete(UserSession)
        .where(UserSession.user_id == user.id, expired(now))
        .execution_options(synchronize_session=False)
    )
    token = new_token()
    db.session.add(
        UserSession(
            token_hash=hash_token(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            user_agent=(request.user_agent.string or "")[:255] or None,
            ip=request.remote_addr,
        )
    )
    return token


def end_sessions(user: User, *, except_current: bool = False) -> int:
    """Delete the person's session records (all, or all but the current one); return how many."""
    stmt = delete(UserSession).where(UserSession.user_id == user.id)
    current = current_session() if except_current else None
    if current is not None:
        stmt = stmt.where(UserSession.id != current.id)
    result = db.session.execute(stmt.execution_options(synchronize_session=False))
    return rows_changed(result)


def sign_in(user: User) -> None:
    """Sign `user` in on this browser with a brand-new session (the old cookie is dropped).

    The caller commits.
    """
    session.clear()
    g.pop(_CACHE_KEY, None)
    session[SESSION_KEY] = start_session(user)
    login_user(user, remember=False)
    user.last_sign_in_at = utcnow()


def sign_out(user: User) -> None:
    """End every session of `user` (all browsers) and clear this browser's cookie.

    The caller commits.
    """
    end_sessions(user)
    logout_user()
    session.clear()
    g.pop(_CACHE_KEY, None)


def renew(user: User) -> None:
    """End all the person's sessions and continue on this browser with a new one.

    Used after a password change: any other copy of the old cookie stops working.
    The caller commits.
    """
    end_sessions(user)
    sign_in(user)


def current_session() -> UserSession | None:
    """Return this request's live session record, or None."""
    if _CACHE_KEY in g:
        return g.get(_CACHE_KEY)
    record = _load_live_session()
    setattr(g, _CACHE_KEY, record)
    return record


def _load_live_session() -> UserSession | None:
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token or len(token) > 128:
        return None
    # Only a request that has not touched the database yet may end its transaction to
    # record the visit (see below); others skip the update until the next request.
    may_touch = not db.session().in_transaction()
    # The person comes in the same query, with their intake (which their due dates count
    # from): load_user and the learner's pages then find them without another.
    record = db.session.scalar(
        select(UserSession)
        .options(joinedload(UserSession.user).joinedload(User.intake))
        .where(UserSession.token_hash == hash_token(token))
    )
    now = utcnow()
    if record is None or not is_live(record, now):
        return None
    if may_touch and now - record.last_seen_at >= _touch_interval():
        _touch(record.id, now)
    return record


def _touch(record_id: int, now: dt.datetime) -> None:
    """Record the visit in its own short write transaction (at most once per interval).

    The read transaction is ended first: on SQLite a read that later writes can fail
    when another worker wrote in between, whereas a transaction begun for writing waits.
    """
    db.session.rollback()
    intent = write_intent.set(True)
    try:
        db.session.execute(
            update(UserSession)
            .where(UserSession.id == record_id)
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    finally:
        write_intent.reset(intent)


def load_user(user_id: str) -> User | None:
    """Return the signed-in person for Flask-Login, only while their session record lives."""
    record = current_session()
    if record is None or str(record.user_id) != user_id:
        return None
    user = db.session.get(User, record.user_id)
    return user if user is not None and user.is_active else None
