"""What is waiting in the drafts, for the pages that list courses, modules and lessons.

The course list counts each course's drafted files (one aggregate query over every draft;
Admin home's list is `unpublished.py`); the course list, a course's page and a module's
page mark each file
the draft changes ("New in the draft", "Changed in the draft", ...). A file's kind of
change is the draft page's own rule (`change_kind`, used by
`publishing.draft_changes` too), moves paired as the draft page pairs them
(`moves.moves`). Nothing here reads a diff: only the draft rows, and whether each
drafted file is published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select

from induction.admin.course_files.front import title_of
from induction.admin.course_files.listing import kind_of
from induction.admin.course_files.paths import CourseFolder
from induction.admin.drafts import moves, store
from induction.admin.drafts.models import SCHEDULED, DraftFile, ScheduledPublish
from induction.content.tree import MEDIA_DIR, MODULE_FILE
from induction.extensions import db

# What a mark says beside a file, by the draft page's name for its change.
MARK_WORDS = {
    "new": "New in the draft",
    "changed": "Changed in the draft",
    "moved": "Moved in the draft",
    "renamed": "Renamed in the draft",
    "deleted": "Deleted in the draft",
}


def change_kind(content: bytes | None, is_published: bool, is_moved: bool) -> str:
    """Return what a draft row does to its file, as the draft page names it: "new",
    "changed" or "deleted"; for one half of a move (see `moves`), "moved" at its new path
    and "moved away" at its old one. Pure."""
    if is_moved:
        return "moved away" if content is None else "moved"
    if content is None:
        return "deleted"
    return "changed" if is_published else "new"


def draft_counts() -> dict[str, int]:
    """Return the number of draft rows of every course folder that has any (one query)."""
    stmt = select(DraftFile.folder, func.count()).group_by(DraftFile.folder)
    return {folder: count for folder, count in db.session.execute(stmt)}


def next_publishes() -> dict[str, dt.datetime]:
    """Return the time of the next scheduled publish of every course folder that has one
    (one query)."""
    stmt = (
        select(ScheduledPublish.folder, func.min(ScheduledPublish.due_at))
        .where(ScheduledPublish.state == SCHEDULED)
        .group_by(ScheduledPublish.folder)
    )
    return {folder: due_at for folder, due_at in db.session.execute(stmt)}


@dataclass(frozen=True)
class DraftMarks:
    """What a course's draft does to each of its files: `kinds` maps each drafted path to
    its change (see `change_kind`; a move that renames is "renamed"), `titles` each
    deleted lesson and module to its published title."""

    kinds: Mapping[str, str] = field(default_factory=dict)
    titles: Mapping[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def of(self, path: str) -> str | None:
        """Return the mark of the file shown at `path` (None: the draft leaves it alone)."""
        kind = self.kinds.get(path)
        return MARK_WORDS.get(kind) if kind else None

    def of_module(self, module: str) -> str | None:
        """Return the mark of a module folder: its module.md's when that is new, moved or
        renamed (the whole module is), else "Changed in the draft" when the draft changes
        any file in it."""
        own = self.kinds.get(f"{module}/{MODULE_FILE}")
        if own in ("new", "moved", "renamed"):
            return MARK_WORDS[own]
        if any(path.startswith(module + "/") for path in self.kinds):
            return MARK_WORDS["changed"]
        return None

    def of_media(self) -> str | None:
        """Return "Changed in the draft" when the draft changes any picture or file."""
        inside = any(path.startswith(MEDIA_DIR + "/") for path in self.kinds)
        return MARK_WORDS["changed"] if inside else None

    def deleted_lessons(self, module: str) -> list[tuple[str, str]]:
        """Return (path, title) of each lesson of `module` the draft deletes, by path."""
        return [
            (path, self.titles.get(path, path.rsplit("/", 1)[-1]))
            for path, kind in sorted(self.kinds.items())
            if kind == "deleted" and kind_of(path) == "lesson" and path.startswith(module + "/")
        ]

    def deleted_modules(self) -> list[tuple[str, str]]:
        """Return (folder, title) of each module the draft deletes (its module.md deleted)."""
        return [
            (module, self.titles.get(path, module))
            for path, kind in sorted(self.kinds.items())
            if kind == "deleted" and kind_of(path) == "module"
            for module in [path.split("/", 1)[0]]
        ]


def draft_marks(live: CourseFolder, drafted: Mapping[str, str]) -> DraftMarks:
    """Return what the draft of the course `live` does to each file. `drafted` is the
    paths the draft holds, already known to the page (`DraftFolder.found`): when it is
    empty nothing is read; else the draft rows are read once, for pairing moves."""
    if not drafted:
        return DraftMarks()
    rows = store.draft_rows(live.name)
    partners = moves.moves(live, rows)
    kinds: dict[str, str] = {}
    titles: dict[str, str] = {}
    for row in rows:
        kind = change_kind(row.content, (live.path / row.path).is_file(), row.path in partners)
        if kind == "moved" and moves.is_renaming(partners[row.path], row.path):
            kind = "renamed"
        kinds[row.path] = kind
        what = kind_of(row.path)
        if kind == "deleted" and what in ("lesson", "module"):
            titles[row.path] = title_of(live, row.path, what) or row.path.rsplit("/", 1)[-1]
    return DraftMarks(kinds, titles)
