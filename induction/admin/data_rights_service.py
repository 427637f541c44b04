"""Data rights (UK GDPR): everything held about one person, and erasing a person.

An export gathers every record about the person: their account (never a password
hash, second-factor secret, session or link token), organisation, sessions,
invitations, one-time links, lesson completions and acknowledgements, their private
reflections, quiz attempts with their answers, module and course completions,
certificates, their status in each course as stored for the reports, reminders, the
audit events about them or by them, and the email queued to them (links removed: they
can still sign someone in).

Erasing removes who the person is while keeping what they did, so organisation totals
stay right: the name becomes "Erased person <id>" and the email address a unique
address that cannot receive mail; the password, second factor, recovery codes,
sessions, links and private reflections go; the account is deactivated; email to them
is deleted; their certificates are withdrawn (verification then says not valid) and no
longer carry their name; their addresses and names are scrubbed from the audit log.
Completions, attempts and results stay, attached to the anonymous account.

Services add to the session and flush; the view commits once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, delete, func, or_, select, update

from induction.accounts import audit
from induction.accounts.audit import AuditEvent
from induction.accounts.erased import erased_email, erased_name, is_erased
from induction.accounts.invitations import note_writer_words, sender_words
from induction.accounts.models import (
    AccountToken,
    Invitation,
    RecoveryCode,
    User,
    UserSession,
    normalise_email,
)
from induction.database import rows_changed, utcnow
from induction.errors import Refusal
from induction.extensions import db
from induction.mail import QueuedEmail
from induction.progress.models import (
    Certificate,
    CourseCompletion,
    CourseRenewal,
    CourseStatus,
    LessonCompletion,
    ModuleCompletion,
    ReminderSent,
)
from induction.progress.reflections import erase_reflections, reflection_dict, reflections_of
from induction.progress.status_query import STATUS_OF_CODE
from induction.quizzes.models import QuizAttempt

CSV_HEADER = ("section", "item", "field", "value")
_LINK = re.compile(r"https?://\S+")
LINK_REMOVED = "[link removed]"


class ErasureRefused(Refusal):
    """The person cannot be erased by this actor; the message says why."""


def _when(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _rows(model: Any, *conditions: Any, order: Any = None) -> list[Any]:
    stmt = select(model).where(*conditions).order_by(order if order is not None else model.id)
    return list(db.session.scalars(stmt))


def _addresses(person: User) -> set[str]:
    """Return every email address the person is known by: now, before, and invited as."""
    addresses = {normalise_email(person.email)}
    for details in db.session.scalars(
        select(AuditEvent.details).where(
            AuditEvent.action == "email.changed",
            AuditEvent.target_type == User.__tablename__,
            AuditEvent.target_id == str(person.id),
        )
    ):
        if isinstance(details, dict):
            addresses.update(normalise_email(str(v)) for v in details.values() if v)
    return addresses


def _names(person: User) -> set[str]:
    """Return every name the person is known by: now and before (from the audit log)."""
    names = {person.name}
    for details in db.session.scalars(
        select(AuditEvent.details).where(
            AuditEvent.action == "user.updated",
            AuditEvent.target_type == User.__tablename__,
            AuditEvent.target_id == str(person.id),
        )
    ):
        if isinstance(details, dict) and isinstance(details.get("name"), str):
            names.add(details["name"])
    return {name for name in names if name}


def _invitations(addresses: set[str]) -> list[Invitation]:
    return _rows(Invitation, Invitation.email.in_(addresses))


def _emails(addresses: set[str]) -> list[QueuedEmail]:
    return _rows(QueuedEmail, func.lower(QueuedEmail.to_address).in_(addresses))


def _events(person: User, addresses: set[str], invitation_ids: list[int]) -> list[AuditEvent]:
    """Return the audit events by the person, about them (or their invitations and
    certificates), or mentioning one of their addresses, oldest first."""
    certificate_ids = [
        str(i)
        for i in db.session.scalars(select(Certificate.id).where(Certificate.user_id == person.id))
    ]
    details_text = cast(AuditEvent.details, String)
    conditions = [
        AuditEvent.actor_id == person.id,
        (AuditEvent.target_type == User.__tablename__) & (AuditEvent.target_id == str(person.id)),
        *(details_text.contains(address, autoescape=True) for address in addresses),
    ]
    if invitation_ids:
        conditions.append(
            (AuditEvent.target_type == Invitation.__tablename__)
            & AuditEvent.target_id.in_([str(i) for i in invitation_ids])
        )
    if certificate_ids:
        conditions.append(
            (AuditEvent.target_type == Certificate.__tablename__)
            & AuditEvent.target_id.in_(certificate_ids)
        )
    return _rows(AuditEvent, or_(*conditions), order=AuditEvent.id)


def personal_data(person: User) -> dict[str, Any]:
    """Return everything held about `person`, as JSON-ready sections (no secrets)."""
    addresses = _addresses(person)
    invitations = _invitations(addresses)
    completions = _rows(LessonCompletion, LessonCompletion.user_id == person.id)
    organisation = person.organisation
    codes = _rows(RecoveryCode, RecoveryCode.user_id == person.id)
    return {
        "exported_at": _when(utcnow()),
        "person": {
            "id": person.id,
            "name": person.name,
            "email": person.email,
            "role": person.role,
            "audience": person.audience,
            "start_date": _when(person.start_date),
            "intake": person.intake.name
            if person.intake_id is not None and person.intake
            else None,
            "is_active": person.is_active,
            "is_erased": is_erased(person),
            "created_at": _when(person.created_at),
            "last_sign_in_at": _when(person.last_sign_in_at),
            "has_password": person.password_hash is not None,
            "has_second_factor": person.has_totp,
            "second_factor_since": _when(person.totp_enabled_at),
            "recovery_codes": len(codes),
            "recovery_codes_used": sum(1 for c in codes if c.used_at is not None),
        },
        "organisation": None
        if organisation is None
        else {
            "id": organisation.id,
            "name": organisation.name,
            "category": organisation.category,
            "subtype": organisation.subtype,
        },
        "sessions": [
            {
                "started_at": _when(s.created_at),
                "last_seen_at": _when(s.last_seen_at),
                "browser": s.user_agent,
                "ip": s.ip,
            }
            for s in _rows(UserSession, UserSession.user_id == person.id)
        ],
        "invitations": [
            {
                "email": i.email,
                "name": i.name,
                "role": i.role,
                "audience": i.audience,
                "organisation": i.organisation.name if i.organisation else None,
                "invited_by": sender_words(i.invited_by, i.organisation),
                "note": i.note,
                # Who wrote the note, as its email says (plain words once they were erased).
                "note_written_by": note_writer_words(i.note_by, i.organisation) if i.note else None,
                "created_at": _when(i.created_at),
                "expires_at": _when(i.expires_at),
                "accepted_at": _when(i.accepted_at),
                "revoked_at": _when(i.revoked_at),
            }
            for i in invitations
        ],
        "one_time_links": [
            {
                "purpose": t.purpose,
                "email": t.email,
                "created_at": _when(t.created_at),
                "expires_at": _when(t.expires_at),
                "used_at": _when(t.used_at),
            }
            for t in _rows(
                AccountToken,
                or_(AccountToken.user_id == person.id, AccountToken.email.in_(addresses)),
            )
        ],
        "lesson_completions": [
            {
                "course_id": c.course_id,
                "lesson_id": c.lesson_id,
                "lesson_version": c.lesson_version,
                "completed_at": _when(c.completed_at),
            }
            for c in completions
        ],
        "acknowledgements": [
            {
                "course_id": c.course_id,
                "lesson_id": c.lesson_id,
                "lesson_version": c.lesson_version,
                "statement": c.acknowledged_statement,
                "acknowledged_at": _when(c.completed_at),
            }
            for c in completions
            if c.acknowledged_statement
        ],
        "quiz_attempts": [
            {
                "course_id": a.course_id,
                "module_id": a.module_id,
                "quiz_id": a.quiz_id,
                "started_at": _when(a.started_at),
                "submitted_at": _when(a.submitted_at),
                "pass_mark": a.pass_mark,
                "right": a.right,
                "total": a.total,
                "is_passed": a.is_passed,
                "answers": a.answers,
                "unsent_answers": a.draft_answers,
                "questions_as_asked": a.questions,
            }
            for a in _rows(QuizAttempt, QuizAttempt.user_id == person.id)
        ],
        "reflections": [reflection_dict(r) for r in reflections_of(person.id)],
        "module_completions": [
            {
                "course_id": m.course_id,
                "module_id": m.module_id,
                "completed_at": _when(m.completed_at),
            }
            for m in _rows(ModuleCompletion, ModuleCompletion.user_id == person.id)
        ],
        "course_completions": [
            {"course_id": c.course_id, "completed_at": _when(c.completed_at)}
            for c in _rows(CourseCompletion, CourseCompletion.user_id == person.id)
        ],
        "course_renewals": [
            {"course_id": r.course_id, "number": r.number, "completed_at": _when(r.completed_at)}
            for r in _rows(CourseRenewal, CourseRenewal.user_id == person.id)
        ],
        "certificates": [
            {
                "code": c.code,
                "course_id": c.course_id,
                "course_title": c.course_title,
                "name_printed": c.learner_name,
                "organisation_printed": c.organisation_name,
                "completed_on": _when(c.completed_on),
                "issued_at": _when(c.issued_at),
                "withdrawn_at": _when(c.revoked_at),
            }
            for c in _rows(Certificate, Certificate.user_id == person.id)
        ],
        "course_statuses": [
            {
                "course_id": s.course_id,
                "status": STATUS_OF_CODE.get(s.status),
                "done": s.done,
                "total": s.total,
                "percent": s.percent,
                "last_activity_at": _when(s.last_activity),
                "computed_for": s.fingerprint,
            }
            for s in _rows(
                CourseStatus, CourseStatus.user_id == person.id, order=CourseStatus.course_id
            )
        ],
        "reminders": [
            {
                "course_id": r.course_id,
                "kind": r.kind,
                "sent_on": _when(r.sent_on),
                "due_on": _when(r.due_on),
                "message": r.message,  # a lead officer's words to them, if any
            }
            for r in _rows(ReminderSent, ReminderSent.user_id == person.id)
        ],
        "audit_events": [
            {
                "occurred_at": _when(e.occurred_at),
                "action": e.action,
                "by": "them"
                if e.actor_id == person.id
                else ("someone else" if e.actor_id else None),
                "target_type": e.target_type,
                "target_id": e.target_id,
                "ip": e.ip if e.actor_id == person.id else None,
                "details": e.details,
            }
            for e in _events(person, addresses, [i.id for i in invitations])
        ],
        "emails": [
            {
                "to": m.to_address,
                "subject": m.subject,
                "text": _LINK.sub(LINK_REMOVED, m.text_body),
                "queued_at": _when(m.created_at),
                "sent_at": _when(m.sent_at),
            }
            for m in _emails(addresses)
        ],
    }


def as_json(data: dict[str, Any]) -> str:
    """Return an export as indented JSON text."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def csv_rows(data: dict[str, Any]) -> Iterator[tuple[str, str, str, object]]:
    """Yield an export as (section, item, field, value) rows: one per value, in order.

    Single-record sections have an empty item; lists number their records from 1.
    Values that are lists or mappings are written as JSON.
    """
    for section, value in data.items():
        if isinstance(value, dict):
            yield from _record_rows(section, "", value)
        elif isinstance(value, list):
            for number, record in enumerate(value, start=1):
                yield from _record_rows(section, str(number), record)
        else:
            yield (section, "", "", value)


