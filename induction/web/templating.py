"""Template filters and globals shared by every page."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from flask import Flask, current_app, has_app_context
from markupsafe import Markup

from induction.content.question_types import get_type
from induction.identity.current import Identity
from induction.identity.current import current as current_identity

DEFAULT_TIMEZONE = "Europe/London"


def network_zone() -> zoneinfo.ZoneInfo:
    """Return the network's time zone (TIMEZONE; Europe/London outside an app)."""
    name = current_app.config.get("TIMEZONE") if has_app_context() else None
    return _zone(name or DEFAULT_TIMEZONE)


@functools.cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def local_time(value: dt.datetime, zone: zoneinfo.ZoneInfo | None = None) -> dt.datetime:
    """Return an aware (UTC) timestamp as the time in `zone` (default: the network's zone;
    pass it when converting many, to look it up once)."""
    if value.tzinfo is None:  # stored UTC read back naive: say so before converting
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(zone or network_zone())


def zone_name() -> str:
    """Return the network's time zone as named in CSV headers: "Europe/London"."""
    return str(network_zone().key)


def spreadsheet_time(
    value: dt.datetime | None, zone: zoneinfo.ZoneInfo | None = None
) -> dt.datetime | None:
    """Return a timestamp as the network's wall-clock time, whole seconds, without a zone.

    Written to CSV as "2026-07-28 15:05:00" (ISO 8601 with a space), which Excel,
    LibreOffice and Google Sheets all read as a date and time; the header names the zone.
    """
    return spreadsheet_time_and_date(value, zone)[0]


def spreadsheet_date(
    value: dt.datetime | None, zone: zoneinfo.ZoneInfo | None = None
) -> dt.date | None:
    """Return the calendar day of a timestamp in the network's time zone (None for None)."""
    return spreadsheet_time_and_date(value, zone)[1]


def spreadsheet_time_and_date(
    value: dt.datetime | None, zone: zoneinfo.ZoneInfo | None = None
) -> tuple[dt.datetime | None, dt.date | None]:
    """Return both spreadsheet_time and spreadsheet_date of a timestamp, converting it once."""
    if value is None:
        return None, None
    local = local_time(value, zone)
    return local.replace(microsecond=0, tzinfo=None), local.date()


def uk_date(value: dt.date | dt.datetime | None) -> str:
    """Return a date written the UK way, e.g. '28 November 2026' ('' for None).

    A timestamp is first put in the network's time zone: 23:30 UTC on a summer evening
    is already the next day in London.
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local_time(value)
    return f"{value.day} {value:%B %Y}"


def uk_datetime(value: dt.datetime | None) -> str:
    """Return a timestamp in the network's time zone, named: '28 July 2026, 15:05 BST'
    ('' for None). The zone's abbreviation says which clock (GMT in winter)."""
    if value is None:
        return ""
    local = local_time(value)
    return f"{uk_date(local)}, {local:%H:%M} {local.tzname()}"


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
