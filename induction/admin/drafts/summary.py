"""What a course's draft does, in a few lines an author recognises, for the top of the
draft page: one line per thing done ("Added the lesson “Budgets” to “First steps”",
"Changed the quiz of “First steps”", "Changed the order of the lessons in “First
steps”"), rather than one per file. A reorder renumbers every lesson below the moved one
and rewrites the links that point at them; those files are one line, and the files whose
only change is such a link are counted in one more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from induction.admin.course_files.listing import kind_of
from induction.admin.drafts.describe import module_named, named
from induction.admin.drafts.moves import action_of
from induction.admin.drafts.publishing import DraftChange

Reader = Callable[[str], bytes | None]  # course-relative path -> the file's bytes, or None


@dataclass(frozen=True)
class Line:
    """One thing the draft does, and the number of its first file in the draft's list."""

    text: str
    first: int  # 1-based place in the list of changed files, for a link to it


def move_text(key: str, path: str, read: Reader) -> str:
    """Return what the action `key` (see `moves.action_of`) that moved a file to `path`
    did, in words: "Changed the order of the lessons in “First steps”"."""
    if key == "modules:":
        return "Changed the order of the modules"
    if key.startswith("modules:"):
        return f"Renamed the folder of the module {module_named(path, read)}"
    if key.startswith("renamed:"):
        return f"Renamed the file of {named(path, read)}"
    return f"Changed the order of the lessons in {module_named(path, read)}"


def _added(path: str, read: Reader) -> str:
    kind = kind_of(path)
    if kind == "lesson":
        return f"Added {named(path, read)} to {module_named(path, read)}"
    if kind == "quiz":
        return f"Added a quiz to {module_named(path, read)}"
    if kind == "module":
        return f"Added the module {module_named(path, read)}"
    return f"Added {named(path, read)}"


def summary(changes: Sequence[DraftChange], read: Reader) -> list[Line]:
    """Return the lines saying what the draft `changes` do, in the order of their files.

    `read` gives a file as the draft makes it (as published, for one it deletes).
    """
    lines: list[Line] = []
    seen: set[str] = set()  # keys of the moves already said
    following = [index for index, change in enumerate(changes, 1) if change.follows]
    for index, change in enumerate(changes, 1):
        if change.follows or change.what == "moved away":
            continue
        path = change.path
        if change.what == "moved" and change.partner is not None:
            key = action_of(change.partner, path)
            if key not in seen:
                seen.add(key)
                lines.append(Line(move_text(key, path, read), index))
            continue
        if change.what == "new":
            lines.append(Line(_added(path, read), index))
        elif change.what == "deleted":
            lines.append(Line(f"Deleted {named(path, read)}", index))
        else:
            lines.append(Line(f"Changed {named(path, read)}", index))
    if following:
        count = len(following)
        files = "file" if count == 1 else "files"
        lines.append(
            Line(
                f"{count} other {files} only {'has its' if count == 1 else 'have their'} "
                "links updated, to follow what moved",
                following[0],
            )
        )
    return lines
