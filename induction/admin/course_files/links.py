"""Rewriting the links of course files when a lesson or a module folder is renamed.

A link written in a file resolves against that file's folder. When files move,
every link whose target moved (or whose own file moved, changing what a
relative link means) is rewritten to point at the same file as before, anchor
kept. Only the URL is replaced, on its own line; everything else stays as
written. Links this cannot rewrite are caught by the check that follows.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import quote, unquote

from induction.content.frontmatter import split
from induction.content.mdscan import scan, url_scheme
from induction.content.source import Source

Move = Callable[[str], str]  # course-relative path before -> after


def _folder(path: str) -> str:
    return posixpath.dirname(path)


def _target(url: str, from_dir: str) -> tuple[str, str] | None:
    """Return (course-relative target, '#anchor' or '') of a relative link, None otherwise."""
    if not url or url.startswith(("/", "#")) or url_scheme(url) is not None or "?" in url:
        return None
    path_part, hash_mark, anchor = url.partition("#")
    if not path_part:
        return None
    target = posixpath.normpath(posixpath.join(from_dir, unquote(path_part)))
    if target == ".." or target.startswith("../"):
        return None
    return target, hash_mark + anchor


def rewrite_links(source: Source, old_path: str, new_path: str, move: Move) -> str:
    """Return the normalised text of the file at `old_path` (moving to `new_path`) with its
    links rewritten so each still points at the file it pointed at before `move`."""
    front = split(source.text, old_path)
    lines = source.text.split("\n")
    old_dir, new_dir = _folder(old_path), _folder(new_path)
    for ref in scan(front.body, front.body_line).links:
        found = _target(ref.url, old_dir)
        if found is None:
            continue
        target, anchor = found
        moved = move(target)
        if posixpath.normpath(posixpath.join(new_dir, unquote(ref.url.partition("#")[0]))) == moved:
            continue
        relative = posixpath.relpath(moved, new_dir or ".")
        new_url = quote(relative, safe="/-._~") + anchor
        index = ref.line - 1
        if 0 <= index < len(lines):
            lines[index] = _replace_url(lines[index], ref.url, new_url)
    return "\n".join(lines)


def _replace_url(line: str, old: str, new: str) -> str:
    for before, after in ((f"](<{old}>", f"](<{new}>"), (f"]({old}", f"]({new}")):
        if before in line:
            return line.replace(before, after)
    stripped = line.lstrip()
    if stripped.startswith("[") and "]:" in stripped:
        return line.replace(old, new, 1)
    return line


def mover(renames: list[tuple[str, str]]) -> Move:
    """Return the function that maps a course-relative path through `renames`."""

    def move(path: str) -> str:
        """Return where `path` is after the renames."""
        for old, new in renames:
            if path == old:
                return new
            if path.startswith(old + "/"):
                return new + path[len(old) :]
        return path

    return move
