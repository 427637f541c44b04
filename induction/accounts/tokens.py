"""Single-use, expiring links: how they are made, stored (hashed) and redeemed.

A link carries `secrets.token_urlsafe(32)`: 256 bits of randomness. Only its SHA-256 is
stored, so a copy of the database cannot be turned back into working links.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update

from induction.accounts.models import AccountToken, Organisation, TokenPurpose, User
from induction.database import rows_changed, utcnow
from induction.extensions import db


def new_token() -> str:
    """Return a fresh random token for a link (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Return the stored form of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue(
    purpose: TokenPurpose,
    *,
    lifetime: dt.timedelta,
    email: str | None = None,
    user: User | None = None,
    organisation: Organisation | None = None,
) -> str:
    """Add a link record to the session and return its token (shown once, never stored)."""
    token = new_token()
    db.session.add(
        AccountToken(
            purpose=purpose.value,
            token_hash=hash_token(token),
            email=email,
            user=user,
            organisation=organisation,
            expires_at=utcnow() + lifetime,
        )
    )
    return token


def find_live(purpose: TokenPurpose, token: str) -> AccountToken | None:
    """Return the unused, unexpired record for `token`, or None (without using it up)."""
    if not token or len(token) > 128:
        return None
    return db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == hash_token(token),
            AccountToken.purpose == purpose.value,
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > utcnow(),
        )
    )


def redeem(purpose: TokenPurpose, token: str) -> AccountToken | None:
    """Mark the link used and return its record; None when it is unknown, used or expired.

    The conditional UPDATE makes two simultaneous uses of one link impossible: only one
    of them changes the row. The caller's transaction decides whether it sticks.
    """
    if not token or len(token) > 128:
        return None
    now = utcnow()
    token_hash = hash_token(token)
    result = db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.token_hash == token_hash,
            AccountToken.purpose == purpose.value,
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(result) != 1:
        return None
    record = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == token_hash))
    if record is not None:
        db.session.refresh(record)
    return record


def revoke_unused(purpose: TokenPurpose, *, user: User | None = None) -> None:
    """Use up every live link of `purpose` (for `user` when given), e.g. after a reset."""
    stmt = update(AccountToken).where(
        AccountToken.purpose == purpose.value, AccountToken.used_at.is_(None)
    )
    if user is not None:
        stmt = stmt.where(AccountToken.user_id == user.id)
    db.session.execute(stmt.values(used_at=utcnow()).execution_options(synchronize_session=False))


def revoke_links_of(user: User) -> None:
    """Use up every live link bound to `user` (password resets, email changes).

    Called when the password or the address changes, or a reset completes: a link sent
    before then, perhaps to someone who should no longer get in, never works afterwards.
    """
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
