"""`flask db backup` and `db restore` on SQLite: consistent copies, every record back, refusals.

These tests build their own SQLite databases (migrated as a deployment's are), so they
run in the PostgreSQL run of the suite too; PostgreSQL's own tools are tested in
test_backup_postgres.py.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import upgrade
from flask_migrate.cli import db as db_cli

from induction.accounts.audit import AuditEvent
from induction.backup import backup_sqlite, inspect_backup
from induction.extensions import db
from tests.processes import free_port
from tests.reliability.records import make_everything, table_rows

KEPT = (
    "user_account",
    "organisation",
    "user_session",
    "lesson_completion",
    "quiz_attempt",
    "module_completion",
    "course_completion",
    "certificate",
    "audit_event",
    "email_message",
    "invitation",
    "account_token",
)


def _sqlite_app(app_factory, path: Path, **config) -> Flask:
    app = app_factory(DATABASE_URL=f"sqlite:///{path}", SQLALCHEMY_ENGINE_OPTIONS={}, **config)
    with app.app_context():
        upgrade()
    return app


@pytest.fixture
def app(app_factory, tmp_path: Path) -> Flask:
    """The app on a new SQLite file built by the migrations (replaces the suite's `app`)."""
    return _sqlite_app(app_factory, tmp_path / "live.sqlite")


def _run(app: Flask, *args: str):
    return app.test_cli_runner().invoke(db_cli, list(args))


def _rows(app: Flask) -> dict[str, list[tuple]]:
    with app.app_context(), db.engine.connect() as connection:
        return table_rows(connection)


def _head(app: Flask) -> str:
    with app.app_context():
        migrate = app.extensions["migrate"]
        return ScriptDirectory.from_config(migrate.migrate.get_config()).get_current_head()


def test_a_restored_backup_holds_every_record(
    app, app_factory, tmp_path, make_org, make_user, login_as
):
    make_everything(app, make_org, make_user, login_as)
    before = _rows(app)
    assert all(before[name] for name in KEPT), {name: len(before[name]) for name in KEPT}

    result = _run(app, "backup", str(tmp_path / "backup.sqlite"))
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output

    fresh = app_factory(
        DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite'}", SQLALCHEMY_ENGINE_OPTIONS={}
    )
    result = _run(fresh, "restore", str(tmp_path / "backup.sqlite"))
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    assert _rows(fresh) == before


def test_a_backup_is_consistent_while_the_app_writes(app, tmp_path):
    """Every transaction writes a pair of rows; no backup may hold half a pair."""
    stop = threading.Event()
    written = []

    def write_pairs() -> None:
        with app.app_context():
            n = 0
            while not stop.is_set():
                n += 1
                for _ in range(2):
                    db.session.add(AuditEvent(action="test.pair", target_id=str(n)))
                db.session.commit()
                written.append(n)

    writer = threading.Thread(target=write_pairs)
    writer.start()
    try:
        backups = []
        while len(backups) < 5:
            if len(written) > 20 * (len(backups) + 1):
                target = tmp_path / f"during-{len(backups)}.sqlite"
                with app.app_context():
                    backup_sqlite(
                        Path(app.config["DATABASE_URL"].removeprefix("sqlite:///")), target
                    )
                backups.append(target)
    finally:
        stop.set()
        writer.join(timeout=30)
    for target in backups:
        info = inspect_backup(target)  # SQLite's own check passes
        assert info.rows["audit_event"] > 0
        with sqlite3.connect(target) as copy:
            halves = copy.execute(
                "SELECT target_id FROM audit_event WHERE action = 'test.pair' "
                "GROUP BY target_id HAVING count(*) != 2"
            ).fetchall()
            assert halves == []
            # A single file: nothing left in a write-ahead log beside it.
            assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert not Path(f"{target}-wal").exists()


def test_restore_refuses_a_database_that_holds_records_unless_forced(
    app, app_factory, tmp_path, make_user
):
    make_user(name="First Person")
    assert _run(app, "backup", str(tmp_path / "one.sqlite")).exit_code == 0
    make_user(name="Second Person")

    result = _run(app, "restore", str(tmp_path / "one.sqlite"))
    assert result.exit_code == 1
    assert "already holds records" in result.output
    assert "--force" in result.output
    assert len(_rows(app)["user_account"]) == 2  # untouched

    result = _run(app, "restore", "--force", str(tmp_path / "one.sqlite"))
    assert result.exit_code == 0, result.output
    assert [row.name for row in _named_people(app)] == ["First Person"]


def _named_people(app: Flask):
    with app.app_context():
        return db.session.execute(sa.text("SELECT name FROM user_account")).all()


def test_restore_refuses_files_that_are_not_backups_of_this_app(app, tmp_path):
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database")
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    cases = {
        tmp_path / "missing.sqlite": "does not exist",
        text_file: "not an SQLite database",
        other: "not one of this app",
    }
    for path, message in cases.items():
        result = _run(app, "restore", str(path))
        assert result.exit_code == 1, path
        assert message in result.output


def test_a_backup_never_overwrites_a_file_unless_forced(app, tmp_path):
    target = tmp_path / "backup.sqlite"
    target.write_text("precious")
    result = _run(app, "backup", str(target))
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert target.read_text() == "precious"
    assert _run(app, "backup", "--force", str(target)).exit_code == 0
    assert inspect_backup(target).revision == _head(app)


def test_restore_migrates_a_backup_of_an_older_version(app_factory, tmp_path):
    old = app_factory(
        DATABASE_URL=f"sqlite:///{tmp_path / 'old.sqlite'}", SQLALCHEMY_ENGINE_OPTIONS={}
    )
    with old.app_context():
        migrate = old.extensions["migrate"]
        base = ScriptDirectory.from_config(migrate.migrate.get_config()).get_base()
        upgrade(revision=base)
    backup_sqlite(tmp_path / "old.sqlite", tmp_path / "old-backup.sqlite")
    assert inspect_backup(tmp_path / "old-backup.sqlite").revision == base

    fresh = app_factory(
        DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite'}", SQLALCHEMY_ENGINE_OPTIONS={}
    )
    result = _run(fresh, "restore", str(tmp_path / "old-backup.sqlite"))
    assert result.exit_code == 0, result.output
    assert "Database is up to date" in result.output
    with fresh.app_context():
        revision = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        tables = set(sa.inspect(db.session.connection()).get_table_names())
    assert revision == _head(fresh)
    assert set(db.metadata.tables) <= tables


def test_restore_refuses_a_backup_of_a_newer_version(app, app_factory, tmp_path):
    target = tmp_path / "future.sqlite"
    assert _run(app, "backup", str(target)).exit_code == 0
    with sqlite3.connect(target) as copy:
        copy.execute("UPDATE alembic_version SET version_num = 'f00dfeedbeef'")
    fresh = app_factory(
        DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite'}", SQLALCHEMY_ENGINE_OPTIONS={}
    )
    result = _run(fresh, "restore", str(target))
    assert result.exit_code == 1
    assert "newer version" in result.output


def test_on_postgresql_an_unreachable_server_is_a_plain_error(app_factory, tmp_path):
    """Backup and restore on PostgreSQL say what went wrong, and never show the password."""
    app = app_factory(
        DATABASE_URL=f"postgresql://induction:s3cret@127.0.0.1:{free_port()}/learning",
        SQLALCHEMY_ENGINE_OPTIONS={},
    )
    dump = tmp_path / "nightly.dump"
    result = _run(app, "backup", str(dump))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "s3cret" not in result.output
    if shutil.which("pg_dump"):
        assert "Cannot reach the PostgreSQL database" in result.output
    else:
        assert "pg_dump is not installed" in result.output
    assert not dump.exists()
    result = _run(app, "restore", str(dump))
    assert result.exit_code == 1
    assert "s3cret" not in result.output
    assert "does not exist" in result.output or "is not installed" in result.output
