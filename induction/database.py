"""The declarative base every model shares, column types, and database engine settings.

Models are typed SQLAlchemy 2 classes on one `Base` whose metadata carries a naming
convention, so Alembic migrations get stable constraint names on SQLite and PostgreSQL.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import select as selectors
from typing import Any, cast

from sqlalchemy import CursorResult, DateTime, MetaData, Result, Table, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The one declarative base of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """Return the table of a mapped class, typed as the Table it is."""
    return cast(Table, model.__table__)


def rows_changed(result: Result[Any]) -> int:
    """Return how many rows the UPDATE or DELETE that gave `result` changed."""
    return cast("CursorResult[Any]", result).rowcount or 0


def utcnow() -> dt.datetime:
    """Return the current time as an aware UTC datetime."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always read back as an aware UTC datetime.

    SQLite keeps no time zone, so values are written as naive UTC and given
    their zone back when read; PostgreSQL stores `timestamp with time zone`.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(
                "naive datetime given to a UTC column; use induction.database.utcnow()"
            )
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


# Whether the current request will write. On SQLite a request that writes takes the
# write lock when its transaction begins (BEGIN IMMEDIATE), so two workers never
# deadlock upgrading a read transaction into a write one ("database is locked").
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)

# Whether the current work is a web request that only reads (a GET of a view not marked
# as writing). On PostgreSQL its statements run without BEGIN and ROLLBACK (each is its
# own transaction, as at READ COMMITTED each already sees its own snapshot): two round
# trips fewer on every page. Outside requests (commands, tests) it is always False.
read_only_request: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "read_only_request", default=False
)


def normalise_database_url(url: str) -> str:
    """Return `url` with PostgreSQL URLs pointed at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Set WAL mode, full sync, foreign keys and a busy timeout on every SQLite connection."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below start transactions, not the driver.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


def configure_postgresql(engine: Engine, *, check_liveness: bool) -> None:
    """On each checkout from the pool: refuse a connection the server has closed (when
    `check_liveness`), and run a read-only request's statements without a transaction.

    The liveness check asks the operating system, not the server: an idle connection
    whose socket has something to read (the server's goodbye, or a reset) is dead. It
    costs no round trip, unlike `pool_pre_ping`; the pool replaces a refused connection
    with a new one (DisconnectionError), so a restarted database is reconnected to
    without errors.
    """

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if check_liveness and not _looks_alive(dbapi_connection):
            raise DisconnectionError("the server closed this connection")
        autocommit = read_only_request.get()
        if dbapi_connection.autocommit != autocommit:
            dbapi_connection.autocommit = autocommit


def _looks_alive(dbapi_connection: Any) -> bool:
    """Return False when a psycopg connection is closed, broken, or has unread input."""
    if dbapi_connection.closed or dbapi_connection.broken:
        return False
    try:
        readable, _, _ = selectors.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable
