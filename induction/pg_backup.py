"""Backing up and restoring a PostgreSQL database with its own client tools.

`flask --app induction db backup FILE` runs `pg_dump` in its custom format (compressed,
consistent while the app runs), written beside FILE and renamed into place once
`pg_restore` can read it, so FILE is never half-written. `db restore FILE` checks the
file and the schema revision inside it, refuses to replace a database that holds
records unless told to, runs `pg_restore --clean`, and the command then migrates to
the current schema. The password is handed to the tools in their environment, never
on a command line that other users of the machine could see.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from induction.backup import BackupError

TIMEOUT_SECONDS = 3600
CLIENT_PACKAGE = "postgresql-client"


@dataclass(frozen=True)
class Target:
    """The configured PostgreSQL database as the client tools reach it."""

    url: str  # a libpq URL without the password
    schema: str | None  # the one schema the app uses, when search_path names one
    environment: dict[str, str]


def target(url: str, engine_options: dict[str, Any], connect_timeout: int) -> Target:
    """Return how the client tools reach the database of `url` (an SQLAlchemy URL)."""
    parsed = make_url(url).set(drivername="postgresql")
    environment = dict(os.environ)
    if parsed.password:
        environment["PGPASSWORD"] = str(parsed.password)
    environment.setdefault("PGCONNECT_TIMEOUT", str(connect_timeout))
    libpq_url = parsed.set(password=None).render_as_string(hide_password=False)
    return Target(libpq_url, _search_path_schema(engine_options), environment)


def _search_path_schema(engine_options: dict[str, Any]) -> str | None:
    options = str((engine_options.get("connect_args") or {}).get("options", ""))
    for part in options.split():
        if part.startswith("-csearch_path="):
            return part.removeprefix("-csearch_path=").split(",")[0].strip('"')
    return None


def tool(name: str) -> str:
    """Return the path of PostgreSQL client tool `name`; raise BackupError when it is missing."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed, so the PostgreSQL database cannot be backed up or "
            f"restored from here. Install PostgreSQL's client tools (Debian and Ubuntu: "
            f"'apt-get install {CLIENT_PACKAGE}'), of the server's version or newer, and "
            "run the command again."
        )
    return found


def tool_major_version(path: str) -> int:
    """Return the major version of a PostgreSQL client tool (15 for 'pg_dump (PostgreSQL) 15.2')."""
    output = _run([path, "--version"], os.environ.copy(), what=Path(path).name).stdout
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", output)
    if found is None:
        raise BackupError(f"{path} did not say its version: is it PostgreSQL's {Path(path).name}?")
    return int(found.group(1))


def server_major_version(engine: Engine) -> int:
    """Return the PostgreSQL server's major version (15 for 15.20)."""
    with engine.connect() as connection:
        number = int(connection.execute(sa.text("SHOW server_version_num")).scalar_one())
    return number // 10000


def check_versions(dump_tool: str, engine: Engine) -> None:
    """Raise BackupError when pg_dump is older than the server (it refuses to dump then)."""
    client, server = tool_major_version(dump_tool), server_major_version(engine)
    if client < server:
        raise BackupError(
            f"pg_dump is version {client} but the database server is version {server}: "
            f"pg_dump can only back up servers of its own version or older. Install the "
            f"client tools of version {server} or newer (Debian and Ubuntu: "
            f"'{CLIENT_PACKAGE}-{server}')."
        )


def dump(where: Target, file: Path, *, overwrite: bool = False) -> int:
    """Back up the database to `file` with pg_dump (custom format); return its table count.

    Raises BackupError when `file` exists and `overwrite` is False, or when pg_dump fails.
    """
    dump_tool, restore_tool = tool("pg_dump"), tool("pg_restore")
    if file.exists() and not overwrite:
        raise BackupError(f"{file} already exists: choose another name, or add --force.")
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(f".{file.name}.partial")
    partial.unlink(missing_ok=True)
    command = [dump_tool, "--format=custom", "--no-owner", f"--file={partial}"]
    if where.schema:
        command.append(f"--schema={where.schema}")
    try:
        _run([*command, where.url], where.environment, what="pg_dump")
        tables = len(table_entries(restore_tool, partial))
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, file)
    return tables


def table_entries(restore_tool: str, file: Path) -> list[str]:
    """Return the tables whose rows a pg_dump file holds; raise BackupError if it is not one."""
    if not file.is_file():
        raise BackupError(f"{file} does not exist.")
    listing = _run(
        [restore_tool, "--list", str(file)],
        os.environ.copy(),
        what="pg_restore",
        failure=f"{file} is not a backup made by 'db backup' (a pg_dump custom-format file)",
    ).stdout
    return [line for line in listing.splitlines() if " TABLE DATA " in line]


def revision_in(restore_tool: str, file: Path) -> str:
    """Return the schema revision (alembic_version) that a pg_dump file holds."""
    if not any(" alembic_version " in line for line in table_entries(restore_tool, file)):
        raise BackupError(f"{file} is a PostgreSQL backup, but not one of this app.")
    script = _run(
        [restore_tool, "--data-only", "--table=alembic_version", "--file=-", str(file)],
        os.environ.copy(),
        what="pg_restore",
    ).stdout
    # The rows follow the COPY line, one a line, up to the "\." that ends them.
    rows = script.split("FROM stdin;\n", 1)[-1].split("\n\\.", 1)[0].split()
    if len(rows) != 1:
        raise BackupError(f"{file} has no single schema revision in alembic_version.")
    return rows[0]


def holds_records(engine: Engine) -> bool:
    """Return True when any table of the app's schema holds a row (alembic_version aside)."""
    with engine.connect() as connection:
        names = sa.inspect(connection).get_table_names()
        return any(
            connection.execute(sa.text(f'SELECT 1 FROM "{name}" LIMIT 1')).first()  # noqa: S608 - names from the catalog
            for name in names
            if name != "alembic_version"
        )


def restore(where: Target, file: Path) -> None:
    """Replace the database's tables with those of the pg_dump file `file`.

    Raises BackupError with pg_restore's own words when it fails (it stops at the first
    error: nothing is half-restored silently).
    """
    _run(
        [
            tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={where.url}",
            str(file),
        ],
        where.environment,
        what="pg_restore",
    )


def _run(
    command: list[str], environment: dict[str, str], *, what: str, failure: str | None = None
) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(  # noqa: S603 - a fixed tool with arguments built here
            command,
            env=environment,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BackupError(f"{what} did not finish within {TIMEOUT_SECONDS} seconds.") from None
    if result.returncode != 0:
        said = result.stderr.strip() or f"it ended with code {result.returncode}"
        raise BackupError(f"{failure or what + ' failed'}: {said}")
    return result
