"""Accounts: people, organisations, roles, sign-in, invitations, permissions and the audit log."""

from __future__ import annotations

from flask import Flask, redirect, request, url_for
from flask_login import current_user

from induction.accounts import access, sessions
from induction.accounts.role_names import role_name
from induction.extensions import login_manager

# What an admin without a second factor may still open: setting it up, and leaving.
OPEN_WITHOUT_SECOND_FACTOR = frozenset(
    {"profile.two_factor", "accounts.logout", "static", "pages.accessibility", "pages.healthz"}
)
# Requests that never need to know who is signed in (no database query for them).
ANONYMOUS_ENDPOINTS = frozenset({"static", "pages.healthz"})


def init_app(app: Flask) -> None:
    """Wire Flask-Login to server-side sessions and guard admins without a second factor.

    Raises RuntimeError when production is configured with the cheap test password hash.
    """
    profile = app.config["PASSWORD_HASH_PROFILE"]
    if app.config["ENV"] == "production" and profile != "strong":  # noqa: S105 - a name
        raise RuntimeError("PASSWORD_HASH_PROFILE must be 'strong' in production.")
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(sessions.load_user)
    app.jinja_env.filters["role_name"] = role_name  # "Lead officer" for "manager"
    app.jinja_env.filters["audience_label"] = access.audience_label  # "All audiences (admin)"

    @app.before_request
    def _require_second_factor_for_admins():
        # Loading the person here, first thing, also lets the session record its visit
        # before the request's own transaction begins (see sessions._touch).
        if request.endpoint in ANONYMOUS_ENDPOINTS or request.endpoint is None:
            return None
        user = current_user
        if (
            user.is_authenticated
            and user.is_admin
            and not user.has_totp
            and request.endpoint not in OPEN_WITHOUT_SECOND_FACTOR
        ):
            return redirect(url_for("profile.two_factor"))
        return None

    @app.context_processor
    def _navigation() -> dict[str, object]:
        return {"self_registration_enabled": bool(app.config["SELF_REGISTRATION_ENABLED"])}
