"""Importing the network's member list from a CSV file: preview every line, then confirm.

The file is the one `flask orgs import` reads (columns `name,category`, optionally
`subtype`; see organisations.parse_member_list). `preview` checks every line against
the organisations there are now and writes nothing; `confirm` checks again and, when
the plan is still the one previewed, adds and changes organisations in the caller's
transaction. Organisations that are not on the list are left alone (retire them on
their page), and so are retired ones on the list that are otherwise unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select

from induction.accounts.errors import AccountError
from induction.accounts.models import Category, Organisation, Subtype, User, name_key
from induction.accounts.organisations import (
    CATEGORY_LABELS,
    SUBTYPE_LABELS,
    ImportResult,
    MemberRow,
    import_organisations,
    parse_member_list,
)
from induction.accounts.uploads import digest_of
from induction.extensions import db

MAX_BYTES = 1024 * 1024  # the CCIN list is a few kilobytes
MAX_ROWS = 5000


class LineStatus(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    PROBLEM = "problem"


STATUS_LABELS = {
    LineStatus.NEW: "Will be added",
    LineStatus.CHANGED: "Will be changed",
    LineStatus.UNCHANGED: "No change",
    LineStatus.PROBLEM: "Problem",
}


@dataclass(frozen=True)
class PreviewLine:
    """One line of the member list and what confirming would do with it."""

    line: int
    name: str
    kind: str  # the category (and type) in words, or "" for a problem line
    status: LineStatus
    message: str = ""  # what to fix, or what changes


@dataclass(frozen=True)
class MemberListPreview:
    """Every line of a member list with what would happen to it; nothing has been written."""

    lines: tuple[PreviewLine, ...]
    file_problems: tuple[str, ...]
    digest: str

    def having(self, status: LineStatus) -> tuple[PreviewLine, ...]:
        """Return the lines with this status."""
        return tuple(line for line in self.lines if line.status is status)

    @property
    def can_import(self) -> bool:
        """True when the file is readable, has no problem line and changes something."""
        return (
            not self.file_problems
            and not self.having(LineStatus.PROBLEM)
            and any(line.status in (LineStatus.NEW, LineStatus.CHANGED) for line in self.lines)
        )

    @property
    def plan(self) -> str:
        """Return a fingerprint of what confirming would do (changes when the database does)."""
        text = "\n".join(f"{x.line}:{x.name}:{x.kind}:{x.status.value}" for x in self.lines)
        return hashlib.sha256(text.encode()).hexdigest()


class ImportChanged(AccountError):
    """The organisations changed since the preview: nothing was written."""


def _kind(row: MemberRow) -> str:
    if row.category is None:
        return ""
    label = CATEGORY_LABELS[row.category]
    return f"{label} ({SUBTYPE_LABELS[row.subtype].lower()})" if row.subtype else label


def _decode(data: bytes) -> tuple[str | None, str]:
    if len(data) > MAX_BYTES:
        limit = f"{MAX_BYTES // 1024} KB"
        return f"The file is too large (more than {limit}): a member list is a few kilobytes.", ""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "The file is not UTF-8 text: in your spreadsheet, save it as 'CSV UTF-8'.", ""
    if not text.strip():
        return "The file is empty: it needs a header line and one line per organisation.", ""
    if "\x00" in text:
        return "The file is not a CSV text file: save it from your spreadsheet as 'CSV UTF-8'.", ""
    return None, text


def preview(data: bytes) -> MemberListPreview:
    """Return what importing `data` would do, line by line; write nothing (one query)."""
    digest = digest_of(data)
    problem, text = _decode(data)
    if problem:
        return MemberListPreview((), (problem,), digest)
    file_problem, rows = parse_member_list(text)
    if file_problem:
        sentence = f"{file_problem[0].upper()}{file_problem[1:]}."
        if ";" in text.splitlines()[0]:
            sentence += " Separate the columns with commas."
        return MemberListPreview((), (sentence,), digest)
    if not rows:
        return MemberListPreview(
            (), ("The file has no organisations under its first line.",), digest
        )
    if len(rows) > MAX_ROWS:
        return MemberListPreview(
            (), (f"The file has {len(rows)} lines: import at most {MAX_ROWS} at once.",), digest
        )
    existing = {org.name_key: org for org in db.session.scalars(select(Organisation))}
    return MemberListPreview(tuple(_judge(row, existing) for row in rows), (), digest)


def _judge(row: MemberRow, existing: dict[str, Organisation]) -> PreviewLine:
    kind = _kind(row)
    if row.problem:
        return PreviewLine(row.line, row.name, kind, LineStatus.PROBLEM, _fix(row.problem))
    assert row.category is not None
    org = existing.get(name_key(row.name))
    if org is None:
        return PreviewLine(row.line, row.name, kind, LineStatus.NEW)
    sub = row.subtype.value if row.subtype else None
    changes = []
    if org.name != row.name:
        changes.append(f"Its name was {org.name}.")
    if (org.category, org.subtype) != (row.category.value, sub):
        changes.append(f"It was {_current_kind(org)}.")
    retired = " It is retired: bring it back on its page if it rejoined." if org.retired_at else ""
    if changes:
        message = " ".join(changes) + retired
        return PreviewLine(row.line, row.name, kind, LineStatus.CHANGED, message)
    return PreviewLine(row.line, row.name, kind, LineStatus.UNCHANGED, retired.strip())


def _current_kind(org: Organisation) -> str:
    category = CATEGORY_LABELS.get(Category(org.category), org.category)
    if org.subtype:
        return f"{category} ({SUBTYPE_LABELS[Subtype(org.subtype)].lower()})"
    return category


def _fix(problem: str) -> str:
    """Return a line's problem as a sentence that says what to fix."""
    return problem[0].upper() + problem[1:] + ": correct this line and upload the file again."


def confirm(actor: User | None, data: bytes, *, expected_plan: str) -> ImportResult:
    """Add and change the organisations of a previewed member list, in the caller's transaction.

    Raises ImportChanged (nothing written) when checking the file again gives another
    plan than `expected_plan`, and AccountError when the file cannot be imported.
    """
    checked = preview(data)
    if checked.plan != expected_plan:
        raise ImportChanged(
            "The organisations changed since you checked this file, so nothing was imported. "
            "Upload it again to see what it would do now."
        )
    if not checked.can_import:
        raise AccountError("This file cannot be imported: nothing was changed.")
    # The same parsing and writing as the command line (it records the audit entry).
    result = import_organisations(data.decode("utf-8-sig"), actor=actor)
    if not result.ok:  # the checks above make this unreachable; never write half a file
        raise AccountError("This file cannot be imported: nothing was changed.")
    return result
