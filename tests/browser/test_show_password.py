""" "Show password" on every password box, in a real browser, by keyboard.

With JavaScript a real button after each password box shows and hides what was typed,
its words saying what it will do next and a status saying what happened (for screen
readers); the box keeps its name and autocomplete, is a password box again when the
form is sent, and signing in still works. Without JavaScript there is no button at
all. The page passes axe-core with the password shown and does not scroll sideways at
320 px; screenshots at 1280 and 375 px go to the artefacts.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.harness import Site
from tests.browser.keyboard import activate, press, tab_to, type_into
from tests.browser.test_journeys import check_page
from tests.browser.test_quiz_leaving_and_results import new_learner

pytestmark = pytest.mark.browser

# Every page with a password box: (name, who is signed in, path, how many boxes).
PASSWORD_PAGES = (
    ("sign-in", None, "/login", 1),
    ("password-change", "forms-learner", "/account/password", 2),
    ("email-change", "forms-learner", "/account/email", 1),
    ("invitation", None, "/invitations/{invitation_token}", 1),
    ("reset", None, "/reset/{reset_token}", 1),
    ("register-finish", None, "/register/{register_token}", 1),
    ("recovery-codes", "walk-admin", "/account/two-factor", 1),
)
SHOW = "Show password"
HIDE = "Hide password"


def open_page(site: Site, person: str | None, path: str, *, javascript: bool = True) -> Page:
    context = site.new_context(
        person=site.person(person) if person else None, javascript=javascript
    )
    page = context.new_page()
    response = page.goto(site.fill(path))
    assert response is not None and response.status == 200, page.url
    return page


def toggle_of(page: Page, box: Locator) -> Locator:
    """Return the button that shows and hides the password box `box`."""
    return page.locator(f"button[aria-controls='{box.get_attribute('id')}']")


@pytest.mark.parametrize(
    ("name", "person", "path", "boxes"), PASSWORD_PAGES, ids=[p[0] for p in PASSWORD_PAGES]
)
def test_each_password_box_has_a_button_that_shows_and_hides_it(
    site: Site, name: str, person: str | None, path: str, boxes: int
) -> None:
    page = open_page(site, person, path)
    try:
        fields = page.locator("main input[type=password]")
        expect(fields).to_have_count(boxes)
        expect(page.locator("main").get_by_role("button", name=SHOW)).to_have_count(boxes)
        for box in fields.all():
            box_id = box.get_attribute("id")
            name_before = box.get_attribute("name")
            autocomplete = box.get_attribute("autocomplete")
            button = toggle_of(page, box)
            expect(button).to_have_attribute("type", "button")
            expect(button).to_have_text(SHOW)
            type_into(page, box, "correct horse battery staple")
            tab_to(page, button)  # the button comes straight after its box
            press(page, "Enter")
            shown = page.locator(f"[id='{box_id}']")
            expect(shown).to_have_attribute("type", "text")
            expect(button).to_have_text(HIDE)
            expect(button).to_be_focused()
            expect(shown).to_have_value("correct horse battery staple")
            # Password managers still find the box by its name and autocomplete.
            expect(shown).to_have_attribute("name", name_before or "")
            expect(shown).to_have_attribute("autocomplete", autocomplete or "")
            press(page, "Space")
            expect(shown).to_have_attribute("type", "password")
            expect(button).to_have_text(SHOW)
    finally:
        page.context.close()


def test_showing_the_password_is_announced_and_passes_axe(site: Site) -> None:
    page = open_page(site, None, "/login")
    try:
        box = page.get_by_label("Password", exact=True)
        type_into(page, box, "Seven green bicycles")
        button = toggle_of(page, box)
        status = page.locator("main [aria-live=polite]")
        expect(status).to_have_text("")  # nothing said before anything happens
        activate(page, button)
        expect(status).to_have_text("Your password is shown.")
        expect(box).to_have_attribute("type", "text")
        check_page(page, "the sign-in page with the password shown", "show-password")
        activate(page, button, backwards=True)
        expect(status).to_have_text("Your password is hidden.")
    finally:
        page.context.close()


def test_signing_in_with_the_password_shown_sends_it_as_a_password(site: Site) -> None:
    person = new_learner(site, "show-password-signer")
    page = open_page(site, None, "/login")
    try:
        type_into(page, page.get_by_label("Email address"), person.email)
        box = page.get_by_label("Password", exact=True)
        type_into(page, box, person.password)
        activate(page, toggle_of(page, box))
        expect(box).to_have_attribute("type", "text")
        activate(page, page.locator("main").get_by_role("button", name="Sign in", exact=True))
        expect(page.locator("h1")).to_have_text("My learning")
        assert "/login" not in page.url
    finally:
        page.context.close()


def test_the_form_hides_the_password_before_it_is_sent(site: Site) -> None:
    page = open_page(site, None, "/login")
    try:
        box = page.get_by_label("Password", exact=True)
        type_into(page, box, "not sent anywhere")
        activate(page, toggle_of(page, box))
        typed = page.evaluate(
            "() => { const form = document.getElementById('password').form;"
            " form.addEventListener('submit', e => e.preventDefault());"
            " form.requestSubmit(); return document.getElementById('password').type; }"
        )
        assert typed == "password"
        expect(toggle_of(page, box)).to_have_text(SHOW)
    finally:
        page.context.close()


@pytest.mark.parametrize(
    ("name", "person", "path", "boxes"), PASSWORD_PAGES, ids=[p[0] for p in PASSWORD_PAGES]
)
def test_without_javascript_there_is_no_button(
    site: Site, name: str, person: str | None, path: str, boxes: int
) -> None:
    page = open_page(site, person, path, javascript=False)
    try:
        expect(page.locator("main input[type=password]")).to_have_count(boxes)
        buttons = page.locator("main").get_by_role("button", name=re.compile(f"^({SHOW}|{HIDE})$"))
        expect(buttons).to_have_count(0)
    finally:
        page.context.close()
