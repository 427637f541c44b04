"""The running site as the browser tests see it: its address, its data, browsers signed in.

`Site` wraps the live server, the seed data, the seeding app (the same database, for
the few things a test must do behind the browser's back, such as ending a session)
and the Chromium instance. Signing in is done once per person and kept as a storage
state, so the page walk opens each role's pages without signing in again.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyotp
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page
from sqlalchemy import delete, update

from induction.accounts.models import User, UserSession
from induction.catalogue import get_catalogue
from induction.content.model import Quiz
from induction.database import utcnow
from induction.extensions import db
from tests.browser.seed import Person, Seed
from tests.browser.server import PROJECT_ROOT, Server

DESKTOP = {"width": 1280, "height": 900}
# Chromium's flags for a headless run in a container: no sandbox, GPU, updates or sync.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> Path:
    """Return where Chromium should be: INDUCTION_CHROMIUM, or Debian's /usr/bin/chromium."""
    return Path(os.environ.get("INDUCTION_CHROMIUM") or "/usr/bin/chromium")


def artifacts_dir() -> Path:
    """Return the folder for screenshots and logs (INDUCTION_TEST_ARTIFACTS or test-artifacts/)."""
    root = Path(os.environ.get("INDUCTION_TEST_ARTIFACTS") or PROJECT_ROOT / "test-artifacts")
    path = root / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path


def plain_text(fragment: str) -> str:
    """Return an HTML fragment's text, as a label shows it."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


@dataclass
class Site:
    """The live site, its data and a browser to look at it with."""

    url: str
    seed: Seed
    app: Flask
    server: Server
    browser: Browser
    _states: dict[str, Any] = field(default_factory=dict, repr=False)

    def person(self, key: str) -> Person:
        """Return the seeded person with this key; KeyError for an unknown one."""
        return self.seed.person(key)

    def fill(self, template: str) -> str:
        """Return a URL template with the seed's values put in ("{certificate}" ...)."""
        return template.format(**self.seed.values)

    # Browsers

    def new_context(
        self,
        *,
        person: Person | None = None,
        javascript: bool = True,
        viewport: dict[str, int] | None = None,
        scale: float = 1,
    ) -> BrowserContext:
        """Return a new browser context, signed in as `person` when given."""
        options: dict[str, Any] = {
            "base_url": self.url,
            "java_script_enabled": javascript,
            "viewport": viewport or DESKTOP,
            "device_scale_factor": scale,
            "locale": "en-GB",
            "timezone_id": "Europe/London",
            "accept_downloads": True,
        }
        if person is not None:
            options["storage_state"] = self.signed_in_state(person)
        context = self.browser.new_context(**options)
        context.set_default_timeout(15_000)
        return context

    def open_page(
        self, person_key: str, path: str, width: int = 1280, javascript: bool = True
    ) -> Page:
        """Return a new page, signed in as the person `person_key`, at `path` (which must
        answer 200), in a window `width` pixels wide."""
        context = self.new_context(
            person=self.person(person_key),
            viewport={"width": width, "height": 900},
            javascript=javascript,
        )
        page = context.new_page()
        response = page.goto(path)
        assert response is not None and response.status == 200, page.url
        return page

    def signed_in_state(self, person: Person) -> Any:
        """Return cookies of a browser signed in as `person` (signing in the first time only)."""
        if person.key not in self._states:
            context = self.new_context()
            page = context.new_page()
            self.sign_in(page, person)
            self._states[person.key] = context.storage_state()
            context.close()
        return self._states[person.key]

    def sign_in(self, page: Page, person: Person, next_path: str | None = None) -> None:
        """Sign in through the real form (with the second factor when the person has one)."""
        page.goto("/login" + (f"?next={next_path}" if next_path else ""))
        self.sign_in_here(page, person)

    def sign_in_here(self, page: Page, person: Person) -> None:
        """Fill in the sign-in form already on the page, and the code step when it comes."""
        page.get_by_label("Email address").fill(person.email)
        page.get_by_label("Password", exact=True).fill(person.password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        if page.url.endswith("/login/two-factor"):
            page.get_by_label(re.compile("code", re.IGNORECASE)).first.fill(self.totp_code(person))
            page.get_by_role("button", name=re.compile("Continue|Sign in|Verify")).click()
            page.wait_for_load_state()
        assert "/login" not in page.url, f"signing in as {person.email} failed: {page.url}"

    # Behind the browser's back

    def totp_code(self, person: Person) -> str:
        """Return the person's current authenticator code.

        The record of the last code used is cleared first, so one person may sign in
        several times within 30 seconds (replay protection has its own tests).
        """
        assert person.totp_secret, f"{person.email} has no second factor"
        with self.app.app_context():
            db.session.execute(update(User).where(User.id == person.id).values(totp_last_step=None))
            db.session.commit()
            db.session.remove()
        return pyotp.TOTP(person.totp_secret).now()

    def end_sessions(self, person: Person) -> int:
        """End every session of `person` on the server, as a time-out would; return how many."""
        with self.app.app_context():
            result = db.session.execute(delete(UserSession).where(UserSession.user_id == person.id))
            db.session.commit()
            db.session.remove()
        return int(result.rowcount or 0)

    def make_idle(self, person: Person, hours: float) -> None:
        """Make every session of `person` look unused for `hours` (as if they had been away)."""
        last_seen = utcnow() - dt.timedelta(hours=hours)
        with self.app.app_context():
            db.session.execute(
                update(UserSession)
                .where(UserSession.user_id == person.id)
                .values(last_seen_at=last_seen)
            )
            db.session.commit()
            db.session.remove()

    def quiz(self, course_id: str, module_id: str) -> Quiz:
        """Return a module's quiz as the site has loaded it."""
        with self.app.app_context():
            course = get_catalogue().course(course_id)
            module = course.module(module_id) if course else None
            assert module is not None and module.quiz is not None
            return module.quiz

    def config(self, name: str) -> Any:
        """Return a configuration value as the server sees it (same layers, same values)."""
        return self.app.config[name]
