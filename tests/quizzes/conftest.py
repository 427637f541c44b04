"""Fixtures of the quiz tests: private copies of the fixture course trees that a test may edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_COURSES, TESTS_DIR

QUIZ_COURSES = TESTS_DIR / "fixtures" / "quiz-courses"


@pytest.fixture
def site_tree(tmp_path: Path) -> Path:
    """A private copy of the site fixture courses that a test may edit."""
    target = tmp_path / "site-courses"
    shutil.copytree(FIXTURE_COURSES, target)
    return target


@pytest.fixture
def quiz_tree(tmp_path: Path) -> Path:
    """A private copy of the quiz fixture courses that a test may edit."""
    target = tmp_path / "quiz-courses"
    shutil.copytree(QUIZ_COURSES, target)
    return target
