"""The course file service: how the authoring pages read and change course folders.

Every change goes the same way (`commit`) and is made to the course's draft,
never to the files learners see: the pages work on a `DraftFolder` (the live
course with its draft laid over it). A change is refused if a file changed since
the author opened it (a conflict: the draft or the live file, whichever the author
saw); it is applied to a temporary copy of the course and checked as `courses
check` would (refused while it adds errors); confirmation is asked when it will
affect people once published (a lesson's version raised, a quiz changed); then it
is saved as draft rows (see `induction.admin.drafts`) and recorded in the audit
log with a diff. Publishing the draft (`induction.admin.drafts.publishing`) writes
the live files.

Services add to the database session and flush; the view commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from flask import current_app

from induction.accounts import audit
from induction.accounts.models import User
from induction.admin.course_files.changes import (
    Change,
    apply_change,
    file_hash,
    read_bytes,
)
from induction.admin.course_files.checking import Checked, check_change
from induction.admin.course_files.diffs import as_text, change_diff, unified
from induction.admin.course_files.edits import EditRefused
from induction.admin.course_files.impact import Impact, change_impacts
from induction.admin.course_files.listing import course_id_of
from induction.admin.course_files.media import DEFAULT_MAX_BYTES, MediaRefused, check_upload
from induction.admin.course_files.paths import CourseFolder, PathRefused, open_course, resolve
from induction.admin.course_files.workspace import (
    DraftFolder,
    affected_paths,
    all_files,
    save_change,
)
from induction.admin.drafts.store import DraftConflict, draft_rows
from induction.catalogue import get_catalogue
from induction.content import Renderer
from induction.content.gift import (
    GiftResult,
    convert_gift,
    course_question_ids,
    nothing_imported_message,
)
from induction.content.source import DecodeError, decode
from induction.content.tree import MEDIA_DIR, QUIZ_FILE
from induction.extensions import db

__all__ = [
    "Change",
    "Checked",
    "Conflict",
    "CourseFolder",
    "DraftFolder",
    "EditRefused",
    "Impact",
    "MediaRefused",
    "Outcome",
    "PathRefused",
    "commit",
    "courses_root",
    "media_max_bytes",
    "open_course",
    "preview",
]

SAVED = "saved"
UNCHANGED = "unchanged"
INVALID = "invalid"
CONFIRM = "confirm"
CONFLICT = "conflict"
GIFT_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Conflict:
    """A file that changed on disk since the author opened it."""

    path: str
    current: str | None  # the text on disk now; None when the file is gone or not text
    diff: str  # from the text on disk now to the author's text


@dataclass(frozen=True)
class Outcome:
    """What happened to a change: `status` is saved, unchanged, invalid, confirm or conflict."""

    status: str
    checked: Checked | None = None
    impacts: tuple[Impact, ...] = ()
    token: str = ""  # for confirm: send it back to confirm exactly this change
    conflicts: tuple[Conflict, ...] = field(default=())

    @property
    def is_saved(self) -> bool:
        """True when the change was written."""
        return self.status == SAVED


def courses_root() -> Path:
    """Return the courses folder (COURSES_DIR) of the current app."""
    return get_catalogue().root


def media_max_bytes() -> int:
    """Return the largest media upload allowed, in bytes (MEDIA_MAX_BYTES, default 5 MB)."""
    return int(current_app.config.get("MEDIA_MAX_BYTES") or DEFAULT_MAX_BYTES)


def _renderer() -> Renderer | None:
    catalogue = get_catalogue()
    catalogue.library()  # makes the renderer on first use
    return catalogue.renderer


def preview(folder: CourseFolder, change: Change) -> Checked:
    """Return the check of the course with `change` applied (nothing is written).

    Raises OSError when the course cannot be copied.
    """
    return check_change(folder, change, _renderer())


def _conflicts(
    folder: CourseFolder, change: Change, expected: Mapping[str, str]
) -> tuple[Conflict, ...]:
    found = []
    for relative, wanted in expected.items():
        data = read_bytes(resolve(folder, relative))
        if file_hash(data) == wanted:
            continue
        current = as_text(data) if data is not None else None
        mine = as_text(change.writes.get(relative, b"")) or ""
        diff = unified(current or "", mine, f"{relative} (on disk now)", f"{relative} (yours)")
        found.append(Conflict(relative, current, diff))
    return tuple(found)


def _is_unchanged(folder: CourseFolder, change: Change) -> bool:
    if change.renames or change.deletes:
        return False
    return all(read_bytes(folder.path / path) == data for path, data in change.writes.items())


def _draft_conflict(folder: DraftFolder, change: Change, path: str) -> Outcome:
    rows = draft_rows(folder.name, {path})
    data = rows[0].content if rows else read_bytes(folder.live.path / path)
    current = as_text(data) if data is not None else None
    mine = as_text(change.writes.get(path, b"")) or ""
    diff = unified(current or "", mine, f"{path} (saved by someone else)", f"{path} (yours)")
    return Outcome(CONFLICT, conflicts=(Conflict(path, current, diff),))


def commit(
    folder: DraftFolder,
    change: Change,
    *,
    actor: User,
    action: str,
    expected: Mapping[str, str] | None = None,
    confirm: str | None = None,
    ask_impact: bool = True,
    strict: bool = False,
    details: Mapping[str, Any] | None = None,
) -> Outcome:
    """Check `change` and save it to the course's draft when it may be made; return what happened.

    `expected` maps paths to the hash of the bytes the author started from ("" for a
    file that must not exist yet); a mismatch is a conflict and nothing is saved.
    When the change affects people and `confirm` is not the change's token, the
    outcome asks for confirmation instead. With `strict`, any error in the course refuses
    the change, not only the errors it adds. On success the draft rows and the audit
    event are flushed; the caller commits. Learners see nothing until the draft is
    published. Raises OSError when the working copy cannot be written.
    """
    conflicts = _conflicts(folder, change, expected or {})
    if conflicts:
        return Outcome(CONFLICT, conflicts=conflicts)
    if _is_unchanged(folder, change):
        return Outcome(UNCHANGED)
    checked = preview(folder, change)
    if strict and checked.errors:
        checked = replace(checked, blocking=checked.errors)
    if checked.blocking:
        return Outcome(INVALID, checked)
    impacts = tuple(change_impacts(folder, change)) if ask_impact else ()
    token = change.token()
    if impacts and confirm != token:
        return Outcome(CONFIRM, checked, impacts, token)
    paths = sorted(change.writes) + [new for _, new in change.renames] + change.deletes
    diff = change_diff(folder, change)
    before = all_files(folder.path)
    apply_change(folder.path, change, durable=False)
    try:
        save_change(folder, affected_paths(change, before, all_files(folder.path)), actor)
    except DraftConflict as conflict:
        return _draft_conflict(folder, change, conflict.path)
    audit.record(
        action,
        actor=actor,
        target=("course", course_id_of(folder)),
        details={
            "folder": folder.name,
            "paths": paths,
            "draft": True,
            **({"impacts": [i.message for i in impacts]} if impacts else {}),
            **(details or {}),
            "diff": diff,
        },
    )
    db.session.flush()
    return Outcome(SAVED, checked, impacts)


def upload_media(
    folder: DraftFolder, filename: str, data: bytes, *, replace: bool, actor: User
) -> tuple[str, Outcome]:
    """Check an uploaded file and store it under media/; return its path and the outcome.

    Raises MediaRefused for a refused file and EditRefused when the name is taken
    and `replace` is False.
    """
    media = check_upload(filename, data, media_max_bytes())
    relative = f"{MEDIA_DIR}/{media.name}"
    if resolve(folder, relative).exists() and not replace:
        raise EditRefused(
            f"a file named {media.name} is already in media/: tick 'Replace a file with the "
            "same name' to replace it, or rename your file"
        )
    change = Change(writes={relative: media.data})
    outcome = commit(
        folder,
        change,
        actor=actor,
        action="course_media.uploaded",
        details={"name": media.name, "bytes": len(media.data)},
    )
    return relative, outcome


def import_gift(
    folder: DraftFolder, module: str, data: bytes, *, replace: bool, actor: User
) -> tuple[GiftResult, Outcome]:
    """Convert a GIFT file into the module's quiz.md through the usual checks.

    Ticking `replace` is the author's confirmation (the page shows beforehand how
    many people have taken the quiz). Raises EditRefused when the file is too
    large, not UTF-8, has nothing to import, or the module has a quiz and
    `replace` is False.
    """
    if len(data) > GIFT_MAX_BYTES:
        raise EditRefused("the GIFT file is larger than 1 MB: split it into smaller files")
    try:
        source = decode(data)
    except DecodeError as exc:
        raise EditRefused(f"line {exc.line}: {exc.message}") from None
    relative = f"{module}/{QUIZ_FILE}"
    target = resolve(folder, relative)
    if target.exists() and not replace:
        raise EditRefused(
            "this module already has a quiz: tick 'Replace the existing quiz' to replace it"
        )
    result = convert_gift(source.text, course_question_ids(target.parent))
    if not result.questions:
        raise EditRefused(nothing_imported_message("the GIFT file", result))
    change = Change(writes={relative: result.text.encode("utf-8")})
    outcome = commit(
        folder,
        change,
        actor=actor,
        action="course_quiz.imported",
        ask_impact=False,
        details={"notes": [note.format("line ") for note in result.notes][:200]},
    )
    return result, outcome
