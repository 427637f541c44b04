"""What a course folder holds, as the authoring pages show it, and what each name means.

The layout rules are the content core's (`induction.content.tree`): `course.md`,
`media/`, module folders holding `module.md`, lessons and `quiz.md`; names
starting with `_` or `.` and `*.cy.md` files are ignored by the platform. Ignored
files are listed too (so authors see them) but never offered for editing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from induction.admin.course_files.paths import CourseFolder
from induction.content.document import parse_source
from induction.content.ids import id_from_name, order_key
from induction.content.source import DecodeError, decode
from induction.content.tree import (
    COURSE_FILE,
    MEDIA_DIR,
    MODULE_FILE,
    QUIZ_FILE,
    inside_course,
    is_ignored,
)

MARKDOWN_KINDS = ("course", "module", "lesson", "quiz")


@dataclass(frozen=True)
class Item:
    """A file of a course: `path` relative to the course folder, `kind` as in `kind_of`."""

    path: str
    kind: str
    size: int = 0

    @property
    def name(self) -> str:
        """The file's own name, without its folders."""
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class ModuleItems:
    """The files of one module folder, in order."""

    name: str  # the folder's name (also its path in the course)
    module_md: Item | None
    lessons: tuple[Item, ...]
    quiz: Item | None
    ignored: tuple[Item, ...]


@dataclass(frozen=True)
class CourseItems:
    """The files of one course folder, grouped as the platform reads them."""

    course_md: Item | None
    modules: tuple[ModuleItems, ...]
    media: tuple[Item, ...]
    ignored: tuple[Item, ...]

    def module(self, name: str) -> ModuleItems | None:
        """Return the module folder called `name`, or None."""
        return next((module for module in self.modules if module.name == name), None)

    def markdown_files(self) -> list[Item]:
        """Return every course, module, lesson and quiz file, in order."""
        files = [self.course_md] if self.course_md else []
        for module in self.modules:
            if module.module_md:
                files.append(module.module_md)
            files.extend(module.lessons)
            if module.quiz:
                files.append(module.quiz)
        return files


def kind_of(relative: str) -> str | None:
    """Return what a course-relative file path is, from its name and place alone.

    One of course, module, lesson, quiz, media; None for anything the platform
    ignores or does not know.
    """
    parts = relative.split("/")
    if any(is_ignored(part) for part in parts[:-1]) or not parts[-1]:
        return None
    name = parts[-1]
    if parts[0] == MEDIA_DIR:
        return "media" if len(parts) >= 2 and not name.startswith(("_", ".")) else None
    if is_ignored(name):
        return None
    if len(parts) == 1:
        return "course" if name == COURSE_FILE else None
    if len(parts) != 2:
        return None
    if name == MODULE_FILE:
        return "module"
    if name == QUIZ_FILE:
        return "quiz"
    if name.endswith(".md") and name != COURSE_FILE:
        return "lesson"
    return None


def _sorted_entries(folder: Path) -> list[os.DirEntry[str]]:
    """Return the entries of `folder` in order, leaving out symbolic links (never listed)."""
    with os.scandir(folder) as iterator:
        entries = [entry for entry in iterator if inside_course(folder, Path(entry.path))]
    return sorted(entries, key=lambda entry: order_key(entry.name))


def _size(entry: os.DirEntry[str]) -> int:
    try:
        return entry.stat().st_size
    except OSError:
        return 0


def list_course(folder: CourseFolder) -> CourseItems:
    """Return the files of a course folder, grouped as the platform reads them.

    Raises OSError when the folder cannot be read.
    """
    course_md: Item | None = None
    modules: list[ModuleItems] = []
    media: list[Item] = []
    ignored: list[Item] = []
    for entry in _sorted_entries(folder.path):
        if entry.name.startswith("."):
            continue
        if is_ignored(entry.name):
            ignored.append(Item(entry.name, "ignored"))
        elif entry.is_dir() and entry.name == MEDIA_DIR:
            media = _media(folder.path / MEDIA_DIR)
        elif entry.is_dir():
            modules.append(_module(Path(entry.path), entry.name))
        elif entry.name == COURSE_FILE:
            course_md = Item(COURSE_FILE, "course", _size(entry))
        else:
            ignored.append(Item(entry.name, "ignored", _size(entry)))
    return CourseItems(course_md, tuple(modules), tuple(media), tuple(ignored))


def _media(media_dir: Path) -> list[Item]:
    found: list[Item] = []
    for current, dirs, files in os.walk(media_dir):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(("_", ".")) and inside_course(media_dir, Path(current, d))
        )
        for name in sorted(files):
            path = Path(current, name)
            if name.startswith(("_", ".")) or not inside_course(media_dir, path):
                continue
            relative = path.relative_to(media_dir.parent).as_posix()
            try:
                size = path.stat().st_size
            except OSError:
                size = 0
            found.append(Item(relative, "media", size))
    return found


def _module(module_dir: Path, name: str) -> ModuleItems:
    module_md: Item | None = None
    quiz: Item | None = None
    lessons: list[Item] = []
    ignored: list[Item] = []
    for entry in _sorted_entries(module_dir):
        if entry.name.startswith("."):
            continue
        relative = f"{name}/{entry.name}"
        kind = None if entry.is_dir() else kind_of(relative)
        item = Item(relative, kind or "ignored", _size(entry))
        if kind == "module":
            module_md = item
        elif kind == "quiz":
            quiz = item
        elif kind == "lesson":
            lessons.append(item)
        else:
            ignored.append(item)
    return ModuleItems(name, module_md, tuple(lessons), quiz, tuple(ignored))


def list_course_folders(root: Path) -> list[str]:
    """Return the names of the course folders under `root`, in course order ([] when none)."""
    if not root.is_dir():
        return []
    return [
        entry.name
        for entry in _sorted_entries(root)
        if entry.is_dir() and not is_ignored(entry.name)
    ]


def _declared_id(path: Path, kind: str) -> str | None:
    try:
        source = decode(path.read_bytes())
    except (OSError, DecodeError):
        return None
    value = parse_source(source, kind, path.name).values.get("id")
    return value if isinstance(value, str) else None


def course_id_of(folder: CourseFolder) -> str:
    """Return the course's id: `id:` in course.md, else the folder name without its prefix."""
    return _declared_id(folder.path / COURSE_FILE, "course") or id_from_name(folder.name)


def module_id_of(folder: CourseFolder, module: str) -> str:
    """Return a module's id: `id:` in its module.md, else the folder name without its prefix."""
    return _declared_id(folder.path / module / MODULE_FILE, "module") or id_from_name(module)


def quiz_id_of(folder: CourseFolder, module: str, quiz_text: str | None = None) -> str:
    """Return the id of a module's quiz: `id:` in quiz.md, else the module's id.

    `quiz_text` (the quiz.md text) is read from disk when not given.
    """
    if quiz_text is not None:
        from induction.content.source import from_text

        value = parse_source(from_text(quiz_text), "quiz", QUIZ_FILE).values.get("id")
        if isinstance(value, str):
            return value
    else:
        declared = _declared_id(folder.path / module / QUIZ_FILE, "quiz")
        if declared:
            return declared
    return module_id_of(folder, module)
