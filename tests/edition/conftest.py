"""Fixtures of the tests of scenarios, questions for one audience, reflections and council notes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from tests.conftest import TESTS_DIR
from tests.content.conftest import make_tree  # noqa: F401  (the tree factory, for syntax tests)

EDITION_COURSES = TESTS_DIR / "fixtures" / "edition-courses"
QUIZ = "/courses/edition/modules/values/quiz"
LESSON = "/courses/edition/lessons/in-practice"


@pytest.fixture
def app(app_factory: Callable[..., Flask]) -> Flask:
    """An app that serves the edition fixture course."""
    return app_factory(COURSES_DIR=str(EDITION_COURSES))
