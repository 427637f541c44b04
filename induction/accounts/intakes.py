"""Services for intakes and terms: an organisation's waves of people and how long they serve.

Councillors arrive in waves after elections. An organisation records each wave as an
intake (a name such as "May 2026 election" and a date) and, optionally, how many years
its councillors serve. A person belongs to at most one intake of their own organisation;
their due dates then count from the intake's date, or from their own start date when
that is later (the rule is in start_dates.py).

Every function here takes the person acting (`actor`) and checks the organisation is
theirs to manage (`organisation_in_scope`): an intake or person of another organisation
is treated as absent (`intake_in_scope` returns None, the others raise IntakeNotFound),
so the views answer 404. Functions flush and record an audit entry; they never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from induction.accounts import audit
from induction.accounts.errors import AccountError
from induction.accounts.models import Intake, Organisation, User
from induction.accounts.permissions import organisation_in_scope
from induction.extensions import db
from induction.inputs import control_character_problem

MAX_NAME_LENGTH = 100
MAX_TERM_YEARS = 10


class IntakeNotFound(LookupError):
    """An intake or person that does not exist or is outside the actor's organisation."""


@dataclass(frozen=True)
class IntakeSummary:
    """An intake with how many active people belong to it."""

    intake: Intake
    people: int


def intake_in_scope(actor: User, intake_id: int) -> Intake | None:
    """Return the intake if `actor` may manage its organisation, else None (also when absent)."""
    intake = db.session.get(Intake, intake_id)
    if intake is None or not organisation_in_scope(actor, intake.organisation_id):
        return None
    return intake


def intake_filter(
    actor: User, organisation_id: int, text: str | None, known: Sequence[Intake] | None = None
) -> Intake | None:
    """Return the intake a report's `intake` parameter names (None when empty).

    `known`: the organisation's intakes when already loaded (no query then). Raises
    IntakeNotFound for anything but the id of an intake of the organisation that `actor`
    may see: another organisation's intake is never confirmed to exist.
    """
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 12:
        raise IntakeNotFound(text)
    if known is not None:
        found = next((i for i in known if i.id == int(text)), None)
        intake = found if found and organisation_in_scope(actor, found.organisation_id) else None
    else:
        intake = intake_in_scope(actor, int(text))
    if intake is None or intake.organisation_id != organisation_id:
        raise IntakeNotFound(text)
    return intake


def organisation_intakes(organisation_id: int) -> list[Intake]:
    """Return the organisation's intakes, the latest date first (one query)."""
    return list(
        db.session.scalars(
            select(Intake)
            .where(Intake.organisation_id == organisation_id)
            .order_by(Intake.starts_on.desc(), Intake.name)
        )
    )


def intake_filter_choices(
    organisation_id: int, known: Sequence[Intake] | None = None
) -> list[tuple[str, str]]:
    """Return the choices of a report's intake filter: everyone, then each intake, latest
    first (one query, none with `known`: the organisation's intakes already loaded).

    Only "Every intake" when the organisation has none (the page then hides the filter).
    """
    found = organisation_intakes(organisation_id) if known is None else _latest_first(known)
    return [("", "Every intake")] + [(str(intake.id), intake.name) for intake in found]


def _latest_first(found: Sequence[Intake]) -> list[Intake]:
    return sorted(found, key=lambda intake: (-intake.starts_on.toordinal(), intake.name))


def intake_summaries(organisation_id: int) -> list[IntakeSummary]:
    """Return the organisation's intakes with their number of active people, latest first."""
    people = (
        select(func.count(User.id))
        .where(User.intake_id == Intake.id, User.is_active.is_(True))
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Intake, people)
        .where(Intake.organisation_id == organisation_id)
        .order_by(Intake.starts_on.desc(), Intake.name)
    ).all()
    return [IntakeSummary(intake=row[0], people=int(row[1])) for row in rows]


