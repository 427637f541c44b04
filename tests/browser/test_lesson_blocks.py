"""The reflection box and the council-notes editor in a real browser.

axe-core finds nothing on the lesson, the notes list and the editor; a learner saves
a reflection and a lead officer writes their council's notes by keyboard alone; a
reflection saves without JavaScript; nothing scrolls sideways at 320 px. The site
here serves the project's courses plus the edition fixture course, which has both
kinds of block. Screenshots go to the test artefacts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_no_violations
from tests.browser.conftest import running_site
from tests.browser.harness import Site, artifacts_dir
from tests.browser.keyboard import activate, tab_to, type_into
from tests.browser.test_layout import assert_reflows
from tests.conftest import TESTS_DIR

pytestmark = pytest.mark.browser

EDITION_COURSE = TESTS_DIR / "fixtures" / "edition-courses" / "01-edition"
LESSON = "/courses/edition/lessons/in-practice"
BOX = "#reflection-reflect-values-text"


@pytest.fixture(scope="module")
def edition_site(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A site like the main one (same seeded people) whose courses include the edition course."""
    tmp = tmp_path_factory.mktemp("edition-site")
    with running_site(browser, tmp, "edition", [EDITION_COURSE]) as served:
        yield served


def open_as(site: Site, person: str, path: str, width: int = 1280, javascript: bool = True) -> Page:
    return site.open_page(person, path, width, javascript)


def shoot(page: Page, name: str) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(artifacts_dir() / f"blocks-{name}-{width}.png"), full_page=True)


def test_a_learner_saves_a_reflection_by_keyboard_alone(edition_site: Site) -> None:
    page = open_as(edition_site, "walk-learner", LESSON)
    try:
        assert_no_violations(page, "the lesson with a reflection box")
        box = page.locator(BOX)
        expect(box).to_have_accessible_name("Your answer (only you can see it)")
        type_into(page, box, "We co-produce our budget with residents.")
        activate(page, page.get_by_role("button", name="Save your reflection"))
        page.wait_for_load_state()
        expect(page.get_by_text("Your reflection is saved. Only you can see it.")).to_be_visible()
        expect(page.locator(BOX)).to_have_value("We co-produce our budget with residents.")
        assert page.url.endswith("#reflection-reflect-values")
        assert_no_violations(page, "the lesson after saving a reflection")
        shoot(page, "reflection")
    finally:
        page.context.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (375, 667)])
def test_after_saving_the_box_says_so_where_the_page_lands(
    edition_site: Site, width: int, height: int
) -> None:
    """The message at the top of the page is out of sight after saving: the page comes
    back to the box. So the box says "Last saved ..." under its Save button, in view, and
    the Save button stands out from the grey panel it sits on."""
    page = open_as(edition_site, "walk-newcomer", LESSON, width)
    try:
        page.set_viewport_size({"width": width, "height": height})
        save = page.get_by_role("button", name="Save your reflection")
        panel = page.locator("section.reflection").first

        def background(locator) -> str:
            return locator.evaluate("e => getComputedStyle(e).backgroundColor")

        assert background(save) != background(panel)
        page.locator(BOX).fill("Said where I can see it.")
        save.click()
        page.wait_for_load_state()
        note = page.locator("#reflection-reflect-values-saved")
        expect(note).to_have_text(re.compile(r"Last saved .+\. Only you can see it\."))
        expect(note).to_be_in_viewport()
        expect(page.locator(BOX)).to_have_value("Said where I can see it.")
        assert_no_violations(page, "the lesson after saving a reflection, its note in view")
        shoot(page, f"reflection-saved-note-{height}")
    finally:
        page.context.close()


def test_a_reflection_saves_without_javascript(edition_site: Site) -> None:
    page = open_as(edition_site, "walk-newcomer", LESSON, javascript=False)
    try:
        page.locator(BOX).fill("Saved with no script at all.")
        page.get_by_role("button", name="Save your reflection").click()
        page.wait_for_load_state()
        expect(page.locator(BOX)).to_have_value("Saved with no script at all.")
    finally:
        page.context.close()


def test_a_lead_officer_writes_the_councils_notes_by_keyboard_alone(edition_site: Site) -> None:
    org_id = edition_site.seed.values["org_id"]
    page = open_as(edition_site, "walk-manager", LESSON)
    try:
        editor = f"/organisations/{org_id}/notes/edition/in-practice/local-contacts"
        activate(page, page.locator(f'a[href$="{editor}"]'))
        # The lesson's heading says "Values in practice" too: wait for the editor itself.
        page.wait_for_url(f"**{editor}")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Values in practice")
        assert_no_violations(page, "the council notes editor")
        shoot(page, "notes-editor")
        type_into(
            page,
            page.get_by_label("Your council's notes"),
            "Call the policy team on 0161 000 0000.",
        )
        activate(page, page.get_by_role("button", name="Save the notes"))
        page.wait_for_load_state()
        expect(
            page.get_by_text("Learners from Browser Borough Council now see these notes.")
        ).to_be_visible()
        assert_no_violations(page, "the list of council notes")
        shoot(page, "notes-list")
        tab_to(
            page,
            page.get_by_role(
                "link", name="Change the notes for Values in practice, under “Who to contact”"
            ),
        )
    finally:
        page.context.close()
    learner = open_as(edition_site, "walk-learner", LESSON)
    try:
        expect(learner.get_by_text("Call the policy team on 0161 000 0000.")).to_be_visible()
        expect(learner.get_by_role("heading", name="From Browser Borough Council")).to_be_visible()
    finally:
        learner.context.close()


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize(
    ("person", "path"),
    [
        ("walk-learner", LESSON),
        ("walk-manager", LESSON),
        ("walk-manager", "/organisations/{org_id}/notes"),
        ("walk-manager", "/organisations/{org_id}/notes/edition/in-practice/adopted"),
    ],
)
def test_nothing_scrolls_sideways_on_a_phone(
    edition_site: Site, person: str, path: str, width: int
) -> None:
    page = open_as(edition_site, person, edition_site.fill(path), width=width)
    try:
        assert_reflows(page, f"{path} at {width} px")
        shoot(page, {LESSON: "lesson"}.get(path, path.rsplit("/", 1)[-1]) + "-" + person)
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_a_scenario_and_its_consequences_pass_axe(edition_site: Site, width: int) -> None:
    page = open_as(edition_site, "walk-newcomer", "/courses/edition/modules/values/quiz", width)
    try:
        page.get_by_role(
            "button", name=re.compile("Start the quiz|Continue the quiz|Try again")
        ).click()
        page.wait_for_load_state()
        expect(page.get_by_text("Choose what you would do.")).to_be_visible()
        assert_no_violations(page, "a quiz with a scenario")
        shoot(page, "scenario-question")
        page.get_by_label("Tell them the decision is made").check()
        page.get_by_role("button", name="Check your answers").click()
        page.get_by_role("button", name="Submit answers").click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", name="What happens with each choice")).to_be_visible()
        assert_no_violations(page, "the result of a scenario")
        assert_reflows(page, f"the result of a scenario at {width} px")
        shoot(page, "scenario-result")
    finally:
        page.context.close()
