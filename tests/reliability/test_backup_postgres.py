"""On PostgreSQL: the pg_dump and pg_restore commands the app prints bring every record back."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask_migrate.cli import db as db_cli
from sqlalchemy.engine import make_url

from induction.backup import postgres_restore_commands
from induction.database import normalise_database_url
from induction.extensions import db
from tests.conftest import POSTGRES_URL, USES_POSTGRES
from tests.reliability.records import make_everything, table_rows

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not USES_POSTGRES, reason="PostgreSQL's own tools, on PostgreSQL"),
]


def _tool_env() -> dict[str, str]:
    env = dict(os.environ)
    password = make_url(normalise_database_url(POSTGRES_URL)).password
    if password:
        env["PGPASSWORD"] = str(password)
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    return env


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """The URL of a new, empty database on the same server, dropped afterwards."""
    name = f"induction_restore_{uuid.uuid4().hex[:12]}"
    server = sa.create_engine(normalise_database_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(normalise_database_url(POSTGRES_URL)).set(database=name, drivername="postgresql")
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def test_the_printed_pg_dump_and_pg_restore_bring_every_record_back(
    app, tmp_path, make_org, make_user, login_as, fresh_database
):
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed (Debian: postgresql-client)")
    make_everything(app, make_org, make_user, login_as)
    with app.app_context(), db.engine.connect() as connection:
        before = table_rows(connection)
        schema = connection.execute(sa.text("SELECT current_schema()")).scalar()
    assert before["certificate"] and before["audit_event"] and before["quiz_attempt"]

    dump = tmp_path / "induction.dump"
    result = app.test_cli_runner().invoke(db_cli, ["backup", str(dump)])
    assert result.exit_code == 1  # it refuses, and says what to run instead
    command = result.output.split("\n  ", 1)[1].strip().splitlines()[0]
    assert command.startswith("pg_dump ")
    subprocess.run(shlex.split(command), env=_tool_env(), check=True, timeout=120)  # noqa: S603

    restore = postgres_restore_commands(fresh_database, str(dump)).splitlines()[0]
    # The printed command hides the password; the test's own URL has it when there is one.
    restore = restore.replace(
        postgres_restore_commands(fresh_database, "").split("'")[1], fresh_database
    )
    subprocess.run(shlex.split(restore), env=_tool_env(), check=True, timeout=120)  # noqa: S603

    restored = sa.create_engine(
        normalise_database_url(fresh_database),
        connect_args={"options": f"-csearch_path={schema}"},
    )
    try:
        with restored.connect() as connection:
            assert table_rows(connection) == before
    finally:
        restored.dispose()
