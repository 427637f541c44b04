"""A change to a course folder (files written, renamed, deleted) and applying it safely.

Every edit made in the browser becomes a `Change`: it is first applied to a
temporary copy of the course and checked (see `checking`), then applied to the
real folder. Each file is replaced atomically: the new bytes go to a temporary
file in the same folder, are flushed to disk, then renamed over the old file, so
a reader (or a crash) sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from induction.content.fmt import write_atomically
from induction.content.journal import sync_folder


@dataclass
class Change:
    """Files to write (final path -> bytes), renames (old, new) and deletions, course-relative.

    Renames happen first, then writes, then deletions; a write whose file is being
    renamed is written at its old place before the rename, so the file never
    exists anywhere without its new content.
    """

    writes: dict[str, bytes] = field(default_factory=dict)
    renames: list[tuple[str, str]] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)

    def touched(self) -> set[str]:
        """Return the course-relative paths this change writes or renames into."""
        return set(self.writes) | {new for _, new in self.renames}

    def source_of(self, final: str) -> str:
        """Return where the file now at `final` was before the renames (itself if not renamed)."""
        for old, new in self.renames:
            if final == new:
                return old
            if final.startswith(new + "/"):
                return old + final[len(new) :]
        return final

    def token(self) -> str:
        """Return a digest naming exactly this change (for "confirm this change" buttons)."""
        digest = hashlib.sha256()
        for path in sorted(self.writes):
            digest.update(f"w {path}\n".encode())
            digest.update(hashlib.sha256(self.writes[path]).digest())
        for old, new in self.renames:
            digest.update(f"r {old} {new}\n".encode())
        for path in sorted(self.deletes):
            digest.update(f"d {path}\n".encode())
        return digest.hexdigest()


def file_hash(data: bytes | None) -> str:
    """Return the sha256 of a file's bytes ("" for a file that does not exist)."""
    return "" if data is None else hashlib.sha256(data).hexdigest()


def read_bytes(path: Path) -> bytes | None:
    """Return a file's bytes, or None when it does not exist. Raises other OSErrors."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def atomic_write(path: Path, data: bytes) -> None:
    """Replace (or create) the file at `path` with `data` atomically and durably.

    Raises OSError when writing fails; the old file is then untouched and no
    temporary file is left behind.
    """
    write_atomically(path, data)
    sync_folder(path.parent)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        # Out of sight first (names starting with '.' are ignored), then removed.
        hidden = path.with_name(f".deleted-{path.name}-{secrets.token_hex(4)}")
        os.rename(path, hidden)
        shutil.rmtree(hidden, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def apply_change(course_dir: Path, change: Change, *, durable: bool = True) -> None:
    """Apply `change` to the course folder at `course_dir`.

    With `durable` False (a temporary copy), files are simply replaced: a copy's
    media files may be links to the real ones, so they are unlinked, never
    written through. Raises OSError when a step fails.
    """
    write = atomic_write if durable else _plain_write
    pending = dict(change.writes)
    for old, new in change.renames:
        for final in [p for p in pending if p == new or p.startswith(new + "/")]:
            write(course_dir / change.source_of(final), pending.pop(final))
        target = course_dir / new
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            raise FileExistsError(f"{new} already exists")
        os.rename(course_dir / old, target)
    for final, data in pending.items():
        path = course_dir / final
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path, data)
    for relative in change.deletes:
        _remove(course_dir / relative)
    if durable and (change.renames or change.deletes):
        sync_folder(course_dir)


def _plain_write(path: Path, data: bytes) -> None:
    if path.is_symlink() or path.exists():
        path.unlink()
    path.write_bytes(data)
