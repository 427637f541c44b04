"""The draft page says what changed in a quiz in words an admin can check (questions
added, removed, reworded or moved, answers added, removed or reworded, which answer is
right, the pass mark), not as the quiz's text."""

from __future__ import annotations

import re

from induction.admin.drafts.quiz_changes import compare
from tests.authoring.conftest import BASICS, QUIZ, edit_url, open_editor, text_of

BASE = f"/admin/courses/{BASICS}"

BEFORE = """---
title: Check your understanding
---

## What should you be? {#be-what}

- [x] Kind
  > Yes.
- [ ] Late

> Review [the rules](02-rules.md#the-rules).

## Which of these do the rules ask for? {#rules-ask}

- [x] Kindness
- [x] Being on time
- [ ] Silence

## The rules say be kind. {#rules-kind type=truefalse}

- [x] True
- [ ] False
"""


def test_an_unchanged_quiz_written_differently_has_no_changes():
    changes = compare(BEFORE, BEFORE.replace("- [ ] Late", "-   [ ] Late"), 80)
    assert changes is not None and changes.is_empty


def test_the_pass_mark_and_settings_are_said_in_words():
    after = BEFORE.replace("title: Check", "pass_mark: 70\nmax_attempts: 3\ntitle: Check")
    changes = compare(BEFORE, after, 80)
    assert changes is not None
    assert changes.settings == (
        "The pass mark is now 70%; it was 80%.",
        "Attempts allowed: now 3; it was no limit.",
    )
    assert changes.questions == ()


def test_questions_added_removed_reworded_and_moved():
    first, second, third = BEFORE.split("\n## ")[1:]
    after = (
        BEFORE.split("\n## ")[0]
        + "\n## "
        + third.replace("The rules say be kind.", "The rules say: be kind.")
        + "\n## "
        + first
        + "\n## Who reads the lessons? {#who-reads type=text}\n\nAnswer: Everyone\n"
    )
    changes = compare(BEFORE, after, 80)
    assert changes is not None
    said = [(q.what, q.number, q.title, q.details) for q in changes.questions]
    assert said == [
        (
            "changed",
            1,
            "The rules say: be kind.",
            ("Reworded: it was “The rules say be kind.”", "Moved: it was question 3."),
        ),
        (
            "added",
            3,
            "Who reads the lessons?",
            ("Typed answer.", "Accepted answers: “Everyone”."),
        ),
        ("removed", 2, "Which of these do the rules ask for?", ()),
    ]


def test_answers_added_removed_reworded_and_the_right_answer_moved():
    after = (
        BEFORE.replace("- [x] Kind\n  > Yes.\n- [ ] Late", "- [ ] Kind\n  > Yes.\n- [x] Punctual")
        .replace("- [ ] Silence", "- [ ] Silence\n- [ ] Shouting")
        .replace("- [x] Being on time\n", "")
    )
    changes = compare(BEFORE, after, 80)
    assert changes is not None
    details = {q.title: q.details for q in changes.questions}
    assert details["What should you be?"] == (
        "Answer reworded: “Late” is now “Punctual”.",
        "The right answer is now “Punctual”; it was “Kind”.",
    )
    assert details["Which of these do the rules ask for?"] == (
        # One right answer left: learners now choose one, and the page says so.
        "Its type is now “One right answer”; it was “Several right answers”.",
        "Answer removed: “Being on time” (it was a right answer).",
        "Answer added: “Shouting”.",
    )


def test_a_quiz_with_errors_is_left_to_the_text():
    assert compare(BEFORE, BEFORE.replace("{#be-what}", ""), 80) is None


def _quiz_part(page: str) -> str:
    """Return the words of the quiz's entry on the draft page, as they read."""
    start = page.index("Quiz of “First steps”")
    part = page[start : page.index("</details>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", part).split())


def test_the_draft_page_shows_a_changed_quiz_in_words_not_its_text(admin):
    text, base = open_editor(admin, QUIZ)
    changed = (
        text.replace(
            "title: Check your understanding", "title: Check your understanding\npass_mark: 70"
        )
        .replace("- [x] Kind\n", "- [ ] Kind\n")
        .replace("- [ ] Late", "- [x] Late")
        .replace("## The rules say be kind.", "## The rules say: be kind.")
    )
    data = {"text": changed, "base_hash": base, "save": "Save"}
    assert admin.post(edit_url(QUIZ), data=data).status_code == 302
    page = text_of(admin.get(f"{BASE}/draft"))
    words = _quiz_part(page)
    assert "What changes in the quiz when you publish" in words
    assert "The pass mark is now 70%; it was 50%." in words  # the course's, until now
    assert "Question changed Question 1: “What should you be?”" in words
    assert "The right answer is now “Late”; it was “Kind”." in words
    assert "Reworded: it was “The rules say be kind.”" in words
    # Not the quiz's text line by line: that is only in the folded technical detail.
    assert "changes__places" not in page.split("Quiz of “First steps”", 1)[1].split("</details>")[0]
    assert "Technical detail: the lines as a diff" in words
