"""One-time sign-in links by email, for organisations that allow them.

A link works once, for SIGN_IN_LINK_MINUTES (15 by default), and asking for a new one
cancels the last. The request is answered the same, in the same time, whether or not the
address has an account that may use links: the view runs `send_sign_in_link` after the
answer has gone (see web/boundary.after_response). Opening the link shows a button;
only pressing it signs in, so a mail scanner that opens links does not use it up.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import exists, select

from induction.accounts import audit, mailer, people, tokens
from induction.accounts.errors import AccountError
from induction.accounts.links import external_url
from induction.accounts.models import Organisation, TokenPurpose, User
from induction.extensions import db

LINK_GONE = (
    "This sign-in link has expired or has already been used. A link works once, and only "
    "the newest one you asked for works. Ask for a new one below."
)


def links_offered() -> bool:
    """Return True when at least one organisation lets its people sign in with a link."""
    return bool(db.session.scalar(select(exists().where(Organisation.has_sign_in_links))))


def may_use_links(user: User | None) -> bool:
    """Return True when `user` is active and their organisation allows sign-in links."""
    return (
        user is not None
        and user.is_active
        and user.organisation is not None
        and user.organisation.has_sign_in_links
    )


def send_sign_in_link(email: str) -> None:
    """Email a new sign-in link when the address may use one; otherwise do nothing.

    The person's earlier links stop working. Meant to run after the answer (the caller
    answers the same either way).
    """
    user = people.find_by_email(email)
    if user is None or not may_use_links(user):
        return
    tokens.revoke_unused(TokenPurpose.SIGN_IN, user=user)
    minutes = int(current_app.config["SIGN_IN_LINK_MINUTES"])
    token = tokens.issue(
        TokenPurpose.SIGN_IN,
        lifetime=dt.timedelta(minutes=minutes),
        email=user.email,
        user=user,
    )
    link = external_url("accounts.sign_in_link", token=token)
    subject = "Your sign-in link"
    mailer.send(user.email, "sign_in_link", subject, user=user, link=link, minutes=minutes)
    audit.record("sign_in_link.sent", target=user)


def link_is_live(token: str) -> bool:
    """Return True while the link is unused, unexpired and its person may still use links."""
    record = tokens.find_live(TokenPurpose.SIGN_IN, token)
    return record is not None and may_use_links(record.user)


def redeem_sign_in_link(token: str) -> User:
    """Use up the link and return its person.

    Raises AccountError when it is unknown, used, expired or replaced by a newer one, or
    the person or their organisation may no longer use links.
    """
    record = tokens.redeem(TokenPurpose.SIGN_IN, token)
    if record is None or not may_use_links(record.user):
        raise AccountError(LINK_GONE)
    assert record.user is not None
    return record.user
