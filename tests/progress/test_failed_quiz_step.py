"""My learning after a quiz taken and not passed: the next step says so plainly."""

from __future__ import annotations

import re

import pytest

from induction.database import utcnow
from induction.extensions import db
from induction.progress.status import QuizProgress
from induction.quizzes.models import QuizAttempt


@pytest.fixture
def app(app_factory, tree):
    """The app on the editable copy of the courses."""
    return app_factory(COURSES_DIR=str(tree))


def record_attempt(app, user_id: int, right: int, *, passed: bool, key: str) -> None:
    """Store a submitted attempt at the first module's quiz (pass mark 50%)."""
    with app.app_context():
        db.session.add(
            QuizAttempt(
                user_id=user_id,
                course_id="basics",
                module_id="first-steps",
                quiz_id="first-steps",
                quiz_hash="x",
                submit_key=key,
                pass_mark=50,
                questions=[],
                submitted_at=utcnow(),
                answers={},
                right=right,
                total=4,
                is_passed=passed,
            )
        )
        db.session.commit()


def read_first_module(client) -> None:
    client.post("/courses/basics/lessons/welcome/complete")
    client.post("/courses/basics/lessons/rules/complete", data={"acknowledge": "y"})


@pytest.fixture
def reader(make_user, login_as):
    """A councillor who has read the first module's lessons: their client and id."""
    learner = make_user(audience="councillor")
    client = login_as(learner)
    read_first_module(client)
    return client, learner.id


def button_to_quiz(home: str) -> str:
    found = re.search(r'<a class="button" href="/courses/basics/[^"]*quiz[^"]*">(.*?)</a>', home)
    assert found, "no button to the quiz"
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_a_failed_quiz_is_offered_as_try_again_with_what_it_takes(app, reader):
    client, learner_id = reader
    home = client.get("/").get_data(as_text=True)
    assert button_to_quiz(home).startswith("Continue")
    assert "Not passed yet" not in home

    record_attempt(app, learner_id, 1, passed=False, key="a1")
    home = client.get("/").get_data(as_text=True)
    assert button_to_quiz(home).startswith("Try again Basics: Quiz:")
    assert (
        "Not passed yet: your best score is 1 of 4 right; "
        "to pass, you need at least 2 of the 4 right." in home
    )


def test_passing_afterwards_moves_on(app, reader):
    client, learner_id = reader
    record_attempt(app, learner_id, 1, passed=False, key="b1")
    record_attempt(app, learner_id, 4, passed=True, key="b2")
    home = client.get("/").get_data(as_text=True)
    assert "Not passed yet" not in home and "Try again" not in home


def test_the_module_page_says_the_same_after_a_failed_quiz(app, reader):
    client, learner_id = reader
    record_attempt(app, learner_id, 1, passed=False, key="c1")
    module = client.get("/courses/basics/modules/first-steps").get_data(as_text=True)
    assert button_to_quiz(module).startswith("Try again: Quiz:")
    assert (
        "Not passed yet: your best score is 1 of 4 right; "
        "to pass, you need at least 2 of the 4 right." in module
    )


def test_the_course_and_module_pages_tag_a_quiz_in_right_answers(app, reader):
    client, learner_id = reader
    record_attempt(app, learner_id, 0, passed=False, key="e1")
    record_attempt(app, learner_id, 1, passed=False, key="e2")
    for url in ("/courses/basics/", "/courses/basics/modules/first-steps"):
        html = client.get(url).get_data(as_text=True)
        assert "Not passed yet (best 1 of 4 right)</strong>" in html, url
        assert "(best 25%)" not in html, url
    record_attempt(app, learner_id, 3, passed=True, key="e3")
    for url in ("/courses/basics/", "/courses/basics/modules/first-steps"):
        html = client.get(url).get_data(as_text=True)
        assert "Passed (3 of 4 right)</strong>" in html, url


@pytest.mark.parametrize(
    ("quiz", "label"),
    [
        ({"is_passed": False, "best_percent": None}, "Not taken"),
        ({"is_passed": True, "best_percent": 100, "best_score": (4, 4)}, "Passed (4 of 4 right)"),
        ({"is_passed": True, "best_percent": 80}, "Passed (80%)"),  # a score without answers
        (
            {"is_passed": False, "best_percent": 0, "best_score": (0, 5)},
            "Not passed yet (best 0 of 5 right)",
        ),
        ({"is_passed": True, "best_percent": 90, "to_take_again": True}, "To take again"),
    ],
)
def test_a_quiz_label(quiz, label):
    found = QuizProgress(quiz=None, pass_mark=80, **quiz)  # type: ignore[arg-type]
    assert found.label == label


def test_the_best_attempt_is_said_in_right_answers(app, reader):
    """My learning gives the best of several failed attempts, in right answers, and what
    passing takes by the quiz page's own rule, with no percentages."""
    client, learner_id = reader
    record_attempt(app, learner_id, 0, passed=False, key="d1")
    record_attempt(app, learner_id, 1, passed=False, key="d2")
    record_attempt(app, learner_id, 0, passed=False, key="d3")
    home = client.get("/").get_data(as_text=True)
    note = re.search(r'<p class="next-step-note">(.*?)</p>', home)
    assert note, "no line saying what passing takes"
    assert note.group(1) == (
        "Not passed yet: your best score is 1 of 4 right; "
        "to pass, you need at least 2 of the 4 right."
    )
    assert "%" not in note.group(1)


@pytest.mark.parametrize(
    ("pass_mark", "best", "questions", "expected"),
    [
        (
            75,
            (2, 4),
            4,
            "your best score is 2 of 4 right; to pass, you need at least 3 of the 4 right.",
        ),
        (80, (3, 4), 4, "your best score is 3 of 4 right; to pass, you need all 4 right."),
        (
            100,
            (0, 1),
            1,
            "your best score is 0 of 1 right; to pass, you need the one question right.",
        ),
        # The quiz has grown since: what passing takes is for the quiz as it is now.
        (
            50,
            (1, 4),
            6,
            "your best score is 1 of 4 right; to pass, you need at least 3 of the 6 right.",
        ),
    ],
)
def test_shortfall_in_right_answers(pass_mark, best, questions, expected):
    quiz = QuizProgress(
        quiz=None,  # type: ignore[arg-type]
        pass_mark=pass_mark,
        is_passed=False,
        best_percent=100 * best[0] // best[1],
        best_score=best,
        questions=questions,
    )
    assert quiz.shortfall == "Not passed yet: " + expected
