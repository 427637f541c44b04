"""Reading a course file's front matter for the pages, and changing keys through the writer.

Titles on the authoring pages come from the files' own front matter (`title:`), so
authors see "Module: The co-operative difference", not `01-co-operative-difference`.
Changing a title or a module's audiences rewrites only the front matter block, in the
canonical form of `induction.content.writer` (comments kept); the body stays byte for
byte, and so do the file's byte-order mark and line ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from induction.admin.course_files.changes import Change, read_bytes
from induction.admin.course_files.edits import EditRefused
from induction.admin.course_files.listing import CourseItems
from induction.admin.course_files.paths import CourseFolder, resolve
from induction.content.document import Document, parse_source
from induction.content.frontmatter import split
from induction.content.model import AUDIENCES
from induction.content.schema import read_values
from induction.content.source import DecodeError, decode
from induction.content.tree import COURSE_FILE, MODULE_FILE
from induction.content.writer import write_front_matter

MAX_TITLE_CHARS = 200


def read_document(folder: CourseFolder, relative: str, kind: str) -> Document | None:
    """Return the parsed file `relative` of `kind`, or None when it is missing or not UTF-8."""
    data = read_bytes(resolve(folder, relative))
    if data is None:
        return None
    try:
        return parse_source(decode(data), kind, relative)
    except DecodeError:
        return None


def title_of(folder: CourseFolder, relative: str, kind: str) -> str | None:
    """Return the `title:` of a course file, or None when it has none that can be read."""
    document = read_document(folder, relative, kind)
    value = document.values.get("title") if document else None
    return value.strip() or None if isinstance(value, str) else None


def course_title(folder: CourseFolder) -> str:
    """Return the course's title, or its folder's name when course.md has none."""
    return title_of(folder, COURSE_FILE, "course") or folder.name


def module_title(folder: CourseFolder, module: str) -> str:
    """Return a module's title, or its folder's name when its module.md has none."""
    return title_of(folder, f"{module}/{MODULE_FILE}", "module") or module


def course_titles(folder: CourseFolder, items: CourseItems) -> dict[str, str]:
    """Return the title of every module folder and lesson file that has one, by path.

    A module's title is its module.md's, keyed by the folder's name.
    """
    titles: dict[str, str] = {}
    for module in items.modules:
        if module.module_md is not None:
            title = title_of(folder, module.module_md.path, "module")
            if title:
                titles[module.name] = title
        for lesson in module.lessons:
            title = title_of(folder, lesson.path, "lesson")
            if title:
                titles[lesson.path] = title
    return titles


def course_audiences(folder: CourseFolder) -> tuple[str, ...]:
    """Return the audiences of the course (course.md's `audiences`, else all), in standard order."""
    document = read_document(folder, COURSE_FILE, "course")
    chosen = document.values.get("audiences") if document else None
    if not chosen:
        return AUDIENCES
    return tuple(a for a in AUDIENCES if a in chosen)


def module_audiences(folder: CourseFolder, module: str) -> tuple[str, ...] | None:
    """Return the audiences set in a module's module.md, or None when it does not narrow them."""
    document = read_document(folder, f"{module}/module.md", "module")
    chosen = document.values.get("audiences") if document else None
    if not chosen:
        return None
    return tuple(a for a in AUDIENCES if a in chosen)


def front_change(
    folder: CourseFolder, relative: str, kind: str, updates: Mapping[str, Any | None]
) -> Change:
    """Return the change that sets (or, for None, removes) front matter keys of one file.

    The block is written by the canonical writer; the body is kept as written. Raises
    EditRefused when the file is missing, not UTF-8, or its front matter has errors
    (those are fixed in the editor first, so nothing an author wrote is lost).
    """
    data = read_bytes(resolve(folder, relative))
    if data is None:
        raise EditRefused(f"{relative} does not exist: it may have been deleted or moved")
    try:
        source = decode(data)
    except DecodeError:
        raise EditRefused(f"{relative} is not UTF-8 text: fix it in the editor first") from None
    front = split(source.text, relative)
    values, problems = read_values(front, kind, relative)
    if front.problems or problems:
        raise EditRefused(
            f"the front matter of {relative} has errors: open it in the editor and fix them first"
        )
    for key, value in updates.items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
    head = write_front_matter(kind, values, front)
    text = head + front.body if head else front.body
    return Change(writes={relative: source.denormalise(text).encode("utf-8")})


def check_title(title: str) -> str:
    """Return `title` trimmed; raise EditRefused saying what to fix when it cannot be a title."""
    title = " ".join((title or "").split())
    if not title:
        raise EditRefused("enter the title")
    if len(title) > MAX_TITLE_CHARS:
        raise EditRefused(f"the title is too long: use at most {MAX_TITLE_CHARS} characters")
    return title
