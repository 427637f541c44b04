"""The way on from a finished course, and where to start on My learning.

Once a course is complete, its quiz result and its course page name the next course on
the person's My learning still to do and give a button to its next step, so nobody is
left on a finished course wondering what comes next. My learning itself says, when more
than one course is still to do, which to start with.
"""

from __future__ import annotations

import re
import shutil

import pytest

from tests.quizzes.pages import page, read, take, text_of

UNCERTIFIED_QUIZ = "/courses/uncertified/modules/only/quiz"


@pytest.fixture
def app(app_factory, quiz_tree):
    """The app on an editable copy of the quiz fixture courses: Quizzing, then Uncertified."""
    return app_factory(COURSES_DIR=str(quiz_tree))


def finish_uncertified(client) -> str:
    """Complete the Uncertified course (its one lesson and quiz); return the result page."""
    assert client.post("/courses/uncertified/lessons/note/complete").status_code == 302
    return take(client, {"two-and-two": {"text": "four"}}, UNCERTIFIED_QUIZ)


def plain(html: str) -> str:
    """Return the visible text as read aloud: no space left before a full stop or colon
    where a tag ended (a link, a visually hidden part of a button)."""
    return re.sub(r" ([.:])", r"\1", text_of(html))


def main_buttons(html: str) -> list[tuple[str, str]]:
    """Return (href, words) of each link styled as a main button, in page order."""
    main = html.split("<main", 1)[1]
    found = re.findall(r'<a class="button" href="([^"]+)">(.*?)</a>', main, re.DOTALL)
    return [(href, plain(words)) for href, words in found]


def test_the_result_that_finishes_a_course_offers_the_next_course(app, login_as):
    client = login_as(audience="councillor")
    html = finish_uncertified(client)
    text = text_of(html)
    assert text.count("Course complete: Uncertified") == 1  # said once, not flashed as well
    assert "Next: Quizzing" in text
    assert "A course whose quiz shuffles its options" in text  # the next course's summary
    # Its main button starts the next course; going back to the finished one is a plain link.
    assert main_buttons(html) == [("/courses/quizzing/lessons/colours", "Start Quizzing: Colours")]
    assert ("Back to Uncertified", "/courses/uncertified/") in read(html).links


def test_a_finished_course_page_offers_the_next_course(app, login_as):
    client = login_as(audience="councillor")
    assert "Next: Quizzing" not in text_of(page(client.get("/courses/uncertified/")))
    finish_uncertified(client)
    assert client.post("/courses/quizzing/lessons/colours/complete").status_code == 302
    html = page(client.get("/courses/uncertified/"))
    assert "Next: Quizzing" in text_of(html)
    # Started by now: the button carries on from where the person is.
    assert main_buttons(html) == [
        ("/courses/quizzing/modules/shuffled/quiz", "Continue Quizzing: Quiz: Shuffled")
    ]


def test_nothing_is_offered_when_no_other_course_is_left(app_factory, quiz_tree, login_as):
    shutil.rmtree(quiz_tree / "01-quizzing")
    app_factory(COURSES_DIR=str(quiz_tree))
    client = login_as(audience="councillor")
    html = finish_uncertified(client)
    assert "Course complete: Uncertified" in text_of(html)
    assert "Next:" not in text_of(html)
    assert main_buttons(html) == [("/courses/uncertified/", "Back to Uncertified")]
    assert "Next:" not in text_of(page(client.get("/courses/uncertified/")))


def test_my_learning_says_which_course_to_start_with(app, login_as):
    client = login_as(audience="councillor")
    text = plain(page(client.get("/")))
    assert "Your courses are listed in the order to take them. Start with Quizzing." in text
    html = page(client.get("/"))
    assert ("Quizzing", "/courses/quizzing/lessons/colours") in read(html).links

    assert client.post("/courses/quizzing/lessons/colours/complete").status_code == 302
    text = plain(page(client.get("/")))
    assert "Carry on with Quizzing." in text

    # With one course left, its own button says it all.
    finish_uncertified(client)
    assert "listed in the order to take them" not in text_of(page(client.get("/")))
