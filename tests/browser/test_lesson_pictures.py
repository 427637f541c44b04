"""A lesson picture wider than it is shown opens full size, in a real browser.

The governance diagram (800 px wide) is a link to the lesson's page for the picture:
reached by Tab with visible focus, named for screen readers, followed with Enter, and with
no script at all; axe finds nothing on the lesson and nothing scrolls sideways at 320 px.
On the picture's page the picture is drawn at its own size in a box that scrolls sideways
(by keyboard too) while the page does not, with the way back to the lesson.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_no_violations
from tests.browser.conftest import running_site
from tests.browser.harness import Site
from tests.browser.keyboard import activate, press, tab_to
from tests.browser.test_layout import assert_reflows

pytestmark = pytest.mark.browser

LESSON = "/courses/ccin-induction/lessons/governance"
PICTURE = "/courses/ccin-induction/media/governance.svg"
VIEWER = f"{LESSON}/pictures/governance.svg"


@pytest.fixture(scope="module")
def picture_site(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(browser, tmp_path_factory.mktemp("pictures"), "pictures") as served:
        yield served


def open_lesson(site: Site, width: int, javascript: bool = True, path: str = LESSON) -> Page:
    return site.open_page("walk-learner", path, width, javascript)


@pytest.mark.parametrize("width", [1280, 320])
def test_the_diagram_opens_full_size_by_keyboard(picture_site: Site, width: int) -> None:
    page = open_lesson(picture_site, width)
    try:
        link = page.get_by_role("link", name="Open the picture full size")
        expect(link).to_have_count(1)
        expect(link).to_have_attribute("href", VIEWER)
        # Its name is the picture's alt text, then what the link does.
        expect(link).to_have_accessible_name(
            re.compile(r"^Diagram of CCIN governance in 2019/20: .* Open the picture full size$")
        )
        expect(link.get_by_role("img")).to_have_attribute("src", PICTURE)
        assert_no_violations(page, f"the governance lesson at {width} px")
        if width == 320:
            assert_reflows(page, "the governance lesson at 320 px")
        with page.expect_navigation():
            activate(page, link)
        assert page.url.endswith(VIEWER)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            re.compile(r"^Diagram of CCIN governance in 2019/20: ")
        )
        assert_no_violations(page, f"the governance diagram's page at {width} px")
        back = page.get_by_role("link", name="Back to the lesson").first
        with page.expect_navigation():
            activate(page, back)
        assert page.url.endswith(LESSON)
    finally:
        page.context.close()


def scroll_sizes(page: Page, selector: str) -> dict[str, int]:
    return dict(
        page.locator(selector).evaluate(
            "el => ({scrollWidth: el.scrollWidth, clientWidth: el.clientWidth,"
            " scrollLeft: el.scrollLeft})"
        )
    )


def test_at_320_px_the_picture_scrolls_in_its_box_not_the_page(picture_site: Site) -> None:
    page = open_lesson(picture_site, 320, path=VIEWER)
    try:
        assert_reflows(page, "the governance diagram's page at 320 px")
        box = page.get_by_role("region", name="The picture at full size")
        picture = box.get_by_role("img")
        # Drawn at its own width (800 px), not shrunk to the screen.
        assert picture.evaluate("el => el.getBoundingClientRect().width") == 800
        sizes = scroll_sizes(page, ".picture-viewer__box")
        assert sizes["scrollWidth"] > sizes["clientWidth"], sizes
        assert sizes["clientWidth"] < 320, sizes
        # The box is in the tab order, with visible focus, and scrolls with the arrow keys.
        tab_to(page, box)
        for _ in range(5):
            press(page, "ArrowRight")
        page.wait_for_function(
            "() => document.querySelector('.picture-viewer__box').scrollLeft > 0"
        )
        assert_reflows(page, "the governance diagram's page at 320 px, scrolled")
    finally:
        page.context.close()


def test_the_diagram_opens_full_size_without_javascript(picture_site: Site) -> None:
    page = open_lesson(picture_site, 375, javascript=False)
    try:
        with page.expect_response(lambda r: r.url.endswith(VIEWER)) as viewer:
            page.get_by_role("link", name="Open the picture full size").click()
        assert viewer.value.status == 200
        with page.expect_response(lambda r: r.url.endswith(PICTURE)) as opened:
            page.get_by_role("link", name="Open the picture file on its own").click()
        response = opened.value
        assert response.status == 200
        assert response.headers["content-type"].startswith("image/svg+xml")
    finally:
        page.context.close()
