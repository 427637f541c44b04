"""A lesson's links to lessons its reader is not shown read as plain words, not dead ends."""

from __future__ import annotations

import re

import pytest

from induction.content.urls import DefaultLinks
from induction.courses.lesson_links import hidden_lesson_urls, without_links_to
from tests.conftest import SHIPPED_COURSES
from tests.content.conftest import make_tree  # noqa: F401 - the fixture, for one test here
from tests.quizzes.pages import page, text_of

COURSE = "/courses/ccin-induction"
GOVERNANCE = f"{COURSE}/lessons/governance"
OFFICERS_LESSON = f"{COURSE}/lessons/the-officer-network"
COUNCILLORS_LESSON = f"{COURSE}/lessons/serving-on-the-network-committees"


@pytest.fixture
def app(app_factory):
    return app_factory(COURSES_DIR=str(SHIPPED_COURSES))


def links_in(html: str) -> list[str]:
    article = html.split('<article class="lesson"', 1)[1].split("</article>", 1)[0]
    return re.findall(r'<a\b[^>]*\bhref="([^"]+)"', article)


@pytest.mark.parametrize(
    ("audience", "kept", "unlinked", "words"),
    [
        ("councillor", COUNCILLORS_LESSON, OFFICERS_LESSON, "a lesson of their own"),
        ("officer", OFFICERS_LESSON, COUNCILLORS_LESSON, "a lesson on standing for a seat"),
        ("affiliate", None, OFFICERS_LESSON, "a lesson of their own"),
        ("affiliate", None, COUNCILLORS_LESSON, "a lesson on standing for a seat"),
    ],
)
def test_a_link_to_a_lesson_for_another_audience_is_words_alone(
    login_as, audience, kept, unlinked, words
):
    client = login_as(audience=audience)
    html = page(client.get(GOVERNANCE))
    hrefs = links_in(html)
    assert not any(href.startswith(unlinked) for href in hrefs), hrefs
    assert words in text_of(html)  # the sentence still reads
    if kept is not None:
        assert any(href.startswith(kept) for href in hrefs), hrefs
        assert client.get(kept).status_code == 200
    assert client.get(unlinked).status_code == 404  # where the link would have led


def test_an_admin_who_sees_every_lesson_keeps_every_link(login_as):
    hrefs = links_in(page(login_as(role="admin").get(GOVERNANCE)))
    assert any(href.startswith(OFFICERS_LESSON) for href in hrefs)
    assert any(href.startswith(COUNCILLORS_LESSON) for href in hrefs)


def test_without_links_to_keeps_other_links_and_the_linked_words():
    html = (
        '<p>See <a href="/c/lessons/a#x" rel="noopener noreferrer">lesson <em>A</em></a>, '
        '<a href="/c/lessons/ab">lesson AB</a> and <a href="https://example.org/">a site</a>.</p>'
    )
    assert without_links_to(html, {"/c/lessons/a"}) == (
        '<p>See lesson <em>A</em>, <a href="/c/lessons/ab">lesson AB</a> and '
        '<a href="https://example.org/">a site</a>.</p>'
    )
    assert without_links_to(html, set()) == html


def test_hidden_lesson_urls_are_the_lessons_an_audience_is_not_shown(app):
    from induction.catalogue import get_catalogue

    with app.app_context():
        course = get_catalogue().course("ccin-induction")
        assert course is not None
        hidden = hidden_lesson_urls(course, "councillor", DefaultLinks())
        assert OFFICERS_LESSON in hidden
        assert COUNCILLORS_LESSON not in hidden
        assert GOVERNANCE not in hidden
        assert hidden_lesson_urls(course, None, DefaultLinks()) == frozenset()


def test_a_quiz_of_a_module_an_audience_is_not_shown_is_hidden_too(make_tree):  # noqa: F811
    from induction.content import check_tree
    from tests.content.helpers import lesson

    officers = "---\ntitle: For officers\nsummary: Officers only.\naudiences: [officer]\n---\n"
    quiz = "---\ntitle: Check\n---\n\n## Is this a test? {#is-test}\n\n- [x] Yes\n- [ ] No\n"
    root = make_tree(
        {
            "course/01-module/01-all.md": lesson("All", "Try [their quiz](../02-o/quiz.md)."),
            "course/02-o/module.md": officers,
            "course/02-o/01-work.md": lesson("Work"),
            "course/02-o/quiz.md": quiz,
        }
    )
    library, _ = check_tree(root)
    course = library.courses[0]
    links = DefaultLinks()
    hidden = hidden_lesson_urls(course, "councillor", links)
    assert links.quiz(course.id, "o") in hidden and links.lesson(course.id, "work") in hidden
    assert links.lesson(course.id, "all") not in hidden
    assert hidden_lesson_urls(course, "officer", links) == frozenset()
