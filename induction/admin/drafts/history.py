"""A course's history: each publish with who, when, its note and every file before and after.

Files can change on disk by other means (a `git pull` on the server); `note_disk_changes`
records each file whose text on disk differs from the last one the history knows, as
"changed on disk", so the history never silently skips a version. Services flush; the
caller commits.

An earlier version restored (`restored_in_place`) goes where its file is now, with its
links pointing where their files are now: lessons moved or renamed since do not make it
fail the course's check.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from induction.admin.course_files.changes import read_bytes
from induction.admin.course_files.diffs import as_text, truncate, unified
from induction.admin.course_files.links import rewrite_links
from induction.admin.course_files.listing import list_course
from induction.admin.course_files.paths import CourseFolder
from induction.admin.drafts.models import Publication, PublishedFile
from induction.admin.drafts.moves import where_now
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
    )
    if path is not None:
        stmt = stmt.where(
            Publication.id.in_(
                select(PublishedFile.publication_id).where(PublishedFile.path == path)
            )
        )
    return list(db.session.scalars(stmt))


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


def restored_in_place(draft: CourseFolder, path: str, content: bytes) -> tuple[str, bytes]:
    """Return where an earlier version of the file `path` goes in the course as `draft`
    holds it now, and its text with each link pointing where its file is now (a file that
    is not text, or a link to a file that is gone, is left as it was)."""
    items = list_course(draft)
    now = where_now(draft, [item.path for item in (*items.markdown_files(), *items.media)])
    target = now(path)
    source = decoded(content)
    if source is None:
        return target, content
    text = rewrite_links(source, path, target, now)
    if text == source.text:
        return target, content
    return target, source.denormalise(text).encode("utf-8")
