"""The lesson editor by keyboard alone: the toolbar, the link and picture dialogs, the live preview.

Checked with axe-core in each state (opened, a dialog open, the picture refused without alt
text, the preview updated) and for sideways scrolling at 320 px.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import Site
from tests.browser.keyboard import activate, stay_on_leaving, tab_to
from tests.browser.test_journeys import button, check_page

pytestmark = pytest.mark.browser

FOLDER = "/admin/courses/02-getting-started"
MODULE = f"{FOLDER}/modules/02-quizzes-and-certificates/"
LESSON_FILE = "02-quizzes-and-certificates/01-taking-a-quiz.md"


def test_an_author_writes_with_the_toolbar_and_sees_the_live_preview_by_keyboard(
    site: Site,
) -> None:
    context = site.new_context(person=site.person("editor-admin"))
    page = context.new_page()
    try:
        page.goto(MODULE)
        lesson_link = page.locator("main").get_by_role(
            "link", name=re.compile(r"taking-a-quiz|Taking a quiz")
        )
        activate(page, lesson_link.first)
        expect(page.locator("h1")).to_have_text("Lesson: Taking a quiz")
        expect(page).to_have_title(re.compile(r"^Lesson: Taking a quiz"))
        check_page(page, "the lesson editor", "lesson-editor")

        # A heading at the end of the text, from the toolbar.
        text = page.get_by_label("The lesson's text")
        tab_to(page, text)
        page.keyboard.press("Control+End")
        activate(page, button(page, "Heading"), backwards=True)
        expect(text).to_be_focused()
        page.keyboard.type("Written by keyboard")
        page.keyboard.press("Control+End")

        # A link to another lesson's section, picked in a dialog.
        activate(page, button(page, "Link to a lesson"), backwards=True)
        dialog = page.locator("#link-dialog")
        expect(dialog).to_be_visible()
        check_page(page, "the link dialog")
        section = dialog.get_by_label("Lesson and section")
        expect(section).to_be_focused()
        page.keyboard.type("Completing a module")
        assert section.evaluate("s => s.options[s.selectedIndex].text") == "Completing a module"
        tab_to(page, dialog.get_by_label("Words to show as the link (optional)"))
        page.keyboard.type("how a module is completed")
        activate(page, dialog.get_by_role("button", name="Insert the link"))
        expect(dialog).to_be_hidden()
        expect(text).to_be_focused()
        expect(text).to_have_value(
            re.compile(
                r"## Written by keyboard\n+\[how a module is completed\]"
                r"\(\.\./01-finding-your-way/01-how-a-course-works\.md#completing-a-module\)$"
            )
        )

        # A picture: refused without alt text, inserted with it.
        page.keyboard.press("Control+End")
        activate(page, button(page, "Picture"), backwards=True)
        dialog = page.locator("#image-dialog")
        expect(dialog).to_be_visible()
        activate(page, dialog.get_by_role("button", name="Insert the picture"))
        expect(dialog).to_be_visible()
        alt = dialog.get_by_label("What the picture shows (alt text)")
        expect(alt).to_be_focused()
        expect(dialog.locator("[data-alt-error]")).to_contain_text(
            "Describe what the picture shows"
        )
        check_page(
            page, "the picture dialog refusing a picture without alt text", "lesson-editor-alt"
        )
        page.keyboard.type("Modules inside a course")
        activate(page, dialog.get_by_role("button", name="Insert the picture"))
        expect(dialog).to_be_hidden()
        expect(text).to_have_value(
            re.compile(r"!\[Modules inside a course\]\(\.\./media/course-structure\.svg\)\n$")
        )

        # The live preview shows all three as learners will see them.
        preview = page.locator("#preview-content")
        expect(preview.get_by_role("heading", name="Written by keyboard")).to_be_visible()
        expect(preview.get_by_role("link", name="how a module is completed")).to_have_attribute(
            "href", "/courses/getting-started/lessons/how-a-course-works#completing-a-module"
        )
        expect(preview.get_by_role("img", name="Modules inside a course")).to_be_visible()
        expect(page.locator("[data-preview-status]")).to_have_text("Preview updated.")
        check_page(page, "the lesson editor with its live preview", "lesson-editor-preview")

        activate(page, button(page, "Save"))
        expect(page.locator(".flashes")).to_contain_text("Saved in the draft")
        expect(page.get_by_label("The lesson's text")).to_have_value(
            re.compile("Modules inside a course")
        )

        # Leave the course as it was for the other tests (tidying, not part of the journey).
        page.goto(f"{FOLDER}/draft")
        button(page, "Discard the changes to the lesson “Taking a quiz”").click()
        expect(page.locator(".flashes")).to_contain_text("Discarded your changes to the lesson")
    finally:
        context.close()


def test_without_javascript_the_fields_and_the_preview_button_work(site: Site) -> None:
    context = site.new_context(person=site.person("editor-admin"), javascript=False)
    page: Page = context.new_page()
    try:
        page.goto(f"{FOLDER}/files/{LESSON_FILE}")
        expect(page.locator("[data-toolbar]")).to_be_hidden()
        expect(page.locator("#link-list")).to_contain_text("[Completing a module](")
        text = page.get_by_label("The lesson's text")
        tab_to(page, text)
        page.keyboard.press("Control+End")
        page.keyboard.type("\nA **plain** line.\n")
        activate(page, button(page, "Preview"))
        expect(page.locator("#preview-content strong", has_text="plain")).to_be_visible()
    finally:
        context.close()


def test_leaving_the_editor_with_unsaved_text_asks_first(site: Site) -> None:
    context = site.new_context(person=site.person("editor-admin"))
    page = context.new_page()
    dialogs = stay_on_leaving(page)
    try:
        page.goto(f"{FOLDER}/files/{LESSON_FILE}")
        text = page.get_by_label("The lesson's text")
        tab_to(page, text)
        page.keyboard.press("Control+End")
        page.keyboard.type("\nA line not saved yet.\n")
        with page.expect_event("dialog"):
            activate(page, page.locator(".breadcrumbs").get_by_role("link", name="Course files"))
        assert dialogs == ["beforeunload"]
        expect(page.locator("h1")).to_have_text("Lesson: Taking a quiz")  # stayed
        expect(text).to_have_value(re.compile("A line not saved yet."))
        # Saving leaves without asking; the draft is then thrown away again (tidying).
        activate(page, button(page, "Save"))
        expect(page.locator(".flashes")).to_contain_text("Saved in the draft")
        page.goto(f"{FOLDER}/draft")
        assert dialogs == ["beforeunload"]
        button(page, "Discard the changes to the lesson “Taking a quiz”").click()
        expect(page.locator(".flashes")).to_contain_text("Discarded your changes to the lesson")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("name", "first", "second"), [("Bulleted list", "- ", "- "), ("Numbered list", "1. ", "2. ")]
)
def test_a_list_from_the_toolbar_keeps_its_marks_as_the_author_types(
    site: Site, name: str, first: str, second: str
) -> None:
    context = site.new_context(person=site.person("editor-admin"))
    page = context.new_page()
    try:
        page.goto(f"{FOLDER}/files/{LESSON_FILE}")
        text = page.get_by_label("The lesson's text")
        tab_to(page, text)
        page.keyboard.press("Control+End")
        activate(page, button(page, name), backwards=True)
        expect(text).to_be_focused()
        # The placeholder's words are selected, not its mark: typing keeps the list.
        page.keyboard.type("Read the lesson")
        page.keyboard.press("Enter")  # the next item, with its mark
        page.keyboard.type("Take the quiz")
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")  # an empty item ends the list
        page.keyboard.type("After the list.")
        value = text.input_value()
        assert value.endswith(
            f"{first}Read the lesson\n{second}Take the quiz\n\nAfter the list.\n"
        ), value[-120:]
    finally:
        context.close()
