"""Where a file of a course is, in words an admin knows: "Lesson 2 of module 1: “First
steps”", "Quiz of module 1: “First steps”", rather than its path
("01-first-steps/02-rules.md").

Modules and lessons are numbered by their place in the course's order (the order of their
names, as learners meet them), counted in the list of paths given: the draft page counts
a file the draft keeps among the course as the draft makes it, and a file it deletes (or
moves away from) among the course as published. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from induction.admin.course_files.listing import kind_of
from induction.admin.drafts.describe import Reader, module_named, named
from induction.content.ids import order_key

_IN_MODULES = ("module", "lesson", "quiz")


@dataclass(frozen=True)
class Numbers:
    """The place of each module folder and lesson of one version of a course."""

    modules: dict[str, int]  # module folder -> its number, from 1
    lessons: dict[str, int]  # lesson path -> its number in its module, from 1


def numbers(paths: Iterable[str]) -> Numbers:
    """Return the numbers of the modules and lessons among `paths` (course-relative files
    of one version of a course), in the course's order."""
    kept = [path for path in paths if kind_of(path) in _IN_MODULES]
    folders = sorted({path.split("/", 1)[0] for path in kept}, key=order_key)
    lessons: dict[str, int] = {}
    for folder in folders:
        names = sorted(
            (p.split("/", 1)[1] for p in kept if p.startswith(folder + "/")),
            key=order_key,
        )
        names = [name for name in names if kind_of(f"{folder}/{name}") == "lesson"]
        lessons.update({f"{folder}/{name}": n for n, name in enumerate(names, start=1)})
    return Numbers({folder: n for n, folder in enumerate(folders, start=1)}, lessons)


def place(path: str, counted: Numbers, read: Reader) -> str:
    """Return where the file at `path` is, as a phrase that starts a sentence: "Lesson 2 of
    module 1: “First steps”", "Quiz of module 1: “First steps”", "Module 1: “First
    steps”", "The course's settings and introduction", "The picture “map.png”"."""
    kind = kind_of(path)
    folder = path.split("/", 1)[0]
    module = counted.modules.get(folder)
    which = module_named(path, read) if kind in _IN_MODULES else ""
    if kind == "lesson" and module and path in counted.lessons:
        return f"Lesson {counted.lessons[path]} of module {module}: {which}"
    if kind == "quiz" and module:
        return f"Quiz of module {module}: {which}"
    if kind == "module" and module:
        return f"Module {module}: {which}"
    said = named(path, read)
    return said[:1].upper() + said[1:]


def in_sentence(phrase: str) -> str:
    """Return a `place` phrase to go inside a sentence ("lesson 2 of module 1: …")."""
    return phrase[:1].lower() + phrase[1:]
