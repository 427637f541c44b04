"""Intakes and terms in a real browser, by keyboard alone: a lead officer adds an intake, puts
a person in it after the preview, and filters the dashboard by it.

axe-core and the reflow checks of the intake pages (the list, its errors, a change, a
person's intake, the move with its errors and its preview, the dashboard filtered by
intake) run from pages.py; screenshots at 1280 and 375 px go to the artifacts.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.harness import Site, artifacts_dir
from tests.browser.keyboard import activate, pick, press, tab_to, type_into
from tests.browser.pages import STATES
from tests.browser.test_journeys import button, link, sign_in_by_keyboard
from tests.browser.test_layout import assert_reflows
from tests.browser.walk import open_state

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_lead_officer_adds_an_intake_and_moves_someone_into_it_by_keyboard(
    site: Site, javascript: bool
) -> None:
    suffix = "js" if javascript else "nojs"
    manager = site.person(f"journey-manager-{suffix}")
    intake = f"Keyboard {suffix} intake"
    context = site.new_context(javascript=javascript)
    page = context.new_page()
    try:
        page.goto("/login")
        sign_in_by_keyboard(page, manager.email, manager.password)
        expect(page.locator("h1")).to_have_text("My learning")
        page.goto(site.fill("/reports/organisations/{org_id}"))
        activate(page, link(page, "Intakes and terms"))
        expect(page.locator("h1")).to_contain_text("Intakes and terms")

        type_into(page, page.get_by_label("Name", exact=True), intake)
        type_into(page, page.get_by_label("Date", exact=True), "8/5/2026")
        activate(page, button(page, "Add the intake"))
        expect(page.locator(".flashes")).to_contain_text(f"Added the intake {intake}.")

        activate(page, link(page, "Put people in an intake"))
        expect(page.locator("h1")).to_contain_text("Move people to another intake")
        tab_to(page, page.get_by_label(manager.name, exact=True))
        press(page, "Space")
        pick(page, page.get_by_label("To the intake", exact=True), intake)
        activate(page, button(page, "See who will move"))
        expect(page.locator("h1")).to_have_text("Check and move 1 person")
        expect(page.locator("main")).to_contain_text(manager.name)
        activate(page, button(page, "Move 1 person"))
        expect(page.locator(".flashes")).to_contain_text(f"Moved 1 person to {intake}.")

        page.goto(site.fill("/reports/organisations/{org_id}"))
        activate(page, page.get_by_text("Filter, search or sort the list of people"))
        pick(page, page.get_by_label("Intake", exact=True), intake)
        activate(page, button(page, "Apply"))
        rows = page.locator("#people-caption").locator("xpath=..").locator("tbody th")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(manager.name)
    finally:
        context.close()


SHOTS = ("intakes", "intake-move-preview", "report-by-intake")


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_of_the_intake_pages(site: Site, width: int) -> None:
    context = site.new_context(
        person=site.person("walk-manager"), viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    try:
        for state in (s for s in STATES if s.name in SHOTS):
            open_state(site, page, state)
            assert_reflows(page, f"{state.name} at {width} px")
            page.screenshot(path=str(artifacts_dir() / f"{state.name}-{width}.png"), full_page=True)
    finally:
        context.close()
