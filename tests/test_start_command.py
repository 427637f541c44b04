"""The start command's output: the few lines a newcomer needs, the details only when asked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_start(tmp_path: Path, *options: str) -> str:
    env = {
        **os.environ,
        "INDUCTION_DATABASE_URL": f"sqlite:///{tmp_path / 'start.sqlite'}",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "flask", "--app", "induction", "start", "--no-serve", *options],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


@pytest.mark.parametrize("verbose", [False, True])
def test_start_shows_migration_steps_only_when_asked(tmp_path: Path, verbose: bool) -> None:
    output = run_start(tmp_path, *(["--verbose"] if verbose else []))
    assert "Database is up to date." in output
    assert "loaded getting-started: Getting started with induction" in output
    assert "one-time link" in output
    if verbose:
        assert "Running upgrade" in output
    else:
        assert "INFO" not in output and "alembic" not in output


def test_start_prints_the_link_with_the_chosen_port(tmp_path: Path) -> None:
    output = run_start(tmp_path, "--port", "8123")
    assert "http://localhost:8123/setup/" in output
