"""What a changed file of a draft is, in words an author knows: "Lesson “Our council's
story”", "Quiz of “How the CCIN operates”", rather than only its path.

The title is read from the file as the draft makes it (as published, for a file the
draft deletes); a quiz is named by its module's title.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from induction.admin.course_files.changes import read_bytes
from induction.admin.course_files.listing import kind_of
from induction.admin.course_files.paths import CourseFolder
from induction.admin.course_files.usage import is_image
from induction.admin.drafts.models import DraftFile
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


def _media(path: str, read: Reader) -> str:
    """Return a picture or other media file by its name, with the title of the module whose
    folder name it sits under (`media/01-first-steps/map.png`), when there is one:
    "the picture “map.png” of “First steps”", "the file “guide.pdf”"."""
    parts = path.split("/")
    what = "picture" if is_image(path) else "file"
    said = f"the {what} “{parts[-1]}”"
    if len(parts) > 2:
        module_md = f"{parts[1]}/{MODULE_FILE}"
        title = _title(read(module_md), "module", module_md)
        if title:
            return f"{said} of “{title}”"
    return said


def file_title(path: str, kind: str, read: Reader) -> str | None:
    """Return the `title:` of the file at `path` (a file of `kind`: lesson, module, quiz,
    course) as `read` gives it, or None when it has none that can be read."""
    return _title(read(path), kind, path)


def module_named(path: str, read: Reader) -> str:
    """Return the module `path` is in (or is, for a module's folder) in words: “First
    steps” (its title, quoted), or its folder's name when it has no title."""
    folder = path.split("/", 1)[0]
    title = file_title(f"{folder}/{MODULE_FILE}", "module", read)
    return f"“{title}”" if title else folder


def named(path: str, read: Reader) -> str:
    """Return what the file at `path` is, to go inside a sentence: "the lesson “Our story”",
    "the quiz of “How the CCIN operates”", "the picture “map.png”" (see `_media`)."""
    kind = kind_of(path)
    if kind == "lesson":
        title = _title(read(path), "lesson", path)
        return f"the lesson “{title}”" if title else f"the lesson {path}"
    if kind in ("module", "quiz"):
        which = module_named(path, read)
        if kind == "quiz":
            return f"the quiz of {which}"
        return f"the introduction of the module {which}"
    if kind == "course":
        return "the course's settings and introduction"
    if kind == "media":
        return _media(path, read)
    return f"the file {path}"


def reader(live: CourseFolder, rows: Iterable[DraftFile]) -> Reader:
    """Return a Reader of the course as its draft `rows` make it: a drafted file's text,
    else the published file's (None for a file the draft deletes and nobody published)."""
    drafted = {row.path: row.content for row in rows}

    def read(path: str) -> bytes | None:
        content = drafted.get(path)
        return content if content is not None else read_bytes(live.path / path)

    return read
