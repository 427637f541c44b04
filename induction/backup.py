"""Backing up and restoring the database: `flask --app induction db backup FILE` and `restore`.

On SQLite, a backup is taken with SQLite's online backup API: a consistent copy of the
whole database at one moment, safe to take while the app runs and writes (in WAL mode
readers never block writers). The copy is written beside FILE, checked, and renamed
into place, so FILE is never half-written. A restore checks that the file is an
SQLite database of this app (it has the migrations' `alembic_version`), refuses to
replace a database that holds records unless told to, copies it in with the same API
and migrates it to the current schema.

On PostgreSQL the same two commands run PostgreSQL's own pg_dump and pg_restore (see
induction.pg_backup), so the backup drill is the same command on both databases.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds: its schema revision and how many rows in each table."""

    path: Path
    revision: str
    rows: dict[str, int]

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def sqlite_path(url: str) -> Path | None:
    """Return the file of an SQLite database URL, or None for any other database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(parsed.database)


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    else:
        connection = sqlite3.connect(path, timeout=30)
    connection.execute("PRAGMA busy_timeout = 30000")
    return connection


def _tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [name for (name,) in rows]


def _describe(connection: sqlite3.Connection, path: Path) -> BackupInfo:
    """Return what an open SQLite database holds; raise BackupError when it is not this app's."""
    try:
        if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise BackupError(f"{path} is damaged: SQLite's check of it failed.")
        tables = _tables(connection)
        if "alembic_version" not in tables:
            raise BackupError(
                f"{path} is an SQLite database, but not one of this app: it has no "
                "alembic_version table."
            )
        revisions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        rows = {
            name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608 - names from sqlite_master
            for name in tables
            if name != "alembic_version"
        }
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be read as an SQLite database: {error}.") from error
    if len(revisions) != 1:
        raise BackupError(f"{path} has no single schema revision in alembic_version.")
    return BackupInfo(path=path, revision=revisions[0][0], rows=rows)


