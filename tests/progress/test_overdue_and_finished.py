"""What My learning and the course page say to a learner who is overdue, and to one who
has finished every course."""

from __future__ import annotations

import datetime as dt

from induction.progress.wording import duration_words
from tests.progress.test_learning import complete, page, pass_quiz
from tests.progress.test_time_left import _officer_minutes
from tests.quizzes.pages import text_of

COURSE = "/courses/basics/"


def _long_ago() -> dt.date:
    return dt.date.today() - dt.timedelta(days=30)


def _due_words() -> str:
    due = _long_ago() + dt.timedelta(days=14)  # Basics is due 14 days after the start
    return f"Was due {due.day} {due:%B %Y}"


def test_an_overdue_course_not_started_says_it_is_not_too_late(app, make_user, login_as):
    client = login_as(make_user(audience="officer", start_date=_long_ago()))
    lessons, quiz = _officer_minutes(app)
    total = sum(lessons.values()) + quiz
    line = f"It is not too late: start now; it takes {duration_words(total)}."
    for address in ("/", COURSE):
        text = text_of(page(client.get(address)))
        assert line in text
        assert _due_words() in text  # the date is in the mark, said once
        assert text.count("due on") == 0
        assert "Overdue" in text  # the mark stays; the line says what to do about it
        assert "to go" not in text  # the time is said once, in the line
    on_time = login_as(make_user(audience="officer", start_date=dt.date.today()))
    assert "not too late" not in text_of(page(on_time.get("/")))


def test_an_overdue_course_part_done_says_carry_on(app, make_user, login_as):
    client = login_as(make_user(audience="officer", start_date=_long_ago()))
    lessons, quiz = _officer_minutes(app)
    complete(client, "welcome")
    left = sum(lessons.values()) + quiz - lessons["welcome"]
    text = text_of(page(client.get("/")))
    assert f"It is not too late: carry on now; what is left takes {duration_words(left)}." in text


def test_my_learning_says_when_every_course_is_finished(app, make_user, login_as):
    learner = make_user(audience="officer")
    client = login_as(learner)
    complete(client, "welcome")
    complete(client, "rules", acknowledge=True)
    complete(client, "officers-only")
    pass_quiz(app, learner.id)
    assert "You have finished every course" not in page(client.get("/"))  # one lesson left
    complete(client, "next")
    html = page(client.get("/"))
    text = text_of(html)
    assert "You have finished every course" in text
    assert "Review Basics" in text  # what was there stays, below it
    assert text.index("You have finished every course") < text.index("Review Basics")
    assert 'href="/my/record' in html
