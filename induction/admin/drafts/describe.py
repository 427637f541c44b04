"""What a changed file of a draft is, in words an author knows: "Lesson “Our council's
story”", "Quiz of “How the CCIN operates”", rather than only its path.

The title is read from the file as the draft makes it (as published, for a file the
draft deletes); a quiz is named by its module's title.
"""

from __future__ import annotations

from collections.abc import Callable

from induction.admin.course_files.listing import kind_of
from induction.content.document import parse_source
from induction.content.source import decoded
from induction.content.tree import MODULE_FILE

Reader = Callable[[str], bytes | None]  # course-relative path -> the file's bytes, or None


def _title(data: bytes | None, kind: str, path: str) -> str | None:
    source = decoded(data)
    value = parse_source(source, kind, path).values.get("title") if source else None
    return value.strip() or None if isinstance(value, str) else None


def describe(path: str, read: Reader) -> str:
    """Return what the file at `path` is, with its title when it has one."""
    kind = kind_of(path)
    if kind == "lesson":
        title = _title(read(path), "lesson", path)
        return f"Lesson “{title}”" if title else "Lesson"
    if kind in ("module", "quiz"):
        module_md = f"{path.split('/', 1)[0]}/{MODULE_FILE}"
        title = _title(read(module_md), "module", module_md)
        if kind == "module":
            return f"Module “{title}”: its title and introduction" if title else "Module"
        return f"Quiz of “{title}”" if title else "Quiz"
    if kind == "course":
        return "The course's settings and introduction"
    if kind == "media":
        return "Picture or file"
    return "File"
