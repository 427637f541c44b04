"""Editing a quiz between attempts: passes stand, new attempts ask the new version."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.quizzes.pages import (
    ALL_RIGHT,
    BASICS_QUIZ,
    check,
    link,
    page,
    read_lessons,
    start,
    submit_from,
    take,
    text_of,
)

MODULE = "/courses/basics/modules/first-steps"


@pytest.fixture
def app(app_factory, site_tree):
    """The app on an editable copy of the site fixture courses."""
    return app_factory(COURSES_DIR=str(site_tree))


def quiz_file(tree: Path) -> Path:
    return tree / "01-basics" / "01-first-steps" / "quiz.md"


def edit_quiz(tree: Path, old: str, new: str) -> None:
    path = quiz_file(tree)
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_pass_stands_when_the_quiz_is_edited(app, login_as, site_tree):
    client = login_as()
    read_lessons(client)
    result_url = start(client)
    submit_from(client, check(client, result_url, ALL_RIGHT))
    assert "Complete" in text_of(page(client.get(MODULE)))

    edit_quiz(site_tree, "What should you be?", "What do the rules ask you to be?")

    module_page = text_of(page(client.get(MODULE)))
    assert "Passed (4 of 4 right)" in module_page
    assert "Complete" in module_page
    quiz_page = text_of(page(client.get(BASICS_QUIZ)))
    assert "You have passed this quiz." in quiz_page
    assert "An earlier version of this quiz" in quiz_page
    # The old attempt still shows the question as it was asked.
    old_result = text_of(page(client.get(result_url)))
    assert "What should you be?" in old_result
    assert "What do the rules ask you to be?" not in old_result
    assert "This attempt was on an earlier version of this quiz." in old_result


def test_new_attempts_ask_the_new_version(app, login_as, site_tree):
    client = login_as()
    take(client, ALL_RIGHT)
    edit_quiz(site_tree, "What should you be?", "What do the rules ask you to be?")
    html = page(client.get(start(client)))
    assert "What do the rules ask you to be?" in html
    assert "earlier version" not in html


def test_an_open_attempt_on_an_old_version_is_graded_against_its_own_questions(
    app, login_as, site_tree
):
    client = login_as()
    old_url = start(client)
    # The author now says "Late" is right and adds a fifth question.
    edit_quiz(site_tree, "- [x] Kind\n", "- [ ] Kind\n")
    edit_quiz(site_tree, "- [ ] Late\n", "- [x] Late\n")
    path = quiz_file(site_tree)
    path.write_text(
        path.read_text() + "\n## Is this new? {#is-new type=truefalse}\n\n- [x] True\n- [ ] False\n"
    )

    quiz_page = page(client.get(BASICS_QUIZ))
    assert "Start the quiz" in text_of(quiz_page)  # the open attempt is on another version
    assert link(quiz_page, "Continue attempt 1") == old_url

    form = page(client.get(old_url))
    assert "This attempt was on an earlier version of this quiz." in text_of(form)
    assert "Is this new?" not in form
    html = check(client, old_url, ALL_RIGHT)
    assert submit_from(client, html).headers["Location"] == old_url
    result = text_of(page(client.get(old_url)))
    assert "You scored 4 of 4, 100%." in result  # "Kind" was right when it was asked

    new_url = start(client)
    assert new_url != old_url
    new_form = page(client.get(new_url))
    assert "Is this new?" in new_form
    assert "earlier version" not in new_form
