"""A course's history: each publish with who, when, its note and every file before and after.

Files can change on disk by other means (a `git pull` on the server); `note_disk_changes`
records each file whose text on disk differs from the last one the history knows, as
"changed on disk", so the history never silently skips a version. Services flush; the
caller commits.

A file's versions (`file_versions`) follow it back through its renames and moves: the
history records a rename as the file gone at its old path and new at its new one in the
same publish, and the two are the same item when their ids agree (see `moves.py`: a
rename writes the old id in the front matter). The versions also name each file by its
title where it has one (`version_names`).

An earlier version restored (`restored_in_place`) goes where its file is now, with its
links pointing where their files are now: lessons moved or renamed since do not make it
fail the course's check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from induction.admin.course_files.changes import read_bytes
from induction.admin.course_files.diffs import as_text, truncate, unified
from induction.admin.course_files.links import rewrite_links
from induction.admin.course_files.listing import list_course
from induction.admin.course_files.paths import CourseFolder
from induction.admin.drafts.describe import describe as describe_file
from induction.admin.drafts.models import Publication, PublishedFile
from induction.admin.drafts.moves import identity, where_now
from induction.content.source import decoded
from induction.extensions import db

DISK = "disk"
CHANGED_ON_DISK = "changed on disk"


def publications(folder: str, path: str | None = None) -> list[Publication]:
    """Return the publications of a course folder, newest first (only those of `path`)."""
    stmt = (
        select(Publication)
        .where(Publication.folder == folder)
        .order_by(Publication.published_at.desc(), Publication.id.desc())
        .options(selectinload(Publication.files))
    )
    if path is not None:
        stmt = stmt.where(
            Publication.id.in_(
                select(PublishedFile.publication_id).where(PublishedFile.path == path)
            )
        )
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class Entry:
    """One publish as a history list shows it: the publish and the files to list."""

    publication: Publication
    files: list[PublishedFile]
    moved: frozenset[str] = frozenset()  # paths of `files` a rename or move went from or to


def _renamed_from(publication: Publication, new: PublishedFile, live: CourseFolder) -> str | None:
    """Return the path `new` had before `publication` when that publish renamed or moved it
    (a file gone at the one path the same item, see `moves.identity`), else None."""
    gone = [f for f in publication.files if f.before is not None and f.after is None]
    if not gone or new.after is None:
        return None
    before = {f.path: f.before for f in publication.files}
    after = {f.path: f.after for f in publication.files}

    def read_before(path: str) -> bytes | None:
        return before[path] if path in before else read_bytes(live.path / path)

    def read_after(path: str) -> bytes | None:
        return after[path] if path in after else read_bytes(live.path / path)

    key = identity(new.path, read_after)
    same = [f.path for f in gone if identity(f.path, read_before) == key]
    return same[0] if len(same) == 1 else None


def file_versions(live: CourseFolder, path: str) -> list[Entry]:
    """Return the publishes of the file now at `path`, newest first, each with its files:
    back through each publish that renamed or moved it, under its earlier paths too.

    A path that was new in a publish without being a rename was another file before it:
    its older versions are not this file's.
    """
    following = {path}
    entries = []
    for publication in publications(live.name):
        mine = [f for f in publication.files if f.path in following]
        if not mine:
            continue
        earlier, moved = [], set()
        for found in mine:
            if found.before is not None:
                continue
            following.discard(found.path)
            old = _renamed_from(publication, found, live)
            if old is not None:
                earlier.append(old)
                moved |= {old, found.path}
        following.update(earlier)
        shown = set(earlier) | {f.path for f in mine}
        files = [f for f in publication.files if f.path in shown]
        entries.append(Entry(publication, files, frozenset(moved)))
    return entries


def course_entries(live: CourseFolder) -> list[Entry]:
    """Return every publish of a course folder, newest first, with all its files and which
    of them a rename or move went from or to."""
    entries = []
    for publication in publications(live.name):
        moved: set[str] = set()
        for found in publication.files:
            old = _renamed_from(publication, found, live) if found.before is None else None
            if old is not None:
                moved |= {old, found.path}
        entries.append(Entry(publication, list(publication.files), frozenset(moved)))
    return entries


def version_names(live: CourseFolder, entries: Iterable[Entry]) -> dict[int, str]:
    """Return, by PublishedFile id, what each listed file is in words ("Lesson “Welcome”"),
    its title read from that version (the one it was published as, or the one removed):
    a quiz named by its module as that publish left it, else as published now."""
    names = {}
    for entry in entries:
        contents = {
            f.path: f.after if f.after is not None else f.before for f in entry.publication.files
        }

        def read(path: str, contents: dict[str, bytes | None] = contents) -> bytes | None:
            found = contents.get(path)
            return found if found is not None else read_bytes(live.path / path)

        for found in entry.files:
            names[found.id] = describe_file(found.path, read)
    return names


def has_versions(folder: str, path: str) -> bool:
    """Return True when the history holds a version of the file `path` (one query)."""
    stmt = (
        select(PublishedFile.id)
        .join(Publication)
        .where(Publication.folder == folder, PublishedFile.path == path)
        .limit(1)
    )
    return db.session.scalar(stmt) is not None


def _last_known(folder: str) -> dict[str, bytes | None]:
    known: dict[str, bytes | None] = {}
    stmt = (
        select(PublishedFile.path, PublishedFile.after)
        .join(Publication)
        .where(Publication.folder == folder)
        .order_by(Publication.published_at, Publication.id)
    )
    for path, after in db.session.execute(stmt):
        known[path] = after
    return known


def note_disk_changes(live: CourseFolder) -> Publication | None:
    """Record the files whose text on disk differs from the history's last; return the record.

    Returns None when every file the history knows is as it left it.
    """
    changed = [
        PublishedFile(path=path, before=after, after=read_bytes(live.path / path))
        for path, after in sorted(_last_known(live.name).items())
        if read_bytes(live.path / path) != after
    ]
    if not changed:
        return None
    publication = Publication(folder=live.name, kind=DISK, note=CHANGED_ON_DISK, files=changed)
    db.session.add(publication)
    db.session.flush()
    return publication


def published_file(folder: str, file_id: int) -> PublishedFile | None:
    """Return one file of the course folder's history, or None."""
    found = db.session.get(PublishedFile, file_id)
    if found is None or found.publication.folder != folder:
        return None
    return found


