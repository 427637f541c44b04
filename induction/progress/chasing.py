"""Reminders a lead officer sends: choose people, preview the email, send it once.

The officer chooses people one by one, or "everyone overdue", "everyone not started",
"everyone not finished" (the dashboard's "Not finished": `not_finished_condition`) or
"everyone due for renewal", in one course. `plan` says who would be reminded and who
not (already complete and not due for renewal; stopped reminder emails, with the link
in one or on their account page, as the daily reminders respect too; or reminded about
this course in the last OFFICER_REMINDER_DAYS days, by an officer or by the daily
reminders: `reminded`); `send` reminds them, in the caller's transaction:

1. it locks the chosen people's rows (those who have not stopped reminder emails
   meanwhile), then leaves out whoever was reminded about the course meanwhile: two
   officers (or two tabs) sending at the same moment never remind anyone twice (on
   PostgreSQL the second waits for the first's row locks, then its next statement sees
   the first's reminders; SQLite writes one transaction at a time);
2. for each of them, the email is queued, the reminder recorded in `reminder_sent`
   (kind "officer", the person's record, and what the throttle reads) and in the audit
   log ("reminder.sent").

The email comes from the site's sender address, as every email does, with the officer
in Reply-To (`reply_to`), and says "Questions? Reply to this email to reach <officer>":
a reply reaches the officer who asked, not the site. The daily reminders have neither.

Whom an officer may remind is the dashboard's rule: the active people of an
organisation they may see, to whom the course applies.

People invited who have not joined yet are chased with a new invitation instead (a new
link, a new expiry; the old link stops working): `renew_invitations`, for one person or
for everyone whose link has expired (`expired_invitations`), among the invitations the
dashboard lists (`invitation_conditions`, the one rule for its audience and search).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from flask import current_app
from sqlalchemy import ColumnElement, func, insert, or_, select
from sqlalchemy.orm import selectinload

from induction.accounts import audit, invitations, mailer
from induction.accounts.access import may_see_condition
from induction.accounts.links import external_url
from induction.accounts.models import AUDIENCE_NAMES, Invitation, Organisation, Role, User
from induction.accounts.people import search_condition
from induction.accounts.permissions import (
    invitable_roles,
    organisation_in_scope,
    people_in_scope,
)
from induction.accounts.unsubscribe import list_unsubscribe_header
from induction.content.model import Course
from induction.database import table_of, utcnow
from induction.extensions import db
from induction.mail import reply_to_header
from induction.progress import status_query, stored_status
from induction.progress.models import ReminderKind, ReminderSent
from induction.progress.reminded import last_reminded_sql, reminded_since
from induction.progress.status import Record, course_progress, due_date
from induction.progress.wording import duration_words
from induction.web.templating import uk_date

MAX_MESSAGE = 1000  # characters of the officer's own words in the email


class Group(StrEnum):
    """Everyone of one kind, instead of people chosen one by one."""

    OVERDUE = "overdue"
    NOT_STARTED = "not_started"
    NOT_FINISHED = "not_finished"
    DUE_FOR_RENEWAL = "due_for_renewal"


GROUP_STATES = {
    Group.OVERDUE: "overdue",
    Group.NOT_STARTED: "not started",
    Group.NOT_FINISHED: "not finished",
    Group.DUE_FOR_RENEWAL: "due for renewal",
}


def not_finished_condition(ps: Any) -> ColumnElement[bool]:
    """Return the condition, on a person_status subquery, of everyone with something left to
    do in the course: not started, in progress, an updated lesson to read or due for
    renewal (every status but complete). The dashboard's "Not finished" filter and the
    "everyone not finished" group both use it."""
    return cast(ColumnElement[bool], ps.c.status != status_query.COMPLETE)


def group_label(group: Group, audience: str | None = None, search: str = "") -> str:
    """Return who a group is, in words: "everyone overdue", "the councillors not started
    whose name or email has “smith”"."""
    who = f"the {AUDIENCE_NAMES[audience]}" if audience in AUDIENCE_NAMES else "everyone"
    label = f"{who} {GROUP_STATES[group]}"
    if search.strip():
        label += f" whose name or email has “{search.strip()}”"
    return label


class OutOfScope(LookupError):
    """A chosen person is not one the officer may remind (or does not exist): answer 404."""


@dataclass(frozen=True)
class Recipient:
    """Someone chosen: who, when their course is due, and when they were last reminded."""

    user_id: int
    name: str
    email: str
    due_on: dt.date | None
    is_overdue: bool
    is_complete: bool
    last_reminded_at: dt.datetime | None
    is_due_for_renewal: bool = False  # completed, and the completion has run out
    reminders_stopped_at: dt.datetime | None = None  # they stopped reminder emails then
    has_started: bool = True  # False: nothing of the course done yet (status "not started")
    done: int = 0  # lessons read and quizzes passed (the dashboard's Progress column)
    total: int = 0  # out of those they have to do
    audience: str | None = None  # whose lessons they see


