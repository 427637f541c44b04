"""What the lesson editor shows around a lesson: titles, audiences, versions, link and image lists.

Read from the course as its draft makes it (a `DraftFolder`), and from the live folder
for the version learners have now. Nothing here writes.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any

from induction.admin import course_files as files
from induction.admin.authoring.lesson_fields import FieldsUnreadable, read_lesson
from induction.admin.course_files.changes import read_bytes
from induction.admin.course_files.diffs import as_text
from induction.admin.course_files.listing import course_id_of, list_course
from induction.admin.course_files.paths import CourseFolder, PathRefused
from induction.admin.course_files.workspace import DraftFolder
from induction.catalogue import get_catalogue
from induction.content.frontmatter import split
from induction.content.model import AUDIENCES, Course
from induction.content.schema import read_values
from induction.content.tree import COURSE_FILE, MODULE_FILE


@dataclass(frozen=True)
class SectionLink:
    """A place another lesson can be linked to: its words and the Markdown target."""

    label: str
    target: str  # relative to the lesson being edited, like "02-rules.md#the-rules"


@dataclass(frozen=True)
class LessonLinks:
    """One lesson of the course and the sections in it that can be linked to."""

    module_title: str
    title: str
    target: str
    sections: tuple[SectionLink, ...]


@dataclass(frozen=True)
class MediaChoice:
    """A file of the course's media folder and the Markdown path to it from the lesson."""

    name: str
    target: str


def _values(folder: CourseFolder, relative: str, kind: str) -> dict[str, Any]:
    """Return the front matter values of a course file ({} when it cannot be read)."""
    try:
        text = as_text(read_bytes(files.resolve(folder, relative)))
    except PathRefused:
        return {}
    if not text:
        return {}
    values, _ = read_values(split(text, relative), kind, relative)
    return values


def inherited_audiences(folder: CourseFolder, module: str) -> frozenset[str]:
    """Return who a lesson of `module` is for when it names nobody: the module's audiences."""
    found = _values(folder, f"{module}/{MODULE_FILE}", "module").get("audiences")
    if found is None:
        found = _values(folder, COURSE_FILE, "course").get("audiences")
    return frozenset(found) if found else frozenset(AUDIENCES)


def published_version(folder: DraftFolder, relative: str) -> int | None:
    """Return the lesson's version learners have now, or None when it is not published."""
    try:
        data = read_bytes(files.resolve(folder.live, relative))
    except PathRefused:
        return None
    text = as_text(data) if data is not None else None
    if text is None:
        return None
    try:
        return int(read_lesson(text).values.get("version", 1))
    except FieldsUnreadable:
        return None


def in_published_module(folder: DraftFolder, module: str) -> bool:
    """Return True when learners can see the module folder `module` now: a lesson added
    to it is then one more thing for everyone who completed it to do."""
    course = get_catalogue().published().course(course_id_of(folder.live))
    if course is None or course.draft:
        return False
    return any(posixpath.basename(item.path) == module for item in course.modules)


def _relative_target(from_dir: str, course_path: str) -> str:
    return posixpath.relpath(course_path, from_dir or ".")


def link_choices(course: Course | None, folder: CourseFolder, relative: str) -> list[LessonLinks]:
    """Return every other lesson of the course and its headings, as link targets.

    Empty when the course does not load (it has errors).
    """
    if course is None:
        return []
    here = posixpath.dirname(relative)
    prefix = folder.name + "/"
    found = []
    for module in course.modules:
        for lesson in module.lessons:
            path = lesson.path[len(prefix) :] if lesson.path.startswith(prefix) else lesson.path
            if path == relative:
                continue
            target = _relative_target(here, path)
            sections = tuple(
                SectionLink(heading.text, f"{target}#{heading.anchor}")
                for heading in lesson.headings
                if heading.level in (2, 3) and heading.anchor
            )
            found.append(LessonLinks(module.title, lesson.title, target, sections))
    return found


def media_choices(folder: CourseFolder, relative: str) -> list[MediaChoice]:
    """Return the course's images, each with its path from the lesson being edited."""
    here = posixpath.dirname(relative)
    return [
        MediaChoice(item.name, _relative_target(here, item.path))
        for item in list_course(folder).media
        if item.name.lower().endswith((".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"))
    ]
