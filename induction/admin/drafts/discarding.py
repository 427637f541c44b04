"""Throwing away part of a course's draft without breaking the rest of it.

Discarding takes the whole group of the file (both names of a move, the files whose links
only follow it: see `moves.py`). Other drafted files that link to a discarded move's new
name have those links turned back to its old name, their other changes kept. The draft is
then checked as publishing checks it: a discard that would add an error (a link to a new
lesson being discarded, say) is refused with the errors, and nothing changes.

Services flush and never commit; the view commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from induction.accounts.models import User
from induction.admin.course_files.changes import read_bytes
from induction.admin.course_files.paths import CourseFolder
from induction.admin.drafts import moves, publishing, store
from induction.content.model import Problem


class DiscardRefused(Exception):
    """Discarding would leave the draft with new errors (`problems`)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class Discarded:
    """What a discard did: the files put back as published, and the other drafted files
    whose links were turned back to follow them."""

    paths: list[str]
    relinked: list[str]


def _keys(problems: list[Problem]) -> set[tuple[str, str]]:
    return {(problem.path, problem.message) for problem in problems}


def discard(live: CourseFolder, paths: set[str], *, author: User | None) -> Discarded:
    """Discard the drafts of `paths` with the rest of their groups; return what was done.

    Raises DiscardRefused, with nothing changed, when the draft would then have an error it
    does not have now.
    """
    rows = store.draft_rows(live.name)
    wanted = moves.with_moves(live, rows, paths)
    if not any(row.path in wanted for row in rows):
        return Discarded([], [])
    had = _keys(publishing.check_publish(live, rows))
    relinked = moves.links_back(live, rows, wanted)
    found = {row.path: row.content_hash for row in rows}
    discarded = store.discard(live.name, wanted)
    for path, content in relinked.items():
        store.save_file(
            live.name,
            path,
            content,
            found=found[path],
            live=read_bytes(live.path / path),
            author=author,
        )
    problems = publishing.check_publish(live, store.draft_rows(live.name))
    added = [problem for problem in problems if (problem.path, problem.message) not in had]
    if added:
        raise DiscardRefused(added)
    return Discarded(discarded, sorted(relinked))
