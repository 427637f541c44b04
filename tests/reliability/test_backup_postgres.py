"""On PostgreSQL: `db backup` runs pg_dump and `db restore` runs pg_restore, and a round
trip brings every row of every table back."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from flask_migrate.cli import db as db_cli

from induction.database import normalise_database_url
from induction.extensions import db
from tests.conftest import POSTGRES_URL, USES_POSTGRES
from tests.reliability.records import make_everything, table_rows

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not USES_POSTGRES, reason="PostgreSQL's own tools, on PostgreSQL"),
]


@pytest.fixture
def app(app_factory, test_database) -> Iterator:
    """An app on a schema of its own built by the migrations, as in production."""
    schema = f"{test_database.schema}_backup"
    server = sa.create_engine(normalise_database_url(POSTGRES_URL))
    with server.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    app = app_factory(
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"options": f"-csearch_path={schema}"}}
    )
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    with server.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    server.dispose()


def rows(app) -> dict[str, list[tuple]]:
    with app.app_context(), db.engine.connect() as connection:
        return table_rows(connection)


def counts(app) -> dict[str, int]:
    with app.app_context(), db.engine.connect() as connection:
        names = sa.inspect(connection).get_table_names()
        return {
            name: connection.execute(sa.text(f'SELECT count(*) FROM "{name}"')).scalar_one()  # noqa: S608
            for name in names
        }


def run(app, *args: str):
    return app.test_cli_runner().invoke(db_cli, list(args))


def test_backup_and_restore_bring_every_row_of_every_table_back(
    app, tmp_path, make_org, make_user, login_as
):
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed (Debian: postgresql-client)")
    make_everything(app, make_org, make_user, login_as)
    before, counted = rows(app), counts(app)
    assert counted["certificate"] and counted["audit_event"] and counted["quiz_attempt"]
    assert counted["alembic_version"] == 1

    dump = tmp_path / "backups" / "induction.dump"
    result = run(app, "backup", str(dump))
    assert result.exit_code == 0, result.output
    assert f"to {dump} (pg_dump)" in result.output
    assert dump.is_file()
    assert not list(dump.parent.glob(".*partial"))
    # A second backup to the same file is refused unless told to overwrite it.
    again = run(app, "backup", str(dump))
    assert again.exit_code == 1
    assert "already exists" in again.output

    with app.app_context():  # something goes wrong: records lost
        db.session.execute(sa.text("DELETE FROM user_account"))
        db.session.execute(sa.text("DELETE FROM organisation"))
        db.session.commit()
    assert counts(app)["quiz_attempt"] == 0

    make_org(name="Left Over")  # a database that holds records is only replaced when told
    refused = run(app, "restore", str(dump))
    assert refused.exit_code == 1
    assert "already holds records" in refused.output

    result = run(app, "restore", "--force", str(dump))
    assert result.exit_code == 0, result.output
    assert "Database is up to date." in result.output
    assert counts(app) == counted
    assert rows(app) == before


def test_a_file_that_is_not_a_backup_is_refused(app, tmp_path):
    if shutil.which("pg_restore") is None:
        pytest.fail("pg_restore is not installed (Debian: postgresql-client)")
    file = tmp_path / "notes.dump"
    file.write_text("not a backup")
    result = run(app, "restore", "--force", str(file))
    assert result.exit_code == 1
    assert "is not a backup made by 'db backup'" in result.output
    assert "Traceback" not in result.output


def test_missing_client_tools_are_named_with_the_package_to_install(app, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    dump = tmp_path / "induction.dump"
    for args in (["backup", str(dump)], ["restore", str(dump)]):
        result = run(app, *args)
        assert result.exit_code == 1
        assert "is not installed" in result.output
        assert "apt-get install postgresql-client" in result.output
    assert not dump.exists()
