"""Reminder emails: due soon, overdue, due for renewal, and a digest of overdue people for
each manager.

Meant to run once a day from cron (`flask --app induction reminders send`). Whom to
remind comes from the same SQL statuses as the dashboard. Every reminder queued is
recorded in `reminder_sent` in the same transaction, which makes the command safe to
run twice:
- "due soon": once per person, course and due date, when the due date is within
  REMINDER_DAYS_BEFORE days;
- "overdue": again every REMINDER_REPEAT_DAYS days while the course stays overdue;
- "due for renewal" (courses with `renew:`): once when the person's completion runs out
  (the first notice), then a reminder every REMINDER_REPEAT_DAYS days while it is still
  due; a later completion that runs out again starts afresh (`due_on` is the day it ran
  out);
- the digest for lead officers who chose it (weekly, the default; or off): at most every
  REMINDER_REPEAT_DAYS days (7), listing for the officer's own organisation only: every
  overdue person, who finished a course in that period, and who was invited and has
  not joined yet. Sent only when one of the three lists has someone in it.
A unique key on (person, course, kind, day) stops two runs on the same day from both
sending.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import func, insert, or_, select

from induction.accounts import mailer
from induction.accounts.access import may_see_condition
from induction.accounts.invitations import pending_conditions
from induction.accounts.links import external_url
from induction.accounts.models import DigestFrequency, Invitation, Organisation, Role, User
from induction.accounts.unsubscribe import list_unsubscribe_header
from induction.catalogue import get_catalogue
from induction.content.model import Course
from induction.database import table_of, utcnow
from induction.extensions import db
from induction.inputs import add_days
from induction.progress import status_query, stored_status
from induction.progress.models import CourseCompletion, ReminderKind, ReminderSent
from induction.progress.renewal import renewal_days
from induction.progress.status import due_date, renewal_due_date
from induction.progress.status_query import COMPLETE, DUE_FOR_RENEWAL
from induction.web.templating import local_time, network_zone, uk_date

DIGEST_COURSE = ""  # the course id recorded for a digest, which covers every course


@dataclass(frozen=True)
class OverduePerson:
    """Someone whose course is overdue, as listed in their manager's digest."""

    name: str
    email: str
    course_title: str
    due_on: dt.date


@dataclass(frozen=True)
class FinishedPerson:
    """Someone who finished a course in the digest's period."""

    name: str
    email: str
    course_title: str
    completed_on: dt.date


@dataclass(frozen=True)
class WaitingPerson:
    """Someone invited into the organisation who has not joined yet."""

    name: str
    email: str
    invited_on: dt.date


@dataclass(frozen=True)
class Reminder:
    """One email to send: to whom, what kind, about which course (none for a digest)."""

    kind: ReminderKind
    user_id: int
    email: str
    name: str
    course: Course | None
    due_on: dt.date | None
    organisation: str | None = None
    organisation_id: int | None = None
    overdue: tuple[OverduePerson, ...] = field(default=())
    finished: tuple[FinishedPerson, ...] = field(default=())
    waiting: tuple[WaitingPerson, ...] = field(default=())
    first_notice: bool = True  # renewal: the first email about this completion running out

    def describe(self) -> str:
        """Return one line saying what this reminder is, for the command's output."""
        if self.kind is ReminderKind.MANAGER_DIGEST:
            return (
                f"manager digest to {self.email} ({self.organisation}): {len(self.overdue)} "
                f"overdue, {len(self.finished)} finished, {len(self.waiting)} not joined yet"
            )
        assert self.course is not None and self.due_on is not None
        if self.kind is ReminderKind.RENEWAL:
            words = "due for renewal" if self.first_notice else "renewal reminder"
            return f"{words} to {self.email}: {self.course.title} (since {self.due_on.isoformat()})"
        words = "due soon" if self.kind is ReminderKind.DUE_SOON else "overdue"
        return f"{words} to {self.email}: {self.course.title} (due {self.due_on.isoformat()})"


def _setting(name: str) -> int:
    return int(current_app.config[name])


def plan_reminders(today: dt.date) -> list[Reminder]:
    """Return every reminder that is due today and not sent yet; write nothing.

    A bounded number of queries: two per course with a due date (who, and what was
    sent already), two per course with renewal, one for the managers and one for the
    digests already sent.
    """
    days_before = _setting("REMINDER_DAYS_BEFORE")
    repeat = _setting("REMINDER_REPEAT_DAYS")
    reminders: list[Reminder] = []
    overdue_by_org: dict[int, list[OverduePerson]] = defaultdict(list)
    for course in get_catalogue().courses_for(None):
        reminders.extend(_renewal_reminders(course, today, repeat))
        if course.due_days is None:
            continue
        candidates = _candidates(course, today, days_before)
        for values in candidates:
            due = due_date(course, values.start_date)
            assert due is not None
            if values.is_overdue:
                overdue_by_org[values.organisation_id].append(
                    OverduePerson(values.name, values.email, course.title, due)
                )
        reminders.extend(_course_reminders(course, candidates, today, repeat))
    reminders.extend(_digests(overdue_by_org, today, repeat))
    return reminders


