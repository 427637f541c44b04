"""Reading the audit log for people: filtering it, and turning events into readable entries.

The names an entry mentions (people, organisations, invitations) are loaded in bulk, a
fixed number of queries for any number of entries; courses come from the catalogue.
Times are stored in UTC and shown, filtered and exported in the network's time zone (UK
time), by the same helpers as every other page (induction.web.templating).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, and_, false, or_, select

from induction.accounts.audit import AuditEvent
from induction.accounts.models import Invitation, Organisation, User, normalise_email
from induction.admin import audit_sentences as sentences
from induction.admin.audit_sentences import Names, Part, Person
from induction.catalogue import get_catalogue
from induction.database import utcnow
from induction.extensions import db
from induction.inputs import stored_time
from induction.web.templating import (
    local_time,
    network_zone,
    spreadsheet_time,
    uk_datetime,
    zone_name,
)

# Details shown as a diff (preformatted) rather than as a field.
DIFF_KEY = "diff"

DETAIL_LABELS = {
    "email": "Email address",
    "reason": "Reason",
    "second_factor": "Second step",
    "role": "Role",
    "audience": "Audience",
    "from": "Before",
    "to": "After",
    "name": "Name",
    "category": "Category",
    "subtype": "Kind of organisation",
    "start_date": "Start date",
    "organisation": "Organisation",
    "folder": "Course folder",
    "paths": "Files",
    "impacts": "Effect on people",
    "notes": "Notes",
    "bytes": "Size in bytes",
    "format": "File format",
    "report": "Report",
    "filters": "Filters",
    "rows": "Rows in the file",
    "invited": "Invited",
    "skipped": "Skipped",
    "problems": "Rows with problems",
    "file_sha256": "File fingerprint (SHA-256)",
    "created": "Added",
    "updated": "Changed",
    "course_id": "Course",
    "code": "Certificate code",
    "due_at": "To be published on",
}


@dataclass(frozen=True)
class Entry:
    """One audit event as people read it."""

    id: int
    occurred_at: dt.datetime
    sentence: tuple[Part, ...]
    fields: tuple[tuple[str, str], ...]  # (label, value) pairs of the details
    diff: str | None
    ip: str | None

    @property
    def text(self) -> str:
        return sentences.plain(self.sentence)

    @property
    def when(self) -> str:
        words = when_in_words(self.occurred_at)
        return words[0].upper() + words[1:]

    @property
    def has_details(self) -> bool:
        return bool(self.fields or self.diff or self.ip)


@dataclass(frozen=True)
class AuditFilter:
    """What a reader asked to see; empty values mean "any"."""

    action: str = ""
    person: str = ""  # an email address: entries done by or about that person
    date_from: dt.date | None = None  # days in the network's time zone (UK days)
    date_to: dt.date | None = None

    def apply(self, stmt: Select[Any]) -> Select[Any]:
        """Return `stmt` (a select of AuditEvent) narrowed to this filter."""
        if self.action:
            # An action renamed since keeps its old entries: the filter finds both names.
            stmt = stmt.where(AuditEvent.action.in_(sentences.all_names(self.action)))
        if self.person:
            person_id = db.session.scalar(
                select(User.id).where(User.email == normalise_email(self.person))
            )
            if person_id is None:
                return stmt.where(false())
            stmt = stmt.where(
                or_(
                    AuditEvent.actor_id == person_id,
                    and_(
                        AuditEvent.target_type == sentences.USER_TYPE,
                        AuditEvent.target_id == str(person_id),
                    ),
                )
            )
        # A day runs from midnight to midnight UK time (23 or 25 hours when the clocks change).
        if self.date_from:
            stmt = stmt.where(AuditEvent.occurred_at >= _midnight(self.date_from))
        if self.date_to:
            stmt = stmt.where(
                AuditEvent.occurred_at < _midnight(self.date_to + dt.timedelta(days=1))
            )
        return stmt


def _midnight(day: dt.date) -> dt.datetime:
    """Return the moment `day` begins in the network's time zone, in UTC."""
    return dt.datetime.combine(day, dt.time(), tzinfo=network_zone()).astimezone(dt.UTC)


def newest_first(audit_filter: AuditFilter | None = None) -> Select[Any]:
    """Return the select of the events `audit_filter` lets through, newest first.

    An account made with nobody signed in is one entry, its own: the entry of how it came
    about (an invitation accepted, say), which always comes with it, is left out unless
    the filter asks for that action (see `one_line_per_account`).
    """
    stmt = select(AuditEvent)
    if audit_filter is not None:
        stmt = audit_filter.apply(stmt)
    if audit_filter is None or not audit_filter.action:
        stmt = one_line_per_account(stmt)
    return stmt.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


