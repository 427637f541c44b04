"""Inviting many people at once from a CSV file: preview every row, then import in one go.

The file has a header row and the columns `email,name,audience` and optionally
`start_date` (ISO `2027-05-06` or UK `06/05/2027`), in UTF-8 with or without a byte-order
mark, or as Excel's plain "CSV" saves it on Windows (Windows-1252: read so, and said).
The importer may choose one audience for everyone (a council's list of the councillors
elected has no audience column): a line's own audience, when it has one, still wins.
`preview` checks every row and writes nothing; `confirm` invites the rows that
are ready, all in the caller's one transaction, with bulk statements (one query finds
the existing accounts, one the pending invitations, then a few multi-row inserts), so
a file of thousands of rows fits in a normal request.

What happens to each row:
- ready: a new invitation (role learner, into the organisation) and its email. Any
  pending invitation to the same address elsewhere is replaced, as a single invitation
  would replace it.
- skipped, nothing sent: the person is already a member (or, for admins, has an account
  elsewhere), or already has a pending invitation into this organisation (withdraw it
  on the People page to send a new one).
- problem, nothing sent: a bad email address, an unknown audience (with a suggestion),
  an impossible start date, a second line for the same address.
A ready row also says when its courses will be due (`invitations.courses_on_joining`): a
start date long past, making someone overdue on joining, is seen before anything is sent.
An address that has an account the importer may not see looks ready, so a manager
learns nothing about other organisations; its owner is told by email instead, as
`joining.send_invitation` does. Both make their invitations with `invitations.issue`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import hashlib
import io
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from induction.accounts import audit, invitations
from induction.accounts.addresses import email_problem
from induction.accounts.errors import AccountError
from induction.accounts.models import Invitation, Organisation, Role, User, normalise_email
from induction.accounts.permissions import can_see_person, invitable_roles, organisation_in_scope
from induction.accounts.uploads import digest_of
from induction.content.model import AUDIENCES
from induction.database import utcnow
from induction.extensions import db
from induction.inputs import (
    TYPED_DATE_EXAMPLES,
    control_character_problem,
    date_problem,
    typed_date,
)
from induction.web.templating import uk_date

REQUIRED_COLUMNS = ("email", "name", "audience")
OPTIONAL_COLUMNS = ("start_date",)
# The column the download of lines to fix adds (what to correct on each line): ignored
# without a word when the corrected file comes back with it.
FIX_COLUMN = "what_to_fix"
MAX_ROWS = 10000
MAX_NAME = 200


class RowStatus(StrEnum):
    READY = "ready"
    SKIPPED = "skipped"
    PROBLEM = "problem"


STATUS_LABELS = {
    RowStatus.READY: "Will be invited",
    RowStatus.SKIPPED: "Skipped",
    RowStatus.PROBLEM: "Problem",
}


@dataclass(frozen=True)
class ImportRow:
    """One line of the file, what it says and what will happen to it."""

    line: int  # the line number in the file (the header is line 1)
    email: str
    name: str
    audience: str
    start_date: dt.date | None
    status: RowStatus
    messages: tuple[str, ...] = ()  # the problems, or why the row is skipped, or a note
    # An account the importer may not see: tell its owner instead of inviting (never shown).
    tell_owner_id: int | None = field(default=None, repr=False, compare=False)
    # A ready row's courses, with when each will be due (see invitations.courses_on_joining).
    courses: tuple[invitations.CourseOnJoining, ...] = field(default=(), compare=False)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def overdue_words(self) -> str:
        """Return "Overdue as soon as they join: ..." for this row ("" when it would not be)."""
        return invitations.overdue_words(self.courses)


@dataclass(frozen=True)
class ImportPreview:
    """Every row of a file with what would happen to it; nothing has been written."""

    organisation: Organisation
    rows: tuple[ImportRow, ...]
    file_problems: tuple[str, ...]
    digest: str  # SHA-256 of the file as uploaded
    ignored_columns: tuple[str, ...] = ()
    # The audience chosen for every line that names none (None: each line names its own).
    audience: str | None = None
    # Read as Windows-1252 (Excel's plain CSV), not UTF-8: the page asks to check accents.
    read_as_windows: bool = False

    @property
    def ready(self) -> tuple[ImportRow, ...]:
        return tuple(r for r in self.rows if r.status is RowStatus.READY)

    @property
    def skipped(self) -> tuple[ImportRow, ...]:
        return tuple(r for r in self.rows if r.status is RowStatus.SKIPPED)

    @property
    def problems(self) -> tuple[ImportRow, ...]:
        return tuple(r for r in self.rows if r.status is RowStatus.PROBLEM)

    @property
    def overdue_at_once(self) -> tuple[ImportRow, ...]:
        """Return the rows to be invited whose start date makes them overdue on joining."""
        return tuple(r for r in self.ready if r.overdue_words)

    @property
    def can_import(self) -> bool:
        """Return True when the file could be read and at least one row is ready."""
        return not self.file_problems and bool(self.ready)

    @property
    def plan(self) -> str:
        """Return a fingerprint of what confirming would do (changes when the database does)."""
        text = "\n".join(
            f"{r.line}:{r.email}:{r.status.value}:{r.tell_owner_id or ''}" for r in self.rows
        )
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class ImportResult:
    """What confirming did."""

    invited: int
    skipped: int
    problems: int
    seconds: float


class ImportRefused(AccountError):
    """The import cannot go ahead (the message says why, for the person importing)."""


def _check_actor(actor: User | None, organisation: Organisation) -> None:
    if actor is None:
        return  # the command line: whoever runs it runs the site
    if not organisation_in_scope(actor, organisation.id) or Role.LEARNER not in invitable_roles(
        actor
    ):
        raise ImportRefused("You cannot invite people into that organisation")
    if organisation.retired_at is not None:
        raise ImportRefused(f"{organisation.name} is retired: nobody can be invited into it")


# The file offered to fill in: the columns read, and two lines to write over.
TEMPLATE_HEADER = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
TEMPLATE_EXAMPLES = (
    ("ada.jones@example.gov.uk", "Ada Jones", "councillor", "7 May 2027"),
    ("sam.patel@example.gov.uk", "Sam Patel", "officer", ""),
)
# A name in two columns (read when there is no name column), in the order they are joined.
NAME_PARTS = ("first_name", "last_name")
# Headings a council's own spreadsheet is likely to have, for each column read.
HEADING_ALIASES = {
    "email_address": "email",
    "e_mail": "email",
    "e_mail_address": "email",
    "full_name": "name",
    # A name in two columns: joined, first name first.
    "forename": "first_name",
    "forenames": "first_name",
    "given_name": "first_name",
    "surname": "last_name",
    "family_name": "last_name",
    "type": "audience",
    "role": "audience",
    "member_type": "audience",
    "which_describes_them_best": "audience",
    "start": "start_date",
    "election_date": "start_date",
    "date_elected": "start_date",
}
# Words a spreadsheet is likely to hold for each audience, as the invitation form puts them.
AUDIENCE_ALIASES = {
    "cllr": "councillor",
    "council officer": "officer",
    "council officer or staff": "officer",
    "staff": "officer",
    "affiliate member": "affiliate",
    "affiliate or supporter organisation": "affiliate",
    # The American spelling, as a spell-checker may have left it.
    "councilor": "councillor",
}
# Said on the check page when the file was not UTF-8 and was read as Windows-1252.
WINDOWS_NOTE = (
    "This file was saved as Excel's plain CSV, not CSV UTF-8, and was read as such: check "
    "that names with accents (such as Siân or Zoë) look right below. If they do not, save "
    "it from your spreadsheet as CSV UTF-8 and upload it again."
)
NOT_TEXT = (
    "The file is not UTF-8 text, nor Excel's plain CSV: in your spreadsheet, save it as "
    "'CSV UTF-8' (not as a workbook or Unicode text) and upload it again."
)


def _header_key(cell: str) -> str:
    """Return the column a heading names: "E-mail address" and "Email" are both "email"."""
    key = re.sub(r"[^a-z0-9]+", "_", cell.strip().lower()).strip("_")
    return HEADING_ALIASES.get(key, key)


def _audience_key(value: str) -> str:
    """Return the audience a cell names ("Council officer" is "officer"), else the cell."""
    words = " ".join(value.lower().split())
    return AUDIENCE_ALIASES.get(words, words)


def _audience_problem(value: str) -> str:
    if not value:
        return "Audience is missing: write councillor, officer or affiliate"
    close = difflib.get_close_matches(value, AUDIENCES, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else "write councillor, officer or affiliate"
    return f"Unknown audience '{value}': {hint}"


@dataclass(frozen=True)
class _ReadFile:
    """A file as read: its problems, its lines (line, cells by column, has extra cells),
    the columns ignored, and whether it was read as Windows-1252."""

    problems: list[str]
    rows: list[tuple[int, dict[str, str], bool]]
    ignored: list[str]
    windows: bool = False


def _decode(data: bytes) -> tuple[str | None, bool]:
    """Return the text of `data` and whether it was read as Windows-1252: UTF-8 (with or
    without a byte-order mark) first, then Windows-1252, which Excel's plain "CSV" writes
    on a UK Windows computer (None when it is neither, such as a workbook)."""
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        pass
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, False  # Excel's "Unicode text": tab-separated UTF-16, not a CSV
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None, False
    # A workbook or other binary file decodes too, into control characters: not a CSV.
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text):
        return None, False
    return text, True


def _read(data: bytes, audience: str | None = None) -> _ReadFile:
    """Read `data` as CSV; with `audience` (chosen for everyone), no audience column is needed."""
    text, windows = _decode(data)
    if text is None:
        return _ReadFile([NOT_TEXT], [], [])
    if not text.strip():
        return _ReadFile(
            ["The file is empty: it needs a header line and one line per person."], [], []
        )
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        return _ReadFile([f"The file cannot be read as CSV ({error})."], [], [])
    header = [_header_key(cell) for cell in lines[0]]
    problems = []
    # First name and Surname columns stand for a name column.
    named = header + (["name"] if set(NAME_PARTS) & set(header) else [])
    required = [name for name in REQUIRED_COLUMNS if not (name == "audience" and audience)]
    missing = [name for name in required if name not in named]
    if missing:
        found = ", ".join(cell for cell in lines[0] if cell.strip()) or "nothing"
        hint = " Separate the columns with commas." if ";" in ",".join(lines[0]) else ""
        if "audience" in missing:
            hint += (
                " If everyone in the file is the same (for example the councillors elected), "
                "choose them under 'Who is in the file?' and check the file again: it then "
                "needs no audience column."
            )
        problems.append(
            f"The first line must name the columns email, name, audience (and optionally "
            f"start_date; Email address, Full name (or First name and Surname) and Type will "
            f"do too); it has {found}, "
            f"so {', '.join(missing)} is missing.{hint}"
        )
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    if duplicates:
        problems.append(f"The first line names a column twice: {', '.join(duplicates)}.")
    if len(lines) - 1 > MAX_ROWS:
        problems.append(f"The file has {len(lines) - 1} lines: import at most {MAX_ROWS} at once.")
    if problems:
        return _ReadFile(problems, [], [])
    known = {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS, *NAME_PARTS, FIX_COLUMN}
    ignored = [cell for cell, key in zip(lines[0], header, strict=True) if key not in known and key]
    rows = []
    # csv.reader counts records, not lines: a quoted cell may span lines, so keep its count.
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        values = {key: (cells[i].strip() if i < len(cells) else "") for i, key in enumerate(header)}
        rows.append((line, values, len(cells) > len(header)))
    return _ReadFile([], rows, ignored, windows)


def preview(
    actor: User | None, organisation: Organisation, data: bytes, audience: str | None = None
) -> ImportPreview:
    """Return what importing `data` into `organisation` would do, row by row; write nothing.
    `audience` (one of AUDIENCES) is everyone's whose line names none; the file then needs
    no audience column.

    Two queries whatever the number of rows. `actor` None is the command line. Raises
    ImportRefused when `actor` may not invite people into `organisation`, ValueError for
    an audience that is none.
    """
    _check_actor(actor, organisation)
    if audience is not None and audience not in AUDIENCES:
        raise ValueError(f"Unknown audience {audience!r}")
    digest = digest_of(data)
    read = _read(data, audience)
    if read.problems:
        return ImportPreview(organisation, (), tuple(read.problems), digest, audience=audience)
    lines, ignored = read.rows, read.ignored

    parsed: list[dict[str, Any]] = []
    first_line: dict[str, int] = {}
    for line, values, extra in lines:
        problems: list[str] = []
        raw_email = values.get("email", "")
        email = normalise_email(raw_email)
        if not email:
            problems.append("Email address is missing")
        else:
            if email_problem(email):
                problems.append(
                    f"'{raw_email}' is not an email address in the right format, "
                    "like name@example.org"
                )
            else:
                if email in first_line:
                    problems.append(f"The same email address is on line {first_line[email]}")
                else:
                    first_line[email] = line
        whole = values.get("name") or " ".join(values.get(part, "") for part in NAME_PARTS)
        name = " ".join(whole.split())
        if len(name) > MAX_NAME:
            problems.append(f"Name must be {MAX_NAME} characters or fewer")
        line_audience = _audience_key(values.get("audience", "")) or audience or ""
        if line_audience not in AUDIENCES:
            problems.append(_audience_problem(line_audience))
        start_text = values.get("start_date", "").strip()
        start_date = None
        if start_text:
            try:
                start_date = typed_date(start_text)
            except ValueError:
                problems.append(
                    f"Start date '{start_text}' is not a date: write it as {TYPED_DATE_EXAMPLES}"
                )
            else:
                if start_date is not None and (problem := date_problem(start_date)):
                    problems.append(f"Start date '{start_text}': {problem}")
        for column in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
            if problem := control_character_problem(values.get(column, "")):
                problems.append(f"{column.replace('_', ' ').capitalize()}: {problem}")
        if extra:
            problems.append("This line has more cells than the first line has columns")
        parsed.append(
            {
                "line": line,
                "email": email or raw_email,
                "name": name,
                "audience": line_audience,
                "start_date": start_date,
                "problems": problems,
            }
        )

    emails = [row["email"] for row in parsed if not row["problems"]]
    accounts = _accounts(emails)
    pending = _pending(emails)
    judged = [_judge(actor, organisation, row, accounts, pending) for row in parsed]
    return ImportPreview(
        organisation,
        _with_courses(judged),
        (),
        digest,
        tuple(ignored),
        audience=audience,
        read_as_windows=read.windows,
    )


def _with_courses(rows: Sequence[ImportRow]) -> tuple[ImportRow, ...]:
    """Return `rows` with each ready row's courses and their due dates (worked out once
    for each audience and start date, however many lines share them)."""
    found: dict[tuple[str, dt.date | None], tuple[invitations.CourseOnJoining, ...]] = {}
    done = []
    for row in rows:
        if row.status is RowStatus.READY:
            key = (row.audience, row.start_date)
            if key not in found:
                found[key] = invitations.courses_on_joining(Role.LEARNER.value, *key)
            row = replace(row, courses=found[key])
        done.append(row)
    return tuple(done)


def lines_to_fix(preview: ImportPreview, data: bytes) -> list[list[str]]:
    """Return the header and the lines of `data` that `preview` found problems in, as they
    were typed, each with what to fix (FIX_COLUMN), for the importer to correct in their
    spreadsheet and upload again (the header alone when the file has no such line)."""
    to_fix = {row.line: row.messages for row in preview.problems}
    rows = _read(data, preview.audience).rows if to_fix else []
    columns = [*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS]
    found = [
        [values.get(column, "") for column in columns] + [" ".join(to_fix[line])]
        for line, values, _extra in rows
        if line in to_fix
    ]
    return [[*columns, FIX_COLUMN], *found]


def _accounts(emails: Sequence[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    # One query for a whole file (MAX_ROWS addresses fit in one IN list on both databases).
    for start in range(0, len(emails), MAX_ROWS):
        chunk = emails[start : start + MAX_ROWS]
        for user in db.session.scalars(select(User).where(User.email.in_(chunk))):
            found[user.email] = user
    return found


def _pending(emails: Sequence[str]) -> dict[str, list[Invitation]]:
    found: dict[str, list[Invitation]] = {}
    now = utcnow()
    for start in range(0, len(emails), MAX_ROWS):
        chunk = emails[start : start + MAX_ROWS]
        stmt = select(Invitation).where(
            Invitation.email.in_(chunk),
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        for invitation in db.session.scalars(stmt):
            found.setdefault(invitation.email, []).append(invitation)
    return found


def _judge(
    actor: User | None,
    organisation: Organisation,
    row: dict[str, Any],
    accounts: dict[str, User],
    pending: dict[str, list[Invitation]],
) -> ImportRow:
    base = {k: row[k] for k in ("line", "email", "name", "audience", "start_date")}
    if row["problems"]:
        return ImportRow(**base, status=RowStatus.PROBLEM, messages=tuple(row["problems"]))
    account = accounts.get(row["email"])
    if account is not None:
        if actor is None or can_see_person(actor, account):
            if account.organisation_id == organisation.id:
                why = "Already a member of this organisation"
            else:
                where = account.organisation.name if account.organisation else "no organisation"
                why = f"Already has an account ({where})"
            return ImportRow(**base, status=RowStatus.SKIPPED, messages=(why,))
        return ImportRow(**base, status=RowStatus.READY, tell_owner_id=account.id)
    invitations = pending.get(row["email"], [])
    here = [i for i in invitations if i.organisation_id == organisation.id]
    if here:
        sent = min(i.created_at for i in here)
        return ImportRow(
            **base,
            status=RowStatus.SKIPPED,
            messages=(
                f"Already invited on {uk_date(sent)}: not sent again (withdraw that "
                "invitation on the People page to send a new one)",
            ),
        )
    visible = [
        i for i in invitations if actor is None or organisation_in_scope(actor, i.organisation_id)
    ]
    notes = tuple(
        f"Replaces a pending invitation to {i.organisation.name if i.organisation else 'the site'}"
        for i in visible
    )
    return ImportRow(**base, status=RowStatus.READY, messages=notes)


def confirm(
    actor: User | None,
    organisation: Organisation,
    data: bytes,
    *,
    expected_plan: str | None = None,
    progress: Callable[[int], None] | None = None,
    note: str = "",
    from_joining: bool = False,
    audience: str | None = None,
) -> tuple[ImportPreview, ImportResult | None]:
    """Invite every ready row of `data`, in the caller's transaction; return what was done.
    `audience` is everyone's whose line names none (as for `preview`).
    `note` is the importer's own words, in every invitation email. With `from_joining`,
    the rows that would be overdue as soon as they join are invited without their start
    date: their due dates count from the day each one joins.

    The file is checked again first: when `expected_plan` is given and the checks now
    give another plan (someone joined or was invited meanwhile), nothing is written and
    the result is None, so the caller can show the new preview. `progress` is called with
    the number of rows done after each batch. Raises ImportRefused when `actor` may not
    invite into `organisation` or nothing is ready.
    """
    started = time.perf_counter()
    checked = preview(actor, organisation, data, audience)
    if expected_plan is not None and checked.plan != expected_plan:
        return checked, None
    if not checked.can_import:
        raise ImportRefused("No row of this file can be imported")
    ready = checked.ready
    late = {row.line for row in checked.overdue_at_once} if from_joining else set()
    invitees = [
        invitations.Invitee(
            email=row.email,
            name=row.name,
            role=Role.LEARNER.value,
            audience=row.audience,
            start_date=None if row.line in late else row.start_date,
            note=note,
        )
        for row in ready
        if row.tell_owner_id is None
    ]
    invitations.issue(actor, organisation, invitees, progress=progress)
    _tell_owners([row for row in ready if row.tell_owner_id is not None])
    if progress is not None:
        progress(len(checked.rows) - len(invitees))
    audit.record(
        "invitation.bulk_imported",
        actor=actor,
        target=organisation,
        organisation_id=organisation.id,
        details={
            "rows": len(checked.rows),
            "invited": len(ready),
            "skipped": len(checked.skipped),
            "problems": len(checked.problems),
            "file_sha256": checked.digest,
            "note": invitations.clean_note(note) or None,
            "counted_from_joining": len(late),
            "audience_chosen": audience,
        },
    )
    db.session.flush()
    result = ImportResult(
        invited=len(ready),
        skipped=len(checked.skipped),
        problems=len(checked.problems),
        seconds=time.perf_counter() - started,
    )
    return checked, result


def _tell_owners(rows: Sequence[ImportRow]) -> None:
    """Tell the owners of accounts the importer may not see that they were invited again."""
    if not rows:
        return
    owners = db.session.scalars(
        select(User).where(User.id.in_([row.tell_owner_id for row in rows]))
    )
    invitations.tell_existing(list(owners))