def _candidates(course: Course, today: dt.date, days_before: int) -> Sequence[Any]:
    """Return the people (not admins) of the course's audiences who are overdue or due soon."""
    people = status_query.people_select(
        User.organisation_id.is_not(None),
        User.role != Role.ADMIN.value,
        User.reminders_stopped_at.is_(None),
        may_see_condition(course),
    )
    ps = stored_status.person_status(course, people, today, activity=False)
    assert course.due_days is not None
    earliest = add_days(today, -course.due_days)  # due today
    return db.session.execute(
        select(ps)
        .where(
            ps.c.status != COMPLETE,
            ps.c.completed_at.is_(None),
            ps.c.total > 0,
            or_(
                ps.c.is_overdue == 1,
                ps.c.start_date.between(earliest, earliest + dt.timedelta(days=days_before)),
            ),
        )
        .order_by(ps.c.user_id)
    ).all()


def _course_reminders(
    course: Course, candidates: Sequence[Any], today: dt.date, repeat: int
) -> list[Reminder]:
    sent = db.session.execute(
        select(ReminderSent.user_id, ReminderSent.kind, ReminderSent.due_on).where(
            ReminderSent.course_id == course.id,
            or_(
                (ReminderSent.kind == ReminderKind.DUE_SOON.value) & (ReminderSent.due_on >= today),
                (ReminderSent.kind == ReminderKind.OVERDUE.value)
                & (ReminderSent.sent_on > today - dt.timedelta(days=repeat)),
            ),
        )
    ).all()
    due_soon_sent = {(row.user_id, row.due_on) for row in sent if row.kind == ReminderKind.DUE_SOON}
    overdue_sent = {row.user_id for row in sent if row.kind == ReminderKind.OVERDUE}
    reminders = []
    for values in candidates:
        due = due_date(course, values.start_date)
        if values.is_overdue:
            if values.user_id in overdue_sent:
                continue
            kind = ReminderKind.OVERDUE
        else:
            if (values.user_id, due) in due_soon_sent:
                continue
            kind = ReminderKind.DUE_SOON
        reminders.append(
            Reminder(
                kind=kind,
                user_id=values.user_id,
                email=values.email,
                name=values.name,
                course=course,
                due_on=due,
                organisation_id=values.organisation_id,
            )
        )
    return reminders


def _renewal_reminders(course: Course, today: dt.date, repeat: int) -> list[Reminder]:
    """Return the renewal emails due today in `course`: a first notice for each person
    newly due for renewal, and a reminder for those still due `repeat` days after the
    last one. Two queries (none for a course without `renew:`)."""
    days = renewal_days(course)
    if days is None:
        return []
    people = status_query.people_select(
        User.organisation_id.is_not(None),
        User.role != Role.ADMIN.value,
        User.reminders_stopped_at.is_(None),
        may_see_condition(course),
    )
    ps = stored_status.person_status(course, people, today, activity=False)
    due = db.session.execute(
        select(ps).where(ps.c.status == DUE_FOR_RENEWAL).order_by(ps.c.user_id)
    ).all()
    if not due:
        return []
    last_sent = {
        (user_id, due_on): sent_on
        for user_id, due_on, sent_on in db.session.execute(
            select(ReminderSent.user_id, ReminderSent.due_on, func.max(ReminderSent.sent_on))
            .where(
                ReminderSent.course_id == course.id,
                ReminderSent.kind == ReminderKind.RENEWAL.value,
                ReminderSent.user_id.in_([values.user_id for values in due]),
            )
            .group_by(ReminderSent.user_id, ReminderSent.due_on)
        )
    }
    reminders = []
    for values in due:
        ran_out = renewal_due_date(days, values.last_completed_at)
        sent_on = last_sent.get((values.user_id, ran_out))
        if sent_on is not None and sent_on > today - dt.timedelta(days=repeat):
            continue
        reminders.append(
            Reminder(
                kind=ReminderKind.RENEWAL,
                user_id=values.user_id,
                email=values.email,
                name=values.name,
                course=course,
                due_on=ran_out,
                organisation_id=values.organisation_id,
                first_notice=sent_on is None,
            )
        )
    return reminders


def _digests(
    overdue_by_org: dict[int, list[OverduePerson]], today: dt.date, repeat: int
) -> list[Reminder]:
    """Return the digests due: one per lead officer who chose it and has not had one in
    the last `repeat` days, of their own organisation, when it has anything to tell."""
    since = today - dt.timedelta(days=repeat)
    finished = _finished_by_org(since)
    waiting = _waiting_by_org()
    organisations = set(overdue_by_org) | set(finished) | set(waiting)
    if not organisations:
        return []
    managers = db.session.execute(
        select(User.id, User.email, User.name, User.organisation_id, Organisation.name)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(
            User.role == Role.MANAGER.value,
            User.is_active.is_(True),
            User.reminders_stopped_at.is_(None),
            User.digest_frequency == DigestFrequency.WEEKLY.value,
            User.organisation_id.in_(sorted(organisations)),
        )
        .order_by(User.id)
    ).all()
    recent = set(
        db.session.scalars(
            select(ReminderSent.user_id).where(
                ReminderSent.kind == ReminderKind.MANAGER_DIGEST.value,
                ReminderSent.sent_on > since,
            )
        )
    )
    digests = []
    for user_id, email, name, org_id, org_name in managers:
        if user_id in recent or org_id is None:
            continue
        people = sorted(
            overdue_by_org.get(org_id, []), key=lambda p: (p.due_on, p.name.lower(), p.email)
        )
        digests.append(
            Reminder(
                kind=ReminderKind.MANAGER_DIGEST,
                user_id=user_id,
                email=email,
                name=name,
                course=None,
                due_on=None,
                organisation=org_name,
                organisation_id=org_id,
                overdue=tuple(people),
                finished=tuple(finished.get(org_id, [])),
                waiting=tuple(waiting.get(org_id, [])),
            )
        )
    return digests


