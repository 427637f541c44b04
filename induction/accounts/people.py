"""Services for people: create, sign-in checks, roles, details, passwords, email changes.

Services add to the caller's transaction and never commit; views and CLI commands
commit once at the end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import ColumnElement, func, or_, select

from induction.accounts import audit, mailer, sessions, tokens
from induction.accounts.addresses import email_problem
from induction.accounts.errors import AccountError
from induction.accounts.links import external_url
from induction.accounts.models import (
    Audience,
    DigestFrequency,
    Organisation,
    Role,
    TokenPurpose,
    User,
    normalise_email,
)
from induction.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from induction.database import utcnow
from induction.extensions import db
from induction.identity.current import current as current_identity
from induction.inputs import control_character_problem


def checked_email(email: str) -> str:
    """Return the address as stored (trimmed, lower-cased).

    Raises AccountError (on the email field) when it breaks the one email address rule.
    """
    problem = email_problem(email)
    if problem:
        raise AccountError(problem, field="email")
    return normalise_email(email)


def find_by_email(email: str) -> User | None:
    """Return the person with this email address (any case), or None."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def email_taken(email: str) -> bool:
    """Return True when an account already uses this address."""
    return find_by_email(email) is not None


def count_admins() -> int:
    """Return how many active admins exist."""
    stmt = select(func.count(User.id)).where(User.role == Role.ADMIN.value, User.is_active)
    return int(db.session.scalar(stmt) or 0)


def check_password_rules(password: str, *, email: str = "", name: str = "") -> None:
    """Raise AccountError (field "password") when a new password breaks the rules."""
    site = current_identity().site_name
    problem = password_problem(password, [email, name, site, "induction"])
    if problem:
        raise AccountError(problem, field="password")


def create_user(
    *,
    email: str,
    name: str,
    password: str | None,
    role: Role | str = Role.LEARNER,
    audience: Audience | str = Audience.OFFICER,
    organisation: Organisation | None = None,
    start_date: dt.date | None = None,
    actor: User | None = None,
) -> User:
    """Add a new person and return them (flushed, so they have an id).

    Raises AccountError when the address is not valid or taken, the role or audience is
    unknown, a learner or manager has no organisation, the password breaks the rules, or
    the name or address holds a control character.
    """
    for field, value in (("email", email), ("name", name)):
        if problem := control_character_problem(value):
            raise AccountError(problem, field=field)
    email = checked_email(email)
    name = " ".join(name.split())
    role = Role(role)
    audience = Audience(audience)
    if not name:
        raise AccountError("Enter the person's name", field="name")
    if email_taken(email):
        raise AccountError("An account with this email address already exists", field="email")
    if role != Role.ADMIN and organisation is None:
        raise AccountError("Choose the person's organisation", field="organisation")
    if password is not None:
        check_password_rules(password, email=email, name=name)
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password) if password is not None else None,
        role=role.value,
        audience=audience.value,
        organisation=organisation,
        start_date=start_date or utcnow().date(),
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user.created",
        actor=actor,
        target=user,
        details={"role": role.value, "audience": audience.value},
    )
    return user


@dataclass(frozen=True)
class SignInCheck:
    """The outcome of checking an email address and password."""

    user: User | None  # set only when the password is right and the account active

    @property
    def ok(self) -> bool:
        return self.user is not None


def check_credentials(email: str, password: str) -> SignInCheck:
    """Check an email address and password; record a failure in the audit log.

    Unknown address, wrong password and deactivated account all look the same to the
    caller and take the same time (a dummy hash is checked for unknown addresses).
    A hash made with older parameters is replaced by one with the current ones.
    """
    user = find_by_email(email)
    valid = verify_password(user.password_hash if user else None, password)
    if user is not None and valid and user.is_active:
        assert user.password_hash is not None
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        return SignInCheck(user)
    audit.record(
        "auth.login_failed",
        target=user,
        details={"email": normalise_email(email)[:254], "reason": _failure(user, valid)},
    )
    return SignInCheck(None)


