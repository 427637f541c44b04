"""First run: a one-time link to create the first admin, printed by the start command.

While no admin exists, `first_run_link` makes a single-use link that expires after
SETUP_LINK_HOURS (24 by default) and returns it; each call replaces the previous link.
Only the `start` command calls it, never the app factory or a gunicorn worker.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, url_for

from induction.accounts import audit, tokens
from induction.accounts.errors import AccountError
from induction.accounts.models import Audience, Organisation, Role, TokenPurpose, User
from induction.accounts.people import count_admins, create_user
from induction.extensions import db


def first_run_link(base_url: str) -> str | None:
    """Return a one-time setup link while no admin exists, otherwise None.

    Commits the new link itself (it runs in a CLI command, not a request).
    """
    if count_admins() > 0:
        db.session.rollback()
        return None
    # Only the newest printed link works: older unused ones are used up.
    tokens.revoke_unused(TokenPurpose.SETUP)
    token = tokens.issue(
        TokenPurpose.SETUP,
        lifetime=dt.timedelta(hours=float(current_app.config["SETUP_LINK_HOURS"])),
    )
    db.session.commit()
    # A base URL with a path ("https://example.org/learn") keeps it, once.
    with current_app.test_request_context(base_url=base_url.rstrip("/") + "/"):
        return url_for("accounts.setup", token=token, _external=True)


def setup_link_is_live(token: str) -> bool:
    """Return True while the setup link works: unused, unexpired, and still no admin."""
    return count_admins() == 0 and tokens.find_live(TokenPurpose.SETUP, token) is not None


def create_first_admin(
    token: str, *, email: str, name: str, password: str, organisation: Organisation | None = None
) -> User:
    """Create the first admin from the setup link and return them; the link is used up.

    Raises AccountError when the link is not live (or an admin exists already) or the
    input is refused.
    """
    if not setup_link_is_live(token):
        raise AccountError("This setup link has expired or has already been used")
    user = create_user(
        email=email,
        name=name,
        password=password,
        role=Role.ADMIN,
        audience=Audience.OFFICER,
        organisation=organisation,
    )
    if tokens.redeem(TokenPurpose.SETUP, token) is None:
        raise AccountError("This setup link has expired or has already been used")
    # Any other setup link stops working as soon as an admin exists.
    tokens.revoke_unused(TokenPurpose.SETUP)
    audit.record("setup.first_admin", actor=user, target=user)
    return user