def term_ends(starts_on: dt.date, years: int | None) -> dt.date | None:
    """Return when a term of `years` that began on `starts_on` ends (None: no term set).

    A term begun on 29 February ends on 28 February of a year that has no 29th.
    """
    if not years:
        return None
    try:
        return starts_on.replace(year=starts_on.year + years)
    except ValueError:
        return starts_on.replace(year=starts_on.year + years, day=28)


def _checked_name(organisation_id: int, name: str, *, keep: Intake | None = None) -> str:
    """Return `name` tidied; raise AccountError (on the name field) when it cannot be used."""
    name = " ".join((name or "").split())
    if not name:
        raise AccountError("Enter a name for the intake, for example May 2026 election", "name")
    if len(name) > MAX_NAME_LENGTH:
        raise AccountError(f"Name must be {MAX_NAME_LENGTH} characters or fewer", "name")
    if problem := control_character_problem(name):
        raise AccountError(problem, "name")
    clash = db.session.scalar(
        select(Intake.id).where(
            Intake.organisation_id == organisation_id,
            func.lower(Intake.name) == name.lower(),
        )
    )
    if clash is not None and (keep is None or clash != keep.id):
        raise AccountError(f"There is already an intake called {name}: choose another name", "name")
    return name


def _check_scope(actor: User, organisation_id: int) -> None:
    if not organisation_in_scope(actor, organisation_id):
        raise IntakeNotFound(organisation_id)


def create_intake(actor: User, organisation: Organisation, name: str, starts_on: dt.date) -> Intake:
    """Add an intake to the organisation and return it.

    Raises IntakeNotFound outside `actor`'s scope and AccountError for a missing, too long
    or already used name.
    """
    _check_scope(actor, organisation.id)
    intake = Intake(
        organisation_id=organisation.id,
        name=_checked_name(organisation.id, name),
        starts_on=starts_on,
    )
    db.session.add(intake)
    db.session.flush()
    audit.record(
        "intake.created",
        actor=actor,
        organisation_id=organisation.id,
        details={"intake": intake.name, "date": starts_on.isoformat()},
    )
    return intake


def update_intake(actor: User, intake: Intake, name: str, starts_on: dt.date) -> None:
    """Rename or re-date an intake (its people's due dates follow the new date).

    Raises IntakeNotFound outside `actor`'s scope and AccountError for a bad name.
    """
    _check_scope(actor, intake.organisation_id)
    new_name = _checked_name(intake.organisation_id, name, keep=intake)
    changes: dict[str, object] = {}
    if new_name != intake.name:
        changes["name"] = {"from": intake.name, "to": new_name}
        intake.name = new_name
    if starts_on != intake.starts_on:
        changes["date"] = {"from": intake.starts_on.isoformat(), "to": starts_on.isoformat()}
        intake.starts_on = starts_on
    if changes:
        audit.record(
            "intake.changed",
            actor=actor,
            organisation_id=intake.organisation_id,
            details={"intake": intake.name, **changes},
        )


def delete_intake(actor: User, intake: Intake) -> None:
    """Delete an intake nobody belongs to.

    Raises IntakeNotFound outside `actor`'s scope and AccountError when someone (active
    or not) still belongs to it.
    """
    _check_scope(actor, intake.organisation_id)
    members = db.session.scalar(select(func.count(User.id)).where(User.intake_id == intake.id))
    if members:
        raise AccountError(
            f"{intake.name} still has {members} {'person' if members == 1 else 'people'} in it. "
            "Move them to another intake first; only an empty intake can be deleted."
        )
    audit.record(
        "intake.deleted",
        actor=actor,
        organisation_id=intake.organisation_id,
        details={"intake": intake.name, "date": intake.starts_on.isoformat()},
    )
    db.session.delete(intake)
    db.session.flush()


