"""A file's changes as an author reads them, in a real browser: the draft page and a file's
history show the words removed and added (struck through and underlined, said in words),
no diff headers, long lines wrapped at 320 px, axe-core clean with the technical detail
open too; screenshots at 320, 375 and 1280 px go to the artifacts folder."""

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
    response = page.goto(site.fill(path))
    assert response is not None and response.status == 200, page.url
    return page


def check_changes(page: Page, where: str) -> None:
    """Check the changes read as words, wrap, and pass axe-core, then the same with the
    first technical detail opened by keyboard."""
    main = page.locator("main")
    first = main.locator(".changes").first
    expect(first.locator("del").first).to_be_visible()
    expect(first.locator("ins").first).to_be_visible()
    expect(first.locator(".changes__where").first).to_have_text(re.compile(r"^Lines? \d+"))
    shown = main.inner_text()  # what is on the screen: the folded diff is not
    assert "@@" not in shown and "+++" not in shown, f"{where} shows a diff header"
    # The struck-through and underlined words are said in words too, not by colour alone.
    expect(first.locator("del .visually-hidden").first).to_have_text("Removed: ")
    expect(first.locator("ins .visually-hidden").first).to_have_text("Added: ")
    assert_reflows(page, where)
    axe.assert_no_violations(page, where)
    summary = first.get_by_text("Technical detail: the lines as a diff")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    diff = first.locator("pre.diff")
    expect(diff).to_be_visible()
    expect(diff).to_contain_text("@@ -")
    assert_reflows(page, f"{where}, technical detail open")
    axe.assert_no_violations(page, f"{where}, technical detail open")
    page.keyboard.press("Enter")  # folded again
    expect(diff).to_be_hidden()


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_the_draft_page_shows_each_change_readably(site: Site, width: int) -> None:
    page = open_as_admin(site, "/admin/courses/{ccin_folder}/draft", width)
    try:
        lesson = page.locator("li.draft-file").filter(has_text="Lesson “What is a co-operative")
        expect(lesson.locator("del")).to_contain_text(["made up"])
        expect(lesson.locator("ins")).to_contain_text(["invented"])
        # A quiz says its changes in words, not as its text (see quiz_changes.py).
        quiz = page.locator("li.draft-file").filter(has_text="Quiz of")
        expect(quiz.locator(".quiz-change__details")).to_contain_text(
            "The right answer is now “The council asks residents"
        )
        expect(quiz.locator("del")).to_have_count(0)
        check_changes(page, f"the draft page with changes at {width} px")
        page.screenshot(
            path=str(artifacts_dir() / f"draft-changes-readable-{width}.png"), full_page=True
        )
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_a_file_of_the_history_is_named_by_its_title_and_shows_its_changes(
    site: Site, width: int
) -> None:
    page = open_as_admin(site, "/admin/courses/{ccin_folder}/history/files/{history_file}", width)
    try:
        expect(page.locator("h1")).to_have_text("Lesson “What is a co-operative council?”")
        # Where the file is, in words: no file name outside the folded technical detail.
        expect(page.locator("main")).to_contain_text(
            "Lesson 1 of module 1: “What is our Co-operative Difference?”, in the course as "
            "published now."
        )
        check_changes(page, f"a file's history at {width} px")
        page.screenshot(path=str(artifacts_dir() / f"history-file-{width}.png"), full_page=True)
    finally:
        page.context.close()
