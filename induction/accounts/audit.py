"""The audit log: who did what to whom, and when. One table, one service.

Every feature records its notable actions with `record(...)`, in the same transaction
as the change itself, so the log never claims something that did not happen. Actions
are dotted names, e.g. "auth.login", "auth.login_failed", "user.role_changed",
"invitation.sent", "password.changed", "email.changed", "totp.enabled".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import has_request_context, request
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from induction.accounts.models import Organisation, User
from induction.database import UTCDateTime, utcnow
from induction.extensions import Model, db


class AuditEvent(Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(64))
    # A string, so later features can point at content ids as well as rows.
    target_id: Mapped[str | None] = mapped_column(String(64))
    # The organisation the event concerns, so a manager's view can be scoped to it.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    ip: Mapped[str | None] = mapped_column(String(45))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship()


def _target_of(target: Any) -> tuple[str | None, str | None]:
    if target is None:
        return None, None
    if isinstance(target, tuple):
        kind, ident = target
        return str(kind), str(ident)
    kind = getattr(target, "__tablename__", type(target).__name__.lower())
    ident = getattr(target, "id", None)
    return kind, None if ident is None else str(ident)


def _organisation_of(target: Any, actor: User | None) -> int | None:
    if isinstance(target, Organisation):
        return target.id
    if isinstance(target, User):
        return target.organisation_id
    org_id = getattr(target, "organisation_id", None)
    if isinstance(org_id, int):
        return org_id
    return actor.organisation_id if actor is not None else None


def record(
    action: str,
    *,
    actor: User | None = None,
    target: Any = None,
    organisation_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction and return it (not yet committed).

    `target` is a model instance with an `id` (its table name becomes the type) or a
    `(type, id)` pair. `organisation_id` defaults to the target's organisation, else the
    actor's. The client's IP address is taken from the current request, if any.
    """
    target_type, target_id = _target_of(target)
    if organisation_id is None:
        organisation_id = _organisation_of(target, actor)
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        target_type=target_type,
        target_id=target_id,
        organisation_id=organisation_id,
        ip=request.remote_addr if has_request_context() else None,
        details=details or None,
    )
    db.session.add(event)
    return event
