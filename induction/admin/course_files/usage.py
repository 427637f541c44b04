"""Where each media file of a course is used: the lessons (and other files) that show or link to it.

Links and images are found the way the checker finds them (`induction.content.mdscan`,
so code blocks and escaped text do not count) and resolved against the folder of the
file they are written in. A media file that some file uses cannot be deleted: the
page lists the users instead.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import unquote

from induction.admin.course_files.front import read_document
from induction.admin.course_files.listing import CourseItems
from induction.admin.course_files.paths import CourseFolder
from induction.content.mdscan import scan, url_scheme

IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp", "svg"})


@dataclass(frozen=True)
class Use:
    """One file that uses a media file: its path, kind, title (when it has one) and lines."""

    path: str
    kind: str  # course, module, lesson or quiz
    title: str | None
    lines: tuple[int, ...]


def is_image(path: str) -> bool:
    """Return True when a media path names an image (shown as a picture, not as a document)."""
    return path.rpartition(".")[2].lower() in IMAGE_EXTENSIONS


def _target(url: str, from_dir: str) -> str | None:
    if not url or url.startswith(("/", "#")) or url_scheme(url) is not None:
        return None
    path_part = url.partition("#")[0].partition("?")[0]
    if not path_part:
        return None
    target = posixpath.normpath(posixpath.join(from_dir, unquote(path_part)))
    return None if target == ".." or target.startswith("../") else target


def media_uses(folder: CourseFolder, items: CourseItems) -> dict[str, tuple[Use, ...]]:
    """Return, for every media path used by a course, message or lesson file, who uses it.

    Media files nobody uses are left out. Files that cannot be read are skipped (the
    checker reports them).
    """
    found: dict[str, list[Use]] = defaultdict(list)
    for item in items.markdown_files():
        document = read_document(folder, item.path, item.kind)
        if document is None:
            continue
        from_dir = posixpath.dirname(item.path)
        lines: dict[str, list[int]] = defaultdict(list)
        for ref in scan(document.front.body, document.front.body_line).links:
            target = _target(ref.url, from_dir)
            if target is not None and target.startswith("media/"):
                lines[target].append(ref.line)
        title = document.values.get("title")
        for target, at in lines.items():
            found[target].append(
                Use(item.path, item.kind, title if isinstance(title, str) else None, tuple(at))
            )
    return {path: tuple(uses) for path, uses in found.items()}
