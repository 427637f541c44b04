"""The account emails: each one a plain-text template queued with `induction.mail`."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, after_this_request, current_app

from induction.database import write_intent
from induction.extensions import db
from induction.mail import deliver_pending, queue_mail, queue_mails

log = logging.getLogger(__name__)


def subject_line(subject: str) -> str:
    """Return the subject as sent: the words, then the site's name."""
    return f"{subject} – {current_app.config['SITE_NAME']}"


def render(template: str, *, folder: str = "accounts/email", **context: Any) -> str:
    """Return the text of the email `templates/<folder>/<template>.txt`.

    Rendered from `context` and the site's names only (no request), so thousands
    of emails render quickly and a command line renders them the same.
    """
    config = current_app.config
    return current_app.jinja_env.get_template(f"{folder}/{template}.txt").render(
        site_name=config["SITE_NAME"], organisation_name=config["ORGANISATION_NAME"], **context
    )


def send(to: str, template: str, subject: str, **context: Any) -> None:
    """Queue the email `templates/accounts/email/<template>.txt` to `to` (not yet delivered)."""
    queue_mail(to, subject_line(subject), render(template, **context))


def send_many(messages: Iterable[tuple[str, str, str]]) -> None:
    """Queue already rendered emails (to, subject, text) in one statement (not yet delivered)."""
    queue_mails((to, subject_line(subject), text) for to, subject, text in messages)


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
