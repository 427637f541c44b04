"""Two starts of the same quiz at once (a double click, two tabs) make one open attempt."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, func, select

from induction.extensions import db
from induction.quizzes import services
from induction.quizzes.models import QuizAttempt
from tests.quizzes.pages import BASICS_QUIZ, form_with_button, page

ROUNDS = 15


def open_attempts(app) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(QuizAttempt.id).where(QuizAttempt.submitted_at.is_(None))
            ).all()
        )


def test_two_starts_at_once_land_on_one_attempt(app, make_user, login_as, monkeypatch):
    """Both requests look for an open attempt, find none, and only then insert.

    A barrier holds each request just after its look until the other has looked too,
    so every round both requests try to insert. On SQLite a request that writes takes
    the write lock when its transaction begins, so the second cannot look before the
    first commits: there the barrier stands just before each request's transaction
    instead, and the lock orders them.
    """
    user = make_user()
    tabs = [login_as(user), login_as(user)]
    is_sqlite = app.config["DATABASE_URL"].startswith("sqlite")
    barrier = threading.Barrier(2, timeout=20)
    history = services.quiz_history

    racing = threading.Event()

    def look_then_wait(*args, **kwargs):
        found = history(*args, **kwargs)
        if racing.is_set() and not is_sqlite:
            barrier.wait()  # both have looked, neither has inserted
        return found

    monkeypatch.setattr(services, "quiz_history", look_then_wait)
    before_transaction = barrier if is_sqlite else None

    for _ in range(ROUNDS):
        replies: dict[int, object] = {}
        forms = [form_with_button(page(tab.get(BASICS_QUIZ)), "Start the quiz") for tab in tabs]

        threads = [
            threading.Thread(
                target=_press, args=(tabs[n], forms[n], replies, n, before_transaction)
            )
            for n in (0, 1)
        ]
        racing.set()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        racing.clear()
        assert not any(thread.is_alive() for thread in threads)

        assert [replies[n].status_code for n in (0, 1)] == [303, 303]
        [attempt_id] = open_attempts(app)
        locations = {replies[n].headers["Location"] for n in (0, 1)}
        assert locations == {f"{BASICS_QUIZ}/attempts/{attempt_id}"}
        with app.app_context():  # the next round starts afresh
            db.session.execute(delete(QuizAttempt))
            db.session.commit()


def _press(tab, form, replies: dict, number: int, barrier: threading.Barrier | None) -> None:
    """Press Start on one tab; with a barrier, at the same moment as the other tab."""
    if barrier is not None:
        barrier.wait()
    replies[number] = tab.post(form.action, data=form.hidden())


def test_the_database_refuses_a_second_open_attempt(app, make_user):
    """The rule holds in the database itself, whatever code inserts the row."""
    user = make_user()
    with app.app_context():
        fields = {
            "user_id": user.id,
            "course_id": "basics",
            "module_id": "first-steps",
            "quiz_id": "first-steps-quiz",
            "quiz_hash": "a" * 64,
            "pass_mark": 50,
            "questions": [],
        }
        db.session.add(QuizAttempt(submit_key="one", **fields))
        db.session.commit()
        # Another version of the quiz, or a submitted attempt, is allowed.
        db.session.add(QuizAttempt(submit_key="two", **{**fields, "quiz_hash": "b" * 64}))
        db.session.add(QuizAttempt(submit_key="three", submitted_at=services.utcnow(), **fields))
        db.session.commit()
        db.session.add(QuizAttempt(submit_key="four", **fields))
        with pytest.raises(Exception, match="(?i)unique|duplicate"):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 3
