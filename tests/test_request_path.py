"""The signed-in request path: few statements, no transaction for reads on PostgreSQL, and a
connection the server closed replaced before use without a ping."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import sqlalchemy as sa

from induction.accounts.models import Intake, User
from induction.database import normalise_database_url
from induction.extensions import db
from tests.conftest import POSTGRES_URL, USES_POSTGRES

LESSON = "/courses/basics/lessons/welcome"
on_postgresql = pytest.mark.skipif(not USES_POSTGRES, reason="PostgreSQL's connections")


@pytest.fixture
def app(app_factory, tree):
    return app_factory(COURSES_DIR=str(tree))


def _statements(counter) -> list[str]:
    """The statements that ask the database something (SQLite's BEGIN is not one)."""
    return [sql for sql in counter.statements if not sql.startswith("BEGIN")]


@pytest.mark.parametrize("in_intake", [False, True], ids=["no intake", "in an intake"])
def test_a_lesson_page_and_my_learning_cost_two_and_three_statements(
    app, login_as, make_org, count_queries, in_intake
):
    client = login_as(organisation=make_org())
    if in_intake:
        with app.app_context():
            person = db.session.get(User, client.user.id)
            intake = Intake(
                organisation_id=person.organisation_id, name="May", starts_on=dt.date.today()
            )
            db.session.add(intake)
            db.session.flush()
            person.intake_id = intake.id
            db.session.commit()
    assert client.post(f"{LESSON}/complete", data={}).status_code in (302, 303, 400)
    for url in (LESSON, "/"):
        client.get(url)  # caches warm, the session's visit recorded
    with count_queries() as lesson:
        assert client.get(LESSON).status_code == 200
    with count_queries() as learning:
        assert client.get("/").status_code == 200
    # The session with its person; everything the person did in the course (one UNION ALL).
    assert len(_statements(lesson)) == 2, lesson.statements
    # The same two, and the person's certificates.
    assert len(_statements(learning)) == 3, learning.statements


def test_pages_that_need_nobody_ask_the_database_nothing(client, count_queries):
    with count_queries() as counter:
        for url in ("/static/favicon.svg", "/healthz"):
            response = client.get(url)
            assert response.status_code == 200
            response.close()
    assert _statements(counter) == ["SELECT 1"]  # the health check's own question


def _autocommit_of_each_statement(app, action) -> list[bool]:
    seen: list[bool] = []

    def note(conn, _cursor, _statement, *_args) -> None:
        seen.append(bool(conn.connection.dbapi_connection.autocommit))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        action()
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
    return seen


@on_postgresql
def test_reads_run_without_a_transaction_and_writes_within_one(app, login_as):
    client = login_as()
    reads = _autocommit_of_each_statement(app, lambda: client.get(LESSON))
    assert reads and all(reads)
    writes = _autocommit_of_each_statement(
        app, lambda: client.post(f"{LESSON}/complete", data={"csrf_token": ""})
    )
    assert writes and not any(writes)
    # Outside requests (commands, services in tests) everything is transactional.
    with app.app_context():
        outside = _autocommit_of_each_statement(
            app, lambda: db.session.execute(sa.text("SELECT 1"))
        )
        db.session.rollback()
    assert outside == [False]


@on_postgresql
def test_a_connection_the_server_closed_is_replaced_before_use(app, login_as):
    client = login_as()
    assert client.get(LESSON).status_code == 200
    with app.app_context():
        pids = {db.session.scalar(sa.text("SELECT pg_backend_pid()"))}
        db.session.rollback()
    other = sa.create_engine(normalise_database_url(POSTGRES_URL))
    with other.begin() as connection:
        for pid in pids:
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    other.dispose()
    time.sleep(0.2)  # the server's goodbye reaches the pooled connection's socket
    response = client.get(LESSON)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


@on_postgresql
def test_each_statement_is_planned_for_its_own_values(app):
    """Statements psycopg prepares are planned with their values every time (an organisation
    of 5,000 is not planned as one of ten), and without JIT compiling."""
    with app.app_context():
        settings = [
            db.session.scalar(sa.text(f"SHOW {name}")) for name in ("plan_cache_mode", "jit")
        ]
        db.session.rollback()
    assert settings == ["force_custom_plan", "off"]


def test_the_health_check_of_a_signed_in_browser_does_not_look_them_up(
    login_as, make_org, count_queries
):
    client = login_as(organisation=make_org())
    assert client.get(LESSON).headers["Cache-Control"] == "no-store"  # a personal page
    with count_queries() as counter:
        response = client.get("/healthz")
    assert response.status_code == 200
    # Its own question only: the person is not loaded to decide the cache header.
    assert _statements(counter) == ["SELECT 1"]
    assert response.headers["Cache-Control"] == "no-store"  # the cookie says signed in


def test_pages_of_a_visitor_who_is_not_signed_in_may_be_cached(client):
    response = client.get("/accessibility")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