def _failure(user: User | None, valid: bool) -> str:
    if user is None:
        return "unknown address"
    if not valid:
        return "wrong password"
    return "deactivated"


def set_role(person: User, role: Role | str, *, actor: User | None) -> None:
    """Change a person's role, recording it.

    Raises AccountError when the role is unknown, a learner or manager would have no
    organisation, or the last active admin would be demoted.
    """
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(f"Role must be one of {', '.join(Role)}", field="role") from None
    if person.role == role.value:
        return
    if role != Role.ADMIN and person.organisation_id is None:
        raise AccountError("Give the person an organisation first", field="role")
    if person.role == Role.ADMIN and person.is_active and count_admins() <= 1:
        raise AccountError("There must always be at least one admin", field="role")
    old = person.role
    person.role = role.value
    audit.record(
        "user.role_changed", actor=actor, target=person, details={"from": old, "to": role.value}
    )


def update_details(
    person: User,
    *,
    actor: User,
    name: str | None = None,
    audience: Audience | str | None = None,
    start_date: dt.date | None = None,
    organisation: Organisation | None = None,
    change_organisation: bool = False,
) -> None:
    """Change a person's name, audience, start date or (admins only) organisation.

    Raises AccountError when a learner or manager would be left without an organisation.
    """
    changes: dict[str, object] = {}
    if name is not None and " ".join(name.split()) != person.name:
        person.name = " ".join(name.split())
        changes["name"] = person.name
    if audience is not None and Audience(audience).value != person.audience:
        changes["audience"] = {"from": person.audience, "to": Audience(audience).value}
        person.audience = Audience(audience).value
    if start_date is not None and start_date != person.start_date:
        changes["start_date"] = {
            "from": person.start_date.isoformat(),
            "to": start_date.isoformat(),
        }
        person.start_date = start_date
    if (
        change_organisation
        and (organisation.id if organisation else None) != person.organisation_id
    ):
        if organisation is None and person.role != Role.ADMIN:
            raise AccountError("Learners and managers need an organisation", field="organisation")
        changes["organisation"] = {
            "from": person.organisation_id,
            "to": organisation.id if organisation else None,
        }
        person.organisation = organisation
        person.intake = None  # an intake belongs to one organisation
    if changes:
        audit.record("user.updated", actor=actor, target=person, details=changes)


def set_active(person: User, active: bool, *, actor: User | None) -> None:
    """Deactivate (ending every session) or reactivate a person.

    Raises AccountError when someone would deactivate themselves or the last admin.
    """
    if person.is_active == active:
        return
    if not active:
        if actor is not None and actor.id == person.id:
            raise AccountError("You cannot deactivate your own account")
        if person.role == Role.ADMIN and count_admins() <= 1:
            raise AccountError("There must always be at least one active admin")
        sessions.end_sessions(person)
    person.is_active = active
    audit.record(
        "user.deactivated" if not active else "user.reactivated", actor=actor, target=person
    )


def change_password(user: User, current: str, new: str) -> None:
    """Change the person's own password after checking the current one.

    Every other session of theirs ends (the caller renews the current one) and every
    reset or email-change link sent to them stops working.
    Raises AccountError for a wrong current password or a new one that breaks the rules.
    """
    if not verify_password(user.password_hash, current):
        raise AccountError("Your current password is not right", field="current_password")
    check_password_rules(new, email=user.email, name=user.name)
    user.password_hash = hash_password(new)
    tokens.revoke_links_of(user)
    audit.record("password.changed", actor=user, target=user)
    mailer.send(user.email, "password_changed", "Your password was changed", user=user)


def request_password_reset(email: str) -> None:
    """Email a reset link when the address belongs to an active account; otherwise nothing.

    The caller answers the same either way, so nobody learns whether an account exists.
    """
    user = find_by_email(email)
    if user is None or not user.is_active:
        return
    send_reset_link(user)


