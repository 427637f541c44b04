"""Switching the audience of a preview from its banner, in a real browser, by keyboard.

With and without JavaScript (the banner's buttons are a plain form) an admin previewing
as councillors switches to council officers on a lesson only councillors have, lands on
the course's page with a sentence saying why, then switches to affiliate members on a
lesson everyone has and stays on it. The banner passes axe-core and does not scroll
sideways at 320 px (checked with JavaScript, which axe-core needs); screenshots at 1280
and 375 px go to the artefacts.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.harness import Site
from tests.browser.keyboard import activate, choose
from tests.browser.pages import CCIN
from tests.browser.test_journeys import JAVASCRIPT, check_page

pytestmark = pytest.mark.browser

COUNCILLORS_LESSON = f"{CCIN}/lessons/the-commitment-for-councillors"
SHARED_LESSON = f"{CCIN}/lessons/what-is-a-co-operative-council"


@JAVASCRIPT
def test_an_admin_switches_the_preview_audience_from_the_banner(
    site: Site, javascript: bool
) -> None:
    context = site.new_context(person=site.person("walk-author"), javascript=javascript)
    page = context.new_page()
    page.goto("/admin/courses/")
    choose(page, page.locator("main").get_by_label("Councillors", exact=True))
    activate(page, page.get_by_role("button", name="Start the preview"))
    banner = page.locator(".preview-banner")
    expect(banner).to_contain_text("Previewing as councillors.")
    try:
        page.goto(COUNCILLORS_LESSON)
        expect(banner).to_contain_text("Previewing as councillors.")
        expect(banner.get_by_role("button", name="Preview as councillors")).to_have_count(0)
        if javascript:
            check_page(page, "the preview banner", "preview-banner")

        activate(page, banner.get_by_role("button", name="Preview as council officers"))
        expect(page).to_have_url(f"{site.url}{CCIN}/")
        expect(page.locator(".flashes")).to_contain_text(
            "The page you were on is not shown to council officers"
        )
        expect(banner).to_contain_text("Previewing as council officers.")

        page.goto(SHARED_LESSON)
        activate(page, banner.get_by_role("button", name="Preview as affiliate members"))
        expect(page).to_have_url(f"{site.url}{SHARED_LESSON}")
        expect(page.locator(".flashes")).to_contain_text(
            "You are now seeing this page as affiliate members see it."
        )
        expect(banner).to_contain_text("Previewing as affiliate members.")
    finally:
        page.goto("/courses/")
        if banner.count():
            activate(page, banner.get_by_role("button", name="Stop preview"))
        context.close()
