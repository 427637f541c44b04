"""Profile signed-in pages in one process: where a lesson page and My learning spend their time.

    python -m tests.benchmarks.profile_pages
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python -m tests.benchmarks.profile_pages

It makes a fresh database (as the benchmark does, but small: the pages' cost does not
grow with the number of people), fills it with demo data, signs a learner in through
a real session record, and runs each page (and, to compare, the signed-out accessibility
statement, which asks the database nothing) `--requests` times through the app's WSGI
interface under cProfile, with the production configuration. It prints, per page, the
functions that take most time (own time and cumulative), and the mean time per request.

It is not part of the test suite: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tests.benchmarks.run import PASSWORD, _analyze, _config, _lesson_path
from tests.processes import Database, environment, flask_command, postgres_url


def _signed_in_client(config: dict[str, Any]):
    """Return the app and a test client signed in as a learner, through a real session."""
    from induction import create_app
    from induction.accounts import sessions
    from induction.accounts.models import User
    from induction.extensions import db

    app = create_app(dict(config))
    with app.test_request_context(base_url="https://127.0.0.1"):
        user = db.session.scalar(
            sa.select(User).where(User.role == "learner").order_by(User.id).limit(1)
        )
        token = sessions.start_session(user)
        user_id, audience = user.id, user.audience
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    with client.session_transaction(base_url="https://127.0.0.1") as session:
        session[sessions.SESSION_KEY] = token
        session["_user_id"] = str(user_id)
        session["_fresh"] = False
    return app, client, audience


def plain_time(client: Any, path: str, requests: int) -> float:
    """Return the mean milliseconds per request for `path`, without the profiler."""
    for _ in range(20):  # warm caches: templates, rendered lessons, connections
        reply = client.get(path, base_url="https://127.0.0.1")
        assert reply.status_code == 200, (path, reply.status_code)
    started = time.perf_counter()
    for _ in range(requests):
        client.get(path, base_url="https://127.0.0.1")
    return (time.perf_counter() - started) / requests * 1000


def profile(client: Any, path: str, requests: int, top: int) -> tuple[float, str]:
    """Return the mean milliseconds per request for `path` under cProfile, and the top
    of its profile (call plain_time first: it warms the caches)."""
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        client.get(path, base_url="https://127.0.0.1")
    profiler.disable()
    elapsed = time.perf_counter() - started
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    out.write(_by_package(stats, requests))
    stats.strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return elapsed / requests * 1000, out.getvalue()


def _package(filename: str) -> str:
    """Return the package a profiled function belongs to ('induction.web', 'sqlalchemy', ...)."""
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    if "/induction/" in filename:
        parts = filename.split("/induction/", 1)[1].split("/")
        return "induction." + parts[0].removesuffix(".py") if len(parts) > 1 else "induction"
    if filename.endswith(".html"):
        return "templates"
    return "python" if filename.startswith(("<", "/usr", "/root")) else filename


def _by_package(stats: pstats.Stats, requests: int) -> str:
    """Return own time per package, in milliseconds per request, biggest first."""
    totals: dict[str, float] = {}
    for (filename, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
        totals[_package(filename)] = totals.get(_package(filename), 0.0) + row[2]
    lines = ["Own time per package (ms per request, under the profiler):"]
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1])[:15]:
        lines.append(f"  {name:<28} {seconds / requests * 1000:6.2f}")
    return "\n".join(lines) + "\n\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Profile the pages; return the process exit status."""
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.profile_pages")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default=None)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="induction-profile-") as tmp:
        folder = Path(tmp)
        if args.database == "sqlite" or postgres_url() is None:
            database = Database(url=f"sqlite:///{folder / 'profile.sqlite'}")
        else:
            database = Database.create(folder, "profile")
        try:
            config = _config(database, folder)
            env = environment(config)
            flask_command(env, "db", "upgrade")
            flask_command(
                env, "demo-data", "--organisations", "4", "--people", str(args.people),
                "--big-organisation", str(args.people // 2), "--password", PASSWORD,
                "--seed", "1", timeout=600,
            )  # fmt: skip
            _analyze(database)
            _app, client, audience = _signed_in_client(config)
            from tests.benchmarks.hello import app as hello

            hello_ms = plain_time(hello.test_client(), "/", args.requests)
            print(f"=== hello-world Flask app: {hello_ms:.2f} ms per request in-process ===\n")
            # The signed-out accessibility statement: a page with no database, to compare.
            pages = [
                ("accessibility statement, signed out", _app.test_client(), "/accessibility"),
                ("lesson page", client, _lesson_path(config, audience)),
                ("My learning", client, "/"),
            ]
            for name, visitor, path in pages:
                plain = plain_time(visitor, path, args.requests)
                mean, text = profile(visitor, path, args.requests, args.top)
                print(
                    f"=== {name} ({path}): {plain:.2f} ms per request in-process "
                    f"({plain / hello_ms:.1f} times hello-world); {mean:.2f} ms under the "
                    "profiler ==="
                )
                print(text)
        finally:
            database.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