def inspect_backup(path: Path) -> BackupInfo:
    """Return what the SQLite backup at `path` holds.

    Raises BackupError when the file is missing, is not an SQLite database, is damaged,
    or is not a database of this app (no alembic_version).
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder, not a backup file.") from None
    if header != SQLITE_HEADER:
        raise BackupError(f"{path} is not an SQLite database.")
    connection = _connect(path, read_only=True)
    try:
        return _describe(connection, path)
    finally:
        connection.close()


def backup_sqlite(database: Path, target: Path, *, overwrite: bool = False) -> BackupInfo:
    """Copy the SQLite database at `database` into the file `target`, consistently; describe it.

    Safe while the app runs. The copy is a single self-contained file (no -wal file
    needed). Raises BackupError when the database is missing or not this app's, or
    when `target` exists and `overwrite` is False.
    """
    if not database.is_file():
        raise BackupError(f"There is no database at {database} to back up.")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists: choose another name, or add --force.")
    if target.resolve() == database.resolve():
        raise BackupError("The backup cannot replace the database itself.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    source = _connect(database)
    copy = sqlite3.connect(partial)
    try:
        # In one step: a snapshot of one moment, while other processes keep writing.
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
        info = _describe(copy, target)
        copy.commit()
    except BaseException as error:
        copy.close()
        partial.unlink(missing_ok=True)
        if isinstance(error, sqlite3.Error):
            raise BackupError(f"The backup failed: {error}.") from error
        raise
    finally:
        source.close()
    copy.close()
    _fsync(partial)
    os.replace(partial, target)
    return info


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def holds_records(database: Path) -> bool:
    """Return True when the SQLite database at `database` has a row in any table of its own."""
    if not database.is_file() or database.stat().st_size == 0:
        return False
    connection = _connect(database)
    try:
        return any(
            connection.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone()  # noqa: S608 - names from sqlite_master
            for name in _tables(connection)
            if name != "alembic_version"
        )
    finally:
        connection.close()


def restore_sqlite(
    backup: Path, database: Path, *, force: bool = False, info: BackupInfo | None = None
) -> BackupInfo:
    """Replace the SQLite database at `database` with the backup at `backup`; describe it.

    The database is not migrated here (the command does that next). Raises BackupError
    when the backup is not a sound database of this app, or when the database already
    holds records and `force` is False. `info` is the backup's inspect_backup result,
    when the caller already has it (the check reads the whole file).
    """
    info = info or inspect_backup(backup)
    if backup.resolve() == database.resolve():
        raise BackupError("The backup file is the database itself.")
    if not force and holds_records(database):
        raise BackupError(
            f"The database at {database} already holds records. Restoring would replace "
            "them all: back it up first, then run the restore again with --force."
        )
    database.parent.mkdir(parents=True, exist_ok=True)
    source = _connect(backup, read_only=True)
    target = _connect(database)
    try:
        # Through SQLite itself, so the target's own -wal file stays consistent.
        source.backup(target)
        target.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as error:
        raise BackupError(f"The restore failed: {error}. Is the app still running?") from error
    finally:
        target.close()
        source.close()
    return info


def is_known_revision(revision: str) -> bool:
    """Return True when `revision` is one of this app's migrations (a backup's schema)."""
    from alembic.script import ScriptDirectory
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    migrate = current_app.extensions["migrate"]
    scripts = ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))
    try:
        return scripts.get_revision(revision) is not None
    except (RevisionError, CommandError):
        return False


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@with_appcontext
def backup_command(file: Path, force: bool) -> None:
    """Back up the database to FILE (safe while the app runs).

    SQLite: a copy of the database file. PostgreSQL: pg_dump's custom format (the
    PostgreSQL client tools must be installed).
    """
    config = current_app.config
    try:
        database = sqlite_path(config["DATABASE_URL"])
        if database is None:
            _backup_postgres(file, force)
            return
        info = backup_sqlite(database, file, overwrite=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Backed up {info.total_rows} rows in {len(info.rows)} tables "
        f"(schema {info.revision}) to {file}."
    )


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds records.")
@with_appcontext
def restore_command(file: Path, force: bool) -> None:
    """Restore the database from a backup FILE, then migrate it to the current schema.

    Stop the app first. A database that already holds records is only replaced with --force.
    """
    from flask_migrate import upgrade

    from induction.extensions import db

    config = current_app.config
    try:
        database = sqlite_path(config["DATABASE_URL"])
        if database is None:
            _restore_postgres(file, force)
        else:
            checked = inspect_backup(file)
            _check_revision(file, checked.revision)
            # No pooled connection may keep a view of the database from before the restore.
            db.engine.dispose()
            info = restore_sqlite(file, database, force=force, info=checked)
            click.echo(
                f"Restored {info.total_rows} rows in {len(info.rows)} tables "
                f"(schema {info.revision}) from {file}."
            )
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    db.engine.dispose()
    upgrade(directory=current_app.extensions["migrate"].directory)
    click.echo("Database is up to date.")


def _check_revision(file: Path, revision: str) -> None:
    if not is_known_revision(revision):
        raise BackupError(
            f"{file} has schema {revision}, which this version of the app does not know: "
            "it was made by a newer version. Restore it with that version."
        )


def _postgres_target() -> Any:
    from induction import pg_backup

    config = current_app.config
    return pg_backup.target(
        config["DATABASE_URL"],
        config["SQLALCHEMY_ENGINE_OPTIONS"],
        int(config["DATABASE_CONNECT_TIMEOUT_SECONDS"]),
    )


def _backup_postgres(file: Path, force: bool) -> None:
    """Run pg_dump for the configured PostgreSQL database and say what was written."""
    from induction import pg_backup
    from induction.extensions import db

    dump_tool = pg_backup.tool("pg_dump")
    try:
        pg_backup.check_versions(dump_tool, db.engine)
    except OperationalError as error:
        raise BackupError(f"Cannot reach the PostgreSQL database: {error.orig}") from None
    tables = pg_backup.dump(_postgres_target(), file, overwrite=force)
    click.echo(f"Backed up {tables} tables of the PostgreSQL database to {file} (pg_dump).")


def _restore_postgres(file: Path, force: bool) -> None:
    """Run pg_restore into the configured PostgreSQL database after checking the file."""
    from induction import pg_backup
    from induction.extensions import db

    restore_tool = pg_backup.tool("pg_restore")
    revision = pg_backup.revision_in(restore_tool, file)
    _check_revision(file, revision)
    try:
        has_records = pg_backup.holds_records(db.engine)
    except OperationalError as error:
        raise BackupError(f"Cannot reach the PostgreSQL database: {error.orig}") from None
    if not force and has_records:
        raise BackupError(
            "The database already holds records. Restoring would replace them all: back "
            "it up first, then run the restore again with --force."
        )
    # The app's own pooled connections would hold locks that the restore waits for.
    db.session.remove()
    db.engine.dispose()
    pg_backup.restore(_postgres_target(), file)
    click.echo(f"Restored the PostgreSQL database (schema {revision}) from {file} (pg_restore).")
