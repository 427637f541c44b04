"""What the suites that run the app in real server processes share.

A fresh database (a new SQLite file, or a private schema on the PostgreSQL server of
DATABASE_URL, dropped afterwards), a free loopback port, the process environment
that configures the app only through `INDUCTION_*` variables, `flask` commands, and
gunicorn with the project's production settings (gunicorn.conf.py). The browser tests, the
reliability tests and the benchmark build on these.
"""

from __future__ import annotations

import json
import os
import signal
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

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def postgres_url() -> str | None:
    """Return the PostgreSQL URL the suite runs on (DATABASE_URL), or None on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql")) else None


@dataclass
class Database:
    """A fresh database: a SQLite file, or a private schema on a PostgreSQL server."""

    url: str
    schema: str | None = None

    @classmethod
    def create(cls, folder: Path, prefix: str, postgres: str | None = None) -> Database:
        """Return a new empty database: on PostgreSQL (`postgres`, else DATABASE_URL) a
        schema named `prefix` and a random suffix, otherwise an SQLite file in `folder`.
        """
        postgres = postgres or postgres_url()
        if postgres is None:
            return cls(url=f"sqlite:///{folder / f'{prefix}.sqlite'}")
        # Unique per run and per xdist worker, so parallel runs never share a schema.
        schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
        engine = sa.create_engine(normalise_database_url(postgres))
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        return cls(url=postgres, schema=schema)

    @property
    def is_postgres(self) -> bool:
        """Return True for a PostgreSQL schema."""
        return self.schema is not None

    @property
    def engine_options(self) -> dict[str, Any]:
        """Return the engine options that put every connection in the private schema."""
        if self.schema is None:
            return {}
        return {"connect_args": {"options": f"-csearch_path={self.schema}"}}

    def engine(self) -> sa.Engine:
        """Return a new engine on this database (in its schema); dispose of it after use."""
        return sa.create_engine(normalise_database_url(self.url), **self.engine_options)

    def config(self, url: str | None = None) -> dict[str, Any]:
        """Return the app configuration that points at this database (through `url` if given)."""
        config: dict[str, Any] = {"DATABASE_URL": url or self.url}
        if self.engine_options:
            config["SQLALCHEMY_ENGINE_OPTIONS"] = self.engine_options
        return config

    def drop(self) -> None:
        """Remove the PostgreSQL schema (a SQLite file goes with its temporary folder)."""
        if self.schema is None:
            return
        engine = sa.create_engine(normalise_database_url(self.url))
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
        engine.dispose()


def free_port() -> int:
    """Return a loopback port that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(config: dict[str, Any]) -> dict[str, str]:
    """Return a process environment that gives the app `config`, and nothing else of ours.

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


def flask_command(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    """Run `flask --app induction ARGS` with `env`; return its output, raise on failure."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "flask", "--app", "induction", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclass
class Server:
    """One gunicorn master (a "host") with its sync workers on a loopback port."""

    env: dict[str, str]
    log_path: Path
    workers: int = 2
    port: int = field(default_factory=free_port)
    app: str = "wsgi:app"  # the WSGI app gunicorn serves (module:variable)
    ready_path: str = "/healthz"  # answers 200 once the app is up
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0, *, wait: bool = True) -> None:
        """Start gunicorn and (unless `wait` is False) wait until it is ready (see wait_ready)."""
        command = [
            sys.executable, "-m", "gunicorn",
            "--config", str(PROJECT_ROOT / "gunicorn.conf.py"),
            "--workers", str(self.workers),
            "--bind", f"127.0.0.1:{self.port}",
            "--graceful-timeout", "5",
            self.app,
        ]  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command, cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        if wait:
            self.wait_ready(timeout)

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Wait until all workers run and the ready path answers 200; raise RuntimeError if not."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start-up:\n{self.log_tail()}")
            if len(self.worker_pids()) == self.workers and self._healthy():
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not come up within {timeout} s:\n{self.log_tail()}")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}{self.ready_path}", timeout=5) as response:  # noqa: S310 - loopback
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def worker_pids(self) -> list[int]:
        """Return the process ids of this master's workers (its children, read from /proc)."""
        if self.process is None:
            return []
        master = self.process.pid
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name may hold spaces or parentheses: fields follow the last ')'.
            fields = stat.rpartition(")")[2].split()
            if len(fields) > 1 and int(fields[1]) == master and fields[0] != "Z":
                pids.append(int(entry.name))
        return sorted(pids)

    def kill_worker(self, pid: int) -> bool:
        """SIGKILL one of this master's workers; return False if it had already gone."""
        if pid not in self.worker_pids():
            return False
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def terminate(self) -> None:
        """Tell gunicorn to stop now (SIGINT: a quick shutdown; the tests' requests are done)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)

    def stop(self) -> None:
        """Stop gunicorn (quickly, then firmly) and wait until it has."""
        if self.process is None or self.process.poll() is not None:
            return
        self.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def log_text(self) -> str:
        """Return everything the server has logged so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_size(self) -> int:
        """Return how many bytes the server has logged so far."""
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def log_tail(self, lines: int = 80) -> str:
        """Return the end of the server's log, without the access lines of static files."""
        kept = [line for line in self.log_text().splitlines() if '"GET /static/' not in line]
        return "\n".join(kept[-lines:])
