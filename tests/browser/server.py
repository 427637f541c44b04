"""The app in a real server process for the browser tests: a fresh database, gunicorn, a log.

The database is a new SQLite file, or, when DATABASE_URL points at PostgreSQL, a
private schema made for this run and dropped afterwards. It is migrated with
`flask db upgrade`, exactly as a deployment would be. The server is gunicorn with two
sync workers on a free loopback port, configured only through `INDUCTION_*`
environment variables.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from induction.database import normalise_database_url

PROJECT_ROOT = Path(__file__).resolve().parents[2]
COURSES_DIR = PROJECT_ROOT / "courses"
SECRET_KEY = "browser-tests-secret-key-not-for-production"


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql")) else None


@dataclass
class Database:
    """A fresh database for one test session: a SQLite file or a private PostgreSQL schema."""

    url: str
    schema: str | None = None

    @classmethod
    def create(cls, tmp: Path) -> Database:
        """Return a new empty database (a schema is created on PostgreSQL)."""
        postgres = _postgres_url()
        if postgres is None:
            return cls(url=f"sqlite:///{tmp / 'induction.sqlite'}")
        # Unique per run and per xdist worker, so parallel runs never share a schema.
        schema = f"browser_{uuid.uuid4().hex[:12]}"
        engine = sa.create_engine(normalise_database_url(postgres))
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        return cls(url=postgres, schema=schema)

    @property
    def engine_options(self) -> dict[str, Any]:
        """Return the engine options that put every connection in the private schema."""
        if self.schema is None:
            return {}
        return {"connect_args": {"options": f"-csearch_path={self.schema}"}, "pool_pre_ping": True}

    def config(self) -> dict[str, Any]:
        """Return the app configuration that points at this database."""
        config: dict[str, Any] = {"DATABASE_URL": self.url}
        if self.engine_options:
            config["SQLALCHEMY_ENGINE_OPTIONS"] = self.engine_options
        return config

    def drop(self) -> None:
        """Remove the PostgreSQL schema (the SQLite file goes with the temporary folder)."""
        if self.schema is None:
            return
        engine = sa.create_engine(normalise_database_url(self.url))
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
        engine.dispose()


def copy_courses(tmp: Path) -> Path:
    """Return a private copy of the project's courses (authoring pages may write to it)."""
    target = tmp / "courses"
    shutil.copytree(COURSES_DIR, target)
    return target


def app_config(database: Database, instance: Path, courses: Path, base_url: str) -> dict[str, Any]:
    """Return the configuration shared by the server and the app that seeds its data."""
    return {
        "SECRET_KEY": SECRET_KEY,
        "ENV": "browser-tests",  # not "production": the cheap test password hash is allowed
        "PASSWORD_HASH_PROFILE": "test",
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "COURSES_DIR": str(courses),
        "BASE_URL": base_url,
        "INSTANCE_PATH": str(instance),
        **database.config(),
    }


def environment(config: dict[str, Any]) -> dict[str, str]:
    """Return the process environment that gives a server process `config`.

    Every value is written as JSON, which the app's prefixed-environment layer reads
    back as the same value; the instance path is read raw by the app factory.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("INDUCTION_") and key != "DATABASE_URL"
    }
    env.update({f"INDUCTION_{key}": json.dumps(value) for key, value in config.items()})
    env["INDUCTION_INSTANCE_PATH"] = str(config["INSTANCE_PATH"])
    env["PYTHONUNBUFFERED"] = "1"
    return env


def free_port() -> int:
    """Return a loopback port that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def migrate(env: dict[str, str]) -> None:
    """Run `flask db upgrade` on the database of `env`; raise RuntimeError with its output."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "flask", "--app", "induction", "db", "upgrade"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask db upgrade failed:\n{done.stdout}\n{done.stderr}")


@dataclass
class LiveServer:
    """gunicorn serving the app on a loopback port, its output in a log file."""

    env: dict[str, str]
    port: int
    log_path: Path
    workers: int = 2
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """Return the server's address."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        """Start the server and wait until /healthz answers; raise RuntimeError if it never does."""
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "60",
            "--access-logfile",
            "-",
            "--error-logfile",
            "-",
            "wsgi:app",
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command, cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at start-up:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer within {timeout} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server (politely, then firmly)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def log_size(self) -> int:
        """Return how many bytes the server has logged so far."""
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def log_tail(self, lines: int = 200) -> str:
        """Return the end of the server's log, without the access lines of static files."""
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log)"
        kept = [line for line in text.splitlines() if not re.search(r'"GET /static/', line)]
        return "\n".join(kept[-lines:])
