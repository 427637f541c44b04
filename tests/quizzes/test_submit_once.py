"""A submit that arrives twice (double click, two tabs, a retry, two at once) is recorded once."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from induction.extensions import db
from induction.progress import services as progress
from induction.progress.models import ModuleCompletion
from induction.quizzes.models import QuizAttempt
from tests.quizzes.pages import (
    ALL_RIGHT,
    ALL_WRONG,
    check,
    form_with_button,
    page,
    read_lessons,
    start,
    text_of,
)

NOTICE = "These answers were already submitted; your result is below."


class Reached:
    """Stands in for progress.services.record_reached_completions: counts the submissions
    that got past storing their result, runs `before` first, then the real step."""

    def __init__(self, before=None) -> None:
        self.calls: list[tuple] = []
        self.before = before
        self.real = progress.record_reached_completions

    def __call__(self, user, course):
        self.calls.append((user.id, course.id))
        if self.before is not None:
            self.before()
        return self.real(user, course)


def submitted(app) -> list[QuizAttempt]:
    with app.app_context():
        rows = db.session.scalars(
            select(QuizAttempt).where(QuizAttempt.submitted_at.is_not(None))
        ).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def module_completions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ModuleCompletion))


def test_the_same_submit_twice_in_a_row(app, login_as, monkeypatch):
    client = login_as()
    read_lessons(client)
    attempt_url = start(client)
    form = form_with_button(check(client, attempt_url, ALL_RIGHT), "Submit answers")
    sent = Reached()
    monkeypatch.setattr(progress, "record_reached_completions", sent)
    first = client.post(form.action, data=form.hidden())
    first_page = text_of(page(client.get(attempt_url)))
    second = client.post(form.action, data=form.hidden())
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"] == attempt_url
    assert NOTICE not in first_page
    second_page = text_of(page(client.get(attempt_url)))
    assert NOTICE in second_page
    assert "You scored 4 of 4, 100%." in second_page
    assert len(sent.calls) == 1
    assert len(submitted(app)) == 1
    assert module_completions(app) == 1


def test_two_tabs_keep_the_first_answers(app, make_user, login_as):
    user = make_user()
    tab1, tab2 = login_as(user), login_as(user)
    attempt_url = start(tab1)
    first = form_with_button(check(tab1, attempt_url, ALL_RIGHT), "Submit answers")
    second = form_with_button(check(tab2, attempt_url, ALL_WRONG), "Submit answers")
    assert tab2.post(second.action, data=second.hidden()).status_code == 303
    assert tab1.post(first.action, data=first.hidden()).status_code == 303
    [attempt] = submitted(app)
    assert attempt.right == 0  # the wrong answers arrived first
    assert NOTICE in text_of(page(tab1.get(attempt_url)))
    assert "You scored 0 of 4, 0%." in text_of(page(tab1.get(attempt_url)))


def test_a_submit_after_the_result_is_shown_changes_nothing(app, login_as):
    client = login_as()
    attempt_url = start(client)
    stale_form = form_with_button(page(client.get(attempt_url)), "Check your answers")
    form = form_with_button(check(client, attempt_url, ALL_WRONG), "Submit answers")
    client.post(form.action, data=form.hidden())
    # An old copy of the question page, sent again: no new draft, no new result.
    response = client.post(attempt_url, data=stale_form.hidden())
    assert response.status_code == 303
    assert response.headers["Location"] == attempt_url
    [attempt] = submitted(app)
    assert attempt.right == 0
    assert attempt.draft_answers is None


def test_two_submits_racing_record_one_result(app, make_user, login_as, monkeypatch):
    """The second submit reaches the database while the first is still being stored."""
    user = make_user()
    tab1, tab2 = login_as(user), login_as(user)
    read_lessons(tab1)
    attempt_url = start(tab1)
    form = form_with_button(check(tab1, attempt_url, ALL_RIGHT), "Submit answers")
    inside, release = threading.Event(), threading.Event()

    def hold_first_open():
        # Runs inside the first submit's transaction, after its UPDATE, before its commit.
        inside.set()
        release.wait(10)

    sent = Reached(before=hold_first_open)

    responses: dict[str, object] = {}

    def post(name, client):
        responses[name] = client.post(form.action, data=form.hidden())

    monkeypatch.setattr(progress, "record_reached_completions", sent)
    first = threading.Thread(target=post, args=("first", tab1))
    first.start()
    assert inside.wait(10)
    second = threading.Thread(target=post, args=("second", tab2))
    second.start()
    time.sleep(0.5)  # let the second submit reach the database and wait there
    release.set()
    first.join(30)
    second.join(30)
    assert not first.is_alive()
    assert not second.is_alive()
    assert responses["first"].status_code == responses["second"].status_code == 303
    assert len(sent.calls) == 1
    [attempt] = submitted(app)
    assert attempt.right == 4
    assert module_completions(app) == 1
    assert NOTICE not in text_of(page(tab1.get(attempt_url)))
    assert NOTICE in text_of(page(tab2.get(attempt_url)))
