"""The layout of a courses folder: which folders are courses and modules, which files count.

Only the names matter here (no file is read): ordering by `NN-` prefix,
ignored names (`_draft.md`, `.git`, `lesson.cy.md`), warnings for files that
do not belong, and errors for missing `course.md` / `module.md` or an empty
module. Files directly in the courses folder (a README, say) are ignored.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from induction.content.ids import order_key
from induction.content.model import Problem, Severity

COURSE_FILE = "course.md"
MODULE_FILE = "module.md"
QUIZ_FILE = "quiz.md"
MEDIA_DIR = "media"
TRANSLATION_SUFFIX = ".cy.md"
LINK_REFUSED = (
    "this is a symbolic link, which the platform never follows: "
    "replace it with the file or folder itself"
)


@dataclass(frozen=True)
class ModuleDir:
    name: str
    path: str  # relative to the courses folder, with forward slashes
    has_module_md: bool
    lessons: tuple[str, ...]  # file names, in order
    has_quiz: bool


@dataclass(frozen=True)
class CourseDir:
    name: str
    path: str
    has_course_md: bool
    modules: tuple[ModuleDir, ...]
    media: frozenset[str]  # files under media/, relative to it


def is_ignored(name: str) -> bool:
    """Return True for names the platform skips: `_drafts`, `.hidden` and translations."""
    return name.startswith(("_", ".")) or name.endswith(TRANSLATION_SUFFIX)


def inside_course(course_dir: Path, path: Path) -> bool:
    """Return True when `path` is safely inside the folder `course_dir`.

    Safe means: below `course_dir` once `..` is resolved, with no symbolic link
    anywhere from `course_dir` down to `path` (parts that do not exist yet are
    no links), and still inside once every link is followed. The one rule for
    every file the platform loads, lists, serves or copies from a course.
    """
    base = os.path.abspath(course_dir)
    target = os.path.abspath(path)
    if target != base and not target.startswith(base.rstrip(os.sep) + os.sep):
        return False
    current = base
    for part in Path(target).relative_to(base).parts:
        current = os.path.join(current, part)
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return False
        except FileNotFoundError:
            break
        except OSError:
            return False
    real, real_base = os.path.realpath(target), os.path.realpath(base)
    return real == real_base or real.startswith(real_base.rstrip(os.sep) + os.sep)


def _linked(base: Path, entry: str, path: str, problems: list[Problem]) -> bool:
    """Return True (and report it at `path`) when the file `entry` is not safely inside `base`."""
    if inside_course(base, Path(entry)):
        return False
    problems.append(Problem(path, 0, LINK_REFUSED))
    return True


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as iterator:
        entries = [entry for entry in iterator if not is_ignored(entry.name)]
    return sorted(entries, key=lambda entry: order_key(entry.name))


def _join(parent: str, name: str) -> str:
    return f"{parent}/{name}" if parent else name


def _ignored(path: str, why: str) -> Problem:
    return Problem(path, 0, f"ignored: {why}", Severity.WARNING)


def scan_root(root: Path) -> tuple[tuple[CourseDir, ...], list[Problem]]:
    """Return the course folders under `root`, in order, and the layout problems found.

    Never raises for bad content; a missing `root` is reported as an error.
    """
    if not root.is_dir():
        return (), [Problem(".", 0, f"the courses folder '{root.name}' does not exist: create it")]
    problems: list[Problem] = []
    courses = []
    for entry in _entries(root):
        if _linked(root, entry.path, entry.name, problems):
            continue
        if entry.is_dir():
            courses.append(_scan_course(Path(entry.path), entry.name, problems))
    return tuple(courses), problems


def _scan_course(folder: Path, name: str, problems: list[Problem]) -> CourseDir:
    has_course_md = False
    modules: list[ModuleDir] = []
    media: frozenset[str] = frozenset()
    for entry in _entries(folder):
        path = _join(name, entry.name)
        if _linked(folder, entry.path, path, problems):
            continue
        if entry.is_dir():
            if entry.name == MEDIA_DIR:
                media = frozenset(_media_files(Path(entry.path), path, problems))
            else:
                modules.append(_scan_module(Path(entry.path), path, problems))
        elif entry.name == COURSE_FILE:
            has_course_md = True
        else:
            problems.append(
                _ignored(
                    path,
                    "a course folder holds only course.md, media/ and module folders; "
                    "move this file into media/ or rename it to start with '_'",
                )
            )
    if not has_course_md:
        problems.append(
            Problem(
                name,
                0,
                "this course folder has no course.md: add one with 'title:' and 'summary:' "
                "in its front matter",
            )
        )
    return CourseDir(name, name, has_course_md, tuple(modules), media)


def _media_files(folder: Path, path: str, problems: list[Problem]) -> list[str]:
    """Return the files under media/ (relative to it); report and skip symbolic links."""
    found = []
    for current, dirs, files in os.walk(folder):
        relative_dir = Path(current).relative_to(folder)
        kept = []
        for name in dirs:
            if name.startswith(("_", ".")):
                continue
            shown = _join(path, (relative_dir / name).as_posix())
            if not _linked(folder, os.path.join(current, name), shown, problems):
                kept.append(name)
        dirs[:] = kept
        for file_name in files:
            if file_name.startswith(("_", ".")):
                continue
            relative = (relative_dir / file_name).as_posix()
            full = os.path.join(current, file_name)
            if not _linked(folder, full, _join(path, relative), problems):
                found.append(relative)
    return found


def _scan_module(folder: Path, path: str, problems: list[Problem]) -> ModuleDir:
    has_module_md = has_quiz = False
    lessons: list[str] = []
    for entry in _entries(folder):
        entry_path = _join(path, entry.name)
        if _linked(folder, entry.path, entry_path, problems):
            continue
        if entry.is_dir():
            problems.append(
                _ignored(
                    entry_path,
                    "a module folder holds only Markdown files, not folders; "
                    "put images and other files in the course's media/ folder",
                )
            )
        elif entry.name == MODULE_FILE:
            has_module_md = True
        elif entry.name == QUIZ_FILE:
            has_quiz = True
        elif entry.name == COURSE_FILE:
            problems.append(_ignored(entry_path, "course.md belongs in the course folder"))
        elif entry.name.endswith(".md"):
            lessons.append(entry.name)
        else:
            problems.append(
                _ignored(
                    entry_path,
                    "a module folder holds only Markdown files; "
                    "put images and other files in the course's media/ folder",
                )
            )
    if not has_module_md:
        problems.append(
            Problem(
                path,
                0,
                "this module folder has no module.md: add one with 'title:' and 'summary:' "
                "in its front matter",
            )
        )
    if not lessons and not has_quiz:
        problems.append(
            Problem(
                path,
                0,
                "this module has no lessons and no quiz: add a lesson file (like 01-welcome.md) "
                "or remove the folder",
            )
        )
    return ModuleDir(folder.name, path, has_module_md, tuple(lessons), has_quiz)


def course_files(root: Path) -> list[tuple[str, str]]:
    """Return `(path relative to root, kind)` for every course, module, lesson and quiz file."""
    courses, _ = scan_root(root)
    files: list[tuple[str, str]] = []
    for course in courses:
        if course.has_course_md:
            files.append((_join(course.path, COURSE_FILE), "course"))
        for module in course.modules:
            if module.has_module_md:
                files.append((_join(module.path, MODULE_FILE), "module"))
            files.extend((_join(module.path, name), "lesson") for name in module.lessons)
            if module.has_quiz:
                files.append((_join(module.path, QUIZ_FILE), "quiz"))
    return files


def fingerprint(root: Path) -> str:
    """Return a hash of the path, size and modification time of every file under `root`.

    Cheap (no file is read): it changes when a file is added, removed, renamed
    or rewritten. Names starting with '.' or '_' are skipped. Never raises for
    a missing folder (its fingerprint is that of an empty one).
    """
    digest = hashlib.sha256()
    if not root.is_dir():
        return digest.hexdigest()
    rows: list[str] = []
    for current, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith((".", "_"))]
        relative_dir = Path(current).relative_to(root).as_posix()
        rows.append(f"d {relative_dir}")
        for file_name in files:
            if file_name.startswith((".", "_")):
                continue
            try:
                info = os.stat(os.path.join(current, file_name))
            except FileNotFoundError:
                continue  # removed while we walked; the next poll sees it gone
            rows.append(f"f {relative_dir}/{file_name} {info.st_size} {info.st_mtime_ns}")
    for row in sorted(rows):
        digest.update(row.encode("utf-8", "surrogateescape"))
        digest.update(b"\n")
    return digest.hexdigest()
