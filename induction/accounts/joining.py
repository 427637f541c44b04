"""Services for joining: invitations, and self-registration with an organisation's join code."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from induction.accounts import audit, invitations, mailer, tokens
from induction.accounts.errors import AccountError
from induction.accounts.links import external_url
from induction.accounts.models import (
    AccountToken,
    Audience,
    Invitation,
    Organisation,
    Role,
    TokenPurpose,
    User,
    normalise_email,
)
from induction.accounts.organisations import find_by_join_code
from induction.accounts.people import (
    check_password_rules,
    checked_email,
    create_user,
    find_by_email,
    send_reset_link,
)
from induction.accounts.permissions import can_see_person, invitable_roles
from induction.database import rows_changed, utcnow
from induction.extensions import db

LINK_GONE = "This link has expired or has already been used"


def send_invitation(
    actor: User,
    *,
    email: str,
    name: str,
    role: Role | str,
    audience: Audience | str,
    organisation: Organisation | None,
    start_date: dt.date | None = None,
    note: str = "",
) -> Invitation | None:
    """Invite someone by email; return the invitation (None when they already have an account).

    `start_date` is the day their due dates count from once they join (an election day,
    say); None counts from the day they accept. `note` is the inviter's own words for
    the email (plain text; see invitations.clean_note).

    Admins invite anyone to any organisation with any role; managers invite learners
    and managers into their own organisation. An earlier pending invitation to the same
    address is replaced. When the address already has an account the inviter may see,
    AccountError says so; when it is an account they may not see, its owner is told by
    email instead and the inviter learns nothing.
    Raises AccountError for an address that is not valid, or a role or organisation the
    inviter may not give.
    """
    email = checked_email(email)
    role = Role(role)
    audience = Audience(audience)
    if role not in invitable_roles(actor):
        raise AccountError("You cannot invite someone with that role", field="role")
    if not actor.is_admin:
        organisation = actor.organisation
    if role != Role.ADMIN and organisation is None:
        raise AccountError("Choose the organisation the person belongs to", field="organisation")
    existing = find_by_email(email)
    if existing is not None:
        if can_see_person(actor, existing):
            raise AccountError("This person already has an account", field="email")
        invitations.tell_existing([existing])
        audit.record("invitation.existing_account", actor=actor, target=existing)
        return None
    person = invitations.Invitee(
        email=email,
        name=" ".join(name.split()),
        role=role.value,
        audience=audience.value,
        start_date=start_date,
        note=note,
    )
    [token_hash] = invitations.issue(actor, organisation, [person])
    invitation = db.session.scalars(
        select(Invitation).where(Invitation.token_hash == token_hash)
    ).one()
    audit.record(
        "invitation.sent",
        actor=actor,
        target=invitation,
        organisation_id=organisation.id if organisation else None,
        details={
            "email": email,
            "role": role.value,
            "audience": audience.value,
            "note": invitations.clean_note(note) or None,
        },
    )
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """Return the pending invitation for a link, or None when unknown, used, revoked or expired."""
    if not token or len(token) > 128:
        return None
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == tokens.hash_token(token))
    )
    return invitation if invitation is not None and invitation.is_pending else None


def accept_invitation(token: str, *, name: str, password: str) -> User:
    """Create the invited person's account with their name and password; return it.

    Raises AccountError when the link is no longer valid, the address was registered
    meanwhile, or the password breaks the rules (nothing changes then).
    """
    invitation = find_invitation(token)
    if invitation is None:
        raise AccountError(LINK_GONE)
    check_password_rules(password, email=invitation.email, name=name)
    now = utcnow()
    claimed = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(accepted_at=now)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(claimed) != 1:
        raise AccountError(LINK_GONE)
    user = create_user(
        email=invitation.email,
        name=name,
        password=password,
        role=invitation.role,
        audience=invitation.audience,
        organisation=invitation.organisation,
        start_date=invitation.start_date,
        actor=None,
    )
    audit.record(
        "invitation.accepted", actor=user, target=invitation, organisation_id=user.organisation_id
    )
    return user


def revoke_invitation(invitation: Invitation, *, actor: User) -> None:
    """Withdraw a pending invitation so its link stops working."""
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        return
    invitation.revoked_at = utcnow()
    audit.record(
        "invitation.revoked",
        actor=actor,
        target=invitation,
        organisation_id=invitation.organisation_id,
    )


def pending_invitations(actor: User, organisation_id: int | None = None) -> list[Invitation]:
    """Return the invitations still waiting that `actor` may see, newest first: expired or
    not (`invitations.pending_conditions`, the dashboard's rule), so an officer sees whose
    link ran out and can send a new one."""
    stmt = (
        select(Invitation)
        .options(joinedload(Invitation.organisation))  # the list shows each one's organisation
        .where(*invitations.pending_conditions())
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    if not actor.is_admin:
        stmt = stmt.where(Invitation.organisation_id == actor.organisation_id)
    elif organisation_id is not None:
        stmt = stmt.where(Invitation.organisation_id == organisation_id)
    return list(db.session.scalars(stmt))


def self_registration_enabled() -> bool:
    """Return True when people may register with a join code on this site."""
    return bool(current_app.config["SELF_REGISTRATION_ENABLED"])


def request_registration(join_code: str, email: str) -> None:
    """Email a link to finish registering, when the join code is right.

    An address that already has an account is sent a reminder with a reset link
    instead, never a second account. Wrong codes send nothing. The caller answers the
    same in every case.
    """
    if not self_registration_enabled():
        return
    org = find_by_join_code(join_code)
    if org is None:
        audit.record("registration.bad_code", details={"email": normalise_email(email)[:254]})
        return
    existing = find_by_email(email)
    if existing is not None:
        if existing.is_active:
            send_reset_link(
                existing, template="account_exists", subject="You already have an account"
            )
        return
    hours = float(current_app.config["REGISTRATION_LINK_HOURS"])
    token = tokens.issue(
        TokenPurpose.REGISTRATION,
        lifetime=dt.timedelta(hours=hours),
        email=normalise_email(email),
        organisation=org,
    )
    link = external_url("accounts.register_finish", token=token)
    mailer.send(
        normalise_email(email),
        "registration",
        "Finish creating your account",
        organisation=org,
        link=link,
        hours=int(hours),
    )
    audit.record("registration.requested", target=org, details={"email": normalise_email(email)})


def find_registration(token: str) -> AccountToken | None:
    """Return the live registration link record, or None (also when registration was turned off)."""
    if not self_registration_enabled():
        return None
    record = tokens.find_live(TokenPurpose.REGISTRATION, token)
    if record is None or record.organisation is None or record.organisation.join_code is None:
        return None
    return record


def complete_registration(
    token: str, *, name: str, audience: Audience | str, password: str
) -> User:
    """Create a learner account from a registration link; return it.

    Raises AccountError when the link is no longer valid, registration was turned off,
    the address was registered meanwhile, or the password breaks the rules.
    """
    record = find_registration(token)
    if record is None or record.email is None:
        raise AccountError(LINK_GONE)
    check_password_rules(password, email=record.email, name=name)
    if find_by_email(record.email) is not None:
        raise AccountError(
            "An account with this email address already exists. Sign in or reset your password."
        )
    if tokens.redeem(TokenPurpose.REGISTRATION, token) is None:
        raise AccountError(LINK_GONE)
    user = create_user(
        email=record.email,
        name=name,
        password=password,
        role=Role.LEARNER,
        audience=audience,
        organisation=record.organisation,
    )
    audit.record("registration.completed", actor=user, target=user)
    return user
