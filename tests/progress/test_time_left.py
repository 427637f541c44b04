"""How long what is left takes: each lesson still to read and each quiz still to pass."""

from __future__ import annotations

import pytest

from induction.catalogue import get_catalogue
from induction.progress.wording import duration_words
from tests.progress.test_learning import complete, page, pass_quiz


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (1, "about 1 minute"),
        (20, "about 20 minutes"),
        (60, "about 1 hour"),
        (64, "about 1 hour 5 minutes"),
        (119, "about 2 hours"),
    ],
)
def test_a_duration_in_words(minutes: int, words: str) -> None:
    assert duration_words(minutes) == words


def _officer_minutes(app) -> tuple[dict[str, int], int]:
    """Return each lesson's minutes that an officer reads in Basics, and its quiz's."""
    with app.app_context():
        course = get_catalogue().course("basics")
        assert course is not None
        lessons = {
            lesson.id: lesson.minutes
            for module in course.modules
            for lesson in module.lessons_for("officer")
        }
        quiz = course.module("first-steps").quiz
        assert quiz is not None
        return lessons, max(2, len(quiz.questions))


def test_my_learning_says_how_long_is_left_and_counts_down(app, make_user, login_as):
    learner = make_user(audience="officer")
    client = login_as(learner)
    lessons, quiz = _officer_minutes(app)
    total = sum(lessons.values()) + quiz
    assert f"{duration_words(total).capitalize()} to go" in page(client.get("/"))
    complete(client, "welcome")
    left = total - lessons["welcome"]
    assert f"{duration_words(left).capitalize()} to go" in page(client.get("/"))
    pass_quiz(app, learner.id)
    left -= quiz
    assert f"{duration_words(left).capitalize()} to go" in page(client.get("/"))
