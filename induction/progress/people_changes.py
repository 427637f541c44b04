"""Keep the organisation figures (figures.py) current when people themselves change.

A person joins, moves to another organisation, changes audience, role or start date, is
deactivated or reactivated, or is deleted, from many places (people and organisation
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
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from induction.accounts.models import User
from induction.extensions import db
from induction.progress import figures
from induction.progress.status_rewrite import lock_people, rewrite_people_rows

# The attributes of a person that their terms in the figures depend on.
WATCHED = ("organisation", "organisation_id", "audience", "role", "is_active", "start_date")
_PENDING = "induction.progress.people_changes"


def _changed(person: User) -> bool:
    state: Any = inspect(person)
    return any(state.attrs[name].history.has_changes() for name in WATCHED)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Subtract the terms of the people this flush changes or deletes; note whom to add."""
    existing = [p for p in session.dirty if isinstance(p, User) and _changed(p)]
    deleted = [p for p in session.deleted if isinstance(p, User)]
    new = [p for p in session.new if isinstance(p, User)]
    session.info[_PENDING] = [*existing, *new]
    ids = [p.id for p in (*existing, *deleted) if p.id is not None]
    if ids:
        who = [User.id.in_(ids)]
        lock_people(ids)
        figures.lock_organisations_of(who)
        figures.shift(who, -1)


def _after_flush(session: Session, _context: Any) -> None:
    """Rewrite the outdated rows of the people noted before the flush, add their terms."""
    people = session.info.pop(_PENDING, None)
    if not people:
        return
    ids = [p.id for p in people if p.id is not None]
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
