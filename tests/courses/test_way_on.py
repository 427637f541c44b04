"""Every course page has a way on: a module page offers the course's next step, and a
finished course's page says so first, with the certificate as its main button."""

from __future__ import annotations

import re

import pytest

from tests.progress.test_learning import complete, pass_quiz
from tests.quizzes.pages import page, text_of

COURSE = "/courses/basics/"
FIRST = "/courses/basics/modules/first-steps"
SECOND = "/courses/basics/modules/going-further"


@pytest.fixture
def app(app_factory, tree):
    return app_factory(COURSES_DIR=str(tree))


def buttons(html: str) -> list[tuple[str, str]]:
    """Return (href, words) of each link styled as a main button, in page order."""
    main = html.split("<main", 1)[1]
    found = re.findall(r'<a class="button" href="([^"]+)">(.*?)</a>', main, re.DOTALL)
    return [(href, text_of(words)) for href, words in found]


def test_a_module_page_offers_the_next_step_from_start_to_finish(app, make_user, login_as):
    client = login_as(make_user(audience="councillor"))
    assert buttons(page(client.get(FIRST))) == [
        ("/courses/basics/lessons/welcome", "Start: Welcome")
    ]
    complete(client, "welcome")
    assert buttons(page(client.get(FIRST))) == [
        ("/courses/basics/lessons/rules", "Continue: The rules")
    ]
    complete(client, "rules", acknowledge=True)
    # The quiz is named by its module, as on My learning: every quiz has the same title.
    assert buttons(page(client.get(FIRST))) == [
        ("/courses/basics/modules/first-steps/quiz", "Continue: Quiz: First steps")
    ]


def test_a_finished_module_points_on_and_a_later_one_points_back(app, make_user, login_as):
    learner = make_user(audience="councillor")
    client = login_as(learner)
    # Module 2 opened first: the next step is still in module 1, and the page says so.
    html = page(client.get(SECOND))
    assert "Next for you is earlier in the course, in “First steps”:" in text_of(html)
    assert buttons(html) == [("/courses/basics/lessons/welcome", "Start: Welcome")]
    complete(client, "welcome")
    complete(client, "rules", acknowledge=True)
    pass_quiz(app, learner.id)
    html = page(client.get(FIRST))
    assert "You have completed this module. Next in the course, in “Going further”:" in (
        text_of(html)
    )
    assert buttons(html) == [("/courses/basics/lessons/next", "Continue: What comes next")]


def test_a_finished_course_says_so_first_with_the_certificate_as_its_button(
    app, make_user, login_as
):
    learner = make_user(audience="councillor")
    client = login_as(learner)
    html = page(client.get(COURSE))
    assert "You have completed Basics" not in text_of(html)
    complete(client, "welcome")
    complete(client, "rules", acknowledge=True)
    pass_quiz(app, learner.id)
    complete(client, "next")  # the last step is a lesson, as in the CCIN course
    html = page(client.get(COURSE))
    text = text_of(html)
    assert "You have completed Basics" in text
    assert "Your certificate is ready." in text
    [(href, words)] = buttons(html)
    assert re.fullmatch(r"/certificates/[A-Z0-9-]+\.pdf", href)
    assert words == "Download your certificate for Basics (PDF)"
    # It comes before the course's introduction, near the top of the page.
    assert text.index("You have completed Basics") < text.index("A small course")
    assert client.get(FIRST).status_code == 200
    assert buttons(page(client.get(FIRST))) == []  # nothing left to do
