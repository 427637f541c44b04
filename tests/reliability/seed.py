"""Test data for the reliability tests, written in bulk inside an app context.

Every learner gets the same password, hashed once at the configured strength: hashing
it per person would take longer than the test itself.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import insert, select

from induction.accounts.models import Organisation, User
from induction.accounts.passwords import hash_password
from induction.extensions import db
from tests.reliability.cluster import PASSWORD


@dataclass(frozen=True)
class Learner:
    id: int
    email: str


def add_learners(count: int, *, audience: str = "councillor") -> list[Learner]:
    """Add an organisation and `count` learners in it (committed); return them in id order."""
    run = uuid.uuid4().hex[:8]
    organisation = Organisation(name=f"Load Test Council {run}")
    db.session.add(organisation)
    db.session.flush()
    password_hash = hash_password(PASSWORD)
    db.session.execute(
        insert(User),
        [
            {
                "email": f"learner{n}-{run}@example.org",
                "name": f"Learner {n}",
                "password_hash": password_hash,
                "role": "learner",
                "audience": audience,
                "organisation_id": organisation.id,
            }
            for n in range(count)
        ],
    )
    db.session.commit()
    rows = db.session.execute(
        select(User.id, User.email).where(User.organisation_id == organisation.id).order_by(User.id)
    )
    return [Learner(id=row.id, email=row.email) for row in rows]