@dataclass(frozen=True)
class Plan:
    """Who would be reminded about `course`, and who would not, and why."""

    course: Course
    ready: list[Recipient]
    recently: list[Recipient]  # reminded in the last `days` days
    complete: list[Recipient]  # nothing to remind them of
    stopped: list[Recipient]  # they want no reminder emails
    days: int

    def again_from(self, recipient: Recipient) -> dt.datetime | None:
        """Return when `recipient` may be reminded about the course again: `days` days after
        they were last reminded (None: never reminded, so now)."""
        if recipient.last_reminded_at is None:
            return None
        return recipient.last_reminded_at + dt.timedelta(days=self.days)


@dataclass(frozen=True)
class Sent:
    """What `send` did: the people reminded, and how many were left out meanwhile
    (reminded by someone else, or they stopped reminder emails)."""

    reminded: list[Recipient]
    skipped: int


def throttle_days() -> int:
    """Return OFFICER_REMINDER_DAYS: nobody is reminded more than once in this many days."""
    return max(1, int(current_app.config["OFFICER_REMINDER_DAYS"]))


def _cutoff(now: dt.datetime, days: int) -> dt.datetime:
    return now - dt.timedelta(days=days)


def plan(
    actor: User,
    organisation: Organisation,
    course: Course,
    today: dt.date,
    *,
    person_ids: list[int] | None = None,
    group: Group | None = None,
    intake_id: int | None = None,
    audience: str | None = None,
    search: str = "",
    now: dt.datetime | None = None,
) -> Plan:
    """Return who `actor` would remind about `course`: the people `person_ids` or `group`
    (with `intake_id`, of that intake only: the caller checks it is the organisation's).
    A group is the dashboard's: of `audience` and matching `search` when given, and never
    `actor` themself.

    Two queries. Raises OutOfScope when `actor` may not see the organisation or one of
    `person_ids` is not an active person of it to whom the course applies.
    """
    if not organisation_in_scope(actor, organisation.id):
        raise OutOfScope(organisation.id)
    conditions = [
        User.organisation_id == organisation.id,
        User.role != Role.ADMIN.value,
        may_see_condition(course),
    ]
    if person_ids is not None:
        conditions.append(User.id.in_(person_ids))
    if intake_id is not None:
        conditions.append(User.intake_id == intake_id)
    if group is not None:
        conditions.append(User.id != actor.id)
        if audience:
            conditions.append(User.audience == audience)
        if search.strip():
            conditions.append(search_condition(search))
    people = people_in_scope(actor, status_query.people_select(*conditions))
    ps = stored_status.person_status(
        course, people, today, activity=False, organisation_id=organisation.id
    )
    filters: list[Any] = []
    if group is Group.OVERDUE:
        filters.append(ps.c.is_overdue == 1)
    elif group is Group.NOT_STARTED:
        filters.append(ps.c.status == status_query.NOT_STARTED)
    elif group is Group.NOT_FINISHED:
        filters.append(not_finished_condition(ps))
    elif group is Group.DUE_FOR_RENEWAL:
        filters.append(ps.c.status == status_query.DUE_FOR_RENEWAL)
    found = db.session.execute(
        select(
            ps,
            last_reminded_sql(course.id, ps.c.user_id).label("last_reminded_at"),
            User.reminders_stopped_at,
        )
        .join(User, User.id == ps.c.user_id)
        .where(*filters)
        .order_by(ps.c.name, ps.c.user_id)
    ).all()
    if person_ids is not None and {row.user_id for row in found} != set(person_ids):
        raise OutOfScope(sorted(set(person_ids) - {row.user_id for row in found}))
    cutoff = _cutoff(now or utcnow(), throttle_days())
    result: dict[str, list[Recipient]] = {
        "ready": [],
        "recently": [],
        "complete": [],
        "stopped": [],
    }
    for row in found:
        renewing = row.status == status_query.DUE_FOR_RENEWAL
        recipient = Recipient(
            user_id=row.user_id,
            name=row.name,
            email=row.email,
            due_on=due_date(course, row.start_date),
            is_overdue=bool(row.is_overdue),
            is_complete=row.status == status_query.COMPLETE
            or (row.completed_at is not None and not renewing),
            last_reminded_at=row.last_reminded_at,
            is_due_for_renewal=renewing,
            reminders_stopped_at=row.reminders_stopped_at,
            has_started=row.status != status_query.NOT_STARTED,
            done=int(row.done or 0),
            total=int(row.total or 0),
            audience=row.audience,
        )
        if recipient.is_complete:
            result["complete"].append(recipient)
        elif recipient.reminders_stopped_at is not None:
            result["stopped"].append(recipient)
        elif recipient.last_reminded_at is not None and recipient.last_reminded_at > cutoff:
            result["recently"].append(recipient)
        else:
            result["ready"].append(recipient)
    return Plan(course=course, days=throttle_days(), **result)


