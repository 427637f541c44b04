"""People, the organisations they belong to, their sessions, one-time links and recovery codes."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import (
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from induction.accounts.start_dates import counts_from
from induction.database import UTCDateTime, utcnow
from induction.extensions import Model


class Role(StrEnum):
    LEARNER = "learner"
    MANAGER = "manager"
    ADMIN = "admin"


class Audience(StrEnum):
    COUNCILLOR = "councillor"
    OFFICER = "officer"
    AFFILIATE = "affiliate"


# Each audience's people, as a sentence names them ("Remind the councillors not started").
AUDIENCE_NAMES = {
    Audience.COUNCILLOR.value: "councillors",
    Audience.OFFICER.value: "council officers",
    Audience.AFFILIATE.value: "affiliate members",
}


class Category(StrEnum):
    FULL_MEMBER = "full_member"
    ASSOCIATE = "associate"
    AFFILIATE = "affiliate"
    SUPPORTER = "supporter"


class Subtype(StrEnum):
    TOWN_PARISH_COMMUNITY = "town_parish_community"
    OPPOSITION_GROUP = "opposition_group"


class DigestFrequency(StrEnum):
    """How often a lead officer gets the digest of their organisation by email."""

    WEEKLY = "weekly"
    OFF = "off"


class TokenPurpose(StrEnum):
    """What a one-time link in `account_token` is for."""

    SETUP = "setup"
    RESET = "reset"
    REGISTRATION = "registration"
    EMAIL_CHANGE = "email_change"
    SIGN_IN = "sign_in"


def normalise_email(email: str) -> str:
    """Return an email address as stored: trimmed and lower-cased."""
    return email.strip().lower()


def name_key(name: str) -> str:
    """Return the key that makes organisation names unique: spaces collapsed, case folded."""
    return " ".join(name.split()).casefold()


def days_of_term(years: int | None) -> int | None:
    """Return a term of `years` in days (four years: 1,461); None: no term set."""
    return round(years * 365.25) if years else None


class Organisation(Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # Kept in step with `name` so that "Brent Council" and "brent council" cannot both exist.
    name_key: Mapped[str] = mapped_column(String(255), unique=True)
    category: Mapped[str] = mapped_column(String(20), default=Category.FULL_MEMBER.value)
    subtype: Mapped[str | None] = mapped_column(String(40))
    # None: self-registration is off for this organisation.
    join_code: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Its people may ask for a one-time sign-in link by email instead of typing a password.
    has_sign_in_links: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the organisation left the network: hidden from choices, joining and the
    # network overview; its people's records are kept.
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # How many years its councillors serve (for example 4); None: not set.
    term_years: Mapped[int | None] = mapped_column(Integer)

    people: Mapped[list[User]] = relationship(back_populates="organisation")
    intakes: Mapped[list[Intake]] = relationship(back_populates="organisation")

    @property
    def term_days(self) -> int | None:
        """The term in days (four years: 1,461), for courses renewed each term; None: not set."""
        return days_of_term(self.term_years)

    @validates("name")
    def _keep_name_key(self, _key: str, value: str) -> str:
        value = " ".join(value.split())
        self.name_key = name_key(value)
        return value

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class Intake(Model):
    """A wave of people who start together, such as the councillors of one election.

    Due dates of its people count from its date (see start_dates.py).
    """

    __tablename__ = "intake"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="intakes")

    def __repr__(self) -> str:
        return f"<Intake {self.id} {self.name!r}>"


class User(UserMixin, Model):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.LEARNER.value)
    audience: Mapped[str] = mapped_column(String(20), default=Audience.OFFICER.value)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    start_date: Mapped[dt.date] = mapped_column(Date, default=lambda: utcnow().date())
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # Set when the person stopped reminder and digest emails (their one-click unsubscribe).
    reminders_stopped_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # The TOTP secret is written when set-up starts and counts only once confirmed.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # The last 30-second step whose code was accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # Lead officers: how often they get the digest of their organisation ("weekly", "off").
    digest_frequency: Mapped[str] = mapped_column(
        String(10), default="weekly", server_default="weekly"
    )
    # The intake of their organisation they belong to (None: none); see start_dates.py.
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("intake.id"), index=True)

    organisation: Mapped[Organisation | None] = relationship(back_populates="people")
    intake: Mapped[Intake | None] = relationship()

    @validates("email")
    def _lower_email(self, _key: str, value: str) -> str:
        return normalise_email(value)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def counts_from(self) -> dt.date:
        """The day this person's due dates count from: their intake's date or their own start
        date, whichever is later (the rule of start_dates.py)."""
        intake = self.intake if self.intake_id is not None else None
        return counts_from(self.start_date, intake.starts_on if intake else None) or (
            self.start_date
        )

    @property
    def has_totp(self) -> bool:
        """True when the person signs in with a second factor."""
        return self.totp_enabled_at is not None and self.totp_secret is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r} {self.role}>"


class UserSession(Model):
    """One signed-in browser. The cookie carries a random id; only its hash is stored."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_agent: Mapped[str | None] = mapped_column(String(255))
    ip: Mapped[str | None] = mapped_column(String(45))

    user: Mapped[User] = relationship()


