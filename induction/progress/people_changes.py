"""Keep the organisation figures (figures.py) current when people themselves change.

A person joins, moves to another organisation or intake (one at a time or in bulk),
changes audience, role or start date, is deactivated or reactivated, or is deleted, or
their intake is re-dated or deleted, from many places (people, organisation and intake
management, invitations, bulk imports, sign-in with an identity provider, data erasure).
Rather than have each of them remember the figures, every flush of the session does it
in one place, inside the flush and so inside the same transaction:

1. before the flush writes the people, their terms as the database holds them are
   subtracted from the figures and headcounts (figures.shift, -1), the people locked
   first on PostgreSQL;
2. after it, their rows are rewritten where outdated (status_rewrite.rewrite_people_rows:
   a new organisation or audience) and their new terms added (figures.shift, +1).

Nothing here decides what anyone sees: the figures are a cache whose reader checks that
it is complete, and the reports refresh rebuilds it. Writes that bypass the session's
objects (bulk inserts of people by the demo data) are followed by the refresh.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from induction.accounts.models import Intake, User
from induction.extensions import db
from induction.progress import figures
from induction.progress.status_rewrite import lock_people, rewrite_people_rows

# The attributes of a person that their terms in the figures depend on.
WATCHED = (
    "organisation",
    "organisation_id",
    "audience",
    "role",
    "is_active",
    "start_date",
    "intake",
    "intake_id",
)
_PENDING = "induction.progress.people_changes"


def _changed(person: User) -> bool:
    state: Any = inspect(person)
    return any(state.attrs[name].history.has_changes() for name in WATCHED)


def _intake_members(session: Session, people: list[User]) -> list[int]:
    """Return the people of the intakes this flush re-dates or deletes (their due dates
    count from the intake's date), as the database holds them.

    On PostgreSQL, those intakes are locked first (FOR UPDATE) and the intakes of
    `people` (people changing; old and new intake) shared (FOR SHARE), both before any
    person is locked: a person put in an intake and the intake re-dated at once then
    happen one after the other, and the second sees the first's members and date.
    """
    intakes = [
        intake.id
        for intake in session.dirty
        if isinstance(intake, Intake) and inspect(intake).attrs.starts_on.history.has_changes()
    ] + [intake.id for intake in session.deleted if isinstance(intake, Intake)]
    intakes = [intake_id for intake_id in intakes if intake_id is not None]
    if session.get_bind().dialect.name == "postgresql":
        theirs: set[int | None] = {p.intake_id for p in people}
        for person in people:
            state: Any = inspect(person)
            theirs |= {intake.id for intake in state.attrs.intake.history.added if intake}
        ids = [p.id for p in people if p.id is not None]
        if ids:
            theirs |= set(session.scalars(select(User.intake_id).where(User.id.in_(ids))))
        for found, shared in ((set(intakes), False), (theirs - set(intakes), True)):
            chosen = sorted(i for i in found if i is not None)
            if chosen:
                session.execute(
                    select(Intake.id)
                    .where(Intake.id.in_(chosen))
                    .order_by(Intake.id)
                    .with_for_update(read=shared)
                )
    if not intakes:
        return []
    return list(session.scalars(select(User.id).where(User.intake_id.in_(intakes))))


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Subtract the terms of the people this flush changes or deletes; note whom to add."""
    existing = [p for p in session.dirty if isinstance(p, User) and _changed(p)]
    deleted = [p for p in session.deleted if isinstance(p, User)]
    new = [p for p in session.new if isinstance(p, User)]
    members = _intake_members(session, existing)
    session.info[_PENDING] = ([*existing, *new], members)
    ids = [p.id for p in (*existing, *deleted) if p.id is not None] + members
    if ids:
        who = [User.id.in_(ids)]
        lock_people(ids)
        figures.lock_organisations_of(who)
        figures.shift(who, -1)


def _after_flush(session: Session, _context: Any) -> None:
    """Rewrite the outdated rows of the people noted before the flush, add their terms."""
    people, members = session.info.pop(_PENDING, ([], []))
    ids = sorted({p.id for p in people if p.id is not None} | set(members))
    if ids:
        who = [User.id.in_(ids)]
        figures.lock_organisations_of(who)
        rewrite_people_rows(ids)
        figures.shift(who, 1)


def init_app(_app: Flask) -> None:
    """Listen to every flush of the app's database session (once per process)."""
    if not event.contains(db.session, "before_flush", _before_flush):
        event.listen(db.session, "before_flush", _before_flush)
        event.listen(db.session, "after_flush", _after_flush)
