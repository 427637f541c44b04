"""The identity in force: the saved row, else the configuration's defaults, cached per worker.

Every page reads it, so it costs no query most of the time: each worker keeps the last
one read for IDENTITY_CACHE_SECONDS (5 by default). The worker that saves drops its copy
at once (`forget`); every other worker reads the new one within those seconds.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from induction.extensions import db
from induction.identity.models import ROW_ID, SiteIdentity
from induction.web.errors import roll_back


@dataclass(frozen=True)
class FooterLink:
    """A link shown at the foot of every page."""

    label: str
    url: str


@dataclass(frozen=True)
class Identity:
    """Who runs the site, as people see it."""

    name: str  # "Co-operative Councils' Innovation Network"
    short_name: str  # "CCIN"
    site_name: str  # "CCIN induction": the header and the end of every page title
    brand_colour: str  # "#1d4f91", at least 4.5:1 against white
    sender_name: str
    sender_address: str
    support_email: str | None
    footer_links: tuple[FooterLink, ...]
    logo_type: str | None  # "image/svg+xml" or "image/png"; None: no logo
    logo_alt: str | None
    report_course_id: str | None  # the course the reports open on (None: the first)
    version: int  # 0 for the configuration's defaults

    @property
    def has_logo(self) -> bool:
        return self.logo_type is not None


def links_from(items: Any) -> tuple[FooterLink, ...]:
    """Return footer links from a list of {"label", "url"} (configuration or the database)."""
    return tuple(FooterLink(str(item["label"]), str(item["url"])) for item in items or ())


def configured(config: Any) -> Identity:
    """Return the identity the configuration gives (the shipped defaults are the CCIN's)."""
    return Identity(
        name=config["ORGANISATION_NAME"],
        short_name=config["ORGANISATION_SHORT_NAME"],
        site_name=config["SITE_NAME"],
        brand_colour=config["BRAND_COLOUR"],
        sender_name=config["MAIL_SENDER_NAME"],
        sender_address=config["MAIL_FROM"],
        support_email=config.get("SUPPORT_EMAIL") or None,
        footer_links=links_from(config.get("FOOTER_LINKS")),
        logo_type=None,
        logo_alt=None,
        report_course_id=config.get("REPORT_COURSE") or None,
        version=0,
    )


def _from_row(row: SiteIdentity, config: Any) -> Identity:
    return Identity(
        name=row.name,
        short_name=row.short_name,
        site_name=row.site_name,
        brand_colour=row.brand_colour,
        sender_name=row.sender_name,
        sender_address=row.sender_address,
        support_email=row.support_email,
        footer_links=links_from(row.footer_links),
        logo_type=row.logo_type if row.logo_type else None,
        logo_alt=row.logo_alt,
        # Not chosen yet (a row saved before there was the choice): the configuration's.
        report_course_id=row.report_course_id or config.get("REPORT_COURSE") or None,
        version=row.version,
    )


class _Cache:
    """One app's last identity read and when it was read."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.identity: Identity | None = None
        self.read_at = 0.0


def _cache(app: Flask) -> _Cache:
    return app.extensions.setdefault("induction_identity", _Cache())  # type: ignore[no-any-return]


def load() -> Identity:
    """Return the identity from the database now (the defaults when none is saved)."""
    row = db.session.scalar(select(SiteIdentity).where(SiteIdentity.id == ROW_ID))
    config = current_app.config
    return _from_row(row, config) if row is not None else configured(config)


def current() -> Identity:
    """Return the identity in force, from this worker's copy when it is fresh enough."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cache = _cache(app)
    now = time.monotonic()
    identity = cache.identity
    if identity is not None and now - cache.read_at < float(app.config["IDENTITY_CACHE_SECONDS"]):
        return identity
    try:
        identity = load()
    except SQLAlchemyError:
        # The database is not answering: the page saying so still needs a header.
        roll_back()
        current_app.logger.warning("identity: database not answering", exc_info=True)
        return identity or configured(app.config)
    with cache.lock:
        cache.identity, cache.read_at = identity, now
    return identity


def forget() -> None:
    """Drop this worker's copy, so the next read sees what was just saved."""
    cache = _cache(current_app._get_current_object())  # type: ignore[attr-defined]
    with cache.lock:
        cache.identity = None


def logo() -> tuple[bytes, str, int] | None:
    """Return the logo's bytes, content type and version, or None when there is no logo."""
    found = db.session.execute(
        select(SiteIdentity.logo, SiteIdentity.logo_type, SiteIdentity.version).where(
            SiteIdentity.id == ROW_ID
        )
    ).one_or_none()
    if found is None or not found.logo or not found.logo_type:
        return None
    return bytes(found.logo), str(found.logo_type), int(found.version)
