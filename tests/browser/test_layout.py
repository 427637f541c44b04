"""Reflow (WCAG 1.4.10) and print: every listed page at 320 CSS px and at 200% zoom.

200% zoom of a 1280 px wide window is emulated as what the page then gets: a
viewport of 640 CSS px drawn at two device pixels per CSS pixel (deviceScaleFactor
2), which gives the same layout and media queries as the browser's own zoom. The page
must never scroll sideways, and nothing may stick out of the viewport or be clipped,
except inside a container that scrolls on its own (a wide table in `.table-wrap`, as
WCAG 1.4.10 allows). A page that fails is saved as a screenshot with the artefacts.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.harness import Site, artifacts_dir
from tests.browser.pages import STATES, State
from tests.browser.walk import RolePages, open_state

pytestmark = pytest.mark.browser

# Finds what overflows: elements sticking out to the right of the viewport (unless a
# scrolling container holds them) and text clipped by `overflow: hidden` or `clip`.
_OVERFLOW_SCRIPT = """
() => {
  const width = window.innerWidth;
  const hidden = el => el.closest('.visually-hidden, [hidden], [aria-hidden="true"]');
  const scrollsInside = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll') return true;
    }
    return false;
  };
  const describe = el => {
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    const text = (el.textContent || '').trim().slice(0, 40);
    return el.tagName.toLowerCase() + id + cls + ' "' + text + '"';
  };
  const sticking = [], clipped = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (hidden(el)) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= 0) continue;
    if (box.right > width + 1 && !scrollsInside(el)) {
      sticking.push(describe(el) + ' right=' + Math.round(box.right));
    }
    const clips = ['hidden', 'clip'];
    if ((clips.includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1 ||
         clips.includes(style.overflowY) && el.scrollHeight > el.clientHeight + 1) &&
        (el.textContent || '').trim()) clipped.push(describe(el));
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: width,
    sticking: sticking.slice(0, 10),
    clipped: clipped.slice(0, 10),
  };
}
"""


def overflow(page: Page) -> dict[str, Any]:
    """Return the page's width, the viewport's, and what sticks out or is clipped."""
    return dict(page.evaluate(_OVERFLOW_SCRIPT))


def assert_reflows(page: Page, where: str) -> None:
    """Fail when the page scrolls sideways or anything is cut off."""
    found = overflow(page)
    assert found["scrollWidth"] <= found["innerWidth"], (
        f"{where} scrolls sideways: {found['scrollWidth']} px wide in a "
        f"{found['innerWidth']} px viewport; sticking out: {found['sticking']}"
    )
    assert not found["sticking"], f"{where}: cut off at the right edge: {found['sticking']}"
    assert not found["clipped"], f"{where}: text clipped by overflow: {found['clipped']}"


@pytest.mark.parametrize("view", ["320px", "zoom200"])
@pytest.mark.parametrize("state", STATES, ids=lambda state: state.name)
def test_page_reflows_without_sideways_scrolling(
    site: Site, role_pages: RolePages, state: State, view: str
) -> None:
    page = role_pages.get(state.role, view)
    open_state(site, page, state)
    try:
        assert_reflows(page, f"{state.name} at {view}")
    except AssertionError:
        # A whole-page screenshot takes as long as the check itself: only of a page that fails.
        shot = artifacts_dir() / "layout" / f"{state.name}--{view}.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        raise


def test_the_overflow_check_finds_a_page_that_scrolls_sideways(
    site: Site, role_pages: RolePages
) -> None:
    page = role_pages.get("anonymous", "320px")
    page.goto("/accessibility")
    page.evaluate(
        "() => { const p = document.createElement('p'); p.style.width = '600px';"
        " p.textContent = 'too wide'; document.querySelector('main').append(p); }"
    )
    with pytest.raises(AssertionError, match="scrolls sideways"):
        assert_reflows(page, "a page made too wide")


def test_a_wide_table_scrolls_inside_its_own_container(site: Site, role_pages: RolePages) -> None:
    page = role_pages.get("admin", "320px")
    # The organisations list keeps its columns on a phone (the reports read row by row).
    page.goto("/admin/organisations")
    wrap = page.locator(".table-wrap").first
    assert wrap.count() == 1
    scrolls = wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    assert scrolls, "the organisations table fits at 320 px: pick a wider table for this check"
    assert_reflows(page, "the organisations at 320 px")
    # A scrolling region must be reachable by keyboard, or its hidden part is lost.
    assert wrap.get_attribute("tabindex") == "0"


PRINTED = [
    ("lesson-with-diagram", "learner", "/courses/ccin-induction/lessons/governance"),
    ("certificate-check", "anonymous", "/verify/{certificate}"),
]


@pytest.mark.parametrize(("name", "role", "path"), PRINTED, ids=[p[0] for p in PRINTED])
def test_print_shows_the_content_without_navigation(
    site: Site, role_pages: RolePages, name: str, role: str, path: str
) -> None:
    page = role_pages.get(role)
    page.goto(site.fill(path))
    page.emulate_media(media="print")
    try:
        for selector in (".site-header", ".site-nav", ".site-footer", ".skip-link", ".breadcrumbs"):
            for element in page.locator(selector).all():
                assert not element.is_visible(), f"{selector} is printed on {name}"
        assert page.locator("main h1").is_visible()
        if name.startswith("lesson"):
            assert page.locator(".pager").is_hidden()
            assert page.locator(".contents").is_hidden()
            assert page.locator("main .prose img").first.is_visible()
        pdf = artifacts_dir() / "print" / f"{name}.pdf"
        pdf.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(pdf), format="A4")
        assert pdf.stat().st_size > 1000
    finally:
        page.emulate_media(media="screen")


# Pages whose tables a phone shows row by row: at 320 px not even the table's own box
# scrolls sideways, so nothing in a row is out of sight.
READ_ROW_BY_ROW = ("dashboard", "report-person", "person-manager", "network-ccin")


@pytest.mark.parametrize("name", READ_ROW_BY_ROW)
def test_tables_read_row_by_row_on_a_phone(site: Site, role_pages: RolePages, name: str) -> None:
    state = next(state for state in STATES if state.name == name)
    page = role_pages.get(state.role, "320px")
    open_state(site, page, state)
    scrolling = page.evaluate(
        """() => [...document.querySelectorAll('.table-wrap')]
            .filter(wrap => wrap.scrollWidth > wrap.clientWidth + 1)
            .map(wrap => wrap.getAttribute('aria-label') || wrap.getAttribute('aria-labelledby'))"""
    )
    assert scrolling == [], f"{name}: these tables scroll sideways inside their box at 320 px"
