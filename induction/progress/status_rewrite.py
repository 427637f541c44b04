"""Rewriting the stored statuses (`course_status`, see stored_status.py) from the records.

`rewrite_person` is the last step of recording a lesson or a quiz (in the same
transaction); `refresh` rewrites every missing or out-of-date row of a course
(`flask --app induction reports refresh`, `start`, the demo data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, String, bindparam, cast, func, literal, or_, select, text
from sqlalchemy.dialects import postgresql, sqlite

from induction.accounts.models import Organisation, User
from induction.catalogue import get_catalogue
from induction.content.model import Course
from induction.database import table_of, write_intent
from induction.extensions import db
from induction.progress import figures, status_query
from induction.progress.models import CourseStatus, OrganisationHeadcount
from induction.progress.status_query import CourseReport
from induction.progress.stored_status import (
    BEST_OFFSET,
    NO_BEST,
    NOT_ASKED,
    VALUE_COLUMNS,
    current_fingerprint,
    fingerprints,
    without_current_row,
)

# PostgreSQL advisory lock space for "this person's summary is being rewritten".
LOCK_SPACE = 7_041


def _on_postgresql() -> bool:
    """Return True when the session works on PostgreSQL (else SQLite)."""
    return db.session.get_bind().dialect.name == "postgresql"


def _rows_select(course: Course, people: Select[Any]) -> Select[Any]:
    """Return the course_status rows of `people` in `course`, computed from their records."""
    # The stored columns do not depend on the day (overdue and renewal are worked out
    # when read).
    report = CourseReport(course, people, dt.date.today(), modules=True, renewal=False)
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
            current_fingerprint(course, who.c.audience_key).label("fingerprint"),
            ps.c.status,
            ps.c.done,
            ps.c.total,
            ps.c.percent,
            ps.c.completed_at,
            ps.c.last_completed_at,
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
    table = table_of(CourseStatus)
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
        # Deactivated people too: their row stays the summary of their records, so it is
        # current (and counts at once in the figures) when they are reactivated.
        people = status_query.people_select(User.id == bindparam("person"), active_only=False)
        statement = _person_statements[key] = _upsert(course, people, only_outdated=False)
    return statement


def lock_people(user_ids: Iterable[int]) -> None:
    """On PostgreSQL, lock each person (in id order) until the transaction ends, so that
    two transactions never rewrite one person's rows or figures at once."""
    if _on_postgresql():
        for user_id in sorted(set(user_ids)):
            db.session.execute(
                text("SELECT pg_advisory_xact_lock(:space, :person)"),
                {"space": LOCK_SPACE, "person": user_id},
            )


def rewrite_person(user: User, course: Course) -> None:
    """Rewrite `user`'s row in `course` from their records, in the current transaction,
    and move their term of the organisation figures (progress/figures.py) with it.

    On PostgreSQL the person is locked first, so that two of their requests at once
    (two tabs) write one after the other and the second sees the first's records.
    SQLite writes one transaction at a time anyway.
    """
    lock_people([user.id])
    who = [User.id == user.id]
    figures.lock_organisations_of(who)
    figures.shift(who, -1, course_id=course.id)
    db.session.execute(_person_upsert(course), {"person": user.id})
    figures.shift(who, 1, course_id=course.id)


def rewrite_people_rows(user_ids: list[int]) -> None:
    """Rewrite the outdated rows of these people in every course whose figures their
    organisation keeps (a headcount exists), in the current transaction.

    For a change of the people themselves (organisation, audience, role, reactivation,
    a new person): their rows then count in their organisation's figures at once.
    """
    organisations = select(User.organisation_id).where(User.id.in_(user_ids))
    course_ids = db.session.scalars(
        select(OrganisationHeadcount.course_id)
        .where(OrganisationHeadcount.organisation_id.in_(organisations))
        .distinct()
        .order_by(OrganisationHeadcount.course_id)
    ).all()
    catalogue = get_catalogue()
    for course_id in course_ids:
        course = catalogue.course(course_id)
        if course is not None:
            people = status_query.people_select(User.id.in_(user_ids))
            db.session.execute(_upsert(course, people, only_outdated=True))


def refresh(course: Course) -> int:
    """Write every missing or out-of-date row of `course`, an organisation at a time
    (people in none are left out: no report reads them), and count each organisation's
    figures afresh (progress/figures.py).

    Commits what the session holds first, then each organisation in its own write
    transaction, so a big refresh never holds the database for long. Returns how many
    people had a missing or out-of-date row.
    """
    db.session.commit()
    intent = write_intent.set(True)  # SQLite: take the write lock when each one begins
    try:
        organisations = db.session.scalars(select(Organisation.id).order_by(Organisation.id)).all()
        written = 0
        for organisation_id in organisations:
            figures.hold_organisation(organisation_id)
            stale = without_current_row(course, organisation_id)
            outdated = status_query.people_select(User.organisation_id == organisation_id, stale)
            count = db.session.scalar(select(func.count()).select_from(outdated.subquery()))
            if count:
                db.session.execute(_upsert(course, outdated, only_outdated=True))
                written += count
            figures.rebuild(course.id, organisation_id)
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
