"""Shared fixtures: an app on its own fresh database per test, clients, factories, query counts.

The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL is set. Each
test gets a fresh database cheaply: on SQLite a copy of a template file made once per
session, on PostgreSQL a private schema per test worker whose tables are emptied
between tests.

The tests never read the project's own `courses/` folder, which a running copy of the app
may be editing: when the run starts, each test process copies it (SHIPPED_COURSES) and the
fixture courses the apps are built on (SITE_COURSES) to a temporary folder, and from then
on opening or listing anything in `courses/` fails the test that did it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import settings
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy.util import LRUCache
from werkzeug.routing import Rule

from induction import create_app
from induction.database import Base
from induction.extensions import db

TESTS_DIR = Path(__file__).resolve().parent
PROJECT_COURSES = TESTS_DIR.parent / "courses"
FIXTURE_COURSES = TESTS_DIR / "fixtures" / "site-courses"
# This process's copies, filled in when the run starts (pytest_configure).
_COPIES = Path(tempfile.mkdtemp(prefix="induction-tests-"))
SHIPPED_COURSES = _COPIES / "courses"  # the project's courses/ as it was at the start
SITE_COURSES = _COPIES / "site-courses"  # what `app` serves unless a test says otherwise
POSTGRES_URL = os.environ.get("DATABASE_URL", "")
USES_POSTGRES = POSTGRES_URL.startswith(("postgres://", "postgresql"))

# One hypothesis profile for every property test, loaded here so it applies everywhere. No
# deadline: on a busy machine a slow example is not a failure, and these tests check
# behaviour, not speed (speed is measured by the benchmark scripts).
settings.register_profile("induction", deadline=None, max_examples=100)
settings.load_profile("induction")

BASE_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "SESSION_COOKIE_SECURE": False,
    "COURSES_RELOAD_SECONDS": 0,
    # A cheap password hash keeps the suite fast; production uses the strong default.
    "PASSWORD_HASH_PROFILE": "test",
    # The render budget counts processor time, but a text still running at its wall-clock
    # guard (a few times the budget) is stopped: on a machine loaded by the parallel suite and
    # its browsers, a generous budget keeps that guard far away. The budget's tests set theirs.
    "COURSE_RENDER_SECONDS": 30,
    # Each app keeps the identity it read for the whole test, so a page costs the same
    # number of queries however long the test takes; the app that saves one forgets it.
    "IDENTITY_CACHE_SECONDS": 3600,
}


class ProjectCoursesRead(RuntimeError):
    """A test opened or listed the project's own courses/ instead of SHIPPED_COURSES."""


class SharedCoursesWritten(RuntimeError):
    """A test changed SITE_COURSES or SHIPPED_COURSES, which every later test relies on."""


