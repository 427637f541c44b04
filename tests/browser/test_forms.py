"""Forms in a real browser: the error-summary pattern, and password fields that managers can fill.

The pattern (templates/_macros/forms.html): a summary at the top, focused when the
page loads (with JavaScript), linking to each field in error; the message beside its
field and tied to it with aria-describedby; the page title prefixed "Error:". A
summary link, followed by keyboard, puts focus on its field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.harness import Site
from tests.browser.keyboard import activate, has_focus, press, tab_to

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Form:
    """A form to send empty, and the fields its error summary must list."""

    name: str
    person: str | None  # who is signed in (a key of the seed's people)
    path: str
    button: str
    expected: tuple[str, ...]  # ids of the fields the summary must list, in order


FORMS = (
    Form("sign-in", None, "/login", "Sign in", ("email", "password")),
    Form(
        "register-finish",
        None,
        "/register/{register_token}",
        "Create account",
        ("name", "audience-0", "password"),
    ),
    Form(
        "acknowledgement",
        "forms-learner",
        "/courses/getting-started/lessons/reading-a-lesson",
        "Mark as complete and continue",
        ("acknowledge",),
    ),
    Form(
        "password-change",
        "forms-learner",
        "/account/password",
        "Change password",
        ("current_password", "password"),
    ),
    Form(
        "invite",
        "walk-admin",
        "/admin/people/invite",
        "Send the invitation",
        ("email", "audience-0"),
    ),
    Form("verify", None, "/verify", "Check the certificate", ("code",)),
)


def open_as(site: Site, person: str | None, *, javascript: bool = True) -> BrowserContext:
    """Return a browser context signed in as the seeded person `person` (None: nobody)."""
    return site.new_context(person=site.person(person) if person else None, javascript=javascript)


def summary_targets(page: Page) -> list[str]:
    """Return the ids the error summary's links point to, in order."""
    links = page.locator(".error-summary a")
    return [
        href.removeprefix("#")
        for href in links.evaluate_all("as => as.map(a => a.getAttribute('href'))")
    ]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.name)
def test_errors_follow_the_error_summary_pattern(site: Site, form: Form, javascript: bool) -> None:
    context = open_as(site, form.person, javascript=javascript)
    page = context.new_page()
    try:
        page.goto(site.fill(form.path))
        with page.expect_navigation():
            activate(page, page.locator("main").get_by_role("button", name=form.button, exact=True))

        assert page.title().startswith("Error: "), page.title()
        summary = page.locator(".error-summary")
        expect(summary).to_have_attribute("role", "alert")
        expect(summary.get_by_role("heading")).to_have_text("There is a problem")
        if javascript:
            assert has_focus(summary), "the error summary did not take focus"

        targets = summary_targets(page)
        assert targets == list(form.expected)
        for target, link in zip(targets, page.locator(".error-summary a").all(), strict=True):
            field = page.locator(f"[id='{target}']")
            assert field.count() == 1, f"the summary links to a missing field #{target}"
            # The message beside the field says the same, and the field points to it.
            base = re.sub(r"-0$", "", target)
            message = page.locator(f"[id='{base}-error']")
            expect(message).to_be_visible()
            assert link.inner_text() in message.inner_text()
            described = page.locator(f"[id='{base}']").get_attribute("aria-describedby") or ""
            assert f"{base}-error" in described.split()

        # Each summary link, followed by keyboard, puts focus on its field.
        for target in targets:
            link = page.locator(f".error-summary a[href='#{target}']")
            tab_to(page, link, backwards=not has_focus(summary))
            press(page, "Enter")
            field = page.locator(f"[id='{target}']")
            assert has_focus(field), f"following the link to #{target} did not focus it"
            expect(field).to_be_in_viewport()
    finally:
        context.close()


PASSWORD_PAGES = (
    ("sign-in", None, "/login"),
    ("password-change", "forms-learner", "/account/password"),
    ("email-change", "forms-learner", "/account/email"),
    ("invitation", None, "/invitations/{invitation_token}"),
    ("reset", None, "/reset/{reset_token}"),
    ("register-finish", None, "/register/{register_token}"),
)


@pytest.mark.parametrize(
    ("name", "person", "path"), PASSWORD_PAGES, ids=[p[0] for p in PASSWORD_PAGES]
)
def test_password_fields_take_a_pasted_password_and_say_what_they_hold(
    site: Site, name: str, person: str | None, path: str
) -> None:
    context = open_as(site, person)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page = context.new_page()
    try:
        page.goto(site.fill(path))
        fields = page.locator("input[type=password]")
        assert fields.count() >= 1
        for field in fields.all():
            autocomplete = field.get_attribute("autocomplete")
            assert autocomplete in ("current-password", "new-password"), (
                f"{name}: #{field.get_attribute('id')} has autocomplete={autocomplete!r}"
            )
            for handler in ("onpaste", "oncopy", "ondrop"):
                assert field.get_attribute(handler) is None
            # Paste as a password manager or a person would: through the clipboard.
            secret = "Pasted from a password manager 9!"
            page.evaluate("text => navigator.clipboard.writeText(text)", secret)
            field.focus()
            page.keyboard.press("Control+A")
            page.keyboard.press("Control+V")
            expect(field).to_have_value(secret)
    finally:
        context.close()
