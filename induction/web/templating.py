"""Template filters and globals shared by every page."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from markupsafe import Markup

from induction.content.question_types import get_type
from induction.identity.current import Identity
from induction.identity.current import current as current_identity


def uk_date(value: dt.date | dt.datetime | None) -> str:
    """Return a date written the UK way, e.g. '28 November 2026' ('' for None)."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def uk_datetime(value: dt.datetime | None) -> str:
    """Return a UTC timestamp as '28 November 2026, 14:05 UTC' ('' for None)."""
    if value is None:
        return ""
    return f"{uk_date(value)}, {value:%H:%M} UTC"


def trusted_html(value: str | None) -> Markup:
    """Mark HTML that the content renderer has already sanitized as safe to include."""
    return Markup(value or "")  # noqa: S704 - sanitized by induction.content


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """Return a count with its words in the right number: '1 person matches', '3 people match'.

    `plural` defaults to `singular` with an 's' added ('1 question', '2 questions').
    """
    words = singular if number == 1 else (plural if plural is not None else singular + "s")
    return f"{number} {words}"


def question_type_label(name: str) -> str:
    """Return the words authors see for a question type, e.g. 'one answer' for single."""
    return get_type(name).label


def init_app(app: Flask) -> None:
    """Register filters and the globals every template may use."""
    app.jinja_env.filters["uk_date"] = uk_date
    app.jinja_env.filters["uk_datetime"] = uk_datetime
    app.jinja_env.filters["trusted_html"] = trusted_html
    app.jinja_env.filters["question_type_label"] = question_type_label
    app.jinja_env.filters["counted"] = counted
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _site() -> dict[str, object]:
        return identity_context(current_identity())


def identity_context(identity: Identity) -> dict[str, object]:
    """Return the names every template (pages and email) may use, from the identity."""
    return {
        "identity": identity,
        "site_name": identity.site_name,
        "organisation_name": identity.name,
        "organisation_short_name": identity.short_name,
        "support_email": identity.support_email,
    }
