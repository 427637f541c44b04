"""Keeping an uploaded file between its preview and its confirmation, in the database.

The confirmation names the stored file by a random id and its digest, so what is
imported is exactly what was previewed, by the same person, into the same
organisation; a file is never taken from a second upload. Kept in the database (not on
one host's disk), so with several hosts a confirmation reaching another host finds it.
An upload is good for a day (MAX_AGE); housekeeping deletes older ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from sqlalchemy import Select, select

from induction.accounts.models import PendingUpload
from induction.database import utcnow
from induction.extensions import db

MAX_AGE = dt.timedelta(days=1)
_UPLOAD_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")


def digest_of(data: bytes) -> str:
    """Return the SHA-256 of an uploaded file, in hex."""
    return hashlib.sha256(data).hexdigest()


def save(
    data: bytes, *, actor_id: int, organisation_id: int | None, plan: str, filename: str
) -> str:
    """Keep `data` and who may confirm it, in the caller's transaction; return its new id.

    `organisation_id` None: a file for the whole network (the member list)."""
    upload = PendingUpload(
        id=secrets.token_urlsafe(24),
        actor_id=actor_id,
        organisation_id=organisation_id,
        filename=filename[:200],
        digest=digest_of(data),
        plan=plan,
        data=data,
        created_at=utcnow(),
    )
    db.session.add(upload)
    db.session.flush()
    return upload.id


def load(
    upload_id: str, *, actor_id: int, digest: str, network: bool = False
) -> PendingUpload | None:
    """Return the upload `actor_id` made with this id and digest, or None when the id is
    unknown or malformed, belongs to someone else, or is more than a day old, or when it
    is for the whole network and `network` is False (or the other way round)."""
    if not _UPLOAD_ID.fullmatch(upload_id or ""):
        return None
    upload = db.session.get(PendingUpload, upload_id)
    if (
        upload is None
        or upload.actor_id != actor_id
        or upload.digest != digest
        or (upload.organisation_id is None) != network
        or upload.created_at <= utcnow() - MAX_AGE
        or digest_of(upload.data) != upload.digest
    ):
        return None
    return upload


def update_plan(upload: PendingUpload, plan: str) -> None:
    """Record the plan of a new preview of the same file (after something changed)."""
    upload.plan = plan
    db.session.flush()


def discard(upload: PendingUpload) -> None:
    """Delete an upload (once it was imported), in the caller's transaction."""
    db.session.delete(upload)
    db.session.flush()


def expired_ids(now: dt.datetime) -> Select:
    """Return the select of the ids of uploads more than a day old (housekeeping deletes them)."""
    return select(PendingUpload.id).where(PendingUpload.created_at <= now - MAX_AGE)
