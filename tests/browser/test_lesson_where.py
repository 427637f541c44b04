"""Where a lesson is in its module, near its top on a phone, in a real browser.

At 375 px the line "Lesson 2 of 4 in this module" comes just under the lesson's heading
and opens, by keyboard and without JavaScript, the module's list; at 1280 px the list is
beside the lesson already, so the line is not shown twice. Each view passes axe-core and
does not scroll sideways at 320 px.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_violations
from tests.browser.harness import Site, artifacts_dir
from tests.browser.seed import CCIN
from tests.browser.test_layout import assert_reflows

pytestmark = pytest.mark.browser

LESSON = f"/courses/{CCIN}/lessons/the-co-operative-identity"


@pytest.mark.parametrize("javascript", [True, False])
def test_a_phone_user_opens_the_module_list_from_the_top_by_keyboard(site: Site, javascript: bool):
    page = site.open_page("walk-learner", LESSON, width=375, javascript=javascript)
    try:
        summary = page.locator(".lesson-where summary")
        expect(summary).to_have_text("Lesson 2 of 4 in this module: see them all")
        expect(summary).to_be_in_viewport()
        current = page.locator(".lesson-where a[aria-current='page']")
        expect(current).to_be_hidden()
        summary.focus()
        page.keyboard.press("Enter")
        expect(current).to_be_visible()
        expect(current).to_have_text("The co-operative identity")
        expect(page.locator(".lesson-where__show")).to_be_hidden()  # ": see them all"
        if javascript:  # axe and the measuring run as scripts in the page
            assert_no_violations(page, "a lesson on a phone, the module's list open")
            page.screenshot(path=str(artifacts_dir() / "lesson-where-375.png"), full_page=True)
            page.set_viewport_size({"width": 320, "height": 900})
            assert_reflows(page, "a lesson at 320 px, the module's list open")
        page.keyboard.press("Tab")
        expect(page.locator(".lesson-where a").first).to_be_focused()
        page.keyboard.press("Enter")
        expect(page).to_have_url(
            f"{site.url}/courses/{CCIN}/lessons/what-is-a-co-operative-council"
        )
    finally:
        page.context.close()


def test_on_a_computer_the_list_beside_the_lesson_is_enough(site: Site):
    page = site.open_page("walk-learner", LESSON, width=1280)
    try:
        expect(page.locator(".lesson-where")).to_be_hidden()
        expect(page.locator("nav.contents a[aria-current='page']")).to_be_visible()
    finally:
        page.context.close()
