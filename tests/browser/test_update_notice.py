"""A lesson updated since the learner read it, in a real browser: the notice on My learning
and on the lesson passes axe-core, does not scroll sideways at 320 px, its link to the
changed section works by keyboard, and screenshots at 1280 and 375 px go to the artefacts.

The site here is private: a lesson of the finished course gets a new version, so the
learner's course shows "Update to read".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from induction.admin.drafts import store
from induction.database import utcnow
from induction.extensions import db
from induction.progress.models import LessonUpdate
from tests.browser.axe import assert_no_violations
from tests.browser.conftest import running_site
from tests.browser.harness import Site, artifacts_dir
from tests.browser.keyboard import tab_to
from tests.browser.test_layout import assert_reflows

pytestmark = pytest.mark.browser

LESSON_FILE = "02-getting-started/01-finding-your-way/02-reading-a-lesson.md"
LESSON = "/courses/getting-started/lessons/reading-a-lesson"
NOTE = "Marking a lesson complete now explains what an acknowledgement records"


@pytest.fixture(scope="module")
def updated_site(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A site whose 'Reading a lesson' is at version 2, published with a note."""
    with running_site(browser, tmp_path_factory.mktemp("update-site"), "update") as site:
        path = Path(site.config("COURSES_DIR")) / LESSON_FILE
        text = path.read_text()
        path.write_text(
            text.replace("title: Reading a lesson\n", "title: Reading a lesson\nversion: 2\n", 1)
        )
        with site.app.app_context():
            db.session.add(
                LessonUpdate(
                    course_id="getting-started",
                    lesson_id="reading-a-lesson",
                    version=2,
                    note=NOTE,
                    reread_days=30,
                    changed_sections="marking-complete\tMarking a lesson complete",
                    published_at=utcnow(),
                )
            )
            db.session.commit()
            db.session.remove()
        yield site


def open_as_learner(site: Site, path: str, width: int) -> Page:
    context = site.new_context(
        person=site.person("walk-learner"), viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    response = page.goto(path)
    assert response is not None and response.status == 200, page.url
    return page


@pytest.mark.parametrize("width", [375, 1280])
def test_my_learning_and_the_lesson_tell_the_learner_what_changed(
    updated_site: Site, width: int
) -> None:
    page = open_as_learner(updated_site, "/", width)
    try:
        notice = page.locator(".update-notice")
        expect(notice).to_contain_text(re.compile(r"Updated on \d+ \w+ \d{4}: " + NOTE))
        expect(notice).to_contain_text(re.compile(r"Please read it again by \d+ \w+ \d{4}\."))
        expect(page.locator(".tag--update-to-read").first).to_have_text("Update to read")
        assert_no_violations(page, f"My learning with an update to read at {width} px")
        assert_reflows(page, f"My learning with an update to read at {width} px")
        page.screenshot(
            path=str(artifacts_dir() / f"my-learning-update-{width}.png"), full_page=True
        )
        page.goto(LESSON)
        link = page.locator(".update-notice").get_by_role("link", name="Marking a lesson complete")
        assert_no_violations(page, f"the updated lesson at {width} px")
        assert_reflows(page, f"the updated lesson at {width} px")
        page.screenshot(path=str(artifacts_dir() / f"lesson-update-{width}.png"), full_page=True)
        tab_to(page, link)
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile("#marking-complete$"))
    finally:
        page.context.close()


def test_the_notice_holds_at_320_px(updated_site: Site) -> None:
    page = open_as_learner(updated_site, "/", 320)
    try:
        expect(page.locator(".update-notice")).to_be_visible()
        assert_reflows(page, "My learning with an update to read at 320 px")
    finally:
        page.context.close()


def draft_a_raised_version(site: Site) -> None:
    """Save a draft of 'Reading a lesson' at version 3 (the live file is at version 2)."""
    path = Path(site.config("COURSES_DIR")) / LESSON_FILE
    live = path.read_bytes()
    with site.app.app_context():
        if not store.draft_rows("02-getting-started"):
            store.save_file(
                "02-getting-started",
                LESSON_FILE.split("/", 1)[1],
                live.replace(b"version: 2\n", b"version: 3\n"),
                found=None,
                live=live,
                author=None,
            )
            db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_publish_form_asks_for_the_note_for_earlier_readers(
    updated_site: Site, width: int
) -> None:
    draft_a_raised_version(updated_site)
    context = updated_site.new_context(
        person=updated_site.person("walk-author"), viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto("/admin/courses/02-getting-started/draft")
        expect(page.get_by_label(re.compile("Note for people who read an earlier"))).to_be_visible()
        assert_no_violations(page, f"the publish form at {width} px")
        page.get_by_label("What changed, in one line").fill("Acknowledgements explained")
        page.get_by_role("button", name="Publish all changes").click()
        error = page.locator("#learner_note-error")
        expect(error).to_contain_text("This publish raises the version of 'Reading a lesson'")
        assert_no_violations(page, f"the publish form refused for want of a note at {width} px")
        assert_reflows(page, f"the publish form refused at {width} px")
        page.screenshot(
            path=str(artifacts_dir() / f"publish-learner-note-{width}.png"), full_page=True
        )
    finally:
        context.close()
