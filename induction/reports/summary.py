"""Each person's status in each course, kept in `course_status` so that reports read it fast.

Working out a status means reading every lesson completion and quiz attempt a person
has in the course (queries.CourseReport): for a dashboard of 5,000 people that is too
slow to do on every view. So the result is stored, one row per person and course:

- when a person completes a lesson or submits a quiz, their row is rewritten in the
  same transaction (progress.signals.progress_recorded);
- `flask --app induction reports refresh` rewrites every row that is missing or out of
  date (`start` runs it, and so does the demo data generator).

A row is out of date when the course asks something different of the person than when
the row was written (a new lesson version, a lesson or module added or removed, a change
of audience or role) or when the person has moved to another organisation. Each row
keeps a fingerprint of what was asked and the organisation, and person_status uses only
current rows; everybody else is computed from the records in the same statement. So
reports are always right, only slower until the rows are rewritten. Overdue is not
stored: it depends on today and the start date, and is worked out when read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    Subquery,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite

from induction.accounts.models import User
from induction.catalogue import get_catalogue
from induction.content.model import Course
from induction.database import write_intent
from induction.extensions import db
from induction.progress.signals import progress_recorded
from induction.reports import queries
from induction.reports.models import CourseStatus
from induction.reports.queries import CourseReport
from induction.reports.requirements import AUDIENCE_KEYS, requirements

# Bump when the meaning of the stored columns changes: every row is then out of date.
ROW_FORMAT = 1
# Module columns: one status character, and the best percentage plus BEST_OFFSET as four
# digits (so every entry has the same width and can be cut out by position in SQL).
NOT_ASKED = "-"
BEST_OFFSET = 1000
NO_BEST = "----"
# PostgreSQL advisory lock space for "this person's summary is being rewritten".
LOCK_SPACE = 7_041

VALUE_COLUMNS = (
    "organisation_id",
    "fingerprint",
    "status",
    "done",
    "total",
    "percent",
    "completed_at",
    "last_activity",
    "module_statuses",
    "module_best",
)


def fingerprints(course: Course) -> dict[str, str]:
    """Return, for each audience key, a digest of what `course` asks of it (and of its modules)."""
    found = requirements(course)
    modules = tuple(module.id for module in course.modules)
    prints = {}
    for key in AUDIENCE_KEYS:
        asked = [
            (r.module_id, r.position, r.lessons, r.quiz_id) for r in found if r.audience == key
        ]
        digest = hashlib.sha256(repr((ROW_FORMAT, course.id, modules, asked)).encode())
        prints[key] = digest.hexdigest()[:32]
    return prints


def _current_fingerprint(course: Course, key: ColumnElement[Any]) -> ColumnElement[Any]:
    """Return the current fingerprint for the audience key `key` (None for an unknown key)."""
    prints = fingerprints(course)
    return case(
        *((key == audience, literal(value, String())) for audience, value in prints.items())
    )


def _is_current(
    course: Course,
    key: ColumnElement[Any],
    organisation: ColumnElement[Any],
    organisation_id: int | None,
) -> ColumnElement[bool]:
    """Return the condition "the stored row (CourseStatus) is current" for a person of audience
    key `key` in `organisation`; with `organisation_id`, only that organisation's rows are
    looked at (the database then reads them by index rather than every row of the course).
    """
    current = (
        (CourseStatus.course_id == course.id)
        & (CourseStatus.organisation_id == organisation)
        & (CourseStatus.fingerprint == _current_fingerprint(course, key))
    )
    if organisation_id is not None:
        current &= CourseStatus.organisation_id == organisation_id
    return current


def _outdated(course: Course, organisation_id: int | None) -> ColumnElement[bool]:
    """Return the condition, on User, "the person has no current row in `course`"."""
    return ~exists().where(
        CourseStatus.user_id == User.id,
        _is_current(course, queries.audience_key(), User.organisation_id, organisation_id),
    )


# --- Reading ---------------------------------------------------------------------------------


def person_status(
    course: Course,
    people: Select[Any],
    today: dt.date,
    *,
    modules: bool = False,
    activity: bool = True,
    organisation_id: int | None = None,
) -> Subquery:
    """Return the same subquery as CourseReport(...).person_status, read from stored rows.

    People whose row is current are read from it. When anybody's is not (a query finds
    out), they are computed from their records (CourseReport) in the same statement.
    Give `organisation_id` when `people` are all of that organisation: it lets the
    database read only its rows.
    """
    stored = _stored_select(course, people, today, modules, activity, organisation_id)
    outdated = people.where(_outdated(course, organisation_id))
    if not db.session.scalar(select(outdated.exists())):
        return stored.subquery("person_status")
    live = CourseReport(course, outdated, today, modules=modules, activity=activity).person_status
    order = [c.key for c in live.c]
    assert order == [c.key for c in stored.selected_columns], order
    return union_all(stored, select(live)).subquery("person_status")


def _stored_select(
    course: Course,
    people: Select[Any],
    today: dt.date,
    modules: bool,
    activity: bool,
    organisation_id: int | None,
) -> Select[Any]:
    """Return the person_status columns of those of `people` whose stored row is current."""
    stored = people.cte("stored_people")
    values: dict[str, Any] = {
        "user_id": stored.c.user_id,
        "organisation_id": stored.c.organisation_id,
        "name": stored.c.name,
        "email": stored.c.email,
        "audience": stored.c.audience,
        "start_date": stored.c.start_date,
        "status": CourseStatus.status,
        "done": CourseStatus.done,
        "total": CourseStatus.total,
        "percent": CourseStatus.percent,
        "completed_at": CourseStatus.completed_at,
    }
    for number in range(len(course.modules) if modules else 0):
        values[f"m{number}_status"] = cast(
            func.nullif(func.substr(CourseStatus.module_statuses, number + 1, 1), NOT_ASKED),
            Integer(),
        )
        best = func.nullif(func.substr(CourseStatus.module_best, 4 * number + 1, 4), NO_BEST)
        values[f"m{number}_best"] = cast(best, Integer()) - BEST_OFFSET
    values["is_overdue"] = queries.overdue_flag(
        queries.due_cutoff(course, today),
        stored.c.start_date,
        CourseStatus.status,
        CourseStatus.completed_at,
    )
    values["last_activity"] = CourseStatus.last_activity if activity else null()
    return select(*(value.label(key) for key, value in values.items())).join_from(
        stored,
        CourseStatus,
        (CourseStatus.user_id == stored.c.user_id)
        & _is_current(course, stored.c.audience_key, stored.c.organisation_id, organisation_id),
    )


# --- Writing ---------------------------------------------------------------------------------


def _on_postgresql() -> bool:
    """Return True when the session works on PostgreSQL (else SQLite)."""
    return db.session.get_bind().dialect.name == "postgresql"


def _rows_select(course: Course, people: Select[Any]) -> Select[Any]:
    """Return the course_status rows of `people` in `course`, computed from their records."""
    # The stored columns do not depend on the day (overdue is worked out when read).
    report = CourseReport(course, people, dt.date.today(), modules=True)
    ps = report.person_status
    who = report.people
    statuses: Any = literal("", String())
    best: Any = literal("", String())
    for number in range(len(course.modules)):
        status = ps.c[f"m{number}_status"]
        statuses = statuses + func.coalesce(cast(status, String()), NOT_ASKED)
        shifted = cast(ps.c[f"m{number}_best"] + BEST_OFFSET, String())
        best = best + func.coalesce(shifted, NO_BEST)
    return (
        select(
            ps.c.user_id,
            literal(course.id, String()).label("course_id"),
            who.c.organisation_id,
            _current_fingerprint(course, who.c.audience_key).label("fingerprint"),
            ps.c.status,
            ps.c.done,
            ps.c.total,
            ps.c.percent,
            ps.c.completed_at,
            ps.c.last_activity,
            statuses.label("module_statuses"),
            best.label("module_best"),
        )
        .join_from(ps, who, who.c.user_id == ps.c.user_id)
        # SQLite reads "ON CONFLICT" after a join as the join's condition without a WHERE.
        .where(ps.c.user_id.is_not(None))
    )


def _upsert(course: Course, people: Select[Any], *, only_outdated: bool) -> Any:
    """Return the statement that inserts or rewrites the rows of `people` in `course`.

    With `only_outdated`, a row another transaction has made current meanwhile is kept.
    """
    rows = _rows_select(course, people)
    insert = postgresql.insert if _on_postgresql() else sqlite.insert
    # The table, not the mapped class: executed with parameters, an ORM insert would
    # take them for rows to insert.
    table = CourseStatus.__table__
    statement = insert(table).from_select(["user_id", "course_id", *VALUE_COLUMNS], rows)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["user_id", "course_id"],
        set_={name: excluded[name] for name in VALUE_COLUMNS},
        where=or_(
            table.c.fingerprint != excluded.fingerprint,
            table.c.organisation_id.is_distinct_from(excluded.organisation_id),
        )
        if only_outdated
        else None,
    )


# The statement that rewrites one person's row, built once per course version (building
# it costs more than running it), by database kind, course id and fingerprints.
_person_statements: dict[tuple[bool, str, tuple[str, ...]], Any] = {}


def _person_upsert(course: Course) -> Any:
    """Return the statement rewriting the row in `course` of the person `:person`."""
    key = (_on_postgresql(), course.id, tuple(fingerprints(course).values()))
    statement = _person_statements.get(key)
    if statement is None:
        if len(_person_statements) >= 64:  # courses edited many times: start afresh
            _person_statements.clear()
        people = queries.people_select(User.id == bindparam("person"))
        statement = _person_statements[key] = _upsert(course, people, only_outdated=False)
    return statement


def rewrite_person(user: User, course: Course) -> None:
    """Rewrite `user`'s row in `course` from their records, in the current transaction.

    On PostgreSQL the person is locked first, so that two of their requests at once
    (two tabs) write one after the other and the second sees the first's records.
    SQLite writes one transaction at a time anyway.
    """
    if _on_postgresql():
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:space, :person)"),
            {"space": LOCK_SPACE, "person": user.id},
        )
    db.session.execute(_person_upsert(course), {"person": user.id})


@progress_recorded.connect
def _rewrite_after_progress(sender: object, *, user: User, course: Course, **extra: object) -> None:
    """A lesson completed or a quiz submitted: bring the person's row up to date with it."""
    rewrite_person(user, course)


def refresh(course: Course) -> int:
    """Write every missing or out-of-date row of `course`, an organisation at a time
    (people in none are left out: no report reads them).

    Commits what the session holds first, then each organisation in its own write
    transaction, so a big refresh never holds the database for long. Returns how many
    people had a missing or out-of-date row.
    """
    db.session.commit()
    intent = write_intent.set(True)  # SQLite: take the write lock when each one begins
    try:
        organisations = db.session.scalars(
            select(User.organisation_id).where(User.organisation_id.is_not(None)).distinct()
        ).all()
        written = 0
        for organisation_id in organisations:
            outdated = queries.people_select(
                User.organisation_id == organisation_id, _outdated(course, organisation_id)
            )
            count = db.session.scalar(select(func.count()).select_from(outdated.subquery()))
            if count:
                queries.prepare(db.session)
                db.session.execute(_upsert(course, outdated, only_outdated=True))
                written += count
            db.session.commit()
    finally:
        write_intent.reset(intent)
    return written


def refresh_all() -> dict[str, int]:
    """Refresh every course of the catalogue (drafts too); return rows written per course."""
    return {
        course.id: refresh(course)
        for course in get_catalogue().courses_for(None, include_drafts=True)
    }
