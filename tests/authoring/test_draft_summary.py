"""The top of the draft page says what the draft does in a few lines, not one per file,
and a scheduled publish is shown where admins look: the draft page's top, the course's
page and the admin start page."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from tests.authoring.conftest import BASICS, QUIZ, edit_url, open_editor, text_of
from tests.authoring.test_draft_marks import add_lesson
from tests.authoring.test_media import PNG, upload

BASE = f"/admin/courses/{BASICS}"
FIRST = "01-first-steps"
LESSONS = ["01-welcome.md", "02-rules.md", "03-officers-only.md"]


def _summary(page: str) -> list[str]:
    block = page.split('<ul class="draft-summary">', 1)[1].split("</ul>", 1)[0]
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in block.split("<li>")[1:]]


def test_the_draft_page_says_what_the_draft_does_in_a_few_lines(admin):
    moved = admin.post(
        f"{BASE}/reorder",
        data={
            "parent": FIRST,
            "shown": "/".join(LESSONS),
            "item": "02-rules.md",
            "direction": "up",
        },
    )
    assert moved.status_code == 303
    add_lesson(admin, "04-budgets.md", "---\ntitle: Budgets\n---\n\nHow the money works.\n")
    page = text_of(admin.get(f"{BASE}/draft"))
    # Seven files change (two moved lessons at both names, the new lesson, the quiz and the
    # next module's lesson following the move), but the admin did two things.
    assert page.count('class="draft-file"') == 7
    assert _summary(page) == [
        "Changed the order of the lessons in “First steps”",
        "Added the lesson “Budgets” to “First steps”",
        "2 other files only have their links updated, to follow what moved",
    ]
    # Each line links to its file in the list; the files that only follow a move are folded.
    first = re.search(r'<a href="#(change-\d+)">Changed the order', page)
    assert first and f'id="{first.group(1)}"' in page
    quiz = page.split("Quiz of module 1: “First steps”</span>", 1)[1].split("</li>", 1)[0]
    assert '<details class="conflict">' in quiz
    assert '<a href="#publish">skip to publishing</a>' in page and 'id="publish"' in page


def test_a_quiz_change_and_a_deletion_are_named_by_title(admin):
    text, base = open_editor(admin, QUIZ)
    changed = text.replace("What should you be?", "What should you be, please?")
    assert (
        admin.post(
            edit_url(QUIZ), data={"text": changed, "base_hash": base, "save": "Save"}
        ).status_code
        == 302
    )
    assert admin.post(f"{BASE}/delete/{FIRST}/03-officers-only.md").status_code == 302
    assert upload(admin, "Council Map.png", PNG).status_code == 302
    page = text_of(admin.get(f"{BASE}/draft"))
    assert _summary(page) == [
        "Deleted the lesson “For officers”",
        "Changed the quiz of “First steps”",
        "Added the picture “council-map.png”",
    ]


class TestAPictureOfAModule:
    @pytest.fixture
    def app(self, app_factory, tree):
        # A picture kept in a folder named after the module that shows it.
        folder = tree / BASICS / "media" / FIRST
        folder.mkdir()
        (folder / "diagram.svg").write_bytes((tree / BASICS / "media" / "diagram.svg").read_bytes())
        return app_factory(COURSES_DIR=str(tree))

    def test_is_named_by_its_file_name_and_its_module_title(self, admin):
        deleted = admin.post(f"{BASE}/delete/media/{FIRST}/diagram.svg")
        assert deleted.status_code == 302
        page = html.unescape(text_of(admin.get(f"{BASE}/draft")))
        assert _summary(page) == ["Deleted the picture “diagram.svg” of “First steps”"]


def _schedule(admin) -> None:
    text, base = open_editor(admin, QUIZ)
    changed = text.replace("What should you be?", "What should you be, please?")
    data = {"text": changed, "base_hash": base, "save": "Save"}
    assert admin.post(edit_url(QUIZ), data=data).status_code == 302
    day = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    data = {"schedule-day": day, "schedule-time": "09:00", "schedule-note": "Later"}
    assert admin.post(f"{BASE}/draft/schedule", data=data).status_code == 302


def test_a_scheduled_publish_is_shown_at_the_top_of_the_draft_page(admin):
    _schedule(admin)
    page = text_of(admin.get(f"{BASE}/draft"))
    assert page.index('id="scheduled"') < page.index('id="draft-summary"')
    assert "changes saved before then go out too" in page


def test_the_admin_home_and_the_course_page_say_when_the_draft_goes_out(admin):
    _schedule(admin)
    home = html.unescape(text_of(admin.get("/admin/")))
    day = (dt.date.today() + dt.timedelta(days=2)).strftime("%-d %B %Y")
    assert f"It is scheduled to be published on {day}, 09:00" in home
    assert "Review it, or cancel the publish" in home
    course = html.unescape(text_of(admin.get(f"{BASE}/")))
    assert f"It is scheduled to be published on {day}, 09:00" in course
