"""Making invitations: the one place an invitation is issued and its email written.

Inviting one person (`joining.send_invitation`) and a whole file
(`bulk_invitations.confirm`) both call `issue`, which, for each person: withdraws any
pending invitation to the same address (the new one replaces it), makes a one-time
link, sets the expiry (INVITATION_DAYS from now) and queues the email; all in the
caller's transaction, with a few multi-row statements whatever the number of people.
`tell_existing` writes to the owners of accounts that were invited again. Who may
invite whom is checked by the callers (accounts.permissions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import ColumnElement, insert, select, update

from induction.accounts import mailer, tokens
from induction.accounts.errors import AccountError
from induction.accounts.links import external_url
from induction.accounts.models import Invitation, Organisation, User
from induction.database import table_of, utcnow
from induction.extensions import db
from induction.identity.current import current as current_identity

_CHUNK = 500  # people per multi-row insert, and per progress step
_LINK_MARK = "LINKTOKENGOESHERE"  # replaced by each invitation's own token
_IN_LIST = 10000  # addresses per IN list (fits one statement on both databases)


@dataclass(frozen=True)
class Invitee:
    """Someone to invite: who they are and what their account will be."""

    email: str  # already normalised
    name: str
    role: str
    audience: str
    start_date: dt.date | None = None


def invitation_days() -> float:
    """Return how many days an invitation link works (INVITATION_DAYS)."""
    return float(current_app.config["INVITATION_DAYS"])


def inviter_name(actor: User | None) -> str:
    """Return who the email says the invitation is from (the site's team for the command line)."""
    return actor.name if actor is not None else f"The {current_identity().site_name} team"


def invitation_subject(organisation: Organisation | None) -> str:
    """Return the invitation's subject: "Your invitation to the CCIN induction from Oldham Council".

    Without an organisation (an admin invited to the network itself) it is from the network.
    """
    identity = current_identity()
    sender = organisation.name if organisation is not None else identity.name
    return f"Your invitation to the {identity.site_name} from {sender}"


def pending_conditions(organisation_id: int | None = None) -> list[ColumnElement[bool]]:
    """Return the conditions, on Invitation, of an invitation still waiting for its person.

    Neither accepted nor withdrawn, expired or not (an officer needs to see whose link ran
    out, to send a new one), and to an address that has no account yet (they joined some
    other way). A new invitation withdraws the old, so each address appears once. With
    `organisation_id`, only that organisation's.
    """
    conditions: list[ColumnElement[bool]] = [
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        ~select(User.id).where(User.email == Invitation.email).exists(),
    ]
    if organisation_id is not None:
        conditions.append(Invitation.organisation_id == organisation_id)
    return conditions


def withdraw_pending(emails: Sequence[str], now: dt.datetime) -> None:
    """Withdraw the pending invitations to these addresses: new ones replace them."""
    for start in range(0, len(emails), _IN_LIST):
        db.session.execute(
            update(Invitation)
            .where(
                Invitation.email.in_(emails[start : start + _IN_LIST]),
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
            )
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )


def issue(
    actor: User | None,
    organisation: Organisation | None,
    invitees: Sequence[Invitee],
    *,
    progress: Callable[[int], None] | None = None,
) -> list[str]:
    """Invite each of `invitees` into `organisation`, in the caller's transaction.

    Replaces their pending invitations, stores a new one each (expiring after
    INVITATION_DAYS) and queues its email. `actor` None is the command line.
    `progress` is called with the number done after each batch. Returns the token
    hashes of the new invitations, in the order given (to find them again). Raises
    AccountError when `organisation` is retired: nobody is invited into it.
    """
    if organisation is not None and organisation.retired_at is not None:
        raise AccountError(
            f"{organisation.name} is retired: bring it back before inviting people into it",
            field="organisation",
        )
    now = utcnow()
    withdraw_pending([person.email for person in invitees], now)
    days = invitation_days()
    expires = now + dt.timedelta(days=days)
    inviter = SimpleNamespace(name=inviter_name(actor))
    subject = invitation_subject(organisation)
    link_pattern = external_url("accounts.invitation", token=_LINK_MARK)
    hashes: list[str] = []
    for start in range(0, len(invitees), _CHUNK):
        rows, messages = [], []
        for person in invitees[start : start + _CHUNK]:
            token = tokens.new_token()
            hashes.append(tokens.hash_token(token))
            rows.append(
                {
                    "token_hash": hashes[-1],
                    "email": person.email,
                    "name": person.name,
                    "role": person.role,
                    "audience": person.audience,
                    "organisation_id": organisation.id if organisation else None,
                    "invited_by_id": actor.id if actor else None,
                    "start_date": person.start_date,
                    "created_at": now,
                    "expires_at": expires,
                }
            )
            parts = mailer.render(
                "invitation",
                invitation=SimpleNamespace(name=person.name, organisation=organisation),
                inviter=inviter,
                link=link_pattern.replace(_LINK_MARK, token),
                days=int(days),
            )
            messages.append((person.email, subject, parts))
        db.session.execute(insert(table_of(Invitation)), rows)
        mailer.send_many(messages)
        if progress is not None:
            progress(len(rows))
    return hashes


def tell_existing(users: Sequence[User]) -> None:
    """Tell the owners of these accounts that their address was invited again.

    Used when the inviter may not see the account: they learn nothing, its owner does.
    """
    mailer.send_many(
        (user.email, "You were invited again", mailer.render("invited_existing", user=user))
        for user in users
    )
