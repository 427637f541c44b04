"""The app in a real server process for the browser tests: a fresh database, gunicorn, a log.

The database is a new SQLite file, or, when DATABASE_URL points at PostgreSQL, a
private schema made for this run and dropped afterwards. It is migrated with
`flask db upgrade`, exactly as a deployment would be. The server is gunicorn with two
sync workers on a free loopback port, configured only through `INDUCTION_*`
environment variables.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from tests.conftest import SHIPPED_COURSES
from tests.processes import PROJECT_ROOT, Database, Server, environment, flask_command, free_port

__all__ = ["PROJECT_ROOT", "Database", "Server", "environment", "free_port", "migrate"]

SECRET_KEY = "browser-tests-secret-key-not-for-production"


def copy_courses(tmp: Path) -> Path:
    """Return a private copy of the project's courses, taken from the copy made when the run
    started (authoring pages may write to it)."""
    target = tmp / "courses"
    shutil.copytree(SHIPPED_COURSES, target, symlinks=True)
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


def migrate(env: dict[str, str]) -> None:
    """Run `flask db upgrade` on the database of `env`; raise RuntimeError with its output."""
    flask_command(env, "db", "upgrade")