def asks_to(recipient: Recipient | None) -> str:
    """Return what the reminder asks `recipient` to do with the course: "renew" it (due
    for renewal), "start" it (nothing done yet) or "finish" it."""
    if recipient is not None and recipient.is_due_for_renewal:
        return "renew"
    if recipient is not None and not recipient.has_started:
        return "start"
    return "finish"


def how_far(course: Course, recipient: Recipient, today: dt.date) -> str:
    """Return the reminder's sentence of how far `recipient` is, or "" for a renewal: "So
    far you have done 3 of the 21 lessons and quizzes." (the dashboard's Progress), or
    for someone who has not started, how long the whole course takes them ("It takes about
    1 hour 20 minutes in all, and you can stop and carry on at any time.": the estimate
    My learning and the invitation give)."""
    if recipient.is_due_for_renewal:
        return ""
    if recipient.has_started:
        if not recipient.total:
            return ""
        return (
            f"So far you have done {recipient.done} of the {recipient.total} lessons and quizzes."
        )
    minutes = course_progress(course, recipient.audience, Record(), None, today).minutes_left
    if not minutes:
        return ""
    return f"It takes {duration_words(minutes)} in all, and you can stop and carry on at any time."


# Who else gets another email than the preview's, by what they are asked: (one, several).
_OTHERS = {
    "start": ("the one who has not started {title} is", "the {n} who have not started {title} are"),
    "finish": (
        "the one who has started {title} but not finished it is",
        "the {n} who have started {title} but not finished it are",
    ),
    "renew": ("the one due for renewal is", "the {n} due for renewal are"),
}


def preview_sample(ready: Sequence[Recipient]) -> Recipient | None:
    """Return whose email the preview shows: the first of those asked what most of `ready`
    are asked (start, finish or renew the course; a tie goes to whoever comes first), so
    the words under the preview name the fewer whose email differs. None: nobody ready."""
    if not ready:
        return None
    counts = Counter(asks_to(person) for person in ready)
    most = max(counts.values())
    return next(person for person in ready if counts[asks_to(person)] == most)


def preview_sentence(course: Course, ready: Sequence[Recipient], sample: Recipient) -> str:
    """Return the sentence under the preview of `sample`'s email to `ready`: everyone gets
    the same email, "except that the 2 who have not started Basics are asked to start it,
    not finish it" for each group asked something else than `sample` is."""
    shown = asks_to(sample)
    counts = Counter(asks_to(person) for person in ready if asks_to(person) != shown)
    others = []
    for verb, count in counts.items():
        one, several = _OTHERS[verb]
        who = (one if count == 1 else several).format(n=count, title=course.title)
        others.append(f"{who} asked to {verb} it, not {shown} it")
    words = "Everyone gets the same email with their own name, due date and how far they are"
    if others:
        words += ", except that " + " and ".join(others)
    return words + "."


def subject(course: Course, recipient: Recipient | None = None) -> str:
    """Return the reminder's subject line: "Reminder: please start|finish|renew <course>"."""
    return f"Reminder: please {asks_to(recipient)} {course.title}"


def reply_to(actor: User) -> str | None:
    """Return whom a reply to `actor`'s reminders reaches: `actor` themself, as a Reply-To
    value ("Jane Smith <jane@council.example>"); None when their address cannot be one."""
    return reply_to_header(actor.name, actor.email)


def render(
    actor: User,
    organisation: Organisation,
    course: Course,
    recipient: Recipient,
    message: str,
    today: dt.date,
) -> mailer.Rendered:
    """Return the reminder email to one person (the preview shows the same)."""
    officer = " ".join(actor.name.split())  # on one line, as Reply-To names them
    return mailer.render(
        "officer_reminder",
        folder="progress/email",
        name=recipient.name,
        officer=officer,
        # Whom a reply reaches; None (no Reply-To): the text does not offer it.
        replies_to=(officer or actor.email) if reply_to(actor) else None,
        organisation=organisation.name,
        course=course,
        due_on=recipient.due_on,
        is_due_for_renewal=recipient.is_due_for_renewal,
        asks_to=asks_to(recipient),
        how_far=how_far(course, recipient, today),
        message=message.strip(),
        link=external_url("courses.course", course_id=course.id),
        uk_date=uk_date,
        today=today,
    )