@dataclass(frozen=True)
class Comparison:
    """Two versions of a file as text, and the diff from the first to the second."""

    before: str | None  # None: the file did not exist, or is not text
    after: str | None
    diff: str


def compare(
    path: str, before: bytes | None, after: bytes | None, names: tuple[str, str]
) -> Comparison:
    """Return the comparison of two versions of `path` named `names` (e.g. "before", "now")."""
    old, new = (
        as_text(before) if before is not None else None,
        as_text(after) if after is not None else None,
    )
    diff = truncate(unified(old or "", new or "", f"{path} ({names[0]})", f"{path} ({names[1]})"))
    return Comparison(old, new, diff)


def describe(publication: Publication) -> str:
    """Return one line saying who published what and when, for the CLI and audit."""
    who = publication.actor_name or ("the files on disk" if publication.kind == DISK else "someone")
    when = publication.published_at.strftime("%Y-%m-%d %H:%M UTC")
    note = f": {publication.note}" if publication.note else ""
    return f"{when}  {who}{note}"


def _where_now(folder: CourseFolder) -> Callable[[str], str]:
    items = list_course(folder)
    return where_now(folder, [item.path for item in (*items.markdown_files(), *items.media)])


def path_now(folder: CourseFolder, path: str) -> str:
    """Return where the file an older version was published at (`path`) is in `folder` now:
    its new path when it was renamed or moved since, else `path`."""
    return _where_now(folder)(path)


def restored_in_place(draft: CourseFolder, path: str, content: bytes) -> tuple[str, bytes]:
    """Return where an earlier version of the file `path` goes in the course as `draft`
    holds it now, and its text with each link pointing where its file is now (a file that
    is not text, or a link to a file that is gone, is left as it was)."""
    now = _where_now(draft)
    target = now(path)
    source = decoded(content)
    if source is None:
        return target, content
    text = rewrite_links(source, path, target, now)
    if text == source.text:
        return target, content
    return target, source.denormalise(text).encode("utf-8")
