"""Publishing a course's draft set, all of it or chosen files, and listing what it holds.

Before anything is written the course as it would then be is checked as `courses
check` checks it (any error refuses the publish and names the file and line), a
lesson may not still hold the new-lesson placeholder, and a file changed on disk
since its draft began is refused (publishing would silently undo that change).
The files are then written all or nothing (`induction.content.journal`), the
publish is recorded with the text of every file before and after, and the
published drafts are removed. Services flush; the caller commits between
`stage` and `finish` (see `publish`).
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from induction.accounts import audit
from induction.accounts.models import User
from induction.admin.course_files.changes import read_bytes
from induction.admin.course_files.checking import check_tree
from induction.admin.course_files.diffs import as_text, truncate, unified
from induction.admin.course_files.listing import course_id_of, kind_of, list_course
from induction.admin.course_files.paths import CourseFolder
from induction.admin.course_files.workspace import copy_live, lay_over
from induction.admin.drafts import (
    gitrepo,
    history,
    places,
    quiz_changes,
    readable_changes,
    review,
    store,
    updates,
)
from induction.admin.drafts.describe import describe, named, reader
from induction.admin.drafts.models import DraftFile, Publication, PublishedFile
from induction.admin.drafts.moves import grouping, is_renaming, with_moves
from induction.admin.drafts.pending import change_kind
from induction.catalogue import get_catalogue
from induction.content import journal
from induction.content.model import Library, Problem, Severity
from induction.content.tree import COURSE_FILE
from induction.extensions import db
from induction.progress.wording import listed

PLACEHOLDER = "Write the lesson here"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DraftChange:
    """One file of a draft set as the draft page shows it."""

    path: str
    # "new", "changed" or "deleted"; a file renumbered (moved up or down, or its module
    # moved) is "moved" at its new path and "moved away" at its old one.
    what: str
    diff: str  # against the live file ("" for a file that is not text)
    author: str
    row: DraftFile
    live_moved_on: bool  # the live file changed since the draft began
    partner: str | None = None  # a move's other path: where it went, or where it came from
    is_text: bool = True  # False: a picture or other file the page cannot compare
    # A file changed only in its links: the new paths of the moves they follow.
    follows: tuple[str, ...] = ()
    description: str = "File"  # what it is, in words: "Lesson “Our story”" (see describe.py)
    changes: readable_changes.Changes | None = None  # the diff as an author reads it
    quiz: quiz_changes.QuizChanges | None = None  # a quiz's changes in words (see quiz_changes)
    # Every path that goes out (or is discarded) with this one, itself included; empty for
    # a file that goes alone (see `moves.Grouping`).
    group: frozenset[str] = frozenset()
    # Where it is, in words, instead of its path: "Lesson 2 of module 1: “First steps”"
    # (see places.py); `partner_place` says the same of `partner`, to go in a sentence
    # ("lesson 3 of module 1: …"), and `follows_named` names the files of `follows`.
    place: str = ""
    partner_place: str = ""
    follows_named: str = ""

    @property
    def renamed(self) -> bool:
        """True for a move that gave the file another name, not only another number."""
        return self.partner is not None and is_renaming(self.partner, self.path)

    @property
    def keeps_its_place(self) -> bool:
        """True for a move whose other path is at the same place in words (a renaming)."""
        return self.partner_place == places.in_sentence(self.place)


def _author(row: DraftFile) -> str:
    return row.author.name if row.author is not None else "someone no longer here"


def draft_changes(live: CourseFolder, *, compare: bool = True) -> list[DraftChange]:
    """Return each file of the course's draft set with its diff against the live file.

    A moved or renamed file (see `moves.py`) is shown as moved, its diff against the file
    it was; a file changed only in its links to moved files says which moves it follows.
    With `compare` False the diffs are left empty: for a page that only counts the
    changes.
    """
    changes = []
    rows = store.draft_rows(live.name)
    together = grouping(live, rows)
    partners = together.partners
    read = reader(live, rows)  # the draft's file, else the published one
    pass_mark = quiz_changes.course_pass_mark(read(COURSE_FILE))
    published, drafted = _numbers(live, rows)
    for row in rows:
        current = read_bytes(live.path / row.path)
        partner = partners.get(row.path)
        what = change_kind(row.content, current is not None, partner is not None)
        was, before_path = current, row.path
        if what == "moved" and partner is not None:
            was, before_path = read_bytes(live.path / partner), partner
        before, after = as_text(was), as_text(row.content)
        diff, readable, quiz = "", None, None
        if compare and before is not None and after is not None and what != "moved away":
            diff = truncate(
                unified(before, after, f"{before_path} (published)", f"{row.path} (draft)")
            )
            readable = readable_changes.compare(before, after)
        if compare and after is not None and kind_of(row.path) == "quiz" and what != "moved away":
            quiz = quiz_changes.compare(before, after, pass_mark)
        moved = store.content_hash(current) != row.base_hash
        is_text = after is not None
        follows = tuple(new for _, new in together.follows.get(row.path, []))
        gone = what in ("deleted", "moved away")
        counted = published if gone else drafted
        partner_counted = drafted if what == "moved away" else published
        changes.append(
            DraftChange(
                row.path,
                what,
                diff,
                _author(row),
                row,
                moved,
                partner,
                is_text,
                follows,
                describe(row.path, read),
                readable,
                quiz,
                together.groups.get(row.path, frozenset()),
                places.place(row.path, counted, read),
                places.in_sentence(places.place(partner, partner_counted, read)) if partner else "",
                listed([named(path, read) for path in follows]),
            )
        )
    return changes


def _numbers(live: CourseFolder, rows: list[DraftFile]) -> tuple[places.Numbers, places.Numbers]:
    """Return the numbers of the modules and lessons of the course as published, and as
    its draft `rows` make it."""
    try:
        published = {item.path for item in list_course(live).markdown_files()}
    except OSError:
        published = set()
    added = {row.path for row in rows if row.content is not None}
    deleted = {row.path for row in rows if row.content is None}
    return places.numbers(published), places.numbers((published | added) - deleted)


def _placeholder_problems(live: CourseFolder, rows: list[DraftFile]) -> list[Problem]:
    problems = []
    for row in rows:
        text = as_text(row.content) if row.content is not None else None
        if not text or kind_of(row.path) != "lesson":
            continue
        for number, line in enumerate(text.split("\n"), start=1):
            if PLACEHOLDER in line:
                problems.append(
                    Problem(
                        live.display(row.path),
                        number,
                        "this lesson still holds the placeholder 'Write the lesson here': "
                        "write the lesson, or leave this file out of the publish",
                    )
                )
    return problems


def _moved_on_problems(live: CourseFolder, rows: list[DraftFile]) -> list[Problem]:
    return [
        Problem(
            live.display(row.path),
            0,
            "the published file changed (on disk) since this draft began: compare them on "
            "the draft page, then discard this draft or save it again on top of the new file",
        )
        for row in rows
        if store.content_hash(read_bytes(live.path / row.path)) != row.base_hash
    ]


@contextmanager
def drafted_course(live: CourseFolder, rows: list[DraftFile]) -> Iterator[Path]:
    """Yield a temporary courses folder holding the live course with `rows` laid over it."""
    with tempfile.TemporaryDirectory(prefix="induction-publish-") as temporary:
        root = Path(temporary)
        copy_live(live.path, root / live.name)
        lay_over(root / live.name, {row.path: row.content for row in rows})
        yield root


def check_publish(live: CourseFolder, rows: list[DraftFile]) -> list[Problem]:
    """Return the errors that refuse publishing `rows` (empty: they may be published)."""
    return _checked(live, rows)[1]


def _checked(live: CourseFolder, rows: list[DraftFile]) -> tuple[Library, list[Problem]]:
    """Return the library as publishing `rows` would make it, and the errors that refuse it."""
    catalogue = get_catalogue()
    catalogue.library()  # makes the renderer on first use
    with drafted_course(live, rows) as root:
        library, problems = check_tree(root, catalogue.renderer)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    return library, [*_moved_on_problems(live, rows), *errors, *_placeholder_problems(live, rows)]


@dataclass(frozen=True)
class Published:
    """A publish made: its record, and its git commit when the courses folder is a work tree."""

    publication: Publication
    commit: str | None = None  # the commit id
    git_problem: str | None = None  # why the commit failed although the files are published


def record(
    live: CourseFolder, rows: list[DraftFile], *, actor: User | None, note: str, kind: str
) -> Publication:
    """Flush a publication with the before and after text of each file of `rows`."""
    publication = Publication(
        folder=live.name,
        kind=kind,
        actor_id=actor.id if actor else None,
        actor_name=actor.name if actor else "",
        note=note,
    )
    for row in rows:
        publication.files.append(
            PublishedFile(path=row.path, before=read_bytes(live.path / row.path), after=row.content)
        )
    db.session.add(publication)
    db.session.flush()
    return publication


class PublishRefused(Exception):
    """Publishing is refused; `problems` say which file and line, and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class NoticeRequired(PublishRefused):
    """The publish raises lesson versions (`raised`) and has no note for their learners."""

    def __init__(self, live: CourseFolder, raised: list[updates.RaisedLesson]) -> None:
        titles = ", ".join(f"'{lesson.title}'" for lesson in raised)
        self.message = (
            f"This publish raises the version of {titles}: write a one-line note for the "
            "people who read the earlier version, and the days they have to read it again"
        )
        super().__init__([Problem(live.name, 0, self.message)])
        self.raised = raised


