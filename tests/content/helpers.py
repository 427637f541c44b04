"""Helpers for the content core's tests: where the fixture trees are, small file builders."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from induction.content.model import Problem, Severity
from tests.conftest import SHIPPED_COURSES

TESTS_DIR = Path(__file__).resolve().parent.parent
FIXTURES = TESTS_DIR / "fixtures" / "courses"
VALID_TREE = FIXTURES / "valid"
BROKEN_TREE = FIXTURES / "broken"
SAMPLE_COURSE = SHIPPED_COURSES / "02-getting-started"

COURSE_MD = "---\ntitle: A course\nsummary: A course for a test.\n---\n\nWelcome.\n"
MODULE_MD = "---\ntitle: A module\nsummary: A module for a test.\n---\n"

MakeTree = Callable[[Mapping[str, str | bytes]], Path]


def lesson(title: str = "A lesson", body: str = "Some text.", **keys: str) -> str:
    """Return the text of a lesson file with `title`, extra front matter `keys` and `body`."""
    extra = "".join(f"{key}: {value}\n" for key, value in keys.items())
    return f"---\ntitle: {title}\n{extra}---\n\n{body}\n"


def errors(problems: tuple[Problem, ...] | list[Problem]) -> list[Problem]:
    """Return only the errors."""
    return [p for p in problems if p.severity is Severity.ERROR]


def warnings(problems: tuple[Problem, ...] | list[Problem]) -> list[Problem]:
    """Return only the warnings."""
    return [p for p in problems if p.severity is Severity.WARNING]


def formatted(problems: tuple[Problem, ...] | list[Problem]) -> list[str]:
    """Return the problems as `path:line: message` lines (readable assertion output)."""
    return [p.format() for p in problems]
