"""Fixtures for the content core's tests."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.content.helpers import COURSE_MD, MODULE_MD, MakeTree


@pytest.fixture
def make_tree(tmp_path: Path) -> MakeTree:
    """Return a factory that writes files (relative path -> text or bytes) under a new root.

    Paths under `course/` get a default course.md and `course/01-module/` a default
    module.md unless the files given include their own.
    """

    def make(files: Mapping[str, str | bytes]) -> Path:
        root = tmp_path / "courses"
        defaults: dict[str, str | bytes] = {}
        if any(path.startswith("course/") for path in files):
            defaults["course/course.md"] = COURSE_MD
        if any(path.startswith("course/01-module/") for path in files):
            defaults["course/01-module/module.md"] = MODULE_MD
        for relative, content in {**defaults, **files}.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="")
        return root

    return make
