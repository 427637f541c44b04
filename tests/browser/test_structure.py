"""Arranging a course in a real browser: two lessons swapped by keyboard alone with the
Move up / Move down buttons (the draft shows them as moved), then put back (so the shared
site is left as it was)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import Site
from tests.browser.keyboard import activate
from tests.browser.pages import ADMIN
from tests.browser.test_journeys import check_page
from tests.browser.walk import RolePages

pytestmark = pytest.mark.browser

MODULE = "/admin/courses/02-getting-started/modules/02-quizzes-and-certificates/"


def titles(page: Page) -> list[str]:
    return page.locator("#lessons .structure-item__title").all_inner_texts()


def test_an_admin_swaps_two_lessons_by_keyboard_and_back(site: Site, role_pages: RolePages) -> None:
    page = role_pages.get(ADMIN)
    page.goto(MODULE)
    before = titles(page)
    assert before[:2] == ["Taking a quiz", "Your certificate"], before
    check_page(page, "the module page", "authoring-module-order")

    activate(page, page.get_by_role("button", name="Move down: Taking a quiz"))
    expect(page.locator(".flashes")).to_contain_text(
        "Moved “Taking a quiz” down: it is now lesson 2 of 3."
    )
    assert titles(page) == [before[1], before[0], *before[2:]]
    # The draft shows the two lessons as moved, not as deleted and new.
    page.goto("/admin/courses/02-getting-started/draft")
    main = page.locator("main")
    expect(main).to_contain_text(
        "Moved here: it was lesson 1 of module 2: “Quizzes and certificates”"
    )
    expect(main).not_to_contain_text("Deleted")
    check_page(page, "the draft with two lessons moved", "authoring-draft-moved")
    page.goto(MODULE)
    activate(page, page.get_by_role("button", name="Move up: Taking a quiz"))
    expect(page.locator(".flashes")).to_contain_text(
        "Moved “Taking a quiz” up: it is now lesson 1 of 3."
    )
    assert titles(page) == before
    # Back as it was: nothing of the module is left in the draft.
    page.goto("/admin/courses/02-getting-started/draft")
    expect(page.locator("main")).not_to_contain_text("Moved")
    page.goto("/admin/courses/02-getting-started/")
    check_page(page, "the course page", "authoring-course-order")


def test_pictures_and_files_show_where_each_is_used(site: Site, role_pages: RolePages) -> None:
    page = role_pages.get(ADMIN)
    page.goto("/admin/courses/02-getting-started/media")
    item = page.locator("#media-course-structure\\.svg")
    expect(item.get_by_role("link", name="How a course works")).to_be_visible()
    # The preview is served by the app, from the draft.
    assert item.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    check_page(page, "the pictures and files page", "authoring-media")
    activate(page, item.get_by_role("link", name=re.compile("^Delete")))
    expect(page.locator("h1")).to_contain_text("cannot be deleted: lessons use it")
    expect(page.locator("main").get_by_role("button")).to_have_count(0)
    check_page(page, "a picture in use", "authoring-media-in-use")


def test_dragging_a_lesson_saves_the_new_order(site: Site, role_pages: RolePages) -> None:
    page = role_pages.get(ADMIN)
    page.goto(MODULE)
    before = titles(page)
    rows = page.locator("#lessons .structure-item")
    # Drop the first lesson on the lower half of the second: it goes after it.
    target = rows.nth(1)
    box = target.bounding_box()
    assert box is not None
    rows.nth(0).drag_to(target, target_position={"x": 20, "y": box["height"] - 4})
    expect(page.locator(".flashes")).to_contain_text("Saved the new order of the lessons")
    assert titles(page) == [before[1], before[0], *before[2:]]
    # And back, so the shared site is as it was.
    rows = page.locator("#lessons .structure-item")
    rows.nth(1).drag_to(rows.nth(0), target_position={"x": 20, "y": 4})
    expect(page.locator(".flashes")).to_contain_text("Saved the new order of the lessons")
    assert titles(page) == before
