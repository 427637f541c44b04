"""Configuration in layers: defaults, the instance config file, environment variables, a test dict.

Environment variables use the prefix `INDUCTION_` (values are parsed as JSON when they
can be, so `INDUCTION_COURSES_RELOAD_SECONDS=5` is a number). A plain `DATABASE_URL`
is honoured too, but `INDUCTION_DATABASE_URL` wins over it.
"""

from __future__ import annotations

import email.utils
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from induction.database import normalise_database_url
from induction.identity.contrast import brand_colour_problem, parse_colour

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Values that must never protect a production deployment.
INSECURE_SECRET_KEYS = frozenset({"", "dev", "change-me", "changeme", "secret"})

# Where links in email and certificates point outside production (what `start` serves).
DEVELOPMENT_BASE_URL = "http://localhost:5000"


class Defaults:
    """The defaults, overridden by every later layer."""

    ENV = "development"  # "production" under gunicorn (see wsgi.py)
    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None  # None: SQLite in the instance folder
    COURSES_DIR: str | None = None  # None: the `courses` folder of the project
    COURSES_RELOAD_SECONDS = 2.0  # how often a worker looks for changed course files
    COURSE_FILE_MAX_BYTES = 200 * 1024  # largest course Markdown file that is loaded
    COURSE_RENDER_SECONDS = 2.0  # longest time one course file may take to render
    TRUSTED_PROXIES = 0  # reverse proxies in front of the app (1 behind nginx)
    TIMEZONE = "Europe/London"  # where "today" is, for due dates
    # Who runs the site, in the header, every page title ("Lesson – CCIN induction"), the
    # front page, the certificate and email. The shipped defaults are the CCIN's.
    ORGANISATION_NAME = "Co-operative Councils' Innovation Network"
    ORGANISATION_SHORT_NAME = "CCIN"
    SITE_NAME: str | None = None  # None: the short name and "induction" ("CCIN induction")
    SUPPORT_EMAIL: str | None = "comms@councils.coop"  # None: the front page names no address
    # The header's background and the accent of notices, cards and the certificate: it must
    # have 4.5:1 contrast with white (WCAG AA), or the app refuses to start.
    BRAND_COLOUR = "#1d4f91"
    # Links at the foot of every page, after the accessibility statement.
    FOOTER_LINKS: list[dict[str, str]] = [  # noqa: RUF012 - read only
        {"label": "About the CCIN", "url": "https://councils.coop/about-us"}
    ]
    # The course the reports open on for someone who has not chosen one yet (its id); when
    # no such course is listed, the first in the catalogue.
    REPORT_COURSE: str | None = "ccin-induction"
    # An admin may change all of these on the identity page (Admin > The network's identity);
    # what is saved there wins, and every worker sees it within this many seconds.
    IDENTITY_CACHE_SECONDS = 5.0
    LOGO_MAX_BYTES = 200 * 1024  # largest logo file an admin may upload
    SQLITE_BUSY_TIMEOUT_MS = 15000
    # PostgreSQL: give up connecting after this long, so a database that does not answer
    # gives a quick 503 instead of a request that hangs until the worker is killed.
    DATABASE_CONNECT_TIMEOUT_SECONDS = 5
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE: bool | None = None  # None: True in production, False otherwise
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    MEDIA_MAX_BYTES = 5 * 1024 * 1024  # largest image or PDF an author may upload
    RATELIMIT_STORAGE_URI = "memory://"  # "redis://127.0.0.1:6379/0" with several workers
    RATELIMIT_HEADERS_ENABLED = True
    OUTBOX_DIR: str | None = None  # None: <instance>/outbox
    MAIL_SERVER: str | None = None  # SMTP host; None: write messages to the outbox
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    # The sender of every email: "SITE_NAME <MAIL_FROM>" unless MAIL_SENDER_NAME says otherwise
    # (or MAIL_FROM carries a name, "Name <address>"). Production refuses an address
    # at localhost (or with no domain): set INDUCTION_MAIL_FROM to one people can reply to.
    MAIL_FROM = "induction@localhost"
    MAIL_SENDER_NAME: str | None = None  # None: the site's name
    MAIL_USE_SSL = False  # True for SMTPS (usually port 465) instead of STARTTLS
    MAIL_TIMEOUT_SECONDS = 30
    MAIL_KEEP_DAYS = 90  # `housekeeping` deletes email sent longer ago than this
    # Accounts
    # e.g. "https://learn.example.org": every absolute link (email, PDF, QR code) is built from
    # it alone. Required in production; DEVELOPMENT_BASE_URL otherwise.
    BASE_URL: str | None = None
    TRUSTED_HOSTS: list[str] | None = None  # None: in production, the host of BASE_URL
    PASSWORD_HASH_PROFILE = "strong"  # noqa: S105 - a profile name: Argon2id at OWASP's parameters
    SESSION_IDLE_HOURS = 20  # WCAG 2.2.1: at least 20 hours without a warning
    SESSION_ABSOLUTE_DAYS = 14
    SESSION_TOUCH_SECONDS = 300  # how often a session's last-seen time is written
    SELF_REGISTRATION_ENABLED = True
    SETUP_LINK_HOURS = 24
    INVITATION_DAYS = 14
    RESET_LINK_MINUTES = 60
    SIGN_IN_LINK_MINUTES = 15  # a sign-in link by email, for organisations that allow them
    REGISTRATION_LINK_HOURS = 24
    EMAIL_CHANGE_LINK_HOURS = 24
    TWO_FACTOR_PENDING_MINUTES = 5  # time between the password and the code at sign-in
    RATELIMIT_ENABLED = True
    LOGIN_LIMIT_PER_ACCOUNT = "10 per 15 minutes"
    LOGIN_LIMIT_PER_IP = "30 per 15 minutes"
    # The address-first step of the sign-in page (a whole council in one room shares an IP).
    LOGIN_EMAIL_LIMIT_PER_IP = "300 per 15 minutes"
    RESET_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    RESET_LIMIT_PER_IP = "30 per 15 minutes"
    REGISTER_LIMIT_PER_IP = "20 per 15 minutes"
    # The accessibility statement (templates/pages/accessibility.html): a council fills these in.
    ACCESSIBILITY_CONTACT_EMAIL: str | None = None
    ACCESSIBILITY_CONTACT_PHONE: str | None = None
    ACCESSIBILITY_RESPONSE_DAYS = 10
    ACCESSIBILITY_STATEMENT_PREPARED = "28 November 2026"
    ACCESSIBILITY_STATEMENT_REVIEWED: str | None = None  # None: the date it was prepared
    ACCESSIBILITY_LAST_TESTED: str | None = None  # None: the date it was prepared
    ACCESSIBILITY_TESTED_BY: str | None = None
    CERTIFICATE_VERIFY_LIMIT = "30/minute"  # per address, on the public verification page
    CERTIFICATE_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    CERTIFICATE_BOLD_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
    # Reminders (flask --app induction reminders send, daily from cron)
    REMINDER_DAYS_BEFORE = 7  # "due soon" email this many days before the due date
    REMINDER_REPEAT_DAYS = 7  # overdue people (and managers' digests) again after this many days
    OFFICER_REMINDER_DAYS = 7  # an officer may remind someone again after this many days
    TERM_DAYS = 1461  # a term (four years): how long a completion lasts for `renew: each term`


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill `app.config` from every layer and derive the values that depend on others.

    Raises RuntimeError when production runs without a proper secret key, a BASE_URL or a
    real sender address (MAIL_FROM).
    """
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    plain_database_url = os.environ.get("DATABASE_URL")
    if plain_database_url:
        app.config["DATABASE_URL"] = plain_database_url
    app.config.from_prefixed_env("INDUCTION")
    if test_config:
        app.config.from_mapping(test_config)
    _derive(app)


def _derive(app: Flask) -> None:
    config = app.config
    instance = Path(app.instance_path)
    production = config["ENV"] == "production"
    config["TESTING"] = bool(config.get("TESTING"))

    if not config.get("SECRET_KEY"):
        if production:
            raise RuntimeError(
                "SECRET_KEY is not set: set INDUCTION_SECRET_KEY (a long random value, the same "
                "on every host) before starting in production."
            )
        config["SECRET_KEY"] = _instance_secret(instance)
    elif production and (
        config["SECRET_KEY"] in INSECURE_SECRET_KEYS or len(config["SECRET_KEY"]) < 16
    ):
        raise RuntimeError(
            "SECRET_KEY is a default or too short: set INDUCTION_SECRET_KEY to a long random value."
        )

    _base_url(config, production)
    if not config.get("SITE_NAME"):
        config["SITE_NAME"] = f"{config['ORGANISATION_SHORT_NAME']} induction"
    _mail_from(config, production)
    _brand_colour(config)

    url = config.get("DATABASE_URL") or f"sqlite:///{instance / 'induction.sqlite'}"
    config["DATABASE_URL"] = normalise_database_url(url)
    config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    engine_options: dict[str, Any] = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if url.startswith("sqlite"):
        engine_options.setdefault(
            "connect_args", {"timeout": config["SQLITE_BUSY_TIMEOUT_MS"] / 1000}
        )
    if config["DATABASE_URL"].startswith("postgresql"):
        connect_args = dict(engine_options.get("connect_args") or {})
        connect_args.setdefault("connect_timeout", int(config["DATABASE_CONNECT_TIMEOUT_SECONDS"]))
        # Set once per connection, they hold without transactions. JIT compiling costs
        # the app's queries more than it saves them (the reports' biggest included).
        # Statements run often are prepared on the server (psycopg), and PostgreSQL
        # would then soon plan them once for any values: a plan that suits an
        # organisation of ten people is ten times too slow for one of 5,000. Planning
        # each time with the real values costs a small query well under a millisecond.
        options = "-c jit=off -c plan_cache_mode=force_custom_plan"
        connect_args["options"] = f"{connect_args.get('options', '')} {options}".strip()
        engine_options["connect_args"] = connect_args
    config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options

    courses = config.get("COURSES_DIR") or str(PROJECT_ROOT / "courses")
    config["COURSES_DIR"] = str(Path(courses).resolve())
    config["OUTBOX_DIR"] = str(Path(config.get("OUTBOX_DIR") or instance / "outbox"))
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = production
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    config["REMEMBER_COOKIE_HTTPONLY"] = True
    config["REMEMBER_COOKIE_SAMESITE"] = "Lax"


def _base_url(config: Any, production: bool) -> None:
    """Check BASE_URL (required in production) and, in production, trust only its host.

    Links are never built from a request's Host header, and with TRUSTED_HOSTS set a
    request for another host is refused (400) before it reaches a view.
    """
    base = str(config.get("BASE_URL") or "").strip().rstrip("/")
    if not base:
        if production:
            raise RuntimeError(
                "BASE_URL is not set: set INDUCTION_BASE_URL to the address people use to reach "
                "the site (for example https://learn.example.org) before starting in production. "
                "Links in email and on certificates are built from it."
            )
        base = DEVELOPMENT_BASE_URL
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise RuntimeError(
            f"BASE_URL {base!r} is not a web address: write it like https://learn.example.org "
            "(a path such as https://example.org/learning is allowed)."
        )
    config["BASE_URL"] = base
    if production and config.get("TRUSTED_HOSTS") is None:
        config["TRUSTED_HOSTS"] = [parts.hostname]


def _mail_from(config: Any, production: bool) -> None:
    """Check the sender address: production refuses one at localhost or without a domain.

    A name written in MAIL_FROM ("Induction <induction@example.org>") becomes the sender's
    name (MAIL_SENDER_NAME), and MAIL_FROM keeps the address alone.
    """
    name, address = email.utils.parseaddr(str(config.get("MAIL_FROM") or "").strip())
    config["MAIL_FROM"] = address
    if name:
        config["MAIL_SENDER_NAME"] = name
    elif not config.get("MAIL_SENDER_NAME"):
        config["MAIL_SENDER_NAME"] = config["SITE_NAME"]
    if production and not is_real_sender(address):
        raise RuntimeError(
            f"MAIL_FROM {address!r} is not a real sender address: set INDUCTION_MAIL_FROM to an "
            "address at your own domain (for example induction@learn.example.org) before "
            "starting in production. Email from @localhost looks like phishing."
        )


def is_real_sender(address: str) -> bool:
    """Return True when `address` is at a real domain (not localhost, not a bare name).

    Production sends only from such an address: email from @localhost looks like phishing.
    """
    domain = address.rpartition("@")[2].lower().rstrip(".")
    local = domain in ("localhost", "localdomain") or domain.endswith((".localhost", ".local"))
    return bool(address.partition("@")[0]) and "." in domain and not local


def _brand_colour(config: Any) -> None:
    """Refuse a brand colour that white text cannot be read on (below 4.5:1)."""
    problem = brand_colour_problem(str(config.get("BRAND_COLOUR") or ""))
    if problem:
        raise RuntimeError(f"BRAND_COLOUR: {problem}.")
    config["BRAND_COLOUR"] = parse_colour(config["BRAND_COLOUR"])


def _instance_secret(instance: Path) -> str:
    """Return this instance's own secret key, made on first use and kept in the instance folder.

    Outside production this lets a newcomer start the app with nothing configured while
    sessions still survive a restart; production must set SECRET_KEY explicitly.
    """
    path = instance / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: when two processes race, one writes and the other reads what it wrote.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