def one_line_per_account(stmt: Select[Any]) -> Select[Any]:
    """Return `stmt` (a select of AuditEvent) without the entries that say how an account
    made with nobody signed in came about: the account's own entry says it (its sentence
    is drawn from them), so joining reads as one line, not two."""
    return stmt.where(AuditEvent.action.not_in(sentences.TOLD_WITH_THE_ACCOUNT))


def action_choices() -> list[tuple[str, str]]:
    """Return (action, plain words) for every action with a sentence or in the log, by words;
    an action renamed since is listed once, under its current name."""
    recorded = set(db.session.scalars(select(AuditEvent.action).distinct()))
    actions = {sentences.current_name(a) for a in recorded | set(sentences.ACTIONS)}
    return sorted(((a, sentences.label(a)) for a in actions), key=lambda pair: pair[1].lower())


def recent(limit: int = 10) -> list[Entry]:
    """Return the newest `limit` entries."""
    return entries(db.session.scalars(newest_first().limit(limit)))


def entries(events: Iterable[AuditEvent]) -> list[Entry]:
    """Return `events` as readable entries, loading every name they mention in bulk
    (at most five queries, whatever the number of events)."""
    events = list(events)
    names = _names(events)
    return [_entry(event, names) for event in events]


def csv_header() -> tuple[str, ...]:
    """Return the header of the audit log's CSV file. The first column is the network's
    wall-clock time, which spreadsheets read as a date and time, as in every export; the
    last is the same moment with its offset from UTC, unambiguous when the clocks go back."""
    return (
        f"When ({zone_name()})",
        "What happened",
        "Action",
        "Done by",
        "IP address",
        "Details",
        "When (ISO 8601, with offset from UTC)",
    )


def csv_row(entry: Entry, action: str, actor_email: str) -> tuple[object, ...]:
    """Return one CSV row of an entry in the order of csv_header() (the details as
    "label: value" lines)."""
    details = "\n".join(f"{name}: {value}" for name, value in entry.fields)
    return (
        spreadsheet_time(entry.occurred_at),
        entry.text,
        action,
        actor_email,
        entry.ip,
        details,
        local_time(entry.occurred_at).replace(microsecond=0).isoformat(),
    )


def csv_rows(stmt: Select[Any]) -> Iterator[tuple[object, ...]]:
    """Yield the CSV rows of the events of `stmt`."""
    offset, size = 0, 500
    while True:
        chunk = list(db.session.scalars(stmt.limit(size).offset(offset)))
        names = _names(chunk)
        for event in chunk:
            actor = names.people.get(event.actor_id or 0)
            yield csv_row(_entry(event, names), event.action, actor.email if actor else "")
        if len(chunk) < size:
            return
        offset += size


