"""Checking a change before it is made: apply it to a temporary copy of the course, then check.

The copy holds the course's Markdown files (copied) and, for each media file, an
empty file of the same name (a check needs only the names), so checking is cheap
even with large images. A symbolic link is never followed or copied: the copy gets
a link to nowhere in its place, so the check reports it as it does on disk. The
check is the one `flask --app induction courses check` runs, with the app's own
renderer so the preview shows the app's real links.

A change is refused when the checked copy has an error in a file the change
writes, or more errors in any other file than the course has now. So a valid
course stays valid, and a course already broken by files copied in from outside
can still be mended one file at a time.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from induction.admin.course_files.changes import Change, apply_change
from induction.admin.course_files.paths import CourseFolder
from induction.content import Renderer, load_library
from induction.content.check import round_trip_problems
from induction.content.loader import sort_problems
from induction.content.model import Course, Library, Problem, Severity
from induction.content.tree import MEDIA_DIR, inside_course

_NOWHERE = "refused-symbolic-link"  # what a link in the course becomes in the copy


@dataclass(frozen=True)
class Checked:
    """The result of checking a course with a change applied.

    Problem paths are relative to the courses folder (like `basics/course.md`).
    `blocking` holds the errors that refuse the change (empty: it may be made).
    """

    problems: tuple[Problem, ...]
    blocking: tuple[Problem, ...]
    course: Course | None  # the changed course, when it loads without errors
    library: Library

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Every error of the changed course (warnings left out)."""
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)


def _copy_course(source: Path, target: Path) -> None:
    for current, dirs, files in os.walk(source):
        relative = Path(current).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        in_media = relative.parts[:1] == (MEDIA_DIR,)
        # Ignored names (drafts, .git) play no part in a check.
        names = [d for d in dirs if not d.startswith((".", "_"))]
        dirs[:] = [d for d in names if inside_course(source, Path(current, d))]
        for name in [*(set(names) - set(dirs)), *files]:
            if name.startswith((".", "_")):
                continue
            from_path, to_path = Path(current, name), target / relative / name
            if not inside_course(source, from_path):
                os.symlink(_NOWHERE, to_path)
            elif in_media:
                to_path.touch()
            else:
                shutil.copyfile(from_path, to_path)


def _load(root: Path, renderer: Renderer | None) -> tuple[Library, tuple[Problem, ...]]:
    library = load_library(root, renderer=renderer)
    problems = [*library.problems, *round_trip_problems(root)]
    return library, sort_problems(problems)


def _checked_copy(
    folder: CourseFolder, change: Change, renderer: Renderer | None
) -> tuple[Library, tuple[Problem, ...]]:
    with tempfile.TemporaryDirectory(prefix="induction-check-") as temporary:
        root = Path(temporary)
        _copy_course(folder.path, root / folder.name)
        apply_change(root / folder.name, change, durable=False)
        return _load(root, renderer)


def check_change(folder: CourseFolder, change: Change, renderer: Renderer | None) -> Checked:
    """Return the problems of the course with `change` applied, and those that refuse it.

    Raises OSError when the course cannot be copied or the change cannot be
    applied to the copy (for example a rename onto an existing name).
    """
    library, problems = _checked_copy(folder, change, renderer)
    course = library.courses[0] if library.courses else None

    def current() -> tuple[Problem, ...]:
        return _checked_copy(folder, Change(), renderer)[1]

    blocking = blocking_problems(folder, change, problems, current)
    return Checked(problems, blocking, course, library)


def blocking_problems(
    folder: CourseFolder,
    change: Change,
    problems: tuple[Problem, ...],
    current: Callable[[], tuple[Problem, ...]],
) -> tuple[Problem, ...]:
    """Return the errors in `problems` that refuse `change` (see the module docstring).

    `current` returns the problems of the course as it is now; it is only called
    when there are errors to compare.
    """
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if not errors:
        return ()
    touched = {folder.display(path) for path in change.touched()}

    def is_touched(path: str) -> bool:
        return any(path == t or path.startswith(t + "/") for t in touched)

    before = Counter(p.path for p in current() if p.severity is Severity.ERROR)
    after = Counter(p.path for p in errors)
    return tuple(p for p in errors if is_touched(p.path) or after[p.path] > before[p.path])


def check_tree(root: Path, renderer: Renderer | None) -> tuple[Library, tuple[Problem, ...]]:
    """Return the library loaded from a courses folder and every problem `courses check` finds."""
    return _load(root, renderer)
