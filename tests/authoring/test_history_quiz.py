"""A quiz's page in the history says what a publish changed in words, as the draft page
does (the same describer), with the quiz's text as a diff folded under "Technical
detail"; other files keep their line-by-line changes."""

from __future__ import annotations

import html
import re

from tests.authoring.conftest import (
    BASICS,
    QUIZ,
    edit_url,
    open_editor,
    publish_all,
    text_of,
    without_technical_detail,
)

BASE = f"/admin/courses/{BASICS}"


def _words(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_a_quiz_in_the_history_says_its_changes_in_words(admin):
    text, base = open_editor(admin, QUIZ)
    changed = (
        text.replace(
            "title: Check your understanding", "title: Check your understanding\npass_mark: 70"
        )
        .replace("- [x] Kind\n", "- [ ] Kind\n")
        .replace("- [ ] Late", "- [x] Late")
    )
    data = {"text": changed, "base_hash": base, "save": "Save"}
    assert admin.post(edit_url(QUIZ), data=data).status_code == 302
    publish_all(admin, note="Late is right now")
    history = text_of(admin.get(f"{BASE}/history"))
    [link] = re.findall(rf'href="({BASE}/history/files/\d+)"', history)
    page = text_of(admin.get(link))
    readable = _words(without_technical_detail(page))
    said = readable.split("What this publish changed", 1)[1].split("compared with", 1)[0]
    assert "The pass mark is now 70%; it was 50%." in said
    assert "Question changed Question 1: “What should you be?”" in said
    assert "The right answer is now “Late”; it was “Kind”." in said
    # No line-by-line text of the quiz outside the technical detail.
    assert "- [x] Late" not in said and "changes__where" not in without_technical_detail(page)
    # The raw diff is kept, folded away.
    assert "Technical detail: the lines as a diff" in page and "+- [x] Late" in html.unescape(page)
