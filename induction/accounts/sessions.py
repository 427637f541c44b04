"""How a signed-in person is found again on each request (Flask-Login wiring)."""

from __future__ import annotations

from flask import Flask

from induction.accounts.models import User
from induction.extensions import db, login_manager


def init_app(app: Flask) -> None:
    """Configure Flask-Login for this app."""
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.is_active else None