def publish(
    live: CourseFolder,
    paths: set[str] | None,
    *,
    actor: User | None,
    note: str,
    commit: Callable[[], None],
    notice: updates.LearnerNotice | None = None,
    notice_required: bool = False,
) -> Published:
    """Publish the drafts of `paths` (all of them when None, and with each the rest of its
    group, such as both names of a moved file: see `moves.py`); return what was done.

    In order, under a lock on the course folder: check (raises PublishRefused),
    stage every new file beside the live one (the journal is then "ready"), flush
    the record and remove the published drafts, call `commit` (the caller's
    transaction), then rename the files into place. When `commit` fails the staged
    files are removed; a process killed after staging leaves a ready journal that
    the next start completes, so the course is never half-published. When the
    courses folder is a git work tree the publish is then one commit (refused
    beforehand when the tree has uncommitted changes or no identity). Raises
    PublishRefused when there is nothing to publish or a check fails; OSError when
    the files cannot be staged (nothing learners see has changed then).

    A lesson whose version is raised is recorded with `notice` for its learners (see
    updates.py); with `notice_required` and no notice such a publish raises
    NoticeRequired.
    """
    rows = store.draft_rows(live.name)
    if paths is not None:  # a moved file goes with its other name, never alone
        wanted = with_moves(live, rows, paths)
        rows = [row for row in rows if row.path in wanted]
    if not rows:
        raise PublishRefused([Problem(live.name, 0, "there are no draft changes to publish")])
    with journal.folder_lock(live.path):
        library, problems = _checked(live, rows)
        raised = updates.raised_lessons(get_catalogue().library(), library)
        if raised and notice is None and notice_required and not problems:
            raise NoticeRequired(live, raised)
        for why in (review.refusal(live.name), gitrepo.refusal(live.root, live.name)):
            if why:
                problems.append(Problem(live.name, 0, why))
        if problems:
            raise PublishRefused(problems)
        writes = {row.path: row.content for row in rows if row.content is not None}
        deletes = tuple(row.path for row in rows if row.content is None)
        # Changes made on disk since the last publish go in the history first, in order.
        history.note_disk_changes(live)
        staged = journal.stage(live.path, writes, deletes)
        try:
            publication = record(live, rows, actor=actor, note=note, kind="published")
            if raised and notice is not None:
                updates.record_updates(publication, raised, notice)
            audit.record(
                "course.changes_published",
                actor=actor,
                target=("course", course_id_of(live)),
                details={
                    "folder": live.name,
                    "paths": [r.path for r in rows],
                    "note": note,
                    "lessons_updated": [lesson.lesson_id for lesson in raised],
                    "learner_note": notice.note if raised and notice else "",
                },
            )
            for row in rows:
                db.session.delete(row)
            db.session.flush()
            commit()
        except BaseException:
            journal.roll_back(staged)
            raise
        journal.finish(staged)
        published = _commit_to_git(live, publication, actor)
    get_catalogue().reload()
    return published


def _commit_to_git(live: CourseFolder, publication: Publication, actor: User | None) -> Published:
    if not gitrepo.is_work_tree(live.root):
        return Published(publication)
    name = re.sub(r"[<>\n]", "", actor.name if actor else "") or "Induction"
    email = re.sub(r"[<>\s]", "", actor.email if actor else "") or "induction@localhost"
    try:
        commit_id = gitrepo.commit_publish(
            live.root, live.name, author=name, email=email, note=publication.note
        )
    except (gitrepo.GitFailed, OSError) as failed:
        log.warning("publish %s of %s not committed: %s", publication.id, live.name, failed)
        return Published(publication, git_problem=str(failed))
    return Published(publication, commit=commit_id)
