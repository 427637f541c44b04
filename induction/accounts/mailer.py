"""The account emails: each one a plain-text template queued with `induction.mail`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app

from induction.mail import queue_mail, queue_mails


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
