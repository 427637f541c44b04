"""Publishing a course's draft at a chosen time, by a cron command, exactly once.

`schedule` records when; `run_due` (the `courses publish-due` command, run by cron
every few minutes) publishes what is due. Each run claims a due row with one
conditional update (scheduled -> running); only the run whose update changed the row
publishes it, so two overlapping runs, on one host or several, never publish twice.
What is published is the draft as it is at that time, checked like any publish.
Services flush; `run_due` commits after each row, as a cron command must.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update

from induction.accounts import audit
from induction.accounts.models import User
from induction.admin.course_files.listing import course_id_of
from induction.admin.course_files.paths import CourseFolder, PathRefused, open_course
from induction.admin.drafts import publishing, store
from induction.admin.drafts.models import SCHEDULED, ScheduledPublish
from induction.catalogue import get_catalogue
from induction.database import rows_changed, utcnow, write_intent
from induction.extensions import db

RUNNING, DONE, FAILED = "running", "done", "failed"


class ScheduleRefused(ValueError):
    """The publish cannot be scheduled as asked; the message says why."""


def schedule(live: CourseFolder, due_at: dt.datetime, note: str, actor: User) -> ScheduledPublish:
    """Record that the course's draft is to be published at `due_at` (UTC-aware).

    Raises ScheduleRefused when the time has passed or the draft is empty.
    """
    if due_at <= utcnow():
        raise ScheduleRefused("choose a time in the future, or publish now")
    if not store.draft_rows(live.name):
        raise ScheduleRefused("there are no draft changes to publish")
    row = ScheduledPublish(folder=live.name, note=note, due_at=due_at, actor_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record(
        "course.publish_scheduled",
        actor=actor,
        target=("course", course_id_of(live)),
        details={"folder": live.name, "due_at": due_at.isoformat(), "note": note},
    )
    return row


def pending(folder: str) -> list[ScheduledPublish]:
    """Return the publishes of a course folder that are scheduled and not yet run."""
    stmt = (
        select(ScheduledPublish)
        .where(ScheduledPublish.folder == folder, ScheduledPublish.state == SCHEDULED)
        .order_by(ScheduledPublish.due_at)
    )
    return list(db.session.scalars(stmt))


def cancel(folder: str, schedule_id: int, actor: User) -> bool:
    """Cancel a scheduled publish that has not started; return True when it was cancelled."""
    changed = rows_changed(
        db.session.execute(
            update(ScheduledPublish)
            .where(
                ScheduledPublish.id == schedule_id,
                ScheduledPublish.folder == folder,
                ScheduledPublish.state == SCHEDULED,
            )
            .values(state=FAILED, outcome="cancelled")
        )
    )
    if changed:
        audit.record(
            "course.publish_cancelled",
            actor=actor,
            target=("course", folder),
            details={"folder": folder, "schedule": schedule_id},
        )
    return changed == 1


@dataclass(frozen=True)
class Ran:
    """What one due publish came to: its folder, and done or failed with why."""

    folder: str
    state: str
    outcome: str


def _claim(schedule_id: int) -> bool:
    changed = rows_changed(
        db.session.execute(
            update(ScheduledPublish)
            .where(ScheduledPublish.id == schedule_id, ScheduledPublish.state == SCHEDULED)
            .values(state=RUNNING)
        )
    )
    db.session.commit()
    return changed == 1


def _fail(schedule_id: int, why: str) -> Ran:
    db.session.rollback()
    row = db.session.get(ScheduledPublish, schedule_id)
    assert row is not None
    row.state, row.outcome = FAILED, why
    audit.record(
        "course.scheduled_publish_failed",
        actor=row.actor,
        target=("course", row.folder),
        details={"folder": row.folder, "schedule": row.id, "why": why},
    )
    db.session.commit()
    return Ran(row.folder, FAILED, why)


def run_due(now: dt.datetime | None = None) -> list[Ran]:
    """Publish every scheduled draft whose time has come, each exactly once; commit each.

    Every step writes, so on SQLite each transaction takes the write lock when it begins:
    a run that read the due rows while another run claimed one would otherwise fail its
    own claim with "database is locked" instead of waiting and finding the row taken.
    """
    intent = write_intent.set(True)
    try:
        return _run_due(now)
    finally:
        write_intent.reset(intent)


def _run_due(now: dt.datetime | None) -> list[Ran]:
    stmt = select(ScheduledPublish.id).where(
        ScheduledPublish.state == SCHEDULED, ScheduledPublish.due_at <= (now or utcnow())
    )
    done = []
    for schedule_id in list(db.session.scalars(stmt.order_by(ScheduledPublish.due_at))):
        if not _claim(schedule_id):
            continue  # another run has it
        row = db.session.get(ScheduledPublish, schedule_id)
        assert row is not None
        try:
            live = open_course(get_catalogue().root, row.folder)
        except PathRefused as refused:
            done.append(_fail(schedule_id, str(refused)))
            continue
        row.state, row.outcome = DONE, "published"
        try:
            published = publishing.publish(
                live, None, actor=row.actor, note=row.note, commit=db.session.commit
            )
        except publishing.PublishRefused as refused:
            done.append(_fail(schedule_id, "; ".join(p.format() for p in refused.problems)))
            continue
        count = len(published.publication.files)
        done.append(Ran(live.name, DONE, f"published {count} file{'' if count == 1 else 's'}"))
    return done