# Audit events that change a file or folder, with the positions of the paths they change (a
# copy or link only writes its destination), and opens that may write.
_WRITE_EVENTS: dict[str, tuple[int, ...]] = {
    "os.rename": (0, 1),
    "shutil.move": (0, 1),
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.mkdir": (0,),
    "os.utime": (0,),
    "os.chmod": (0,),
    "os.truncate": (0,),
    "shutil.rmtree": (0,),
    "os.symlink": (1,),
    "os.link": (1,),
    "shutil.copyfile": (1,),
    "shutil.copytree": (1,),
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


_GUARDED_ROOTS = {os.path.abspath(PROJECT_COURSES), os.path.realpath(PROJECT_COURSES)}
_SHARED_COPIES = {
    form(copy)
    for copy in (SHIPPED_COURSES, SITE_COURSES)
    for form in (os.path.abspath, os.path.realpath)
}
_guarding = False


def _inside(path: str, roots: set[str]) -> bool:
    return any(path == root or path.startswith(root + os.sep) for root in roots)


def _full_paths(args: tuple[Any, ...], positions: tuple[int, ...]) -> list[str]:
    paths = []
    for target in (args[i] for i in positions if i < len(args)):
        if isinstance(target, str | bytes | os.PathLike):
            path = os.path.normpath(os.fsdecode(target))
            if os.path.isabs(path):  # a relative one is from a folder descriptor (rmtree)
                paths.append(path)
    return paths


def _written_paths(event: str, args: tuple[Any, ...]) -> list[str]:
    if event in _WRITE_EVENTS:
        return _full_paths(args, _WRITE_EVENTS[event])
    if event != "open" or len(args) < 3:
        return []
    mode, flags = args[1], args[2]
    if isinstance(mode, str):
        writes = any(char in mode for char in "wax+")
    else:
        writes = isinstance(flags, int) and bool(flags & _WRITE_FLAGS)
    return _full_paths(args, (0,)) if writes else []


def _refuse_project_courses(event: str, args: tuple[Any, ...]) -> None:
    """Audit hook: fail any open or listing of a path inside the project's courses/, and any
    change to the shared copies (SITE_COURSES, SHIPPED_COURSES) that every test relies on.
    """
    if not _guarding or not args:
        return
    if any(_inside(path, _SHARED_COPIES) for path in _written_paths(event, args)):
        raise SharedCoursesWritten(
            f"a test changed {args[0]!r} ({event}): edit a private copy (the `tree` fixture) "
            "instead, so no later test sees the change"
        )
    if event not in ("open", "os.listdir", "os.scandir"):
        return
    paths = _full_paths(args, (0,))
    if paths and _inside(paths[0], _GUARDED_ROOTS):
        raise ProjectCoursesRead(
            f"a test read {paths[0]}: read tests.conftest.SHIPPED_COURSES, the copy taken when "
            "the run started, so that editing a course during the run cannot change its result"
        )


def pytest_configure(config: pytest.Config) -> None:
    """Copy the courses once for this test process, then guard the project's own folder."""
    global _guarding
    shutil.copytree(PROJECT_COURSES, SHIPPED_COURSES, symlinks=True)
    shutil.copytree(FIXTURE_COURSES, SITE_COURSES, symlinks=True)
    config.add_cleanup(lambda: shutil.rmtree(_COPIES, ignore_errors=True))
    sys.addaudithook(_refuse_project_courses)  # hooks cannot be removed; the flag turns it off
    _guarding = True
    config.add_cleanup(_stop_guarding)


def _stop_guarding() -> None:
    global _guarding
    _guarding = False


class TestDatabase:
    """Where this test session's databases live and how to make a fresh one."""

    def __init__(self, tmp: Path, worker: str) -> None:
        self.tmp = tmp
        self.worker = worker
        # Unique per test run, so two runs on one server never share a schema.
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:8]
        self.schema = f"test_{run}_{re.sub(r'[^a-z0-9_]', '_', worker.lower())}"
        self.template = tmp / "template.sqlite"
        self._engine: sa.Engine | None = None  # PostgreSQL: one engine for the whole session
        self._emptying = ""  # PostgreSQL: the statements that empty every table

    def config(self, path: Path) -> dict[str, Any]:
        if USES_POSTGRES:
            return {
                "DATABASE_URL": POSTGRES_URL,
                "SQLALCHEMY_ENGINE_OPTIONS": {
                    "connect_args": {"options": f"-csearch_path={self.schema}"},
                },
            }
        return {"DATABASE_URL": f"sqlite:///{path}"}

    def prepare(self) -> None:
        """Create the tables once for the session."""
        if USES_POSTGRES:
            # One engine for the session, its connections in the schema it makes here.
            self._engine = sa.create_engine(
                _psycopg(POSTGRES_URL),
                connect_args={"options": f"-csearch_path={self.schema}"},
            )
            with self._engine.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
                conn.execute(sa.text(f'CREATE SCHEMA "{self.schema}"'))
                Base.metadata.create_all(conn)
            self._emptying = self._emptying_statements()
        else:
            engine = sa.create_engine(f"sqlite:///{self.template}")
            Base.metadata.create_all(engine)
            engine.dispose()

    def fresh(self, path: Path) -> dict[str, Any]:
        """Return config for an empty database of the full schema."""
        if USES_POSTGRES:
            assert self._engine is not None
            with self._engine.begin() as conn:
                conn.exec_driver_sql(self._emptying)
        else:
            shutil.copyfile(self.template, path)
        return self.config(path)

    def _emptying_statements(self) -> str:
        """Return the statements that empty every table and restart every id from 1.

        DELETE, children before parents, then each sequence set back: one round trip of a
        millisecond or two for the few rows a test writes, where TRUNCATE takes about 80 ms
        whatever the tables hold (it makes a new file for each of them).
        """
        assert self._engine is not None
        with self._engine.connect() as conn:
            sequences = conn.execute(
                sa.text(
                    "SELECT sequence_name FROM information_schema.sequences "
                    "WHERE sequence_schema = :schema ORDER BY sequence_name"
                ),
                {"schema": self.schema},
            ).scalars()
            restarts = [f"SELECT setval('\"{name}\"', 1, false)" for name in sequences]
        deletes = [f'DELETE FROM "{t.name}"' for t in reversed(Base.metadata.sorted_tables)]
        return "; ".join(deletes + restarts)

    def drop(self) -> None:
        if self._engine is not None:
            with self._engine.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
            self._engine.dispose()


