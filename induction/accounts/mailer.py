"""The account emails: each one a plain-text template queued with `induction.mail`."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template

from induction.mail import queue_mail


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
