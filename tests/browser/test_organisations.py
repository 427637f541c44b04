"""Organisations in a real browser, by keyboard alone: import the member list (choose
the file, check it, confirm), then retire the new organisation and bring it back.

axe-core and the reflow checks of the new pages and states (the import, its errors,
its preview with and without problems, a retired organisation) run from pages.py;
screenshots at 1280 and 375 px of the key pages go to the artifacts.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.harness import Site, artifacts_dir
from tests.browser.keyboard import activate, press, tab_to
from tests.browser.pages import STATES
from tests.browser.test_journeys import button, link, sign_in_admin_by_keyboard
from tests.browser.test_layout import assert_reflows
from tests.browser.walk import open_state

pytestmark = pytest.mark.browser

JAVASCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])


@JAVASCRIPT
def test_an_admin_imports_the_member_list_and_retires_an_organisation_by_keyboard(
    site: Site, javascript: bool
) -> None:
    suffix = "js" if javascript else "nojs"
    admin = site.person(f"journey-admin-{suffix}")
    name = f"Keyboard {suffix} Council"
    members = f"name,category\n{name},full_member\nRetired District Council,full_member\n"
    context = site.new_context(javascript=javascript)
    page = context.new_page()
    try:
        sign_in_admin_by_keyboard(page, site, admin)

        activate(page, page.get_by_role("link", name="Admin", exact=True))
        activate(page, link(page, "Organisations"))
        activate(page, link(page, "Import the member list"))
        expect(page.locator("h1")).to_have_text("Import the member list")
        # The file field opens the file chooser from the keyboard (Space), as for a person.
        tab_to(page, page.get_by_label("CSV file", exact=True))
        with page.expect_file_chooser() as chooser:
            press(page, "Space")
        chooser.value.set_files(
            files=[{"name": "members.csv", "mimeType": "text/csv", "buffer": members.encode()}]
        )
        activate(page, button(page, "Check the file"))
        expect(page.locator("main")).to_contain_text(
            "2 lines: 1 new, 0 changed, 1 unchanged, 0 with problems"
        )
        expect(page.locator("main")).to_contain_text("It is retired: bring it back")
        activate(page, button(page, "Import: add 1, change 0"))
        expect(page.locator(".flashes")).to_contain_text(
            "Imported the member list: 1 added, 0 changed, 1 unchanged"
        )

        activate(page, link(page, name))
        expect(page.locator("h1")).to_have_text(name)
        activate(page, button(page, f"Retire {name}"))
        expect(page.locator(".flashes")).to_contain_text(f"{name} is retired")
        expect(page.locator("main")).to_contain_text("Its people's records are kept")
        activate(page, button(page, f"Bring {name} back"))
        expect(page.locator(".flashes")).to_contain_text(f"{name} is back in use")
        expect(page).to_have_url(re.compile(r"/admin/organisations/\d+$"))
    finally:
        context.close()


SHOTS = ("organisations", "organisation", "organisation-retired", "member-list-preview")


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_of_the_organisation_pages(site: Site, width: int) -> None:
    context = site.new_context(
        person=site.person("walk-author"), viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    try:
        for state in (s for s in STATES if s.name in SHOTS):
            open_state(site, page, state)
            assert_reflows(page, f"{state.name} at {width} px")
            page.screenshot(path=str(artifacts_dir() / f"{state.name}-{width}.png"), full_page=True)
    finally:
        context.close()