def send(
    actor: User,
    organisation: Organisation,
    prepared: Plan,
    message: str,
    today: dt.date,
    now: dt.datetime | None = None,
) -> Sent:
    """Remind the people of `prepared.ready` who have not been reminded meanwhile.

    In the caller's transaction (the caller commits). Returns who was reminded.
    """
    now = now or utcnow()
    wanted = {r.user_id: r for r in prepared.ready}
    if not wanted:
        return Sent(reminded=[], skipped=0)
    # Locked until the caller commits: another send for these people waits here.
    willing = db.session.scalars(
        select(User.id)
        .where(
            User.id.in_(list(wanted)),
            User.organisation_id == organisation.id,
            User.reminders_stopped_at.is_(None),
        )
        .with_for_update()
    ).all()
    course = prepared.course
    meanwhile = reminded_since(course.id, willing, _cutoff(now, prepared.days))
    reminded = [wanted[user_id] for user_id in sorted(set(willing) - meanwhile)]
    kept_message = message.strip()[:MAX_MESSAGE] or None  # as the audit log and record keep it
    messages = []
    for person in reminded:
        parts = render(actor, organisation, course, person, message, today)
        messages.append(
            (
                person.email,
                subject(course, person),
                parts,
                list_unsubscribe_header(person.user_id),
            )
        )
        audit.record(
            "reminder.sent",
            actor=actor,
            target=("user_account", person.user_id),
            organisation_id=organisation.id,
            details={"course": course.id, "message": kept_message},
        )
    if reminded:
        db.session.execute(
            insert(table_of(ReminderSent)),
            [
                {
                    "user_id": person.user_id,
                    "course_id": course.id,
                    "kind": ReminderKind.OFFICER.value,
                    "sent_on": today,
                    "due_on": person.due_on,
                    "created_at": now,
                    "sent_by_id": actor.id,
                    "message": kept_message,
                }
                for person in reminded
            ],
        )
        mailer.send_unsubscribable(messages, reply_to=reply_to(actor))
    db.session.flush()
    return Sent(reminded=reminded, skipped=len(wanted) - len(reminded))


# --- People invited who have not joined yet ---------------------------------------------------


def invitation_conditions(
    organisation_id: int, audience: str | None = None, q: str = ""
) -> list[ColumnElement[bool]]:
    """Return the conditions, on Invitation, of the organisation's pending invitations
    (`accounts.invitations.pending_conditions`) of `audience` whose name or address
    contains `q`: the people the dashboard lists as invited with those filters."""
    conditions = invitations.pending_conditions(organisation_id)
    if audience:
        conditions.append(Invitation.audience == audience)
    if q.strip():
        needle = q.strip().lower()
        conditions.append(
            or_(
                func.lower(Invitation.name).contains(needle, autoescape=True),
                Invitation.email.contains(needle, autoescape=True),
            )
        )
    return conditions


def expired_invitations(
    actor: User, organisation: Organisation, audience: str | None = None, q: str = ""
) -> list[Invitation]:
    """Return the invitations of `organisation` listed with `audience` and `q` whose link
    has expired (`Invitation.link_expired`) and that `actor` may send again (a role they
    may invite with), oldest first, with who wrote each one's note (a renewal keeps it).
    Two queries; empty when `actor` may not see `organisation`."""
    if not organisation_in_scope(actor, organisation.id):
        return []
    roles = [role.value for role in invitable_roles(actor)]
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                *invitation_conditions(organisation.id, audience, q),
                cast(ColumnElement[bool], Invitation.link_expired),
                Invitation.role.in_(roles),
            )
            .order_by(Invitation.created_at, Invitation.id)
            .options(selectinload(Invitation.note_by))
        )
    )


def renew_invitations(
    actor: User, organisation: Organisation, chosen: Sequence[Invitation]
) -> None:
    """Send each of `chosen` a new invitation: a new link and a new expiry, as they were
    invited (address, name, role, audience, start date, the inviter's note, still in the
    name of whoever wrote it: `invitations.note_writer`); the old link stops working. Each
    is recorded in the audit log ("invitation.renewed"). In the caller's transaction; the
    caller checks that `actor` may send them."""
    if not chosen:
        return
    invitations.issue(
        actor,
        organisation,
        [
            invitations.Invitee(
                email=invitation.email,
                name=invitation.name,
                role=invitation.role,
                audience=invitation.audience,
                start_date=invitation.start_date,
                note=invitation.note,
                renews=invitation,
            )
            for invitation in chosen
        ],
    )
    for invitation in chosen:
        audit.record(
            "invitation.renewed",
            actor=actor,
            target=("invitation", invitation.id),
            organisation_id=organisation.id,
            details={"email": invitation.email},
        )
