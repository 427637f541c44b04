"""The course page says whose problems it lists: with a draft, the draft's own (as the draft
page lists them, with a link to it) apart from those of the course as published."""

from __future__ import annotations

import html
import re

from induction.admin import course_files as files
from induction.admin.drafts import store
from induction.extensions import db
from tests.authoring.conftest import BASICS, RULES, WELCOME, text_of

BASE = f"/admin/courses/{BASICS}"


def _draft_with_a_broken_link(app, tree) -> None:
    """Put in the draft a welcome lesson that links to a lesson that does not exist."""
    text = (tree / BASICS / WELCOME).read_text()
    broken = text.replace("Read this first.", "Read [the missing lesson](09-missing.md) first.")
    assert broken != text
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
        db.session.commit()


def _words(page: str) -> str:
    body = page.split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _section(words: str, heading: str, end: str = "Modules") -> str:
    """Return the words from `heading` to the next heading given."""
    assert heading in words, heading
    return words.split(heading, 1)[1].split(end, 1)[0]


def test_the_draft_s_problems_are_listed_as_the_draft_s_with_a_link_to_it(app, admin, tree):
    _draft_with_a_broken_link(app, tree)
    page = text_of(admin.get(f"{BASE}/"))
    words = _words(page)
    draft = _section(words, "Problems in the draft (not yet published)")
    assert "These stop the draft being published." in draft
    assert "Lesson “Welcome”" in draft and "missing" in draft
    assert f'href="{BASE}/draft"' in page.split("Problems in the draft", 1)[1]
    # The published course has none: no published heading, and no bare "Problems".
    assert "Problems in the published course" not in words
    assert "<h2>Problems</h2>" not in page
    # The same problems as the draft page lists.
    listed = _words(text_of(admin.get(f"{BASE}/draft")))
    assert "This draft cannot be published yet" in listed and "missing" in listed


def test_published_problems_are_headed_apart_from_the_draft_s(app, admin, tree):
    rules = tree / BASICS / RULES
    text = rules.read_text()
    rules.write_text(text.replace("Be kind.", "Be [kind](08-gone.md)."))
    before = _words(text_of(admin.get(f"{BASE}/")))
    # Without a draft, the page lists the published problems under "Problems".
    assert "Lesson “The rules”" in _section(before, "Problems")
    assert "Problems in the draft" not in before
    assert "Problems in the published course" not in before
    # A draft that also breaks the welcome lesson: it has both problems; the course as
    # published only its own.
    _draft_with_a_broken_link(app, tree)
    words = _words(text_of(admin.get(f"{BASE}/")))
    draft = _section(
        words, "Problems in the draft (not yet published)", "Problems in the published"
    )
    published = _section(words, "Problems in the published course")
    assert "Lesson “Welcome”" in draft and "Lesson “The rules”" in draft
    assert "Lesson “The rules”" in published and "Lesson “Welcome”" not in published


def test_a_draft_that_fixes_the_published_problems_says_none_stop_it(app, admin, tree):
    rules = tree / BASICS / RULES
    text = rules.read_text()
    rules.write_text(text.replace("Be kind.", "Be [kind](08-gone.md)."))
    admin.get(f"{BASE}/")  # the catalogue reads the broken file
    with app.app_context():
        live = files.open_course(files.courses_root(), BASICS)
        store.save_file(
            BASICS,
            RULES,
            text.encode(),
            found=None,
            live=(live.path / RULES).read_bytes(),
            author=None,
        )
        db.session.commit()
    words = _words(text_of(admin.get(f"{BASE}/")))
    draft = _section(
        words, "Problems in the draft (not yet published)", "Problems in the published"
    )
    assert "None stop the draft being published." in draft
    assert "Lesson “The rules”" in _section(words, "Problems in the published course")