def send_reset_link(
    user: User, *, template: str = "reset", subject: str = "Reset your password"
) -> None:
    """Queue an email with a one-hour single-use link to set a new password."""
    lifetime = dt.timedelta(minutes=float(current_app.config["RESET_LINK_MINUTES"]))
    token = tokens.issue(TokenPurpose.RESET, lifetime=lifetime, email=user.email, user=user)
    link = external_url("accounts.reset_password", token=token)
    minutes = int(lifetime.total_seconds() // 60)
    mailer.send(user.email, template, subject, user=user, link=link, minutes=minutes)
    audit.record("password.reset_requested", target=user)


def reset_password(token: str, new: str) -> User:
    """Set a new password from a reset link; return the person.

    Uses up the link (and every other reset or email-change link of theirs) and ends all
    their sessions.
    Raises AccountError when the link is unknown, used or expired, or the password
    breaks the rules (then nothing changes).
    """
    record = tokens.find_live(TokenPurpose.RESET, token)
    user = record.user if record is not None else None
    if user is None or not user.is_active:
        raise AccountError("This link has expired or has already been used")
    check_password_rules(new, email=user.email, name=user.name)
    if tokens.redeem(TokenPurpose.RESET, token) is None:
        raise AccountError("This link has expired or has already been used")
    tokens.revoke_links_of(user)
    user.password_hash = hash_password(new)
    sessions.end_sessions(user)
    audit.record("password.reset", actor=user, target=user)
    mailer.send(user.email, "password_changed", "Your password was changed", user=user)
    return user


def request_email_change(user: User, new_email: str, current_password: str) -> None:
    """Send a confirmation link to the new address and a notice to the old one.

    If the new address already has an account, that address is told so instead (and
    the person asking learns nothing different). Raises AccountError for a wrong
    password, an address that is not valid or an unchanged address.
    """
    new_email = checked_email(new_email)
    if not verify_password(user.password_hash, current_password):
        raise AccountError("Your current password is not right", field="current_password")
    if new_email == user.email:
        raise AccountError("That is already your email address", field="email")
    if email_taken(new_email):
        mailer.send(new_email, "email_in_use", "Someone tried to use this email address")
    else:
        hours = float(current_app.config["EMAIL_CHANGE_LINK_HOURS"])
        token = tokens.issue(
            TokenPurpose.EMAIL_CHANGE,
            lifetime=dt.timedelta(hours=hours),
            email=new_email,
            user=user,
        )
        link = external_url("profile.confirm_email", token=token)
        mailer.send(
            new_email,
            "email_confirm",
            "Confirm your new email address",
            user=user,
            link=link,
            hours=int(hours),
        )
    mailer.send(
        user.email,
        "email_change_requested",
        "A change of email address was asked for",
        user=user,
        new_email=new_email,
    )
    audit.record("email.change_requested", actor=user, target=user)


def confirm_email_change(token: str) -> User:
    """Switch a person to the address a confirmation link was sent to; return them.

    Raises AccountError when the link is unknown, used or expired, or the address has
    been taken meanwhile.
    """
    record = tokens.redeem(TokenPurpose.EMAIL_CHANGE, token)
    if record is None or record.user is None or record.email is None:
        raise AccountError("This link has expired or has already been used")
    user = record.user
    if email_taken(record.email):
        raise AccountError("Another account now uses that address")
    old = user.email
    user.email = record.email
    tokens.revoke_links_of(user)  # links sent to the old address stop working
    audit.record("email.changed", actor=user, target=user, details={"from": old, "to": user.email})
    mailer.send(
        old, "email_changed", "Your email address was changed", user=user, new_email=user.email
    )
    return user


def set_digest_frequency(user: User, frequency: DigestFrequency) -> None:
    """Record how often `user` (a lead officer) gets their organisation's digest; audited."""
    if user.digest_frequency != frequency.value:
        user.digest_frequency = frequency.value
        audit.record(
            "digest.frequency_changed", actor=user, target=user, details={"to": frequency.value}
        )
    db.session.flush()


def search_condition(text: str) -> ColumnElement[bool]:
    """Return the condition "name or email contains `text`" (any case, % and _ taken
    literally): what every list of people searches."""
    needle = text.strip().lower()
    return or_(
        func.lower(User.name).contains(needle, autoescape=True),
        User.email.contains(needle, autoescape=True),
    )
