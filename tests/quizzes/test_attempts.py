"""Attempts at a quiz that shuffles its options and allows two attempts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from induction.extensions import db
from induction.progress.models import CourseCompletion
from induction.progress.services import today
from induction.progress.status import renewal_cutoff
from induction.quizzes.models import QuizAttempt
from induction.web.templating import uk_date
from tests.quizzes.pages import (
    COLOUR_QUIZ,
    check,
    form_with_button,
    options,
    page,
    read,
    start,
    submit_from,
    take,
    text_of,
)
from tests.reports.helpers import age

RIGHT = {
    "mix-green": "Green",
    "primaries": ["Red", "Yellow", "Blue"],
    "green-primary": "False",
    "sky": {"text": "SKY   blue"},
}
WRONG = {"mix-green": "Orange", "primaries": ["Green"], "green-primary": "True"}


@pytest.fixture
def app(app_factory, quiz_tree):
    """The app on an editable copy of the quiz fixture courses."""
    return app_factory(COURSES_DIR=str(quiz_tree))


def stored(app, user_id: int) -> list[QuizAttempt]:
    with app.app_context():
        rows = db.session.scalars(
            select(QuizAttempt).where(QuizAttempt.user_id == user_id).order_by(QuizAttempt.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def shown_labels(html: str, question_id: str) -> list[str]:
    return [label for label, _ in options(html, question_id)]


def test_option_order_is_fixed_per_attempt_and_matches_the_snapshot(app, login_as):
    client = login_as()
    attempt_url = start(client, COLOUR_QUIZ)
    first = page(client.get(attempt_url))
    reloaded = page(client.get(attempt_url))
    [attempt] = stored(app, client.user.id)
    for question in attempt.questions:
        shown = [o["index"] for o in question["options"]]
        assert sorted(shown) == list(range(len(shown)))
        assert [int(v) for _, v in options(first, question["id"])] == shown
        # A reload shows the same order (the pages differ only in their CSRF tokens).
        assert options(reloaded, question["id"]) == options(first, question["id"])
    # True/false keeps its order whatever the quiz says.
    assert shown_labels(first, "green-primary") == ["True", "False"]
    # Checking and changing answers keeps the order too.
    check(client, attempt_url, {"mix-green": "Green"})
    assert shown_labels(page(client.get(attempt_url)), "mix-green") == shown_labels(
        first, "mix-green"
    )


def test_each_attempt_gets_its_own_shuffle(app, login_as):
    orders = set()
    for _ in range(5):
        client = login_as()
        html = page(client.get(start(client, COLOUR_QUIZ)))
        orders.add(tuple(shown_labels(html, "mix-green")))
        assert sorted(shown_labels(html, "mix-green")) == sorted(
            ["Orange", "Purple", "Green", "Brown", "Grey", "Pink"]
        )
    assert len(orders) > 1


def test_shuffled_answers_are_graded_by_option_not_position(app, login_as):
    client = login_as()
    html = take(client, RIGHT, COLOUR_QUIZ)
    assert "You scored 4 of 4, 100%." in text_of(html)
    [attempt] = stored(app, client.user.id)
    assert attempt.answers == {
        "mix-green": [2],
        "primaries": [0, 1, 2],
        "green-primary": [1],
        "sky": "SKY   blue",
    }


def test_stem_and_instruction_are_shown_and_described(app, login_as):
    client = login_as()
    html = page(client.get(start(client, COLOUR_QUIZ)))
    assert "Think of paint, not light." in html
    assert 'id="q-mix-green" aria-describedby="q-mix-green-stem"' in html
    assert 'id="q-primaries" aria-describedby="q-primaries-hint"' in html


def test_max_attempts_then_no_more(app, login_as):
    client = login_as()
    html = page(client.get(COLOUR_QUIZ))
    assert "2 allowed: 0 used, 2 left" in text_of(html)

    first = take(client, WRONG, COLOUR_QUIZ)
    text = text_of(first)
    assert "Not passed" in text
    assert "You have 1 attempt left." in text
    assert form_with_button(first, "Try again")
    assert "2 allowed: 1 used, 1 left" in text_of(page(client.get(COLOUR_QUIZ)))

    second = take(client, WRONG, COLOUR_QUIZ)
    text = text_of(second)
    assert "Not passed" in text
    assert "You have used all 2 attempts at this quiz, so you cannot try again." in text
    assert not any("Try again" in b for f in read(second).forms for b in f.buttons)
    assert "Lessons to review" in text

    quiz_page = text_of(page(client.get(COLOUR_QUIZ)))
    assert "2 allowed: 2 used, 0 left" in quiz_page
    assert "You have used all 2 attempts at this quiz, so you cannot start another" in quiz_page
    assert "Start the quiz" not in quiz_page
    assert "Try again" not in quiz_page

    refused = client.post(COLOUR_QUIZ)
    assert refused.status_code == 303
    assert "You have used all 2 attempts at this quiz." in text_of(page(client.get(COLOUR_QUIZ)))
    assert len(stored(app, client.user.id)) == 2


def test_pass_on_the_last_attempt(app, login_as):
    client = login_as()
    take(client, WRONG, COLOUR_QUIZ)
    html = take(client, RIGHT, COLOUR_QUIZ)
    text = text_of(html)
    assert "Passed" in text
    assert "Continue: Colours" in text  # the module's lesson, still to read
    assert "You have passed this quiz." in text_of(page(client.get(COLOUR_QUIZ)))


def test_an_open_attempt_cannot_exceed_the_limit(app, login_as, quiz_tree):
    """An attempt left open on an old version cannot be a third submitted attempt."""
    client = login_as()
    old_url = start(client, COLOUR_QUIZ)
    old_check = check(client, old_url, RIGHT)
    quiz_file = quiz_tree / "01-quizzing" / "01-shuffled" / "quiz.md"
    quiz_file.write_text(quiz_file.read_text().replace("Think of paint", "Think of pigment"))
    take(client, WRONG, COLOUR_QUIZ)
    take(client, WRONG, COLOUR_QUIZ)
    response = submit_from(client, old_check)
    assert response.status_code == 303
    assert response.headers["Location"] == COLOUR_QUIZ
    assert "You have used all 2 attempts" in text_of(page(client.get(COLOUR_QUIZ)))
    assert [a.is_submitted for a in stored(app, client.user.id)] == [False, True, True]


def test_a_renewal_gets_the_attempts_afresh(app, login_as, quiz_tree):
    """Every attempt used the first time (fail, then pass); the completion runs out: the
    renewal counts only its own attempts, so the quiz can be taken again."""
    course_file = quiz_tree / "01-quizzing" / "course.md"
    course_file.write_text(
        course_file.read_text().replace("pass_mark: 80\n", "pass_mark: 80\nrenew: 365\n")
    )
    client = login_as()
    take(client, WRONG, COLOUR_QUIZ)
    take(client, RIGHT, COLOUR_QUIZ)
    with app.app_context():
        db.session.add(CourseCompletion(user_id=client.user.id, course_id="quizzing"))
        db.session.commit()
    # While the completion lasts, both attempts count and none is left.
    lasting = text_of(page(client.get(COLOUR_QUIZ)))
    assert "2 allowed: 2 used, 0 left" in lasting and "for your renewal" not in lasting

    with app.app_context():
        age(client.user.id, 400)
        db.session.commit()
        since = renewal_cutoff(365, today())
    renewing = text_of(page(client.get(COLOUR_QUIZ)))
    assert "2 allowed for your renewal: 0 used, 2 left" in renewing
    assert f"Attempts before {uk_date(since)} were for your earlier completion" in renewing
    assert "You have passed this quiz." not in renewing  # to pass again for the renewal
    assert "Start the quiz" in renewing

    first = text_of(take(client, WRONG, COLOUR_QUIZ))
    assert "You have 1 attempt left." in first
    second = text_of(take(client, RIGHT, COLOUR_QUIZ))
    assert "Passed" in second
    assert len(stored(app, client.user.id)) == 4
    after = text_of(page(client.get(COLOUR_QUIZ)))
    assert "2 allowed for your renewal: 2 used, 0 left" in after
    assert "You have passed this quiz." in after


def test_the_limit_still_holds_within_a_renewal(app, login_as, quiz_tree):
    """Within a renewal the limit holds, counted as the start page counts it."""
    course_file = quiz_tree / "01-quizzing" / "course.md"
    course_file.write_text(
        course_file.read_text().replace("pass_mark: 80\n", "pass_mark: 80\nrenew: 365\n")
    )
    client = login_as()
    take(client, RIGHT, COLOUR_QUIZ)
    with app.app_context():
        db.session.add(CourseCompletion(user_id=client.user.id, course_id="quizzing"))
        db.session.commit()
        age(client.user.id, 400)
        db.session.commit()
    take(client, WRONG, COLOUR_QUIZ)
    # The renewal's second attempt is accepted (the pass before it does not count); a
    # third is not.
    open_url = start(client, COLOUR_QUIZ)
    checked = check(client, open_url, WRONG)
    with app.app_context():
        counts_from = renewal_cutoff(365, today())
        submitted = db.session.scalars(
            select(QuizAttempt).where(
                QuizAttempt.user_id == client.user.id,
                QuizAttempt.submitted_at.is_not(None),
                QuizAttempt.submitted_at >= counts_from,
            )
        ).all()
        assert len(submitted) == 1
    assert submit_from(client, checked).status_code == 303
    text = text_of(page(client.get(COLOUR_QUIZ)))
    assert "2 allowed for your renewal: 2 used, 0 left" in text
    assert "You have used all 2 attempts at this quiz, so you cannot start another" in text
    assert client.post(COLOUR_QUIZ).status_code == 303
    assert len(stored(app, client.user.id)) == 3
