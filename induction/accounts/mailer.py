"""The account emails: each one a plain-text template queued with `induction.mail`."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, after_this_request, current_app, render_template

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


def _deliver(app: Flask) -> None:
    with app.app_context():
        try:
            deliver_pending(limit=20)
        except Exception:  # noqa: BLE001 - the messages stay queued for `flask mail send`
            log.exception("delivering email after a response failed")
