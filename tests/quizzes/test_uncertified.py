"""A course with `certificate: false` is completed without a certificate."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from induction.extensions import db
from induction.progress.models import Certificate, CourseCompletion
from tests.quizzes.pages import page, take, text_of

QUIZ = "/courses/uncertified/modules/only/quiz"


@pytest.fixture
def app(app_factory, quiz_tree):
    """The app on an editable copy of the quiz fixture courses."""
    return app_factory(COURSES_DIR=str(quiz_tree))


def test_no_certificate_when_the_course_says_not(app, login_as):
    client = login_as()
    assert client.post("/courses/uncertified/lessons/note/complete").status_code == 302
    result = take(client, {"two-and-two": {"text": " FOUR "}}, QUIZ)
    assert "You scored 1 of 1, 100%." in text_of(result)
    course_page = page(client.get("/courses/uncertified/"))
    assert "Download your certificate" not in course_page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CourseCompletion)) == 1
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
