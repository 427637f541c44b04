"""Writing several course files all or nothing, even when the process dies half-way.

A publish first writes a journal (`.publish-journal.json` in the course folder;
names starting with '.' are never loaded), then writes every new file beside its
final place under a hidden name, then marks the journal "ready", then renames each
file over its final place and removes the files to delete, then removes the
journal. Whoever next finds a journal (`recover`, run by every process before it
loads the courses) rolls back a publish that was not ready (the live files were not
touched) and completes one that was (every new file is already on disk). All of it
runs under an exclusive lock on the course folder, so a recovery never races a
publish that is still running.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from induction.content.fmt import write_atomically

try:  # POSIX only; elsewhere one process at a time is assumed.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

JOURNAL_NAME = ".publish-journal.json"
STAGING = "staging"
READY = "ready"


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on a folder (across processes) while the block runs.

    The lock is on the folder itself, so no lock file is left behind; the system
    releases it when the holder dies.
    """
    if fcntl is None:
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


@dataclass(frozen=True)
class Staged:
    """A publish whose new files are all on disk beside their places, ready to be renamed."""

    course_dir: Path
    token: str
    writes: tuple[str, ...]
    deletes: tuple[str, ...]


def _staged_path(course_dir: Path, relative: str, token: str) -> Path:
    final = course_dir / relative
    return final.with_name(f".{final.name}.publish-{token}")


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (renames, removals) to disk; a no-op where it cannot."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _write_journal(course_dir: Path, state: str, staged: Staged) -> None:
    record = {
        "state": state,
        "token": staged.token,
        "writes": list(staged.writes),
        "deletes": list(staged.deletes),
    }
    write_atomically(course_dir / JOURNAL_NAME, json.dumps(record).encode("utf-8"))
    sync_folder(course_dir)


def _write_durably(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def stage(course_dir: Path, writes: Mapping[str, bytes], deletes: tuple[str, ...]) -> Staged:
    """Write the journal and every new file beside its place; return the staged publish.

    The caller holds `folder_lock(course_dir)`. Nothing learners see changes yet.
    Raises OSError when a file cannot be written (what was staged is removed first).
    """
    staged = Staged(course_dir, secrets.token_hex(6), tuple(sorted(writes)), tuple(deletes))
    _write_journal(course_dir, STAGING, staged)
    try:
        for relative in staged.writes:
            _write_durably(_staged_path(course_dir, relative, staged.token), writes[relative])
        _write_journal(course_dir, READY, staged)
    except BaseException:
        roll_back(staged)
        raise
    return staged


def remove_empty_parents(course_dir: Path, path: Path) -> None:
    """Remove the folders above `path`, up to `course_dir`, that are now empty."""
    parent = path.parent
    while parent != course_dir and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def finish(staged: Staged) -> None:
    """Rename every staged file over its place, remove the deleted files, drop the journal.

    Safe to run again after a crash: a file already renamed is left as it is.
    """
    course_dir = staged.course_dir
    for relative in staged.writes:
        source = _staged_path(course_dir, relative, staged.token)
        if source.exists():
            os.replace(source, course_dir / relative)
    for relative in staged.deletes:
        path = course_dir / relative
        path.unlink(missing_ok=True)
        remove_empty_parents(course_dir, path)
    sync_folder(course_dir)
    (course_dir / JOURNAL_NAME).unlink(missing_ok=True)
    sync_folder(course_dir)


def roll_back(staged: Staged) -> None:
    """Remove the staged files and the journal of a publish that will not be made."""
    for relative in staged.writes:
        staged_path = _staged_path(staged.course_dir, relative, staged.token)
        staged_path.unlink(missing_ok=True)
        remove_empty_parents(staged.course_dir, staged_path)
    (staged.course_dir / JOURNAL_NAME).unlink(missing_ok=True)
    sync_folder(staged.course_dir)


def recover(course_dir: Path) -> str | None:
    """Complete or roll back a publish that a dead process left; return what was done.

    Returns "completed", "rolled back" or None (no journal). Raises OSError when the
    files cannot be changed.
    """
    journal = course_dir / JOURNAL_NAME
    if not journal.exists():
        return None
    with folder_lock(course_dir):
        try:
            record = json.loads(journal.read_text("utf-8"))
        except FileNotFoundError:
            return None  # the publish finished while we waited for the lock
        except ValueError:
            record = {"state": STAGING, "token": "", "writes": [], "deletes": []}
        staged = Staged(
            course_dir,
            str(record.get("token", "")),
            tuple(record.get("writes", ())),
            tuple(record.get("deletes", ())),
        )
        if record.get("state") == READY:
            finish(staged)
            return "completed"
        roll_back(staged)
        return "rolled back"


def recover_all(root: Path) -> dict[str, str]:
    """Recover every course folder under `root`; return folder name -> what was done."""
    done: dict[str, str] = {}
    if not root.is_dir():
        return done
    for entry in sorted(root.iterdir()):
        if entry.is_dir() and not entry.is_symlink() and not entry.name.startswith("."):
            result = recover(entry)
            if result:
                done[entry.name] = result
    return done