def _finished_by_org(since: dt.date) -> dict[int, list[FinishedPerson]]:
    """Return, per organisation, its active people who completed a course after `since`
    (a day in the network's time zone), by name: one query."""
    library = get_catalogue().library()
    start = dt.datetime.combine(since + dt.timedelta(days=1), dt.time(), network_zone())
    found: dict[int, list[FinishedPerson]] = defaultdict(list)
    for org_id, name, email, course_id, completed_at in db.session.execute(
        select(
            User.organisation_id,
            User.name,
            User.email,
            CourseCompletion.course_id,
            CourseCompletion.completed_at,
        )
        .join(User, User.id == CourseCompletion.user_id)
        .where(
            User.is_active.is_(True),
            User.organisation_id.is_not(None),
            CourseCompletion.completed_at >= start.astimezone(dt.UTC),
        )
        .order_by(func.lower(User.name), User.id, CourseCompletion.course_id)
    ):
        assert org_id is not None  # the query asks for people of an organisation
        course = library.course(course_id)
        title = course.title if course else course_id
        found[org_id].append(FinishedPerson(name, email, title, local_time(completed_at).date()))
    return found


def _waiting_by_org() -> dict[int, list[WaitingPerson]]:
    """Return, per organisation, the people invited who have not joined yet, oldest
    invitation first: one query."""
    found: dict[int, list[WaitingPerson]] = defaultdict(list)
    for org_id, name, email, created_at in db.session.execute(
        select(Invitation.organisation_id, Invitation.name, Invitation.email, Invitation.created_at)
        .where(Invitation.organisation_id.is_not(None), *pending_conditions())
        .order_by(Invitation.created_at, Invitation.id)
    ):
        assert org_id is not None  # the query asks for invitations to an organisation
        found[org_id].append(WaitingPerson(name or email, email, local_time(created_at).date()))
    return found


def queue_reminders(reminders: Sequence[Reminder], today: dt.date) -> None:
    """Queue the emails and record the reminders, in the caller's transaction.

    The caller commits. Raises IntegrityError (the caller rolls back) when another run
    recorded one of these reminders today meanwhile, so nothing is ever sent twice.
    """
    if not reminders:
        return
    now = utcnow()
    messages = []
    records = []
    for reminder in reminders:
        if reminder.kind is ReminderKind.MANAGER_DIGEST:
            subject = (
                f"People in {reminder.organisation}: {len(reminder.overdue)} overdue, "
                f"{len(reminder.finished)} finished, {len(reminder.waiting)} not joined yet"
            )
            link = external_url("reports.organisation", org_id=reminder.organisation_id)
            if reminder.overdue:
                link += "?overdue=yes"
        else:
            assert reminder.course is not None and reminder.due_on is not None
            if reminder.kind is ReminderKind.DUE_SOON:
                subject = f"Reminder: {reminder.course.title} is due on {uk_date(reminder.due_on)}"
            elif reminder.kind is ReminderKind.RENEWAL:
                subject = f"{reminder.course.title} is due for renewal"
                if not reminder.first_notice:
                    subject = f"Reminder: {subject}"
            else:
                subject = f"{reminder.course.title} is overdue"
            link = external_url("courses.course", course_id=reminder.course.id)
        parts = mailer.render(
            reminder.kind.value,
            folder="progress/email",
            reminder=reminder,
            link=link,
            today=today,
            uk_date=uk_date,
            settings_link=external_url("profile.index", _anchor="digest"),
        )
        messages.append((reminder.email, subject, parts, list_unsubscribe_header(reminder.user_id)))
        records.append(
            {
                "user_id": reminder.user_id,
                "course_id": reminder.course.id if reminder.course else DIGEST_COURSE,
                "kind": reminder.kind.value,
                "sent_on": today,
                "due_on": reminder.due_on,
                "created_at": now,
            }
        )
    db.session.execute(insert(table_of(ReminderSent)), records)
    reminded = sorted({r.user_id for r in reminders if r.kind is not ReminderKind.MANAGER_DIGEST})
    if reminded:
        # An officer reminding them at this moment waits for this run, then finds these
        # reminders and leaves them out (progress.chasing.send).
        db.session.execute(select(User.id).where(User.id.in_(reminded)).with_for_update())
    mailer.send_unsubscribable(messages)
    db.session.flush()
