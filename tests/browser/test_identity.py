"""The identity page and the front page by keyboard alone, with and without JavaScript.

(axe-core and the 320 px reflow check cover both pages through tests/browser/pages.py:
the states "front-page", "identity" and "identity-errors".)
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import Site
from tests.browser.keyboard import activate, has_focus, press, tab_to, type_into

pytestmark = pytest.mark.browser

JAVASCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


def _save(page: Page) -> None:
    with page.expect_navigation():
        activate(page, page.locator("main").get_by_role("button", name="Save the identity"))


@JAVASCRIPT
def test_an_admin_fixes_a_refused_brand_colour_by_keyboard(site: Site, javascript: bool) -> None:
    context = site.new_context(person=site.person("walk-admin"), javascript=javascript)
    page = context.new_page()
    try:
        page.goto("/admin/")
        activate(page, page.get_by_role("link", name="The network's identity"))
        expect(page.locator("h1")).to_have_text("The network's identity")

        colour = page.get_by_label("Brand colour")
        type_into(page, colour, "#f47738")
        _save(page)
        assert page.title().startswith("Error: ")
        summary = page.locator(".error-summary")
        expect(summary).to_contain_text(
            "White text on #f47738 has a contrast of 2.7:1, needs 4.5:1"
        )
        # The summary's link leads to the field, where the right colour is typed.
        link = summary.get_by_role("link")
        tab_to(page, link, backwards=not has_focus(summary))
        press(page, "Enter")
        assert has_focus(colour)
        page.keyboard.press("Control+A")
        page.keyboard.type("#1d4f91")
        _save(page)
        expect(page.locator(".flashes")).to_contain_text("Saved.")
        expect(page).to_have_url(re.compile(r"/admin/identity(#\w+)?$"))
    finally:
        context.close()


@JAVASCRIPT
def test_a_visitor_reaches_the_footer_links_and_help_address_by_keyboard(
    site: Site, javascript: bool
) -> None:
    context = site.new_context(javascript=javascript)
    page = context.new_page()
    try:
        page.goto("/")
        footer = page.locator("footer")
        for name in ("Accessibility statement", "About the CCIN", "comms@councils.coop"):
            tab_to(page, footer.get_by_role("link", name=name))
        activate(page, footer.get_by_role("link", name="Accessibility statement"), backwards=True)
        expect(page.locator("h1")).to_contain_text("Accessibility statement")
    finally:
        context.close()
