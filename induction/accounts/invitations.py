"""Making invitations: the one place an invitation is issued and its email written.

Inviting one person (`joining.send_invitation`) and a whole file
(`bulk_invitations.confirm`) both call `issue`, which, for each person: withdraws any
pending invitation to the same address (the new one replaces it), makes a one-time
link, sets the expiry (INVITATION_DAYS from now) and queues the email; all in the
caller's transaction, with a few multi-row statements whatever the number of people.
`tell_existing` writes to the owners of accounts that were invited again. Who may
invite whom is checked by the callers (accounts.permissions).

`courses_on_joining` says which courses an invited person will be asked to do, about how
long each takes and when each will be due, for the email, the CSV check page and the
invitation form's warning. Due dates are progress's rule (`progress.status.due_date`),
which this feature may not import: progress lends it at start-up under ON_JOINING, as
it lends the quizzes their rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Protocol

from flask import current_app
from sqlalchemy import ColumnElement, insert, select, update

from induction.accounts import mailer, tokens
from induction.accounts.erased import is_erased
from induction.accounts.errors import AccountError
from induction.accounts.links import external_url
from induction.accounts.models import Invitation, Organisation, Role, User
from induction.database import table_of, utcnow
from induction.extensions import db
from induction.identity.current import current as current_identity
from induction.web.templating import uk_date

_CHUNK = 500  # people per multi-row insert, and per progress step
_LINK_MARK = "LINKTOKENGOESHERE"  # replaced by each invitation's own token
_IN_LIST = 10000  # addresses per IN list (fits one statement on both databases)
MAX_NOTE = 500  # characters of the inviter's own note in the email

# The key, in app.extensions, of progress's `CoursesOnJoining` (see courses_on_joining).
ON_JOINING = "induction.courses_on_joining"


@dataclass(frozen=True)
class Invitee:
    """Someone to invite: who they are and what their account will be."""

    email: str  # already normalised
    name: str
    role: str
    audience: str
    start_date: dt.date | None = None
    note: str = ""  # the inviter's own words for the email (plain text, MAX_NOTE at most)
    # The invitation this one replaces when it is sent again (a renewal): `note` stays in
    # the name of that one's note writer. None: whoever invites now wrote `note`.
    renews: Invitation | None = None


@dataclass(frozen=True)
class CourseOnJoining:
    """A course someone invited will be asked to do, as it stands if they join today."""

    title: str
    minutes: int  # about how long it takes them (0: the course does not say)
    due_days: int | None  # it is due this many days after their start date (None: never)
    due_on: dt.date | None  # the day it is due (None: no due date, or no start date yet)
    overdue_at_once: bool  # due before today: overdue as soon as they join


class CoursesOnJoining(Protocol):
    """Progress's answer: the courses of a person of `role` and `audience` whose due dates
    count from `start_date` (None: from the day they join), in catalogue order."""

    def __call__(
        self, role: str, audience: str, start_date: dt.date | None
    ) -> Sequence[CourseOnJoining]: ...


def courses_on_joining(
    role: str, audience: str, start_date: dt.date | None
) -> tuple[CourseOnJoining, ...]:
    """Return the courses a person invited as `role` and `audience` will be asked to do,
    with when each is due if their due dates count from `start_date`.

    Empty for admins (no report or reminder counts them) and when progress has not lent
    its rule (an app without progress). Invited people are in no intake yet, so their
    own start date is the one their due dates count from.
    """
    if role == Role.ADMIN.value:
        return ()
    finder: CoursesOnJoining | None = current_app.extensions.get(ON_JOINING)
    return tuple(finder(role, audience, start_date)) if finder is not None else ()


def overdue_at_once(courses: Sequence[CourseOnJoining]) -> tuple[CourseOnJoining, ...]:
    """Return those of `courses` the person would be overdue in as soon as they join."""
    return tuple(course for course in courses if course.overdue_at_once)


def overdue_words(courses: Sequence[CourseOnJoining]) -> str:
    """Return, in words, that someone would be overdue at once in those of `courses` due
    before today: "Overdue as soon as they join: CCIN induction due 7 June 2025." ("" when
    none is)."""
    late = [f"{c.title} due {uk_date(c.due_on)}" for c in overdue_at_once(courses) if c.due_on]
    return f"Overdue as soon as they join: {'; '.join(late)}." if late else ""


def clean_note(note: str) -> str:
    """Return an inviter's note as the email holds it: trimmed, one kind of line break,
    no run of blank lines, at most MAX_NOTE characters (the forms refuse longer ones and
    control characters; this keeps the command line and other callers to the same)."""
    lines = [line.rstrip() for line in note.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(lines).strip()
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text[:MAX_NOTE].strip()


def invitation_days() -> float:
    """Return how many days an invitation link works (INVITATION_DAYS)."""
    return float(current_app.config["INVITATION_DAYS"])


def inviter_name(actor: User | None) -> str:
    """Return who the email says the invitation is from (the site's team for the command line)."""
    return actor.name if actor is not None else f"The {current_identity().site_name} team"


def former_words(person: User, organisation: Organisation | None) -> str:
    """Return how an email or page refers to `person` once they have been erased, in
    plain words and without a name: "A former lead officer of Ashbury Council" (their
    organisation, else `organisation`), "A former member of the CCIN induction team" for
    an admin, "Someone who has since left" when neither says more."""
    place = person.organisation or organisation
    if person.role == Role.ADMIN.value:
        return f"A former member of the {current_identity().site_name} team"
    if place is None:
        return "Someone who has since left"
    if person.role == Role.MANAGER.value:
        return f"A former lead officer of {place.name}"
    return f"A former member of {place.name}"


def note_writer_words(writer: User | None, organisation: Organisation | None) -> str:
    """Return who wrote an invitation's note, as the email and the person's own data
    download say it: their name; "The CCIN induction team" when nobody is named
    (`inviter_name`); once they have been erased, `former_words`, never their
    placeholder name."""
    if writer is not None and is_erased(writer):
        return former_words(writer, organisation)
    return inviter_name(writer)


def note_heading(writer: User | None, organisation: Organisation | None) -> str:
    """Return the line above an inviter's note in the email: "Mona Manager writes:", or
    "A former lead officer of Ashbury Council wrote:" once its writer has been erased."""
    verb = "wrote" if writer is not None and is_erased(writer) else "writes"
    return f"{note_writer_words(writer, organisation)} {verb}:"


def sender_words(person: User | None, organisation: Organisation | None) -> str | None:
    """Return who the invitation page says invited someone: their name, `former_words`
    once they have been erased, None when nobody is recorded (the command line)."""
    if person is None:
        return None
    return former_words(person, organisation) if is_erased(person) else person.name


def note_writer(actor: User | None, invitee: Invitee) -> User | None:
    """Return who wrote the note `actor` sends `invitee`: `actor`, or when it is sent again
    (`invitee.renews`) whoever wrote the first one's note, however many times and by whom
    it has been sent since. None: the site's team (the command line, or an account gone)."""
    return invitee.renews.note_by if invitee.renews is not None else actor


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
    `progress` is called with the number done after each batch. Each email names the
    courses they are asked to do (`courses_on_joining`) and carries the inviter's note, if
    any, which the invitation keeps with who wrote it (`note_writer`: a renewal sends it
    again in the same name). Returns the token hashes of the new invitations, in the order
    given (to find them again). Raises AccountError when `organisation` is retired: nobody
    is invited into it.
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
    courses: dict[tuple[str, str, dt.date | None], tuple[CourseOnJoining, ...]] = {}
    hashes: list[str] = []
    for start in range(0, len(invitees), _CHUNK):
        rows, messages = [], []
        for person in invitees[start : start + _CHUNK]:
            token = tokens.new_token()
            note = clean_note(person.note)
            writer = note_writer(actor, person)
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
                    "note": note,
                    "note_by_id": writer.id if note and writer is not None else None,
                    "created_at": now,
                    "expires_at": expires,
                }
            )
            key = (person.role, person.audience, person.start_date)
            if key not in courses:  # a file of thousands has a few kinds of people
                courses[key] = courses_on_joining(*key)
            parts = mailer.render(
                "invitation",
                invitation=SimpleNamespace(name=person.name, organisation=organisation),
                inviter=inviter,
                link=link_pattern.replace(_LINK_MARK, token),
                days=int(days),
                courses=courses[key],
                note=note,
                note_heading=note_heading(writer, organisation),
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
