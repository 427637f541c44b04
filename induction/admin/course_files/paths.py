"""Safe paths inside a course folder: every file or folder named in a URL or a form comes here.

A path is relative to its course folder, written with forward slashes. It is
refused when it is empty, absolute, holds a backslash, a NUL, an empty part,
`.` or `..`, or a part starting with `.` (hidden files such as `.git` are never
read or written), or when it is not safely inside COURSES_DIR/<course folder>
(`induction.content.tree.inside_course`: no symbolic link on the way). Names
given for new files and folders are stricter: only letters, digits, `.`, `_`
and `-`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from induction.content.tree import inside_course, is_ignored

NEW_NAME = re.compile(r"[A-Za-z0-9._-]+")
MAX_NAME_LENGTH = 100


class PathRefused(ValueError):
    """A path that is not allowed; the message says why, in words for the person."""


@dataclass(frozen=True)
class CourseFolder:
    """One course folder under the courses folder (`root`), named `name`."""

    root: Path
    name: str

    @property
    def path(self) -> Path:
        """The folder itself."""
        return self.root / self.name

    def display(self, relative: str) -> str:
        """Return a path relative to the courses folder, as problems name files."""
        return f"{self.name}/{relative}" if relative else self.name


def split_relative(relative: str) -> tuple[str, ...]:
    """Return the parts of a course-relative path; raise PathRefused for anything unsafe."""
    if not isinstance(relative, str) or not relative:
        raise PathRefused("no file was named")
    if "\x00" in relative or "\\" in relative:
        raise PathRefused("a file name cannot hold a backslash or a NUL character")
    if relative.startswith("/") or re.match(r"[A-Za-z]:", relative):
        raise PathRefused("give a path inside the course folder, not an absolute path")
    parts = tuple(relative.split("/"))
    for part in parts:
        if part in ("", ".", ".."):
            raise PathRefused("a path cannot hold '..', '.' or an empty part")
        if part.startswith("."):
            raise PathRefused("hidden files (names starting with '.') cannot be opened here")
    return parts


def open_course(root: Path, name: str) -> CourseFolder:
    """Return the course folder `name` under `root`.

    Raises PathRefused when the name is unsafe, is not a course folder (ignored
    names included) or leads outside `root`.
    """
    parts = split_relative(name)
    if len(parts) != 1 or is_ignored(name):
        raise PathRefused(f"'{name}' is not a course folder")
    folder = CourseFolder(root, name)
    if not folder.path.is_dir() or not inside_course(root, folder.path):
        raise PathRefused(f"there is no course folder '{name}'")
    return folder


def resolve(folder: CourseFolder, relative: str) -> Path:
    """Return the absolute path of `relative` inside `folder` (it need not exist).

    Raises PathRefused when the path is unsafe, goes through a symbolic link or
    leads outside the course folder.
    """
    parts = split_relative(relative)
    target = folder.path.joinpath(*parts)
    if not inside_course(folder.path, target):
        raise PathRefused(
            "that path is a symbolic link or leads outside the course folder, "
            "which is never opened here"
        )
    return target


def check_new_name(name: str, what: str = "name") -> str:
    """Return `name` (trimmed) when it is a safe name for a new file or folder.

    Raises PathRefused saying what to change otherwise.
    """
    name = (name or "").strip()
    if not name:
        raise PathRefused(f"enter a {what}")
    if len(name) > MAX_NAME_LENGTH:
        raise PathRefused(f"the {what} is too long: use at most {MAX_NAME_LENGTH} characters")
    if NEW_NAME.fullmatch(name) is None:
        raise PathRefused(
            f"the {what} may hold only letters, digits, '.', '_' and '-' (no spaces or slashes)"
        )
    if name.startswith((".", "-")) or name in (".", ".."):
        raise PathRefused(f"the {what} cannot start with '.' or '-'")
    return name
