"""The whole authoring story by keyboard alone, from an empty module to a learner taking its quiz.

An admin signs in, uploads a picture, adds a module, writes a new lesson in it with the
toolbar (a heading, a link to another lesson's section picked from the list, the picture
with its alt text), builds the module's quiz with a question of every type, moves the new
lesson above the module's first one and publishes the draft. A learner, signed in
separately, then sees the lesson as written, in its new place, follows its link, and passes
the quiz. Every new page and state is checked by axe-core and for sideways scrolling at
320 px; screenshots at 1280 and 375 px go to the artifacts folder (the authoring guide's
come from here).

The story publishes, so it runs on a site of its own: the shared site stays as other
tests expect it.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import running_site
from tests.browser.harness import Site
from tests.browser.keyboard import activate, choose, pick, press, tab_to, type_into
from tests.browser.seed import GETTING_STARTED
from tests.browser.test_journeys import (
    button,
    check_page,
    link,
    sign_in_admin_by_keyboard,
    sign_in_by_keyboard,
)
from tests.browser.test_quiz_builder import add_question, field, right_answer

pytestmark = pytest.mark.browser

FOLDER = "02-getting-started"
MODULE_TITLE = "Working with the network"
MODULE_ID = "working-with-the-network"
FIRST_LESSON = "Who is who in the network"
NEW_LESSON = "Meeting other councils"
HEADING = "Where to meet"
LINK_WORDS = "how a module is completed"
ALT = "Two councillors talking at a table"
PICTURE = "meeting-room.png"


def _png(width: int = 64, height: int = 40) -> bytes:
    """Return a small, valid PNG picture: a plain blue rectangle."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\x1d\x4e\x89" * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def story_site(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A site of its own: the story publishes changes other tests must not see."""
    with running_site(browser, tmp_path_factory.mktemp("story-site"), "story") as served:
        yield served


def upload_picture(page: Page, tmp: Path) -> None:
    """On the course page: open Pictures and files and upload a picture."""
    activate(page, link(page, "Pictures and files"))
    expect(page.locator("h1")).to_contain_text("Pictures and files of ")
    picture = tmp / PICTURE
    picture.write_bytes(_png())
    upload = page.get_by_label("File to upload")
    tab_to(page, upload)
    # Pressing Enter on a file field opens the system's file chooser: answer it as a person would.
    with page.expect_file_chooser() as chooser:
        press(page, "Enter")
    chooser.value.set_files(str(picture))
    activate(page, button(page, "Upload"))
    expect(page.locator(".flashes")).to_contain_text(f"Uploaded media/{PICTURE}")
    expect(page.locator("#media-" + PICTURE.replace(".", "\\."))).to_contain_text(
        "Not used in any lesson"
    )
    check_page(page, "the pictures and files page after an upload", "story-media")


def add_module(page: Page) -> None:
    """On the course page: add a module with its first lesson."""
    activate(page, link(page, "Add a module"))
    expect(page.locator("h1")).to_have_text("Add a module")
    check_page(page, "the new module form", "story-new-module")
    type_into(page, page.get_by_label("Module title"), MODULE_TITLE)
    type_into(
        page,
        page.get_by_label("Summary (one sentence)"),
        "How councils in the network work together.",
    )
    type_into(page, page.get_by_label(re.compile("first lesson", re.IGNORECASE)), FIRST_LESSON)
    activate(page, button(page, "Add the module"))
    expect(page.locator("h1")).to_have_text(f"Module: {MODULE_TITLE}")


def write_lesson(page: Page) -> None:
    """On the module page: write a new lesson with the toolbar and create it."""
    activate(page, link(page, "Write a new lesson"))
    expect(page.locator("h1")).to_contain_text("lesson")
    check_page(page, "the new lesson form", "story-new-lesson")
    type_into(page, page.get_by_label("Title", exact=True), NEW_LESSON)

    text = page.get_by_label("The lesson's text")
    type_into(page, text, "Councils in the network meet often.\n\n")
    activate(page, button(page, "Heading"), backwards=True)
    expect(text).to_be_focused()
    page.keyboard.type(HEADING)
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\nBefore a meeting, read ")

    activate(page, button(page, "Link to a lesson"), backwards=True)
    dialog = page.locator("#link-dialog")
    expect(dialog).to_be_visible()
    section = dialog.get_by_label("Lesson and section")
    expect(section).to_be_focused()
    page.keyboard.type("Completing a module")
    assert section.evaluate("s => s.options[s.selectedIndex].text") == "Completing a module"
    tab_to(page, dialog.get_by_label("Words to show as the link (optional)"))
    page.keyboard.type(LINK_WORDS)
    activate(page, dialog.get_by_role("button", name="Insert the link"))
    expect(dialog).to_be_hidden()
    expect(text).to_be_focused()
    page.keyboard.press("Control+End")
    page.keyboard.type(".\n\n")

    activate(page, button(page, "Picture"), backwards=True)
    dialog = page.locator("#image-dialog")
    expect(dialog).to_be_visible()
    check_page(page, "the picture dialog", "story-picture-dialog")
    pick(page, dialog.get_by_label("Picture", exact=True), PICTURE)
    type_into(page, dialog.get_by_label("What the picture shows (alt text)"), ALT)
    activate(page, dialog.get_by_role("button", name="Insert the picture"))
    expect(dialog).to_be_hidden()
    expect(text).to_have_value(
        re.compile(
            rf"## {HEADING}\n+Before a meeting, read \[{LINK_WORDS}\]"
            r"\(\.\./01-finding-your-way/01-how-a-course-works\.md#completing-a-module\)\."
            rf"\n+!\[{ALT}\]\(\.\./media/{re.escape(PICTURE)}\)"
        )
    )
    preview = page.locator("#preview-content")
    expect(preview.get_by_role("heading", name=HEADING)).to_be_visible()
    expect(preview.get_by_role("img", name=ALT)).to_be_visible()
    # The picture is only in the draft so far, and the preview shows it all the same.
    page.wait_for_function(
        "alt => [...document.querySelectorAll('#preview-content img')]"
        ".some(img => img.alt === alt && img.complete && img.naturalWidth > 0)",
        arg=ALT,
    )
    check_page(page, "the new lesson written, with its preview", "story-lesson-written")

    activate(page, button(page, "Create the lesson"))
    expect(page.locator(".flashes")).to_contain_text(
        f"Created the lesson '{NEW_LESSON}' in the draft"
    )


def build_quiz(page: Page) -> None:
    """On the module page: build the module's quiz with a question of every type, and save it."""
    activate(page, link(page, "Build a quiz in the quiz builder"))
    expect(page.locator("h1")).to_have_text(f"Quiz: {MODULE_TITLE}")

    type_into(page, field(page, 0, "prompt"), "How often does the network's board meet?")
    type_into(page, field(page, 0, "text", 0), "Every quarter")
    type_into(page, field(page, 0, "text", 1), "Once every five years")
    choose(page, right_answer(page, 0, 0))

    index = add_question(page, 2, "Who can come to a network meeting?", "Several")
    type_into(page, field(page, index, "text", 0), "Councillors")
    choose(page, field(page, index, "is_correct", 0))
    type_into(page, field(page, index, "text", 1), "Council officers")
    choose(page, field(page, index, "is_correct", 1))
    activate(page, button(page, "Add an option to question 2"))
    type_into(page, field(page, index, "text", 2), "Nobody")

    index = add_question(page, 3, "Meetings are only held in London.", "True")
    choose(page, right_answer(page, index, 1))  # False is right

    index = add_question(page, 4, "What is the network's short name?", "Typed")
    type_into(page, field(page, index, "answers"), "CCIN")

    index = add_question(page, 5, "A colleague asks to join a meeting", "Scenario")
    type_into(page, field(page, index, "stem"), "A colleague from another council asks to come.")
    for option, (words, then) in enumerate(
        [
            ("Send them the invitation", "They join in."),
            ("Say no", "They miss out."),
            ("Say nothing", "They never hear back."),
        ]
    ):
        type_into(page, field(page, index, "text", option), words)
        type_into(page, field(page, index, "feedback", option), then)
    choose(page, right_answer(page, index, 0))

    activate(page, button(page, "Save the quiz"))
    expect(page.locator(".flashes")).to_contain_text("Quiz saved in the draft.")
    check_page(page, "the saved quiz in the builder", "story-quiz-saved")


def titles(page: Page) -> list[str]:
    return page.locator("#lessons .structure-item__title").all_inner_texts()


def test_an_admin_writes_and_publishes_a_lesson_and_quiz_and_a_learner_takes_them(
    story_site: Site, tmp_path: Path
) -> None:
    site = story_site
    admin = site.person("journey-admin-js")
    context = site.new_context()
    page = context.new_page()
    try:
        sign_in_admin_by_keyboard(page, site, admin)
        activate(page, page.get_by_role("link", name="Admin", exact=True))
        activate(page, link(page, "Course files"))
        activate(page, link(page, "Getting started with induction"))
        expect(page).to_have_url(re.compile(f"/admin/courses/{FOLDER}/?$"))
        course_page = page.url

        upload_picture(page, tmp_path)
        page.goto(course_page)  # the breadcrumb back is not part of the story
        add_module(page)
        module_page = page.url
        write_lesson(page)
        activate(
            page,
            page.get_by_role("navigation", name=re.compile("Breadcrumb", re.I)).get_by_role(
                "link", name=MODULE_TITLE, exact=True
            ),
        )
        expect(page.locator("h1")).to_have_text(f"Module: {MODULE_TITLE}")
        assert titles(page) == [FIRST_LESSON, NEW_LESSON]
        build_quiz(page)
        page.goto(module_page)

        # The new lesson first: moved up with its button.
        activate(page, button(page, f"Move up: {NEW_LESSON}"))
        expect(page.locator(".flashes")).to_contain_text(
            f"Moved “{NEW_LESSON}” up: it is now lesson 1 of 2."
        )
        assert titles(page) == [NEW_LESSON, FIRST_LESSON]
        check_page(page, "the new module with its lessons and quiz", "story-module")

        # The module's first lesson came with a placeholder to replace: write it.
        activate(page, page.locator("#lessons").get_by_role("link", name=FIRST_LESSON, exact=True))
        type_into(
            page,
            page.get_by_label("The lesson's text"),
            "The network has a board, member councils and partners.\n",
        )
        activate(page, button(page, "Save"))
        expect(page.locator(".flashes")).to_contain_text("Saved in the draft")

        # Publish the draft with a note.
        page.goto(course_page)
        activate(page, link(page, "Draft changes"))
        expect(page.locator("main")).to_contain_text(f"{MODULE_ID}/quiz.md")
        check_page(page, "the draft with a new module", "story-draft")
        type_into(
            page, page.get_by_label("What changed, in one line"), "A module on working together"
        )
        activate(page, button(page, "Publish all changes"))
        expect(page.locator(".flashes")).to_contain_text("Published")
        expect(page.locator("main")).to_contain_text("There are no draft changes")
    finally:
        context.close()

    learner = site.person("colleague")
    context = site.new_context()
    page = context.new_page()
    try:
        page.goto("/login")
        sign_in_by_keyboard(page, learner.email, learner.password)
        expect(page.locator("h1")).to_have_text("My learning")
        page.goto(f"/courses/{GETTING_STARTED}")
        module = page.locator("main").get_by_role("link", name=re.compile(NEW_LESSON))
        expect(module.first).to_be_visible()
        lesson_links = page.locator("main a").filter(
            has_text=re.compile(f"^({NEW_LESSON}|{FIRST_LESSON})")
        )
        assert [t.strip() for t in lesson_links.all_inner_texts()][:2] == [
            NEW_LESSON,
            FIRST_LESSON,
        ]

        activate(page, module.first)
        expect(page.locator("h1")).to_have_text(NEW_LESSON)
        content = page.locator("main")
        expect(content.get_by_role("heading", name=HEADING)).to_be_visible()
        image = content.get_by_role("img", name=ALT)
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        check_page(page, "the published lesson", "story-lesson")
        activate(page, content.get_by_role("link", name=LINK_WORDS))
        expect(page).to_have_url(re.compile(r"/lessons/how-a-course-works#completing-a-module$"))
        expect(page.locator("#completing-a-module")).to_be_visible()

        page.goto(f"/courses/{GETTING_STARTED}/modules/{MODULE_ID}/quiz")
        activate(page, button(page, "Start the quiz"))
        questions = page.locator("main fieldset, main .question")
        expect(page.locator("main")).to_contain_text("How often does the network's board meet?")
        choose(page, page.get_by_label("Every quarter", exact=True))
        choose(page, page.get_by_label("Councillors", exact=True))
        choose(page, page.get_by_label("Council officers", exact=True))
        choose(page, page.get_by_label("False", exact=True))
        type_into(page, page.get_by_role("textbox").first, "CCIN")
        choose(page, page.get_by_label("Send them the invitation", exact=True))
        assert questions.count() >= 5
        check_page(page, "the new quiz", "story-quiz")
        activate(page, button(page, "Check your answers"))
        activate(page, button(page, "Submit answers"))
        expect(page.locator("h1")).to_contain_text("Your result")
        expect(page.locator(".result-summary")).to_contain_text("Passed")
        expect(page.locator(".result-summary")).to_contain_text("5 of 5")
    finally:
        context.close()
