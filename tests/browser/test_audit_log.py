"""The audit log and the admin's recent activity in a real browser: keyboard alone, axe-core
with an entry's details open, no sideways scroll at 320 px, screenshots at 1280 and 375 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import axe
from tests.browser.harness import Site, artifacts_dir
from tests.browser.keyboard import tab_to
from tests.browser.test_layout import assert_reflows

pytestmark = pytest.mark.browser


def open_as_admin(site: Site, path: str, width: int) -> Page:
    context = site.new_context(
        person=site.person("walk-author"), viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    response = page.goto(path)
    assert response is not None and response.status == 200, page.url
    return page


def shoot(page: Page, name: str, width: int) -> None:
    page.screenshot(path=str(artifacts_dir() / f"audit-{name}-{width}.png"), full_page=True)


def _lesson_change(page: Page):
    entry = page.locator("li.audit-entry").filter(has_text="changed the lesson").first
    expect(entry).to_be_visible()
    return entry


@pytest.mark.parametrize("width", [320, 1280])
def test_an_admin_reads_an_entry_and_its_details_by_keyboard(site: Site, width: int) -> None:
    page = open_as_admin(site, "/admin/audit", width)
    try:
        entry = _lesson_change(page)
        expect(entry.locator("p.audit-entry__sentence")).to_have_text(
            re.compile(r"^Ada Admin changed the lesson “.+” in .+\.$")
        )
        diff = entry.locator("pre.audit-diff")
        expect(diff).to_be_hidden()  # folded until asked for
        summary = entry.locator("summary")
        # Start past the filters: the keyboard helper re-focuses each stop, which sends a
        # date field's focus back to its first part, so it cannot Tab through date fields.
        page.get_by_role("link", name=re.compile("Download the whole log")).focus()
        tab_to(page, summary)
        page.keyboard.press("Enter")
        expect(diff).to_be_visible()
        # The long diff wraps inside its box: the page never gets wider.
        assert_reflows(page, f"the audit log with a diff open at {width} px")
        box, main = diff.bounding_box(), page.locator("main").bounding_box()
        assert box is not None and main is not None
        assert box["x"] + box["width"] <= main["x"] + main["width"] + 1
        axe.assert_no_violations(page, f"the audit log with a diff open at {width} px")
        # The diff's box takes focus (it may scroll), then the person's link leads on.
        tab_to(page, diff)
        shoot(page, "details-open", width)
    finally:
        page.context.close()


def test_filters_by_keyboard_alone(site: Site) -> None:
    page = open_as_admin(site, "/admin/audit", 320)
    try:
        select = page.get_by_label("What happened")
        tab_to(page, select)
        select.select_option(label="Changed a lesson or quiz")  # as arrow keys would
        # Enter in a text field sends the form (the date fields come before the button).
        tab_to(page, page.get_by_label("Done by or to (email address)"))
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"action=course_file\.saved"))
        sentences = page.locator("p.audit-entry__sentence")
        expect(sentences).to_have_count(1)
        expect(sentences.first).to_contain_text("changed the lesson")
        assert_reflows(page, "the filtered audit log at 320 px")
        axe.assert_no_violations(page, "the filtered audit log")
        download = page.get_by_role("link", name=re.compile("Download these entries"))
        expect(download).to_have_attribute("href", re.compile(r"audit\.csv\?action="))
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_of_the_log_and_recent_activity(site: Site, width: int) -> None:
    page = open_as_admin(site, "/admin/audit", width)
    try:
        assert_reflows(page, f"the audit log at {width} px")
        shoot(page, "log", width)
        page.goto("/admin/")
        recent = page.get_by_role("region", name="Recent activity")
        expect(recent.locator("li.audit-entry").first).to_be_visible()
        tab_to(page, page.get_by_role("link", name=re.compile("See the whole audit log")))
        axe.assert_no_violations(page, f"the admin start page at {width} px")
        assert_reflows(page, f"the admin start page at {width} px")
        shoot(page, "admin-home", width)
    finally:
        page.context.close()