def _psycopg(url: str) -> str:
    from induction.database import normalise_database_url

    return normalise_database_url(url)


@pytest.fixture(scope="session")
def test_database(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> Iterator[TestDatabase]:
    from induction import models  # noqa: F401  (every table on the metadata)

    database = TestDatabase(tmp_path_factory.mktemp("db"), worker_id)
    database.prepare()
    yield database
    database.drop()


class SharedTemplateCode(BytecodeCache):
    """Every app of this test process shares the templates' compiled code.

    Each test builds its own app, and each app its own Jinja environment, which would
    compile every template it draws again: about 30 ms a page, thousands of times a run.
    A template is compiled once per process instead; a changed source has another
    checksum, so it is compiled afresh.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = SharedTemplateCode()


def share_url_builders() -> None:
    """Let every app of this test process share the URL builders Werkzeug compiles.

    Each test builds its own app, and each app's url_map compiles two small Python
    functions per rule (`Rule._compile_builder`, through `ast` and `compile`): for the
    app's 700 rules, nine tenths of the time `create_app` takes, thousands of times a run.
    A builder depends only on the rule's text, its parsed parts and its defaults (it reads
    the rule's converters through its `self` argument when called), so one compiled for
    one app serves the same rule of every other. If Werkzeug's internals change, the
    builders are compiled as before.
    """
    compile_builder = getattr(Rule, "_compile_builder", None)
    if compile_builder is None or getattr(compile_builder, "shared", False):
        return
    builders: dict[tuple[Any, ...], Callable[..., Any]] = {}

    def shared_builder(rule: Rule, append_unknown: bool = True) -> Callable[..., Any]:
        defaults = sorted((name, repr(value)) for name, value in (rule.defaults or {}).items())
        key = (
            rule.rule,
            rule.host,
            rule.subdomain,
            tuple(rule._trace),
            tuple(defaults),
            append_unknown,
        )
        builder = builders.get(key)
        if builder is None:
            builder = builders[key] = compile_builder(rule, append_unknown)
        return builder

    shared_builder.shared = True  # type: ignore[attr-defined]
    Rule._compile_builder = shared_builder  # type: ignore[method-assign,assignment]


share_url_builders()


class SharedCompiledSQL(LRUCache):  # type: ignore[type-arg]
    """One cache of compiled SQL for every engine of this test process.

    Each test's app has its own engine, and an engine keeps the SQL it compiled in a cache
    of its own, keyed by its dialect object: every test would compile every statement it
    runs afresh, a fifth of the suite's time. Every engine of a run talks to the same kind
    of database (SQLite, or PostgreSQL on one server) with the same settings, so a
    statement compiled for one dialect object serves the others: here the key holds the
    dialect's class and the server's version instead of the object.
    """

    @staticmethod
    def _shared_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
        dialect = key[0]
        return (type(dialect), getattr(dialect, "server_version_info", None), *key[1:])

    def get(self, key: Any, default: Any = None) -> Any:
        return super().get(self._shared_key(key), default)

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(self._shared_key(key), value)


COMPILED_SQL = SharedCompiledSQL(5000)


@pytest.fixture
def app_factory(test_database: TestDatabase, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Return a function that builds an app on this test's fresh database.

    Keyword arguments override configuration. Every app it made is disposed at the end.
    """
    made: list[Flask] = []
    database_config = test_database.fresh(tmp_path / "test.sqlite")

    def make(**overrides: Any) -> Flask:
        config = {
            **BASE_CONFIG,
            **database_config,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "COURSES_DIR": str(SITE_COURSES),
            **overrides,
        }
        app = create_app(config)
        app.jinja_env.bytecode_cache = TEMPLATE_CODE
        with app.app_context():
            db.engine._compiled_cache = COMPILED_SQL
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(app_factory: Callable[..., Flask]) -> Flask:
    """An app with the test configuration on a fresh database."""
    return app_factory()


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A private copy of the fixture courses that a test may edit.

    Tests that edit course files override `app` with `app_factory(COURSES_DIR=str(tree))`.
    """
    target = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES, target)
    return target


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    """Run the test inside an app context (for services and models)."""
    with app.app_context():
        yield app


class QueryCounter:
    """Counts the SQL statements an engine runs while active."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.statements.append(statement)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], contextlib.AbstractContextManager[QueryCounter]]:
    """Return a context manager that counts the SQL statements run inside it."""

    @contextlib.contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", counter)

    return counting


from tests.factories import *  # noqa: E402,F403  (make_org, make_user, login_as, ...)
