"""The code keeps its own rules: one-way imports between features, ruff's checks and types."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -r requirements/test.txt")
    return found


def test_feature_imports_point_one_way_and_the_core_stays_pure():
    result = subprocess.run(
        [_tool("lint-imports")], cwd=PROJECT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing():
    result = subprocess.run(
        [_tool("ruff"), "check", "--output-format", "concise", "induction", "tests", "wsgi.py"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    """Types are checked (the settings in pyproject.toml: strict on the pure modules)."""
    result = subprocess.run(
        [_tool("mypy"), "--no-error-summary"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
