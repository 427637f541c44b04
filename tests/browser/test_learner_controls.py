"""The controls a new learner handles, measured in a real browser at 1280 and 375 px.

Radio buttons and checkboxes at GOV.UK's 40 px with the label beside them as part of
the hit area; the acknowledgement's box on the same row as its statement; the
two-step QR code drawn whole in its box; a lesson's sources folded away. Screenshots
of each page go to the test artefacts.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import Site, artifacts_dir
from tests.browser.pages import CCIN, GS, attempt

pytestmark = pytest.mark.browser

WIDTHS = (1280, 375)
LESSON = f"{GS}/lessons/reading-a-lesson"  # has an acknowledgement
QUIZ = attempt(f"{CCIN}/modules/{{module_2}}/quiz", "attempt_open")  # radios and checkboxes
SOURCES_LESSON = f"{CCIN}/lessons/governance"


def open_as(site: Site, person: str, path: str, width: int) -> Page:
    context = site.new_context(person=site.person(person), viewport={"width": width, "height": 900})
    page = context.new_page()
    response = page.goto(site.fill(path))
    assert response is not None and response.status == 200, page.url
    return page


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return dict(found)


def shoot(page: Page, name: str, width: int) -> None:
    page.screenshot(path=str(artifacts_dir() / f"polish-{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_acknowledgement_box_sits_beside_its_statement(site: Site, width: int) -> None:
    page = open_as(site, "walk-newcomer", LESSON, width)
    try:
        checkbox = box(page, "input.checkbox__input")
        label = box(page, "label.checkbox__label")
        assert (round(checkbox["width"]), round(checkbox["height"])) == (40, 40)
        assert label["x"] >= checkbox["x"] + checkbox["width"]  # to the right of the box
        assert label["y"] < checkbox["y"] + checkbox["height"]  # on the same row, not below
        # Pressing the statement's text ticks the box.
        page.locator("label.checkbox__label").click(position={"x": label["width"] - 5, "y": 5})
        expect(page.locator("input.checkbox__input")).to_be_checked()
        shoot(page, "lesson", width)
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_quiz_options_are_40px_with_the_whole_label_to_press(site: Site, width: int) -> None:
    page = open_as(site, "walk-learner", QUIZ, width)
    try:
        sizes: list[Any] = page.eval_on_selector_all(
            ".option input",
            "els => els.map(e => [e.type, Math.round(e.getBoundingClientRect().width),"
            " Math.round(e.getBoundingClientRect().height)])",
        )
        assert {kind for kind, _, _ in sizes} == {"radio", "checkbox"}
        assert {(w, h) for _, w, h in sizes} == {(40, 40)}
        # The label reaches the right edge of its question: the whole row is a target.
        option = box(page, ".option:has(input[type=checkbox])")
        label = box(page, ".option:has(input[type=checkbox]) .option__label")
        assert label["x"] + label["width"] >= option["x"] + option["width"] - 1
        first = page.locator(".option:has(input[type=checkbox])").first
        first.locator(".option__label").click(position={"x": label["width"] - 5, "y": 5})
        expect(first.locator("input")).to_be_checked()
        shoot(page, "quiz", width)
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_qr_code_is_drawn_whole_in_its_box(site: Site, width: int) -> None:
    page = open_as(site, "walk-newcomer", "/account/two-factor", width)
    try:
        drawn = page.eval_on_selector(
            ".qr-code svg",
            "svg => { const r = svg.getBoundingClientRect(); const v = svg.viewBox.baseVal;"
            " return [r.width, r.height, v ? v.width : 0, v ? v.height : 0]; }",
        )
        width_px, height_px, view_width, view_height = drawn
        assert view_width > 0 and view_width == view_height  # scales the whole code
        assert abs(width_px - height_px) < 1  # square, so nothing is cut from a side
        assert width_px <= 224.5  # within its 14rem box
        shoot(page, "two-factor", width)
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_lessons_sources_are_folded_until_asked_for(site: Site, width: int) -> None:
    page = open_as(site, "walk-learner", SOURCES_LESSON, width)
    try:
        sources = page.locator("details.sources")
        expect(sources).to_have_count(1)
        expect(sources.locator("ul")).to_be_hidden()
        sources.locator("summary").click()
        expect(sources.locator("ul")).to_be_visible()
        shoot(page, "sources", width)
    finally:
        page.context.close()
