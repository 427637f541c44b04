"""Discarding part of a reorder leaves a draft that still publishes: a moved lesson whose
links follow another move goes with it, and links other drafted files make to a discarded
move's new name are turned back to its old one."""

from __future__ import annotations

import html

from induction.admin import course_files as files
from induction.admin.drafts import publishing, store
from tests.authoring.conftest import BASICS, QUIZ, WELCOME, edit_url, open_editor, text_of
from tests.authoring.test_draft_marks import add_lesson
from tests.factories import csrf_token_from

BASE = f"/admin/courses/{BASICS}"
FIRST = "01-first-steps"


def _move(client, item: str, shown: list[str]):
    response = client.post(
        f"{BASE}/reorder",
        data={"parent": FIRST, "shown": "/".join(shown), "item": item, "direction": "up"},
    )
    assert response.status_code == 303


def _officers_first(admin) -> None:
    """Move "For officers" from third to first: welcome 01->02, rules 02->03, officers 03->01."""
    _move(admin, "03-officers-only.md", ["01-welcome.md", "02-rules.md", "03-officers-only.md"])
    _move(admin, "02-officers-only.md", ["01-welcome.md", "02-officers-only.md", "03-rules.md"])


def _problems(app) -> list[str]:
    with app.app_context():
        live = files.open_course(files.courses_root(), BASICS)
        rows = store.draft_rows(BASICS)
        return [problem.message for problem in publishing.check_publish(live, rows)]


def _discard(admin, path: str) -> str:
    draft = text_of(admin.get(f"{BASE}/draft"))
    response = admin.post(
        f"{BASE}/draft/discard", data={"csrf_token": csrf_token_from(draft), "path": path}
    )
    assert response.status_code == 302
    return text_of(admin.get(response.headers["Location"]))


def _change_quiz(admin) -> None:
    """Change the quiz in its own right, so it is not only following the moves."""
    text, base = open_editor(admin, QUIZ)
    changed = text.replace("What should you be?", "What should you be, please?")
    saved = admin.post(edit_url(QUIZ), data={"text": changed, "base_hash": base, "save": "Save"})
    assert saved.status_code == 302


def test_a_moved_lesson_whose_links_follow_another_move_is_discarded_with_it(app, admin):
    _officers_first(admin)
    _change_quiz(admin)
    assert _problems(app) == []
    # "Welcome" moved (01 -> 02) and its link to the rules follows their move (02 -> 03):
    # the two go together, so discarding the rules' move cannot strand the welcome's link.
    _discard(admin, f"{FIRST}/03-rules.md")
    assert _problems(app) == []
    with app.app_context():
        left = {row.path for row in store.draft_rows(BASICS)}
    assert f"{FIRST}/03-rules.md" not in left
    assert f"{FIRST}/02-welcome.md" not in left


def test_links_of_a_file_changed_in_its_own_right_follow_a_discarded_move_back(app, admin):
    _officers_first(admin)
    # The quiz is changed in its own right too, so it is not part of the moves' group.
    _change_quiz(admin)
    text, _ = open_editor(admin, QUIZ)
    assert "03-rules.md#the-rules" in text
    page = _discard(admin, f"{FIRST}/03-rules.md")
    assert _problems(app) == []
    text, _ = open_editor(admin, QUIZ)
    assert "What should you be, please?" in text  # the author's own change is kept
    assert "03-rules.md" not in text and "02-rules.md#the-rules" in text
    assert "02-welcome.md" not in text and "01-welcome.md#welcome" in text
    assert (
        "The quiz of “First steps” keeps your other changes; its links follow the files back."
        in html.unescape(page)
    )


NEW = f"{FIRST}/04-budgets.md"


def test_discarding_a_new_lesson_another_drafted_lesson_links_to_is_refused(app, admin):
    add_lesson(admin, "04-budgets.md", "---\ntitle: Budgets\n---\n\nHow the money works.\n")
    text, base = open_editor(admin, WELCOME)
    linked = text.replace("Read this first.", "Read this first, then [budgets](04-budgets.md).")
    saved = admin.post(edit_url(WELCOME), data={"text": linked, "base_hash": base, "save": "Save"})
    assert saved.status_code == 302
    draft = text_of(admin.get(f"{BASE}/draft"))
    response = admin.post(
        f"{BASE}/draft/discard", data={"csrf_token": csrf_token_from(draft), "path": NEW}
    )
    assert response.status_code == 409
    page = html.unescape(text_of(response))
    assert "Not discarded: it would break the course" in page
    assert "04-budgets.md" in page and "01-first-steps/01-welcome.md" in page
    with app.app_context():
        assert {row.path for row in store.draft_rows(BASICS)} == {NEW, WELCOME}
    assert _problems(app) == []


def test_the_draft_page_says_when_the_draft_cannot_be_published(app, admin):
    text, base = open_editor(admin, WELCOME)
    broken = text.replace("Read this first.", "Read [the missing lesson](09-missing.md) first.")
    with app.app_context():
        live = files.open_course(files.courses_root(), BASICS)
        store.save_file(
            BASICS,
            WELCOME,
            broken.encode(),
            found=None,
            live=(live.path / WELCOME).read_bytes(),
            author=None,
        )
        from induction.extensions import db

        db.session.commit()
    page = html.unescape(text_of(admin.get(f"{BASE}/draft")))
    assert "This draft cannot be published yet" in page
    assert "09-missing.md" in page
