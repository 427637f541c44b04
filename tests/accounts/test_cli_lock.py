"""The command line on SQLite waits for another writer's lock, and says so in plain words
when the lock is held for longer than the busy timeout."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import func, select

from induction.accounts.models import User
from induction.extensions import db
from tests.conftest import USES_POSTGRES
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.skipif(USES_POSTGRES, reason="the SQLite write lock")


class WriteLock:
    """Another program writing: holds SQLite's write lock on the database until released."""

    def __init__(self, app) -> None:
        assert people(app) == 0  # the app has opened the database once: it is in WAL mode
        path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.connection.execute("BEGIN IMMEDIATE")
        self.connection.execute("UPDATE organisation SET name = name")

    def release(self) -> None:
        self.connection.execute("COMMIT")
        self.connection.close()


def create(runner, email: str):
    return runner.invoke(
        args=["users", "create", "--email", email, "--name", "Ops", "--role", "admin"],
        input=TEST_PASSWORD + "\n",
    )


def people(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_the_command_waits_for_the_lock_and_then_succeeds(app_factory):
    app = app_factory(SQLITE_BUSY_TIMEOUT_MS=30_000)
    lock = WriteLock(app)
    waiting = threading.Timer(1.0, lock.release)
    waiting.start()
    try:
        result = create(app.test_cli_runner(), "ops@example.org")
    finally:
        waiting.join()
    assert result.exit_code == 0, result.output
    assert "Created admin ops@example.org." in result.output
    assert people(app) == 1


def test_a_lock_held_past_the_timeout_is_a_plain_error(app_factory):
    app = app_factory(SQLITE_BUSY_TIMEOUT_MS=500)
    lock = WriteLock(app)
    try:
        result = create(app.test_cli_runner(), "ops@example.org")
    finally:
        lock.release()
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # click's own exit, not a crash
    assert "Traceback" not in result.output
    assert "The database is busy" in result.output
    assert "more than 0.5 seconds, so nothing was changed" in result.output
    assert people(app) == 0
    # Once the lock is gone the same command works.
    assert create(app.test_cli_runner(), "ops@example.org").exit_code == 0
