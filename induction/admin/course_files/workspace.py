"""A course as its draft makes it: the live folder copied, with the draft rows laid over it.

Every authoring page works on such a copy (`DraftFolder`), so it lists, opens, checks
and previews what the draft holds, while the live folder, which learners see, is
never written. A change made to the copy is saved back as draft rows
(`save_change`), each one only if nobody changed it since the copy was made.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from induction.accounts.models import User
from induction.admin.course_files.changes import Change, read_bytes
from induction.admin.course_files.paths import CourseFolder
from induction.admin.drafts import store
from induction.content.journal import remove_empty_parents
from induction.content.tree import inside_course


@dataclass(frozen=True)
class DraftFolder(CourseFolder):
    """A working copy of a course folder with its draft applied (see the module docstring)."""

    live_root: Path = Path()
    found: Mapping[str, str] = field(default_factory=dict)  # path -> draft hash when copied

    @property
    def live(self) -> CourseFolder:
        """The live course folder this copy was made from."""
        return CourseFolder(self.live_root, self.name)


def all_files(course_dir: Path) -> set[str]:
    """Return the course-relative paths of every file in a folder (hidden names left out)."""
    found = set()
    for current, dirs, names in os.walk(course_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        relative = Path(current).relative_to(course_dir)
        for name in names:
            if not name.startswith("."):
                found.add((relative / name).as_posix())
    return found


def copy_live(source: Path, target: Path) -> None:
    """Copy a live course folder: its files, no hidden names and no symbolic links."""
    for current, dirs, names in os.walk(source):
        relative = Path(current).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        dirs[:] = [
            d for d in dirs if not d.startswith(".") and inside_course(source, Path(current, d))
        ]
        for name in names:
            path = Path(current, name)
            if not name.startswith(".") and inside_course(source, path):
                shutil.copyfile(path, target / relative / name)


def lay_over(course_dir: Path, drafts: Mapping[str, bytes | None]) -> None:
    """Write each draft's content into `course_dir` (None: remove the file)."""
    for relative, content in drafts.items():
        path = course_dir / relative
        if content is None:
            path.unlink(missing_ok=True)
            remove_empty_parents(course_dir, path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)


def open_draft(live: CourseFolder, workspace: Path) -> DraftFolder:
    """Copy `live` into the empty folder `workspace` and lay its draft over it."""
    copy_live(live.path, workspace / live.name)
    rows = store.draft_rows(live.name)
    lay_over(workspace / live.name, {row.path: row.content for row in rows})
    return DraftFolder(workspace, live.name, live.root, {r.path: r.content_hash for r in rows})


def affected_paths(change: Change, before: set[str], after: set[str]) -> set[str]:
    """Return every file a change wrote, moved or removed, folders expanded to their files."""
    roots = [*(p for pair in change.renames for p in pair), *change.deletes]
    every = before | after
    return set(change.writes) | {p for p in every for r in roots if p == r or p.startswith(r + "/")}


def save_change(folder: DraftFolder, paths: set[str], author: User | None) -> None:
    """Save the copy's `paths` as draft rows; a file equal to its live one has no row.

    Raises store.DraftConflict when a draft row changed since the copy was made.
    """
    for relative in sorted(paths):
        store.save_file(
            folder.name,
            relative,
            read_bytes(folder.path / relative),
            found=folder.found.get(relative),
            live=read_bytes(folder.live.path / relative),
            author=author,
        )
