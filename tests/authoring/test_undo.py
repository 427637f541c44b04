"""Undo in plain sight: "Versions and undo" on the lesson editor and quiz builder, a restore
that would remove a file asked first on its own page, and messages naming files by title."""

from __future__ import annotations

import html
import re

from induction.admin.drafts.models import DraftFile
from induction.extensions import db
from tests.authoring.conftest import (
    BASICS,
    QUIZ,
    WELCOME,
    edit_url,
    open_editor,
    publish_all,
    text_of,
)

BASE = f"/admin/courses/{BASICS}"
NEW = "02-going-further/02-meeting-other-councils.md"


def words(response) -> str:
    return html.unescape(text_of(response))


def flash_after(admin, response) -> str:
    assert response.status_code == 302, text_of(response)
    return words(admin.get(response.headers["Location"]))


def save_text(admin, path: str, old: str, new: str):
    text, base = open_editor(admin, path)
    assert old in text
    return admin.post(
        edit_url(path), data={"text": text.replace(old, new), "base_hash": base, "save": "Save"}
    )


def create_lesson(admin) -> None:
    response = admin.post(
        f"{BASE}/modules/02-going-further/new-lesson",
        data={
            "title": "Meeting other councils",
            "body": "## Councils {#councils}\n\nWho we meet.\n",
            "audiences": ["councillor", "officer", "affiliate"],
            "save": "Create the lesson",
        },
    )
    assert response.status_code == 302, text_of(response)


def test_the_lesson_editor_and_quiz_builder_link_to_their_versions_once_published(admin):
    lesson_page = edit_url(WELCOME)
    builder = f"{BASE}/modules/01-first-steps/quiz-builder"
    assert "Versions and undo" not in text_of(admin.get(lesson_page))  # nothing published yet
    assert "Versions and undo" not in text_of(admin.get(builder))
    assert save_text(admin, WELCOME, "Read this first.", "Read this now.").status_code == 302
    assert save_text(admin, QUIZ, "What should you be?", "How should you be?").status_code == 302
    publish_all(admin)
    for page, path in (
        (lesson_page, WELCOME),
        (builder, QUIZ),
        (f"{lesson_page}?as=text", WELCOME),
    ):
        shown = text_of(admin.get(page))
        link = f'href="{BASE}/history?file={path}">Versions and undo</a>'
        assert link in shown, page
    versions = words(admin.get(f"{BASE}/history?file={WELCOME}"))
    assert "Versions of the lesson “Welcome”" in versions
    assert QUIZ not in versions  # only that file's versions are listed


def test_the_new_lesson_page_says_it_adds_to_what_completers_must_read(admin):
    page = words(admin.get(f"{BASE}/modules/02-going-further/new-lesson"))
    assert "everyone who completed this module must read this lesson" in page
    drafty = words(admin.get("/admin/courses/02-drafty/modules/01-only/new-lesson"))
    assert "everyone who completed this module" not in drafty  # learners cannot see it


def test_restoring_the_nothing_before_a_new_lesson_asks_first_then_removes_it(app, admin, tree):
    create_lesson(admin)
    publish_all(admin, note="A new lesson")
    history = text_of(admin.get(f"{BASE}/history?file={NEW}"))
    [version] = re.findall(rf'href="({BASE}/history/files/\d+)"', history)
    page = words(admin.get(version))
    remove = f"{version}/remove?which=before"
    assert f'href="{remove}"' in page.replace("&amp;", "&") or remove in page
    assert "Remove it from the draft (it was new in this publish)" in page
    # Pressing the old button (or a form posted without the confirmation) only asks.
    asked = admin.post(f"{version}/restore", data={"which": "before"})
    assert asked.status_code == 302 and asked.headers["Location"].endswith(remove)
    with app.app_context():
        assert db.session.scalars(db.select(DraftFile)).all() == []
    confirm = words(admin.get(remove))
    assert "Remove the lesson “Meeting other councils” from the draft?" in confirm
    assert (
        "This removes the lesson “Meeting other councils” from the draft of the course. "
        "Publish the draft to remove it for learners." in re.sub(r"<[^>]+>", "", confirm)
    )
    done = admin.post(f"{version}/restore", data={"which": "before", "confirmed": "yes"})
    message = flash_after(admin, done)
    assert "Removed the lesson “Meeting other councils” from the draft of the course." in message
    assert (tree / BASICS / NEW).exists()  # learners still have it until it is published
    with app.app_context():
        [row] = db.session.scalars(db.select(DraftFile)).all()
        assert row.path == NEW and row.content is None
    publish_all(admin, note="Taken out again")
    assert not (tree / BASICS / NEW).exists()


def test_the_removal_page_of_a_version_that_exists_goes_back_to_the_file(admin):
    assert save_text(admin, WELCOME, "Read this first.", "Read this now.").status_code == 302
    publish_all(admin)
    [version] = re.findall(
        rf'href="({BASE}/history/files/\d+)"', text_of(admin.get(f"{BASE}/history"))
    )
    response = admin.get(f"{version}/remove?which=before")
    assert response.status_code == 302 and response.headers["Location"].endswith(version)
    assert admin.get(f"{version}/remove?which=sideways").status_code == 404


def test_discarding_says_what_happened_by_title(admin):
    assert save_text(admin, WELCOME, "Read this first.", "Read this now.").status_code == 302
    message = flash_after(admin, admin.post(f"{BASE}/draft/discard", data={"path": WELCOME}))
    assert "Discarded your changes to the lesson “Welcome”: it is as published again." in message
    create_lesson(admin)
    message = flash_after(admin, admin.post(f"{BASE}/draft/discard", data={"path": NEW}))
    assert (
        "Discarded the lesson “Meeting other councils”: it was new in the draft and never "
        "published, so it is gone." in message
    )