def set_term(actor: User, organisation: Organisation, years: int | None) -> None:
    """Set how many years the organisation's councillors serve (None: not set).

    Raises IntakeNotFound outside `actor`'s scope and AccountError for a number of years
    outside 1 to MAX_TERM_YEARS.
    """
    _check_scope(actor, organisation.id)
    if years is not None and not 1 <= years <= MAX_TERM_YEARS:
        raise AccountError(
            f"Enter a term of 1 to {MAX_TERM_YEARS} years, or leave it empty", "term_years"
        )
    if years == organisation.term_years:
        return
    audit.record(
        "organisation.term_changed",
        actor=actor,
        target=organisation,
        details={"from": organisation.term_years, "to": years},
    )
    organisation.term_years = years


def set_person_intake(actor: User, person: User, intake: Intake | None) -> None:
    """Put a person in an intake of their organisation, or in none.

    Raises IntakeNotFound when the person or the intake is outside `actor`'s scope, or the
    intake belongs to another organisation than the person's.
    """
    _check_scope(actor, person.organisation_id or 0)
    if intake is not None and intake.organisation_id != person.organisation_id:
        raise IntakeNotFound(intake.id)
    if person.intake_id == (intake.id if intake else None):
        return
    audit.record(
        "user.intake_changed",
        actor=actor,
        target=person,
        details={
            "from": person.intake.name if person.intake else None,
            "intake": intake.name if intake else None,
        },
    )
    person.intake = intake
    db.session.flush()


def people_to_move(
    actor: User, organisation: Organisation, source: Intake | None, person_ids: Sequence[int]
) -> list[User]:
    """Return the people `person_ids` of the organisation in `source` (None: in no intake),
    by name; one query.

    Raises IntakeNotFound outside `actor`'s scope, or when one of them is not an active
    person of the organisation in `source` (a page out of date or a tampered form).
    """
    _check_scope(actor, organisation.id)
    if source is not None and source.organisation_id != organisation.id:
        raise IntakeNotFound(source.id)
    wanted = set(person_ids)
    found = list(
        db.session.scalars(
            select(User)
            .where(
                User.id.in_(wanted),
                User.organisation_id == organisation.id,
                User.is_active.is_(True),
                User.intake_id.is_(None) if source is None else User.intake_id == source.id,
            )
            .order_by(User.name, User.id)
        )
    )
    if not wanted or {person.id for person in found} != wanted:
        raise IntakeNotFound(sorted(wanted - {person.id for person in found}))
    return found


def members(organisation_id: int, intake: Intake | None) -> list[User]:
    """Return the organisation's active people in `intake` (None: in no intake), by name."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.organisation_id == organisation_id,
                User.is_active.is_(True),
                User.intake_id.is_(None) if intake is None else User.intake_id == intake.id,
            )
            .order_by(User.name, User.id)
        )
    )


def move_people(
    actor: User,
    organisation: Organisation,
    source: Intake | None,
    target: Intake,
    person_ids: Sequence[int],
) -> list[User]:
    """Move the people `person_ids` from `source` (None: no intake) to `target`; return them.

    For example the councillors re-elected in May 2030 move from "May 2026 election" to
    "May 2030 election": their due dates then count from the new intake's date. One audit
    entry names everyone moved. Raises IntakeNotFound as `people_to_move` does, or when
    `target` is of another organisation, and AccountError when source and target are the
    same intake.
    """
    if target.organisation_id != organisation.id:
        raise IntakeNotFound(target.id)
    if source is not None and source.id == target.id:
        raise AccountError("Choose a different intake to move them to", "target")
    moving = people_to_move(actor, organisation, source, person_ids)
    for person in moving:
        person.intake = target
    audit.record(
        "intake.people_moved",
        actor=actor,
        organisation_id=organisation.id,
        details={
            "count": len(moving),
            "from": source.name if source else "no intake",
            "intake": target.name,
            "people": [person.id for person in moving],
        },
    )
    db.session.flush()
    return moving
