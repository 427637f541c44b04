"""The admin's main actions come first: the quiz builder before the quiz's text, and hiding
a course (rare, and it takes the course from learners) at the end of its page."""

from __future__ import annotations

from tests.authoring.conftest import BASICS, text_of

BASE = f"/admin/courses/{BASICS}"


def test_a_modules_quiz_is_changed_in_the_quiz_builder_first_and_as_text_second(admin):
    page = text_of(admin.get(f"{BASE}/modules/01-first-steps/"))
    builder = page.index("Change the quiz in the quiz builder")
    as_text = page.index(f'href="{BASE}/files/01-first-steps/quiz.md">edit the quiz as text</a>')
    assert builder < as_text
    assert "Delete the quiz</a>" in page
    assert "Edit the module's quiz" not in page


def test_hiding_a_published_course_is_offered_at_the_end_of_its_page(admin):
    page = text_of(admin.get(f"{BASE}/"))
    hide = page.index(f'href="{BASE}/unpublish">Hide this course from learners</a>')
    assert page.index('id="modules-title"') < page.index('id="hide"') < hide
    assert 'class="button button--secondary" href="' + f'{BASE}/unpublish"' not in page
