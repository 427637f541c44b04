"""Per-organisation figures: how many people of each organisation are in each state of a
course, kept current by every write, so the network overview reads one small row set
per organisation instead of every person's status.

What is kept (two tables, see models.py):

- `organisation_figure`: for each course and organisation, how many active people have
  a stored status row (`course_status`) written for that organisation, counted by the
  person's audience key, the row's fingerprint, its status and `due_start`. For a row
  not started or in progress (which holds no completion: a stored row that did is
  "Update to read"), `due_start` is the day the person's due dates count from
  (status_query.effective_start_date: their intake's date when later than their own);
  for any other row, the day (UTC) of the latest completion, FAR_FUTURE when none (days
  that no later day can tell apart are written as one: see `due_start`). On
  any day, overdue is `due_start < cutoff` among rows not started or in progress (the
  rule of status_query.overdue_flag), and in a course with `renew:` a completed row has
  run out when its `due_start` is before the start of the renewal period (a day, by
  the organisation's term for `each term`): a sum over a few rows, see
  reports/figures.py. Nothing that depends on today, or on a term, is stored.
- `organisation_headcount`: for each course and organisation, how many active people the
  organisation has. It exists only once `rebuild` (the reports refresh) has counted the
  organisation; before that its figures are never read.

Why they stay exact. The figures are, by definition, the GROUP BY of `contributions`
over the stored rows and the people: a sum of one term per person. A write that changes
the terms of some people (their stored row, their organisation, audience, role, start
date, intake or its date, whether they are active, or the person itself) subtracts
those people's terms as the database holds them before the change (`shift(..., -1)`)
and adds them back after it (`shift(..., +1)`), in the same transaction. Both are read
from the database with SQL, never from objects in memory, so they are the terms
actually counted. On PostgreSQL, two transactions never shift the same person at once (they hold the
person's advisory lock, as the status rewrite does), additions to one figure are
`people = people + n` (safe under concurrent commits), and a rebuild of an organisation
waits for, and holds off, every shift in it (an advisory lock on the organisation:
shared by shifts, exclusive for a rebuild). SQLite writes one transaction at a time.

Why reading them is exact. The reader (reports/figures.py) uses an organisation's
figures only when (1) its headcount exists, (2) every figure with people in it carries
the current fingerprint for its audience key (a course edited since, a published lesson
version, shows as another fingerprint until the refresh rewrites the rows), and (3) the
figures count as many people as the headcount (everyone has a current row). Any other
organisation is worked out from the stored statuses and the records, as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    case,
    cast,
    delete,
    func,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from induction.accounts.access import audience_key
from induction.accounts.models import User
from induction.catalogue import get_catalogue
from induction.database import table_of
from induction.extensions import db
from induction.progress.models import CourseStatus, OrganisationFigure, OrganisationHeadcount
from induction.progress.status_query import (
    IN_PROGRESS,
    NOT_STARTED,
    due_cutoff,
    effective_start_date,
)

# The due_start of people who cannot become overdue: after every cutoff.
FAR_FUTURE = dt.date(9999, 12, 31)
# The due_start of people overdue on the day their figure was written: before every cutoff.
LONG_AGO = dt.date(1900, 1, 1)
# PostgreSQL advisory lock space for "this organisation's figures" (shared: shifting one
# person's terms; exclusive: rebuilding the organisation).
ORGANISATION_LOCK_SPACE = 7_042
KEY_COLUMNS = ("course_id", "organisation_id", "audience_key", "fingerprint", "status", "due_start")


def _on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def due_start(
    start_date: Any, status: Any, last_completed_at: Any, course_id: Any
) -> ColumnElement[Any]:
    """Return the SQL of a person's due_start from their stored row in the course whose id
    is the column `course_id`: while not started or in progress (a stored row then holds
    no completion), the day their due dates count from; else the day (UTC) of their
    latest completion, FAR_FUTURE when none.

    Days that cannot change any figure on any later day are written as one, so that an
    organisation's figures are a few rows per state rather than one per day:

    - while not started or in progress, a day already before the course's overdue cutoff
      today is LONG_AGO (overdue today, so on every later day: the cutoff only moves
      forward), and in a course without a due date every day is FAR_FUTURE;
    - in a course without `renew:`, a completion's day is FAR_FUTURE (it never runs out).

    The due date and `renew:` are part of the rows' fingerprint (stored_status), so a
    course that changes either counts its figures afresh. Courses not served any more
    keep their days as they are.
    """
    if _on_postgresql():
        day: Any = cast(func.timezone("UTC", last_completed_at), Date())
    else:
        day = func.date(last_completed_at)
    courses = get_catalogue().library().courses
    far_future = literal(FAR_FUTURE, Date())
    long_ago = literal(LONG_AGO, Date())
    today = _today()
    starting: list[Any] = []
    for course in courses:
        cutoff = due_cutoff(course, today)
        collapsed = (
            far_future
            if cutoff is None
            else case((start_date < literal(cutoff, Date()), long_ago), else_=start_date)
        )
        starting.append((course_id == course.id, collapsed))
    lasting = [course.id for course in courses if course.renew is None]
    completed: Any = func.coalesce(day, far_future)
    if lasting:
        completed = case((course_id.in_(lasting), far_future), else_=completed)
    return case(
        (
            status.in_((NOT_STARTED, IN_PROGRESS)),
            case(*starting, else_=start_date) if starting else start_date,
        ),
        else_=completed,
    )


def _today() -> dt.date:
    from induction.progress.services import today  # services writes through this module

    return today()


def contributions(*conditions: ColumnElement[bool], course_id: str | None = None) -> Any:
    """Return the figures of the people meeting `conditions` (in `course_id`, or every
    course), as a subquery with KEY_COLUMNS and `people`.

    A person counts when active, in an organisation, and their stored row was written
    for that organisation.
    """
    where = [
        User.is_active.is_(True),
        User.organisation_id.is_not(None),
        CourseStatus.organisation_id == User.organisation_id,
        *conditions,
    ]
    if course_id is not None:
        where.append(CourseStatus.course_id == course_id)
    terms = (
        select(
            CourseStatus.course_id,
            User.organisation_id,
            audience_key().label("audience_key"),
            CourseStatus.fingerprint,
            CourseStatus.status,
            due_start(
                effective_start_date(),
                CourseStatus.status,
                CourseStatus.last_completed_at,
                CourseStatus.course_id,
            ).label("due_start"),
        )
        .join_from(CourseStatus, User, User.id == CourseStatus.user_id)
        .where(*where)
        .subquery("terms")
    )
    keys = [terms.c[name] for name in KEY_COLUMNS]
    return select(*keys, func.count().label("people")).group_by(*keys).subquery("contributions")


def _insert() -> Any:
    return postgresql.insert if _on_postgresql() else sqlite.insert


def shift(
    conditions: Sequence[ColumnElement[bool]], sign: int, *, course_id: str | None = None
) -> None:
    """Add (`sign` 1) or subtract (-1) the terms of the people meeting `conditions`, as the
    database holds them now, to or from the figures (in `course_id`, or every course).

    With no `course_id` the people's headcounts move too: use it around a change of the
    people themselves; with one, around a rewrite of their row in that course.
    """
    found = contributions(*conditions, course_id=course_id)
    table = table_of(OrganisationFigure)
    rows = select(
        *(found.c[name] for name in KEY_COLUMNS), (found.c.people * sign).label("people")
    ).where(found.c.people > 0)  # SQLite needs a WHERE before ON CONFLICT
    statement = _insert()(table).from_select([*KEY_COLUMNS, "people"], rows)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=list(KEY_COLUMNS),
            set_={"people": table.c.people + statement.excluded.people},
        )
    )
    if course_id is None:
        heads = table_of(OrganisationHeadcount)
        moving = (
            select(func.count())
            .select_from(User)
            .where(
                User.is_active.is_(True),
                User.organisation_id == heads.c.organisation_id,
                *conditions,
            )
            .scalar_subquery()
        )
        among = select(User.organisation_id).where(User.is_active.is_(True), *conditions)
        db.session.execute(
            update(heads)
            .where(heads.c.organisation_id.in_(among))
            .values(people=heads.c.people + sign * moving)
        )


def lock_organisations_of(conditions: Sequence[ColumnElement[bool]]) -> None:
    """On PostgreSQL, hold the shared lock of the organisations of the people meeting
    `conditions` (as the database holds them now), so no rebuild runs in them meanwhile."""
    if not _on_postgresql():
        return
    organisations = (
        select(User.organisation_id.label("organisation_id"))
        .where(User.organisation_id.is_not(None), *conditions)
        .distinct()
        .subquery("locked")
    )
    space = literal(ORGANISATION_LOCK_SPACE, Integer())
    db.session.execute(
        select(func.pg_advisory_xact_lock_shared(space, organisations.c.organisation_id))
    )


def hold_organisation(organisation_id: int) -> None:
    """On PostgreSQL, hold the exclusive lock of the organisation's figures until the
    transaction ends: take it before rewriting any of its people's rows in a rebuild."""
    if _on_postgresql():
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:space, :organisation)"),
            {"space": ORGANISATION_LOCK_SPACE, "organisation": organisation_id},
        )


def rebuild(course_id: str, organisation_id: int) -> None:
    """Count the organisation's figures and headcount in `course_id` afresh from the stored
    rows and the people, in the current transaction, which holds the organisation
    (`hold_organisation`): the reports refresh, after rewriting its outdated rows."""
    figures = table_of(OrganisationFigure)
    db.session.execute(
        delete(figures).where(
            figures.c.course_id == course_id, figures.c.organisation_id == organisation_id
        )
    )
    found = contributions(User.organisation_id == organisation_id, course_id=course_id)
    db.session.execute(figures.insert().from_select([*KEY_COLUMNS, "people"], select(found)))
    heads = table_of(OrganisationHeadcount)
    people = (
        select(func.count())
        .select_from(User)
        .where(User.is_active.is_(True), User.organisation_id == organisation_id)
        .scalar_subquery()
    )
    db.session.execute(
        delete(heads).where(
            heads.c.course_id == course_id, heads.c.organisation_id == organisation_id
        )
    )
    db.session.execute(
        heads.insert().values(course_id=course_id, organisation_id=organisation_id, people=people)
    )
