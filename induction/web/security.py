"""Security headers on every response, and whether a request writes (SQLite transactions,
PostgreSQL reads without a transaction)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, g, request, session

from induction.database import read_only_request, write_intent

# Everything is served by the app itself: no other host is ever needed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Flask-Login keeps the signed-in person's id under this key of the session cookie.
SIGNED_IN_KEY = "_user_id"

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

View = TypeVar("View", bound=Callable[..., Any])


def writes_database(view: View) -> View:
    """Mark a GET view that writes (an audit entry, say): its transaction is a write one.

    Put it below the route and permission decorators. Returns the view itself.
    """
    view.writes_database = True  # type: ignore[attr-defined]
    return view


def init_app(app: Flask) -> None:
    """Register the request hooks that set headers and SQLite write intent."""

    @app.before_request
    def _mark_write_intent() -> None:
        view = app.view_functions.get(request.endpoint or "")
        writes = request.method not in SAFE_METHODS or getattr(view, "writes_database", False)
        g.write_intent_token = write_intent.set(writes)
        g.read_only_token = read_only_request.set(not writes)

    @app.teardown_request
    def _clear_write_intent(_error: BaseException | None) -> None:
        # A request's intent must not outlive it: the next work in this thread (another
        # request, a command, a test) would otherwise begin its transactions as writes.
        for variable, key in (
            (write_intent, "write_intent_token"),
            (read_only_request, "read_only_token"),
        ):
            token = g.pop(key, None)
            if token is not None:
                try:
                    variable.reset(token)
                except ValueError:  # set in another context; clear it for this one
                    variable.set(False)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        )
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        # Personal pages must not linger in a shared computer's cache.
        if request.endpoint != "static" and _has_signed_in_cookie():
            headers.setdefault("Cache-Control", "no-store")
        return response


def _has_signed_in_cookie() -> bool:
    # Read from the signed session cookie, not the database: a page that never needed
    # the person (the health check) does not look them up just for this header. A cookie
    # whose session has ended still gets "no-store", which does no harm.
    return SIGNED_IN_KEY in session
