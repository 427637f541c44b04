"""Friendly error pages: never a stack trace, always a way forward."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, SecurityError

from induction.extensions import db, login_manager

log = logging.getLogger(__name__)

TITLES = {
    400: "The request could not be understood",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That action is not available here",
    413: "The file is too large",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "The service is unavailable",
}


def render_error(code: int, message: str | None = None, *, bare: bool = False):
    """Return the error page for `code`, with an optional message saying what to do.

    `bare` leaves out everything that needs the database (the signed-in menu), for
    when the database itself is the problem.
    """
    page = render_template(
        "errors/error.html", code=code, title=TITLES.get(code, "Error"), message=message, bare=bare
    )
    return page, code


def roll_back() -> None:
    """Roll the request's transaction back, even when its database connection was lost.

    With the connection gone the rollback raises. SQLAlchemy has then marked the
    connection as dead, so a second rollback succeeds without it, and the next use
    of the session gets a fresh connection.
    """
    try:
        db.session.rollback()
    except DBAPIError:
        log.warning("database connection lost during a rollback", exc_info=True)
        db.session.rollback()


def end_session() -> None:
    """End the request's database session (see roll_back: the same, on a lost connection)."""
    try:
        db.session.remove()
    except DBAPIError:
        log.warning("database connection lost while ending a session", exc_info=True)
        db.session.remove()


def init_app(app: Flask) -> None:
    """Register the error handlers, and the end of each request's database session."""

    # Registered after Flask-SQLAlchemy's own teardown, so it runs first: a connection
    # lost after the page was made must not turn that page into a bare 500.
    @app.teardown_appcontext
    def _end_session(_error: BaseException | None) -> None:
        end_session()

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return render_error(
            400,
            "The form had expired or was sent from another page. Go back, reload the page "
            "and send it again.",
        )

    @app.errorhandler(SecurityError)
    def _untrusted_host(error: SecurityError):
        # A Host outside TRUSTED_HOSTS: no page can be drawn (its links would need that host).
        return Response(
            "This address is not served here: use the site's own address.\n",
            400,
            mimetype="text/plain",
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code == 429:
            return render_error(429, "Wait a few minutes, then try again.")
        if error.code == 405 and request.method == "GET":
            # A button's address opened on its own, usually by reloading the page it gave.
            return render_error(
                405,
                "This address belongs to a button, so it cannot be opened on its own and "
                "nothing was done. Go back to the page with the button and use it there.",
            )
        return render_error(error.code or 500)

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def _database(error: Exception):
        log.exception("database error on %s %s", request.method, request.path)
        roll_back()
        # Nobody is signed in on this page: otherwise Flask-Login would ask the database
        # who is, to draw it, and fail the same way again.
        g._login_user = login_manager.anonymous_user()
        return render_error(
            503,
            "The database is not answering. Nothing you sent was half-saved: "
            "try again in a minute.",
            bare=True,
        )

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        roll_back()
        return render_error(500, "The problem has been logged. Try again, or go back to the start.")
