"""The draft page says where each changed file is in words an admin knows ("Lesson 2 of
module 1", "Quiz of module 1"), not as a file path; a path shows only inside the folded
"Technical detail" of a file's changes."""

from __future__ import annotations

import html
import re

from induction.admin.drafts.places import numbers, place
from tests.authoring.conftest import (
    BASICS,
    QUIZ,
    RULES,
    edit_url,
    move,
    open_editor,
    text_of,
    without_technical_detail,
)

BASE = f"/admin/courses/{BASICS}"


def _save(client, path: str, old: str, new: str) -> None:
    text, base = open_editor(client, path)
    assert old in text
    data = {"text": text.replace(old, new), "base_hash": base, "save": "Save"}
    assert client.post(edit_url(path), data=data).status_code == 302


def _visible(page: str) -> str:
    """Return the words of the draft page as they read, without the technical detail and
    without each file's text as written (a lesson's own links hold file names)."""
    body = page.split("<main", 1)[1].split("</main>", 1)[0]
    body = without_technical_detail(body)
    body = re.sub(r'<div class="changes">.*?</ol>', "", body, flags=re.DOTALL)
    words = re.sub(r"<[^>]+>", " ", body)
    return " ".join(html.unescape(words).split())


def test_changed_files_are_placed_in_words_not_paths(admin):
    _save(admin, QUIZ, "title: Check your understanding", "title: Check your answers")
    _save(admin, RULES, "Be kind. Be on time.", "Be kind. Be early.")
    words = _visible(text_of(admin.get(f"{BASE}/draft")))
    assert "Quiz of “First steps” Quiz of module 1: “First steps”" in words
    assert "Lesson “The rules” Lesson 2 of module 1: “First steps”" in words
    assert "01-first-steps" not in words
    assert ".md" not in words


def test_a_moved_lesson_says_where_it_was_and_where_it_went_in_words(admin):
    assert move(admin, "02-rules.md", "up").status_code == 303
    words = _visible(text_of(admin.get(f"{BASE}/draft")))
    assert "Moved here: it was lesson 2 of module 1: “First steps”" in words
    assert "Moved: it is now lesson 1 of module 1: “First steps”" in words
    assert "Only its links changed, to follow the lesson “Welcome” to its new place." in words
    assert (
        "Only its links changed, to follow the lesson “Welcome” and the lesson “The rules” "
        "to their new places."
    ) in words
    assert "01-first-steps" not in words
    assert ".md" not in words


def test_places_are_counted_in_the_course_order_not_from_the_file_names():
    counted = numbers(
        [
            "course.md",
            "05-later/module.md",
            "05-later/10-last.md",
            "05-later/2-first.md",
            "05-later/quiz.md",
            "01-start/module.md",
            "01-start/intro.md",
        ]
    )
    titles = {"05-later/module.md": b"---\ntitle: Later on\n---\n"}
    read = titles.get
    assert place("05-later/10-last.md", counted, read) == "Lesson 2 of module 2: “Later on”"
    assert place("05-later/2-first.md", counted, read) == "Lesson 1 of module 2: “Later on”"
    assert place("05-later/quiz.md", counted, read) == "Quiz of module 2: “Later on”"
    assert place("01-start/intro.md", counted, read) == "Lesson 1 of module 1: 01-start"
    assert place("course.md", counted, read) == "The course's settings and introduction"
