"""The draft page offers one discard button per thing done: a new order of a module's
lessons is one entry listing the lessons it moved, and its button puts every one back."""

from __future__ import annotations

import html
import re

from induction.admin.drafts import store
from tests.authoring.conftest import BASICS, FIRST, edit_url, move, open_editor, text_of
from tests.factories import csrf_token_from

BASE = f"/admin/courses/{BASICS}"


def _entries(page: str) -> list[str]:
    """Return the text of each entry of the list of things to throw away."""
    block = page.split('<ul class="draft-discard">', 1)[1].split("</main>", 1)[0]
    items = re.split(r"\n  <li>", block)[1:]
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]


def test_a_new_order_of_lessons_is_one_entry_with_one_button(app, admin):
    # "For officers" moves up: it is now 2nd and "The rules" 3rd. No lesson links to "For
    # officers", so its move and the rules' move are not tied by links.
    moved = move(admin, "03-officers-only.md", "up")
    assert moved.status_code == 303
    page = text_of(admin.get(f"{BASE}/draft"))
    entries = _entries(page)
    assert entries == [
        "Changed the order of the lessons in “First steps”. It moved: "
        "The lesson “For officers”: now 2nd, was 3rd "
        "The lesson “The rules”: now 3rd, was 2nd "
        "The links to them in 2 other files are put back too. "
        "Discard the new order of the lessons in “First steps”"
    ]
    # The one button puts the whole order back: no lesson is left with another's number.
    response = admin.post(
        f"{BASE}/draft/discard",
        data={"csrf_token": csrf_token_from(page), "path": f"{FIRST}/02-officers-only.md"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert store.draft_rows(BASICS) == []


def _buttons(page: str) -> list[str]:
    block = page.split('<ul class="draft-discard">', 1)[1].split("</main>", 1)[0]
    found = re.findall(r'<button type="submit"[^>]*>(.*?)</button>', block, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", button)).split()) for button in found]


def test_each_button_names_what_it_throws_away_by_its_title_not_its_path(admin):
    for path, old, new in (
        (f"{FIRST}/01-welcome.md", "title: Welcome", "title: Welcome\nminutes: 9"),
        (f"{FIRST}/quiz.md", "- [x] Kind", "- [x] Kind and fair"),
    ):
        text, base = open_editor(admin, path)
        data = {"text": text.replace(old, new, 1), "base_hash": base, "save": "Save"}
        assert admin.post(edit_url(path), data=data).status_code == 302
    assert admin.post(f"{BASE}/delete/{FIRST}/03-officers-only.md").status_code == 302
    buttons = _buttons(text_of(admin.get(f"{BASE}/draft")))
    assert buttons == [
        "Discard the changes to the lesson “Welcome”",
        "Discard the deletion of the lesson “For officers”",
        "Discard the changes to the quiz of “First steps”",
    ]
