"""Marking lessons complete, in a real browser, as a new councillor meets the course.

- Marking a lesson of module 2 complete goes on in module 2, and the message says, with
  a link, what is still to do in module 1 (by keyboard, with JavaScript and without).
- What is typed in a lesson's Reflect box is kept by "Mark as complete and continue".
- My record reads row by row at 375 px: every value, the Result included, is on screen.
- An empty progress bar on My learning looks empty: a white track in a dark outline.

Each page passes axe-core and does not scroll sideways at 320 px; screenshots at 1280
and 375 px go to the artefacts. The site is private to this file, and each test signs
in as a person of its own made here, so nothing another test does changes what it sees.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from induction.accounts import people
from induction.accounts.models import Organisation
from induction.catalogue import get_catalogue
from induction.extensions import db
from induction.progress import services as progress
from tests.browser.axe import assert_no_violations
from tests.browser.conftest import running_site
from tests.browser.harness import Site, artifacts_dir
from tests.browser.keyboard import activate, choose, type_into
from tests.browser.seed import CCIN, PASSWORD, Person
from tests.browser.test_layout import assert_reflows

pytestmark = pytest.mark.browser

MODULE_2_FIRST = f"/courses/{CCIN}/lessons/the-network-and-its-members"
MODULE_2_SECOND = f"/courses/{CCIN}/lessons/governance"
REFLECT_LESSON = f"/courses/{CCIN}/lessons/the-co-operative-difference-in-practice"
COMPLETE = "Mark as complete and continue"


@pytest.fixture(scope="module")
def lesson_site(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A site of its own, serving the project's courses."""
    with running_site(browser, tmp_path_factory.mktemp("lesson-site"), "lessons") as site:
        yield site


def new_councillor(site: Site, key: str, read: int = 0) -> Person:
    """Create a councillor who has read the first `read` lessons of the CCIN course."""
    with site.app.test_request_context():
        user = people.create_user(
            email=f"{key}@example.org",
            name=key.replace("-", " ").title(),
            password=PASSWORD,
            role="learner",
            audience="councillor",
            organisation=db.session.get(Organisation, site.seed.values["org_id"]),
        )
        db.session.flush()
        course = get_catalogue().course(CCIN)
        assert course is not None
        lessons = [lesson for m in course.modules for lesson in m.lessons_for("councillor")]
        for lesson in lessons[:read]:
            progress.complete_lesson(user, course, lesson, acknowledged=True)
        db.session.commit()
        person = Person(key=key, id=user.id, email=user.email, name=user.name, role="learner")
        db.session.remove()
    return person


def open_as(site: Site, person: Person, path: str, width: int = 1280, javascript: bool = True):
    context = site.new_context(
        person=person, viewport={"width": width, "height": 900}, javascript=javascript
    )
    page = context.new_page()
    response = page.goto(path)
    assert response is not None and response.status == 200, page.url
    return page


