"""A submit that arrives twice (double click, two tabs, a retry, two at once) is recorded once."""

from __future__ import annotations

import threading
import time

import sqlalchemy as sa
from sqlalchemy import event, func, select

from induction.extensions import db
from induction.progress import services as progress
from induction.progress.models import ModuleCompletion
from induction.quizzes.models import QuestionResult, QuizAttempt
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


def question_results(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(QuestionResult))


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


class Race:
    """Two submits of one attempt, ordered by the test through the SQL they send.

    The first submit is held inside its transaction, just after its UPDATE stored the
    result; it is let go only once the second submit has asked the database for what
    the first holds: on SQLite the write lock (BEGIN IMMEDIATE), on PostgreSQL the
    attempt's row (its own UPDATE, which PostgreSQL must then report as blocked). So
    the second submit always arrives while the first is still being stored, however
    slow the machine; if it never gets there, the test fails instead of passing.
    """

    TIMEOUT = 30

    def __init__(self, engine) -> None:
        self.engine = engine
        self.steps: list[tuple[str, str]] = []  # (submit, what happened), in order
        self.rowcounts: dict[str, int] = {}
        self.first_holds = threading.Event()  # the first has stored its result, uncommitted
        self.second_asks = threading.Event()  # the second has asked for what the first holds
        self.release = threading.Event()  # set by the test: the first may commit
        self.first_pid: int | None = None

    def is_submit(self, statement: str) -> bool:
        return statement.startswith(f"UPDATE {QuizAttempt.__tablename__} ") and (
            "is_passed" in statement
        )

    def is_wait(self, statement: str) -> bool:
        """Return True for the statement at which the second submit must wait for the first."""
        if self.engine.dialect.name == "sqlite":
            return statement == "BEGIN IMMEDIATE"
        return self.is_submit(statement)

    def before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        name = threading.current_thread().name
        if name == "second" and self.is_wait(statement) and not self.second_asks.is_set():
            self.steps.append(("second", "asks"))
            self.second_asks.set()

    def after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        name = threading.current_thread().name
        if name == "second" and statement == "BEGIN IMMEDIATE":
            self.steps.append(("second", "gets the lock"))
        if name not in ("first", "second") or not self.is_submit(statement):
            return
        self.rowcounts[name] = cursor.rowcount
        self.steps.append((name, "stores" if cursor.rowcount else "stores nothing"))
        if name == "first":
            if self.engine.dialect.name != "sqlite":
                self.first_pid = cursor.connection.info.backend_pid
            self.first_holds.set()
            assert self.release.wait(self.TIMEOUT), "the test never let the first submit go"

    def commit(self, conn) -> None:
        if threading.current_thread().name == "first" and self.first_holds.is_set():
            self.steps.append(("first", "commits"))

    def __enter__(self) -> Race:
        event.listen(self.engine, "before_cursor_execute", self.before)
        event.listen(self.engine, "after_cursor_execute", self.after)
        event.listen(self.engine, "commit", self.commit)
        return self

    def __exit__(self, *exc_info) -> None:
        self.release.set()  # never leave a submit hanging, whatever went wrong
        event.remove(self.engine, "before_cursor_execute", self.before)
        event.remove(self.engine, "after_cursor_execute", self.after)
        event.remove(self.engine, "commit", self.commit)

    def wait_until_second_is_blocked(self) -> None:
        """Return once the second submit waits for the first; fail when it never does."""
        assert self.second_asks.wait(self.TIMEOUT), "the second submit never reached the database"
        if self.engine.dialect.name == "sqlite":
            # SQLite cannot show a waiting connection; the first holds the write lock, so
            # the second's BEGIN IMMEDIATE cannot succeed before the first commits, which
            # the order of the steps proves afterwards.
            return
        blocked = sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"
        )
        deadline = time.monotonic() + self.TIMEOUT
        with self.engine.connect() as conn:
            while time.monotonic() < deadline:
                if conn.execute(blocked, {"pid": self.first_pid}).scalar():
                    return
                conn.rollback()
                # A poll for a fact, not a pause that stages the race: the events above
                # decide the order, and a second that never waits fails the test below.
                time.sleep(0.01)
        raise AssertionError("the second submit never waited for the first one's row lock")


def test_two_submits_racing_record_one_result(app, make_user, login_as):
    """The second submit reaches the database while the first is still being stored."""
    user = make_user()
    tab1, tab2 = login_as(user), login_as(user)
    read_lessons(tab1)
    attempt_url = start(tab1)
    form = form_with_button(check(tab1, attempt_url, ALL_RIGHT), "Submit answers")
    responses: dict[str, object] = {}

    def post(client):
        responses[threading.current_thread().name] = client.post(form.action, data=form.hidden())

    with app.app_context():
        engine = db.engine
    first = threading.Thread(target=post, args=(tab1,), name="first")
    second = threading.Thread(target=post, args=(tab2,), name="second")
    with Race(engine) as race:
        first.start()
        assert race.first_holds.wait(race.TIMEOUT), "the first submit never stored its result"
        second.start()
        race.wait_until_second_is_blocked()
        race.release.set()
        first.join(race.TIMEOUT)
        second.join(race.TIMEOUT)
    assert not first.is_alive()
    assert not second.is_alive()
    assert responses["first"].status_code == responses["second"].status_code == 303
    if engine.dialect.name == "sqlite":
        # The second asked for the write lock while the first held it, and got it after.
        assert race.steps == [
            ("first", "stores"),
            ("second", "asks"),
            ("first", "commits"),
            ("second", "gets the lock"),
        ]
    else:
        # The second read the attempt as open and sent its own UPDATE, which waited for the
        # first's row lock and then matched nothing: the condition in the UPDATE decided.
        assert race.steps == [
            ("first", "stores"),
            ("second", "asks"),
            ("first", "commits"),
            ("second", "stores nothing"),
        ]
        assert race.rowcounts == {"first": 1, "second": 0}
    [attempt] = submitted(app)
    assert attempt.right == 4
    assert question_results(app) == 4  # one per question, from the first submit only
    assert module_completions(app) == 1
    assert NOTICE not in text_of(page(tab1.get(attempt_url)))
    assert NOTICE in text_of(page(tab2.get(attempt_url)))
