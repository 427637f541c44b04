"""Reminder emails name the site after the course only when the course is not called like
the site ("your course “CCIN induction” on the CCIN induction" reads as a mistake)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from induction.accounts import mailer
from induction.progress.wording import names_the_site


@pytest.mark.parametrize(
    ("course", "site", "expected"),
    [
        ("CCIN induction", "CCIN induction", True),
        ("CCIN Induction", "ccin induction ", True),  # case and spaces aside
        ("CCIN induction programme", "CCIN induction", True),  # the course says the site
        ("Induction", "CCIN induction", True),  # the site says the course
        ("Getting started", "CCIN induction", False),
        ("", "CCIN induction", False),
    ],
)
def test_a_course_names_the_site(course, site, expected):
    assert names_the_site(course, site) is expected


def _reminder(app, template: str, course_title: str, **context) -> str:
    course = SimpleNamespace(title=course_title, renew="365")
    with app.test_request_context():
        return mailer.render(
            template, folder="progress/email", course=course, uk_date=str, **context
        ).text


@pytest.mark.parametrize("title", ["Site of tests", "Basics"], ids=["like the site", "its own"])
def test_every_course_reminder_names_the_site_only_for_a_course_called_otherwise(
    app_factory, title
):
    app = app_factory(SITE_NAME="Site of tests")
    day = dt.date(2026, 12, 7)
    reminder = SimpleNamespace(name="Bob", course=SimpleNamespace(title=title, renew="365"))
    reminder.due_on = day
    texts = [
        _reminder(
            app, "officer_reminder", title, name="Bob", officer="Mona", organisation="Own",
            due_on=day, is_due_for_renewal=renewing, asks_to="finish", message="",
            link="https://x", today=day,
        )
        for renewing in (False, True)
    ] + [
        _reminder(app, kind, title, reminder=reminder, link="https://x", today=day)
        for kind in ("due_soon", "overdue", "renewal")
    ]  # fmt: skip
    for text in texts:
        assert f'"{title}"' in text
        mentions_site = (
            f'"{title}" on the Site of tests' in text or f'"{title}" on Site of tests' in text
        )
        assert mentions_site is (title != "Site of tests"), text
