"""People invited into an organisation who have not joined yet, for the dashboard.

Which invitations are still waiting is the rule of `accounts.invitations.pending_conditions`
(the weekly digest uses it too), and whose link has expired the rule of
`Invitation.link_expired` (the People page's, a hybrid property: the same rule in SQL).
The dashboard's audience filter and search apply to them as to the people who joined
(`progress.chasing.invitation_conditions`, which the button that sends new invitations to
everyone whose link has expired uses too). Those whose link has expired are listed first:
they are the ones to do something about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, func, select

from induction.accounts.models import Invitation, User
from induction.accounts.permissions import organisation_in_scope
from induction.extensions import db
from induction.progress import chasing


@dataclass(frozen=True)
class InvitedPerson:
    """One pending invitation: whom, as what, the day their due dates will count from
    (None: the day they join), when it was sent, when its link expires and whether it has
    (`Invitation.link_expired`, worked out by the database)."""

    invitation_id: int
    name: str
    email: str
    audience: str
    role: str
    start_date: dt.date | None
    invited_at: dt.datetime
    expires_at: dt.datetime
    link_expired: bool


def link_expired_condition() -> ColumnElement[bool]:
    """Return the SQL form of `Invitation.link_expired`: true where the link no longer works."""
    return cast(ColumnElement[bool], Invitation.link_expired)


def pending_conditions(
    organisation_id: int, audience: str | None = None, q: str = ""
) -> list[ColumnElement[bool]]:
    """Return the conditions, on Invitation, of the organisation's pending invitations
    of `audience` whose name or address contains `q` (`chasing.invitation_conditions`)."""
    return chasing.invitation_conditions(organisation_id, audience, q)


def count_select(
    organisation_id: int, audience: str | None = None, q: str = "", *, expired: bool = False
) -> Select[Any]:
    """Return the select of how many pending invitations there are (a scalar subquery's
    source); with `expired`, of how many of them have a link that has expired."""
    conditions = pending_conditions(organisation_id, audience, q)
    if expired:
        conditions.append(link_expired_condition())
    return select(func.count(Invitation.id)).where(*conditions)


def invited_people(
    actor: User,
    organisation_id: int,
    *,
    audience: str | None = None,
    q: str = "",
    sort: str = "name",
    descending: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[InvitedPerson]:
    """Return the organisation's pending invitations: one query.

    Those whose link has expired come first, then the rest; each part in the dashboard's
    order: by email address with `sort` "email", else by name (the address for someone
    invited without one), reversed with `descending` (by name A to Z for the orders that
    mean nothing before someone joins: progress, due date, last activity). Empty when
    `actor` may not see the
    organisation (the views answer 404 before that).
    """
    if not organisation_in_scope(actor, organisation_id):
        return []
    by_email = sort == "email"
    key = (
        func.lower(Invitation.email)
        if by_email
        else func.lower(
            func.coalesce(func.nullif(func.trim(Invitation.name), ""), Invitation.email)
        )
    )
    reverse = descending and sort in ("name", "email")
    order: list[ColumnElement[Any]] = [key.desc() if reverse else key.asc()]
    if not by_email:
        order.append(func.lower(Invitation.email).asc())
    stmt = (
        select(
            Invitation.id,
            Invitation.name,
            Invitation.email,
            Invitation.audience,
            Invitation.role,
            Invitation.start_date,
            Invitation.created_at,
            Invitation.expires_at,
            link_expired_condition(),
        )
        .where(*pending_conditions(organisation_id, audience, q))
        .order_by(link_expired_condition().desc(), *order, Invitation.id)
        .offset(offset)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [InvitedPerson(*values[:-1], bool(values[-1])) for values in db.session.execute(stmt)]