def looked_at(page: Page, where: str, shot: str | None = None) -> None:
    """axe-core, no sideways scroll at 320 px, and screenshots at 375 and 1280 px."""
    assert_no_violations(page, where)
    size = page.viewport_size
    assert size is not None
    page.set_viewport_size({"width": 320, "height": 800})
    assert_reflows(page, f"{where} at 320 px")
    if shot:
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path=str(artifacts_dir() / f"{shot}-375.png"), full_page=True)
    page.set_viewport_size(size)
    if shot:
        page.screenshot(path=str(artifacts_dir() / f"{shot}-1280.png"), full_page=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_marking_complete_in_module_2_stays_in_module_2(lesson_site: Site, javascript: bool):
    person = new_councillor(lesson_site, f"module-two-{'js' if javascript else 'nojs'}")
    page = open_as(lesson_site, person, MODULE_2_FIRST, javascript=javascript)
    try:
        activate(page, page.locator("main").get_by_role("button", name=COMPLETE, exact=True))
        expect(page).to_have_url(re.compile(re.escape(MODULE_2_SECOND) + "$"))
        flashes = page.locator(".flashes")
        expect(flashes).to_contain_text("Lesson complete: The Network and its members.")
        expect(flashes).to_contain_text(
            "to do in module 1 (What is our Co-operative Difference?), starting with"
        )
        earlier = flashes.get_by_role("link", name="What is a co-operative council?")
        if javascript:
            looked_at(page, "the next lesson with what is still to do", "lesson-still-to-do")
        # The link in the message goes back to module 1's first lesson, by keyboard.
        activate(page, earlier)
        expect(page.locator("h1")).to_have_text("What is a co-operative council?")
    finally:
        page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_mark_as_complete_keeps_what_is_in_the_reflect_box(lesson_site: Site, javascript: bool):
    person = new_councillor(lesson_site, f"reflector-{'js' if javascript else 'nojs'}", read=3)
    page = open_as(lesson_site, person, REFLECT_LESSON, javascript=javascript)
    words = "We co-produce our parks plan with residents."
    try:
        box = page.locator("textarea").first
        type_into(page, box, words)
        acknowledge = page.get_by_role("checkbox")
        if acknowledge.count():
            choose(page, acknowledge.first)
        activate(page, page.locator("main").get_by_role("button", name=COMPLETE, exact=True))
        expect(page.locator(".flashes")).to_contain_text(
            "Lesson complete: The co-operative difference in practice. "
            "Your reflection is saved. Only you can see it."
        )
        page.goto(REFLECT_LESSON)
        expect(page.locator("textarea").first).to_have_value(words)
        if javascript:
            looked_at(page, "a done lesson with a saved reflection", "lesson-reflection-done")
    finally:
        page.context.close()


def test_a_lesson_with_a_reflect_box_before_it_is_done(lesson_site: Site):
    person = new_councillor(lesson_site, "reflect-look", read=3)
    page = open_as(lesson_site, person, REFLECT_LESSON)
    try:
        hint = page.locator(".reflection .hint").first
        expect(hint).to_contain_text("“Mark as complete and continue”")
        looked_at(page, "a lesson with a reflect box", "lesson-reflection")
    finally:
        page.context.close()


def test_my_record_reads_row_by_row_on_a_phone(lesson_site: Site):
    person = new_councillor(lesson_site, "record-reader", read=6)
    page = open_as(lesson_site, person, "/my/record")
    try:
        expect(page.locator("table thead")).to_be_visible()  # a table on a computer
        page.set_viewport_size({"width": 375, "height": 900})
        table = page.locator("table.table--stack")
        expect(table).to_be_visible()
        expect(page.locator("table thead")).to_be_hidden()
        # Every cell, the Version and Result ones included, is inside the screen's width.
        widest = page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('table td')]"
            ".map(td => td.getBoundingClientRect().right))"
        )
        assert widest <= 375, f"a cell of My record reaches {widest} px at 375 px"
        result = table.locator("td[data-label='Result']").first
        expect(result).to_be_in_viewport()
        label = result.evaluate("td => getComputedStyle(td, '::before').content")
        assert label == '"Result: "', label
        download = page.get_by_role("link", name="Download a copy of your details and record")
        expect(download).to_be_visible()
        page.set_viewport_size({"width": 1280, "height": 900})
        looked_at(page, "My record", "my-record")
    finally:
        page.context.close()


def _bar_pixels(page: Page) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Return the colours of the CCIN course's progress bar on My learning: its middle, its
    far left inside the outline, and its outline (top edge)."""
    bar = ccin_card(page).locator(".progress progress")
    image = Image.open(io.BytesIO(bar.screenshot())).convert("RGB")
    width, height = image.size
    middle = image.getpixel((width // 2, height // 2))
    left = image.getpixel((5, height // 2))
    # The outline: the darkest of the top rows (the box may start part of a pixel down).
    edge = min((image.getpixel((width // 2, y)) for y in range(3)), key=sum)
    return middle, left, edge  # type: ignore[return-value]


def ccin_card(page: Page):
    return page.locator(".card").filter(
        has=page.get_by_role("heading", name="CCIN induction", exact=True)
    )


def _dark(colour: tuple[int, ...]) -> bool:
    return sum(colour[:3]) < 150


def _white(colour: tuple[int, ...]) -> bool:
    return min(colour[:3]) > 245


def test_an_empty_progress_bar_looks_empty(lesson_site: Site):
    newcomer = new_councillor(lesson_site, "empty-bar")
    page = open_as(lesson_site, newcomer, "/")
    try:
        expect(ccin_card(page).locator(".progress__text")).to_have_text(
            re.compile(r"^0 of \d+ done$")
        )
        middle, left, edge = _bar_pixels(page)
        assert _white(middle) and _white(left), (middle, left)  # an empty track
        assert _dark(edge), edge  # in a dark outline
        looked_at(page, "My learning with nothing done", "my-learning-empty")
    finally:
        page.context.close()
    # Part-way, the bar fills from the left in green and the rest stays empty.
    started = new_councillor(lesson_site, "half-bar", read=8)
    page = open_as(lesson_site, started, "/")
    try:
        middle, left, edge = _bar_pixels(page)
        green = left[1] > left[0] + 40 and left[1] > left[2] + 20
        assert green, left
        assert _white(middle), middle  # 8 of 21: the middle is still to do
        assert _dark(edge), edge
        page.screenshot(path=str(artifacts_dir() / "my-learning-started-1280.png"))
    finally:
        page.context.close()
