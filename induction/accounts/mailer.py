"""The account emails: each one a plain-text template queued with `induction.mail`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, after_this_request, current_app, render_template

from induction.database import write_intent
from induction.extensions import db
from induction.mail import deliver_pending, queue_mail

log = logging.getLogger(__name__)


def send(to: str, template: str, subject: str, **context: Any) -> None:
    """Queue the email `templates/accounts/email/<template>.txt` to `to` (not yet delivered)."""
    site = current_app.config["SITE_NAME"]
    text = render_template(
        f"accounts/email/{template}.txt",
        site_name=site,
        organisation_name=current_app.config["ORGANISATION_NAME"],
        **context,
    )
    queue_mail(to, f"{subject} – {site}", text)


def deliver_after_response() -> None:
    """Deliver the queued email once this response has been sent.

    The person does not wait for SMTP, and an answer that queued an email takes as long
    as one that did not (no account enumeration by timing).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    @after_this_request
    def _register(response: Response) -> Response:
        response.call_on_close(lambda: _deliver(app))
        return response


def after_response(job: Callable[..., None], *args: Any) -> None:
    """Run `job(*args)` in its own transaction once this response has been sent, then
    deliver the email it queued.

    For requests that must answer alike whoever they name (a password reset, a
    registration): the request does the same work for a known address as for an unknown
    one, and what differs happens after the answer has gone.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    @after_this_request
    def _register(response: Response) -> Response:
        response.call_on_close(lambda: _run(app, job, args))
        return response


def _run(app: Flask, job: Callable[..., None], args: tuple[Any, ...]) -> None:
    intent = write_intent.set(True)  # SQLite: take the write lock up front
    try:
        with app.app_context():
            try:
                job(*args)
                db.session.commit()
            except Exception:  # noqa: BLE001 - nobody waits for the answer; log it
                db.session.rollback()
                log.exception("work after a response failed")
                return
    finally:
        write_intent.reset(intent)
    _deliver(app)


def _deliver(app: Flask) -> None:
    with app.app_context():
        try:
            deliver_pending(limit=20)
        except Exception:  # noqa: BLE001 - the messages stay queued for `flask mail send`
            log.exception("delivering email after a response failed")
