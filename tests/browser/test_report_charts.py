"""The report charts in a real browser: their words readable on a phone as on a desktop.

A chart is drawn to a fixed width and scaled to the page, so on a narrow screen its text
shrinks with it. Each report's chart is measured as the browser draws it, at 320 and 375
px and on a desktop: the smallest text must come out at 12 CSS px or more, the largest
no bigger than 20 px. Screenshots at 1280 and 375 px go to the artifacts.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.harness import Site, artifacts_dir
from tests.browser.pages import ROLE_PEOPLE, STATES
from tests.browser.test_layout import assert_reflows
from tests.browser.walk import open_state

pytestmark = pytest.mark.browser

CHARTS = ("dashboard", "network", "questions")
WIDTHS = (320, 375, 1280)
SMALLEST_PX = 12
LARGEST_PX = 20

# The font size of every text the visible charts draw, in CSS px as shown: the size in
# the drawing times the drawing's scale on the page.
_TEXT_SIZES = """
() => [...document.querySelectorAll('figure.chart svg')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(t => Number(t.getAttribute('font-size')) * scale);
  })
"""


def text_sizes(page: Page) -> list[list[float]]:
    """Return, for each chart shown, the size of each of its texts in CSS px."""
    return list(page.evaluate(_TEXT_SIZES))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", CHARTS)
def test_chart_words_are_readable_at_every_width(site: Site, name: str, width: int) -> None:
    state = next(s for s in STATES if s.name == name)
    person_key = ROLE_PEOPLE[state.role]
    assert person_key is not None
    person = site.person(person_key)
    context = site.new_context(person=person, viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        open_state(site, page, state)
        charts = text_sizes(page)
        assert charts and all(charts), f"{name}: no chart with text shown at {width} px"
        sizes = [size for chart in charts for size in chart]
        assert min(sizes) >= SMALLEST_PX, (
            f"{name} at {width} px: chart text drawn at {min(sizes):.1f} px"
        )
        assert max(sizes) <= LARGEST_PX, (
            f"{name} at {width} px: chart text drawn at {max(sizes):.1f} px"
        )
        assert_reflows(page, f"{name} at {width} px")
        if width != 320:
            page.screenshot(path=str(artifacts_dir() / f"chart-{name}-{width}.png"), full_page=True)
    finally:
        context.close()
