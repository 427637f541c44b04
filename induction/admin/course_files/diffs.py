"""Unified diffs of a change, for the audit log and for conflict pages."""

from __future__ import annotations

import difflib
import hashlib

from induction.admin.course_files.changes import Change, read_bytes
from induction.admin.course_files.paths import CourseFolder

MAX_DIFF_CHARS = 20_000
TRUNCATED = "\n[diff truncated]\n"


def as_text(data: bytes | None) -> str | None:
    """Return a file's bytes as text (LF line ends), or None when they are not UTF-8 text."""
    if data is None:
        return ""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def unified(old: str, new: str, old_name: str, new_name: str | None = None) -> str:
    """Return the unified diff of two texts ("" when they are the same)."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{old_name}",
        tofile=f"b/{new_name or old_name}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def truncate(text: str, limit: int = MAX_DIFF_CHARS) -> str:
    """Return `text` cut to `limit` characters, marked when cut."""
    return text if len(text) <= limit else text[:limit] + TRUNCATED


def _binary(path: str, data: bytes | None, verb: str) -> str:
    if data is None:
        return f"{verb} {path}\n"
    digest = hashlib.sha256(data).hexdigest()
    return f"{verb} {path} (binary, {len(data)} bytes, sha256 {digest})\n"


def change_diff(folder: CourseFolder, change: Change) -> str:
    """Return the diff of `change` against the course as it is on disk now (truncated)."""
    parts: list[str] = []
    for old, new in change.renames:
        parts.append(f"rename {old} -> {new}\n")
    for final in sorted(change.writes):
        source = change.source_of(final)
        before_data = read_bytes(folder.path / source)
        before, after = as_text(before_data), as_text(change.writes[final])
        if before is None or after is None:
            verb = "replace" if before_data is not None else "add"
            parts.append(_binary(final, change.writes[final], verb))
        else:
            parts.append(unified(before, after, source, final))
    for relative in change.deletes:
        path = folder.path / relative
        if path.is_dir():
            names = sorted(p.relative_to(folder.path).as_posix() for p in path.rglob("*"))
            parts.append(f"delete folder {relative} ({', '.join(names)})\n")
            continue
        data = read_bytes(path)
        text = as_text(data)
        if text is None:
            parts.append(_binary(relative, data, "delete"))
        else:
            parts.append(unified(text, "", relative))
    return truncate("".join(parts))
