"""Real server processes for the reliability tests: a database, gunicorn masters, their logs.

A cluster is one database (a new SQLite file, or a private PostgreSQL schema when
DATABASE_URL points at PostgreSQL) migrated with `flask db upgrade`, served by one or
more gunicorn processes, each with its own workers and port: two processes stand in
for two hosts behind a load balancer. Everything is configured through `INDUCTION_*`
environment variables in production mode (ENV "production", Argon2id at full
strength, secure cookies, one trusted reverse proxy), and rate-limit counters live in
Redis when it answers. Traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask

from induction import create_app
from induction.extensions import db
from tests.processes import (
    PROJECT_ROOT,
    Database,
    Server,
    environment,
    flask_command,
    postgres_url,
)

__all__ = [
    "PROJECT_ROOT",
    "Cluster",
    "Database",
    "Server",
    "environment",
    "flask_command",
    "postgres_url",
]

SITE_COURSES = PROJECT_ROOT / "tests" / "fixtures" / "site-courses"
SECRET_KEY = "reliability-tests-secret-key-not-for-production"
PASSWORD = "a long and unguessable passphrase for the load"  # noqa: S105 - test data
REDIS_URL = "redis://127.0.0.1:6379/9"

# Lines that must never appear in a server's log.
DATABASE_LOCKED = "database is locked"
TRACEBACK = "Traceback (most recent call last)"


def redis_available(url: str = REDIS_URL) -> bool:
    """Return True when a Redis server answers at `url` within a second."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        return False


def redis_required() -> bool:
    """Return True where a missing Redis is a failure, not a skip (CI sets this)."""
    return os.environ.get("INDUCTION_REQUIRE_REDIS") == "1"


@dataclass
class Cluster:
    """A database, its configuration, and the gunicorn processes serving it."""

    folder: Path
    database: Database
    config: dict[str, Any]
    uses_redis: bool
    servers: list[Server] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        return environment(self.config)

    def add_servers(
        self, count: int = 1, workers: int = 2, config: dict[str, Any] | None = None
    ) -> list[Server]:
        """Start `count` more gunicorn processes on the database (with `config` on top).

        They start side by side; returns them once every one is ready.
        """
        started = []
        for _ in range(count):
            name = f"server-{len(self.servers) + 1}"
            server = Server(
                env=environment({**self.config, **(config or {})}),
                log_path=self.folder / f"{name}.log",
                workers=workers,
            )
            self.servers.append(server)
            server.start(wait=False)
            started.append(server)
        for server in started:
            server.wait_ready()
        return started

    @contextlib.contextmanager
    def app(self) -> Iterator[Flask]:
        """Yield an app of this cluster inside its app context, to seed and inspect the data."""
        app = create_app(dict(self.config))
        try:
            with app.app_context():
                yield app
                db.session.remove()
        finally:
            with app.app_context():
                db.engine.dispose()

    def logs(self) -> str:
        """Return every server's log, one after the other."""
        return "\n".join(server.log_text() for server in self.servers)

    def assert_clean_logs(self) -> None:
        """Fail when a server logged "database is locked" or a stack trace."""
        text = self.logs()
        assert DATABASE_LOCKED not in text, _around(text, DATABASE_LOCKED)
        assert TRACEBACK not in text, _around(text, TRACEBACK)

    def stop(self) -> None:
        """Stop every server and drop the database."""
        for server in self.servers:
            server.terminate()
        for server in self.servers:
            server.stop()
        self.database.drop()


def _around(text: str, needle: str, lines: int = 30) -> str:
    all_lines = text.splitlines()
    for number, line in enumerate(all_lines):
        if needle in line:
            return "\n".join(all_lines[max(0, number - lines) : number + lines])
    return ""


def make_cluster(folder: Path, *, database_url: str | None = None, **config: Any) -> Cluster:
    """Create a database, migrate it with `flask db upgrade`, and return its (serverless) cluster.

    `database_url` makes the servers reach the database by another address (through a
    proxy, say); `config` adds or overrides configuration keys.
    """
    folder.mkdir(parents=True, exist_ok=True)
    database = Database.create(folder, "reliability")
    uses_redis = redis_available()
    base: dict[str, Any] = {
        "ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "INSTANCE_PATH": str(folder / "instance"),
        "COURSES_DIR": str(SITE_COURSES),
        "TRUSTED_PROXIES": 1,
        "BASE_URL": "https://learn.example.org",
        "MAIL_FROM": "induction@learn.example.org",
        # The tests reach the hosts by their loopback address.
        "TRUSTED_HOSTS": ["learn.example.org", "127.0.0.1"],
        "RATELIMIT_STORAGE_URI": REDIS_URL if uses_redis else "memory://",
        # Runs on one Redis must not count each other's attempts.
        "RATELIMIT_KEY_PREFIX": f"reliability-{uuid.uuid4().hex[:12]}",
    }
    cluster = Cluster(
        folder=folder,
        database=database,
        config={**base, **database.config(database_url), **config},
        uses_redis=uses_redis,
    )
    try:
        flask_command(environment({**base, **database.config(), **config}), "db", "upgrade")
    except BaseException:
        database.drop()
        raise
    return cluster