def _record_rows(
    section: str, item: str, record: dict[str, Any]
) -> Iterable[tuple[str, str, str, object]]:
    for field, value in record.items():
        if isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        yield (section, item, field, value)


def record_export(person: User, *, actor: User, fmt: str) -> None:
    """Write "person.exported" to the audit log (in the caller's transaction)."""
    audit.record("person.exported", actor=actor, target=person, details={"format": fmt})


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed, and the outbox files (named in deleted email) to remove too."""

    counts: dict[str, int]
    outbox_files: tuple[str, ...]


def erase(person: User, *, actor: User) -> Erasure:
    """Erase `person`'s identity and keep their records, anonymised; return what was removed.

    Writes "person.erased" to the audit log. Raises ErasureRefused when the actor is
    erasing themselves or the person was erased already.
    """
    if person.id == actor.id:
        raise ErasureRefused("You cannot erase your own account. Ask another admin.")
    if is_erased(person):
        raise ErasureRefused(f"{person.name} has already been erased.")
    addresses = _addresses(person)
    names = _names(person)
    invitations = _invitations(addresses)
    events = _events(person, addresses, [i.id for i in invitations])
    emails = _emails(addresses)
    new_name, new_email = erased_name(person.id), erased_email(person.id)
    now = utcnow()

    counts = {
        "sessions": _delete(UserSession, UserSession.user_id == person.id),
        "recovery_codes": _delete(RecoveryCode, RecoveryCode.user_id == person.id),
        "one_time_links": _delete(
            AccountToken, or_(AccountToken.user_id == person.id, AccountToken.email.in_(addresses))
        ),
        "reflections": erase_reflections(person.id),
        "emails": len(emails),
        "invitations": len(invitations),
        "audit_events_scrubbed": 0,
    }
    outbox_files = tuple(m.outbox_file for m in emails if m.outbox_file)
    for message in emails:
        db.session.delete(message)
    for invitation in invitations:
        invitation.email = new_email
        invitation.name = ""
    certificates = db.session.execute(
        update(Certificate)
        .where(Certificate.user_id == person.id)
        .values(learner_name=new_name, revoked_at=func.coalesce(Certificate.revoked_at, now))
        .execution_options(synchronize_session=False)
    )
    counts["certificates_withdrawn"] = rows_changed(certificates)
    replacements = {a: new_email for a in addresses} | {n.casefold(): new_name for n in names}
    for event in events:
        details = _scrubbed(event.details, replacements)
        if details != event.details or (event.actor_id == person.id and event.ip):
            counts["audit_events_scrubbed"] += 1
            event.details = details
            if event.actor_id == person.id:
                event.ip = None

    person.name = new_name
    person.email = new_email
    person.password_hash = None
    person.totp_secret = None
    person.totp_enabled_at = None
    person.totp_last_step = None
    person.last_sign_in_at = None
    person.is_active = False
    audit.record("person.erased", actor=actor, target=person, details=dict(counts))
    db.session.flush()
    return Erasure(counts=counts, outbox_files=outbox_files)


def _delete(model: Any, condition: Any) -> int:
    result = db.session.execute(
        delete(model).where(condition).execution_options(synchronize_session=False)
    )
    return rows_changed(result)


def _scrubbed(value: Any, replacements: dict[str, str]) -> Any:
    """Return `value` with every string equal to a key (any case) replaced, at any depth."""
    if isinstance(value, str):
        return replacements.get(value.casefold(), replacements.get(value, value))
    if isinstance(value, dict):
        return {k: _scrubbed(v, replacements) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, replacements) for v in value]
    return value