def when_in_words(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """Return a time as people say it, in UK time (the network's zone): "just now",
    "5 minutes ago", "today at 14:05", "yesterday at 09:30", or, further back, as every
    page writes a time: "3 December 2026, 14:05 GMT". Today and yesterday are UK days."""
    now = now or utcnow()
    seconds = (now - moment).total_seconds()
    if 0 <= seconds < 60:
        return "just now"
    if 0 <= seconds < 3600:
        minutes = int(seconds // 60)
        return f"{minutes} minute{'' if minutes == 1 else 's'} ago"
    zone = network_zone()
    local, today = local_time(moment, zone), local_time(now, zone).date()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return f"today at {clock}"
    if local.date() == today - dt.timedelta(days=1):
        return f"yesterday at {clock}"
    return uk_datetime(local)


def _names(events: Sequence[AuditEvent]) -> Names:
    person_ids: set[int] = set()
    org_ids: set[int] = set()
    invitation_ids: set[int] = set()
    for event in events:
        if event.actor_id is not None:
            person_ids.add(event.actor_id)
        if event.organisation_id is not None:
            org_ids.add(event.organisation_id)
        target = _as_int(event.target_id)
        if target is not None and event.target_type == sentences.USER_TYPE:
            person_ids.add(target)
        elif target is not None and event.target_type == sentences.INVITATION_TYPE:
            invitation_ids.add(target)
        org_ids.update(_organisations_in_details(event))
    told = _origin_entries(events)
    invitation_ids.update(invitation for invitation, _origin in told.values() if invitation)
    invitations: dict[int, str] = {}
    inviters: dict[int, int] = {}
    if invitation_ids:
        for row in db.session.execute(
            select(Invitation.id, Invitation.email, Invitation.invited_by_id).where(
                Invitation.id.in_(invitation_ids)
            )
        ):
            invitations[row.id] = row.email
            if row.invited_by_id is not None:
                inviters[row.id] = row.invited_by_id
    origins = {
        person: replace(origin, inviter_id=inviters.get(invitation or 0))
        for person, (invitation, origin) in told.items()
    }
    person_ids.update(o.inviter_id for o in origins.values() if o.inviter_id is not None)
    people = (
        {
            row.id: Person(row.name, row.email)
            for row in db.session.execute(
                select(User.id, User.name, User.email).where(User.id.in_(person_ids))
            )
        }
        if person_ids
        else {}
    )
    organisations: dict[int, str] = (
        {
            row.id: row.name
            for row in db.session.execute(
                select(Organisation.id, Organisation.name).where(Organisation.id.in_(org_ids))
            )
        }
        if org_ids
        else {}
    )
    catalogue = get_catalogue()
    courses = {}
    for event in events:
        course_id = sentences.course_id_of(event)
        if course_id and course_id not in courses:
            course = catalogue.course(course_id)
            if course is not None:
                courses[course_id] = course
    return Names(
        people,
        organisations,
        invitations,
        courses,
        origins=origins,
        time_words=uk_datetime,
    )


def _origin_entries(
    events: Sequence[AuditEvent],
) -> dict[int, tuple[int | None, sentences.Origin]]:
    """Return, for each account `events` made with nobody signed in, the entry recorded
    with it of how it came about: (the invitation accepted, if that is how) and the
    `Origin` without its inviter. One query, only when there is such an account; an
    account with no such entry (made by a command) is not in the result."""
    made = {
        event.target_id
        for event in events
        if sentences.is_made_by_nobody(event) and _as_int(event.target_id) is not None
    }
    if not made:
        return {}
    about_them = [a for a in sentences.ACCOUNT_ORIGINS if a != sentences.INVITATION_ACCEPTED]
    found = db.session.execute(
        select(
            AuditEvent.action,
            AuditEvent.actor_id,
            AuditEvent.target_type,
            AuditEvent.target_id,
            AuditEvent.details,
        ).where(
            or_(
                # Accepting an invitation is recorded by the new person, about the invitation.
                and_(
                    AuditEvent.action == sentences.INVITATION_ACCEPTED,
                    AuditEvent.actor_id.in_([int(t) for t in made if t]),
                ),
                and_(
                    AuditEvent.action.in_(about_them),
                    AuditEvent.target_type == sentences.USER_TYPE,
                    AuditEvent.target_id.in_(made),
                ),
            )
        )
    )
    told: dict[int, tuple[int | None, sentences.Origin]] = {}
    for row in found:
        if row.action == sentences.INVITATION_ACCEPTED:
            person = row.actor_id
            invitation = (
                _as_int(row.target_id) if row.target_type == sentences.INVITATION_TYPE else None
            )
        else:
            person, invitation = _as_int(row.target_id), None
        if person is None:
            continue
        details = row.details if isinstance(row.details, dict) else {}
        issuer = details.get("issuer")
        told[person] = (
            invitation,
            sentences.Origin(row.action, issuer=issuer if isinstance(issuer, str) else None),
        )
    return told


def _organisations_in_details(event: AuditEvent) -> list[int]:
    """Organisation ids in a person's change of organisation ({"from": 3, "to": 5})."""
    change = (event.details or {}).get("organisation") if event.action == "user.updated" else None
    if not isinstance(change, dict):
        return []
    return [value for value in change.values() if isinstance(value, int)]


def _entry(event: AuditEvent, names: Names) -> Entry:
    details = event.details if isinstance(event.details, dict) else {}
    diff = details.get(DIFF_KEY)
    fields = tuple(
        (
            DETAIL_LABELS.get(key, key.replace("_", " ").capitalize()),
            _words(key, value, event, names),
        )
        for key, value in details.items()
        if key != DIFF_KEY
    )
    return Entry(
        id=event.id,
        occurred_at=event.occurred_at,
        sentence=sentences.sentence(event, names),
        fields=fields,
        diff=diff if isinstance(diff, str) and diff else None,
        ip=event.ip,
    )


def _words(key: str, value: object, event: AuditEvent, names: Names) -> str:
    """Return a detail's value as text: lists one per line, a change as "before → after"."""
    if key == "organisation" and event.action == "user.updated" and isinstance(value, dict):
        named = {
            side: names.organisations.get(v, f"organisation {v}") if isinstance(v, int) else "none"
            for side, v in value.items()
        }
        value = named
    moment = stored_time(value) if key.endswith("_at") else None
    if moment is not None:
        return uk_datetime(moment)
    if isinstance(value, dict):
        if set(value) == {"from", "to"}:
            return f"{_scalar(value['from'])} → {_scalar(value['to'])}"
        return "\n".join(f"{k}: {_scalar(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "\n".join(_scalar(item) for item in value)
    return _scalar(value)


def _scalar(value: object) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return ", ".join(str(v) for v in (value.values() if isinstance(value, dict) else value))
    return str(value)


def _as_int(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None