class AccountToken(Model):
    """A single-use, expiring link: first-run setup, password reset, registration, email change."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The address the link was sent to (for an email change: the new address).
    email: Mapped[str | None] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE")
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class Invitation(Model):
    """An invitation to join with a given role and audience; accepting it creates the account."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    audience: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # The start date the account gets (due dates count from it); None: the day of accepting.
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    # The inviter's own words in the email (plain text, invitations.clean_note), kept so a
    # new invitation sent when the link expires says the same; "" when they wrote none.
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Who wrote `note`: whoever sent the first invitation, however many times it has been
    # sent again since, so each email says the note is from them. None: no note, written
    # on the command line (the site's team), or their account is gone.
    note_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation | None] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    note_by: Mapped[User | None] = relationship(foreign_keys=[note_by_id])

    @validates("email")
    def _lower_email(self, _key: str, value: str) -> str:
        return normalise_email(value)

    @property
    def is_pending(self) -> bool:
        """True while the invitation can still be accepted."""
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > utcnow()

    @hybrid_property
    def link_expired(self) -> bool:
        """True once the invitation's link no longer works (a new invitation is needed);
        on the class, the same rule in SQL (`Invitation.link_expired` in a query)."""
        return self.expires_at <= utcnow()


class RecoveryCode(Model):
    """A one-time code that stands in for the second factor; only its hash is stored."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class PendingUpload(Model):
    """A file uploaded for a preview, kept until it is confirmed or a day has passed.

    In the database, not on one host's disk, so a confirmation that reaches another
    host finds it. Only its uploader may confirm it, into the organisation it was
    previewed for (see uploads.py).
    """

    __tablename__ = "pending_upload"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # random, not guessable
    actor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    # None: a file for the whole network (the member list), not for one organisation.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE")
    )
    filename: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of `data`
    plan: Mapped[str] = mapped_column(String(64))  # what confirming would do, when previewed
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class IdentityProvider(Model):
    """An organisation's own sign-in service (OpenID Connect): its people may sign in there.

    The client secret is stored encrypted (see secret_box.py) and is never shown again.
    """

    __tablename__ = "identity_provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), unique=True
    )
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(255))
    client_secret_encrypted: Mapped[str] = mapped_column(Text)
    # The email domains it vouches for, lower-cased and separated by spaces.
    domains: Mapped[str] = mapped_column(String(1000))
    # The audience of people whose account a first sign-in creates.
    audience: Mapped[str] = mapped_column(String(20), default=Audience.OFFICER.value)
    # False: only people who already have an account (or an invitation) may sign in.
    is_creating_accounts: Mapped[bool] = mapped_column(default=False)
    # True: an `amr` claim saying multi-factor stands in for the local second factor.
    is_mfa_claim_trusted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship()

    @property
    def domain_list(self) -> list[str]:
        """The vouched domains, in the order they were given."""
        return self.domains.split()

    def __repr__(self) -> str:
        return f"<IdentityProvider {self.id} {self.issuer!r}>"
