"""Services for organisations: create, rename, import from CSV, join codes."""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from sqlalchemy import func, select

from induction.accounts import audit, people
from induction.accounts.errors import AccountError
from induction.accounts.models import Category, Organisation, Role, Subtype, User, name_key
from induction.database import utcnow
from induction.extensions import db
from induction.inputs import control_character_problem

# The five values of the CCIN member list, and what they mean here.
CATEGORY_ALIASES: dict[str, tuple[Category, Subtype | None]] = {
    "full_member": (Category.FULL_MEMBER, None),
    "associate": (Category.ASSOCIATE, None),
    "associate_opposition_group": (Category.ASSOCIATE, Subtype.OPPOSITION_GROUP),
    "associate_town_parish_community": (Category.ASSOCIATE, Subtype.TOWN_PARISH_COMMUNITY),
    "affiliate": (Category.AFFILIATE, None),
    "supporter": (Category.SUPPORTER, None),
    "supporter_organisation": (Category.SUPPORTER, None),
}

CATEGORY_LABELS = {
    Category.FULL_MEMBER: "Full member",
    Category.ASSOCIATE: "Associate member",
    Category.AFFILIATE: "Affiliate",
    Category.SUPPORTER: "Supporter",
}
SUBTYPE_LABELS = {
    Subtype.TOWN_PARISH_COMMUNITY: "Town, parish or community council",
    Subtype.OPPOSITION_GROUP: "Opposition group",
}

MAX_NAME_LENGTH = 200
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
JOIN_CODE_LENGTH = 12  # 60 bits; /register is also rate-limited


def find_by_name(name: str) -> Organisation | None:
    """Return the organisation with this name, ignoring case and extra spaces, or None."""
    return db.session.scalar(select(Organisation).where(Organisation.name_key == name_key(name)))


def all_organisations(*, include_retired: bool = False) -> list[Organisation]:
    """Return the organisations in use (or every one, retired too), by name."""
    stmt = select(Organisation).order_by(Organisation.name_key)
    if not include_retired:
        stmt = stmt.where(Organisation.retired_at.is_(None))
    return list(db.session.scalars(stmt))


def retire_organisation(org: Organisation, *, actor: User | None) -> None:
    """Retire an organisation that left the network; its people's records are kept.

    A retired organisation is left out of the choices for inviting and joining, its join
    code stops working and the network overview leaves it out; admins still see it and
    its people. `restore_organisation` brings it back as it was.
    """
    if org.retired_at is not None:
        return
    org.retired_at = utcnow()
    audit.record("organisation.retired", actor=actor, target=org)


def restore_organisation(org: Organisation, *, actor: User | None) -> None:
    """Bring a retired organisation back into use, with its join code and people as they were."""
    if org.retired_at is None:
        return
    org.retired_at = None
    audit.record("organisation.restored", actor=actor, target=org)


def set_lead_officer(person: User, org: Organisation, lead: bool, *, actor: User | None) -> None:
    """Make a learner of `org` one of its lead officers (role manager), or step one down.

    Raises AccountError when the person is not a member of `org`, or is an admin.
    The role change is recorded in the audit log as any role change is.
    """
    if person.organisation_id != org.id:
        raise AccountError("This person is not a member of this organisation")
    if person.is_admin:
        raise AccountError("Admins are not lead officers: change their role on their page")
    people.set_role(person, Role.MANAGER if lead else Role.LEARNER, actor=actor)


def lead_officers_of(organisation_id: int | None) -> list[User]:
    """Return the active lead officers of the organisation, by name (none for no organisation):
    the people its members can ask about their induction."""
    if organisation_id is None:
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.organisation_id == organisation_id,
                User.role == Role.MANAGER,
                User.is_active.is_(True),
            )
            .order_by(User.name, User.id)
        )
    )


def people_counts() -> dict[int, int]:
    """Return how many people each organisation has (one query)."""
    rows = db.session.execute(
        select(User.organisation_id, func.count(User.id)).group_by(User.organisation_id)
    )
    return {org_id: count for org_id, count in rows if org_id is not None}


def _check(name: str, category: str, subtype: str | None) -> tuple[str, Category, Subtype | None]:
    if problem := control_character_problem(name or ""):
        raise AccountError(problem, field="name")
    name = " ".join((name or "").split())
    if not name:
        raise AccountError("Enter the organisation's name", field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise AccountError(f"Name must be {MAX_NAME_LENGTH} characters or fewer", field="name")
    try:
        cat = Category(category)
    except ValueError:
        raise AccountError("Choose a category", field="category") from None
    sub = Subtype(subtype) if subtype else None
    if sub is not None and cat != Category.ASSOCIATE:
        raise AccountError("Only associate members have a type", field="subtype")
    return name, cat, sub


def create_organisation(
    name: str, category: str, subtype: str | None = None, *, actor: User | None = None
) -> Organisation:
    """Add an organisation and return it (flushed).

    Raises AccountError for bad input or a name already taken.
    """
    name, cat, sub = _check(name, category, subtype)
    if find_by_name(name) is not None:
        raise AccountError("An organisation with this name already exists", field="name")
    org = Organisation(name=name, category=cat.value, subtype=sub.value if sub else None)
    db.session.add(org)
    db.session.flush()
    audit.record("organisation.created", actor=actor, target=org, details={"name": name})
    return org


def update_organisation(
    org: Organisation, name: str, category: str, subtype: str | None = None, *, actor: User | None
) -> None:
    """Rename or recategorise an organisation. Raises AccountError for bad input or a taken name."""
    name, cat, sub = _check(name, category, subtype)
    other = find_by_name(name)
    if other is not None and other.id != org.id:
        raise AccountError("An organisation with this name already exists", field="name")
    changes = {}
    for attribute, value in (
        ("name", name),
        ("category", cat.value),
        ("subtype", sub.value if sub else None),
    ):
        if getattr(org, attribute) != value:
            changes[attribute] = {"from": getattr(org, attribute), "to": value}
            setattr(org, attribute, value)
    if changes:
        audit.record("organisation.updated", actor=actor, target=org, details=changes)


def normalise_join_code(code: str) -> str:
    """Return a join code as stored: upper case, without spaces or dashes."""
    return re.sub(r"[\s-]", "", code or "").upper()


def display_join_code(code: str | None) -> str:
    """Return a stored join code in groups of four for reading aloud or typing."""
    if not code:
        return ""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def set_join_code(org: Organisation, code: str | None, *, actor: User | None) -> str | None:
    """Set an organisation's join code: a given one, a new random one (code=""), or none.

    None turns self-registration off for the organisation. Returns the stored code.
    Raises AccountError when a given code is too short, has other characters than
    letters and digits, or belongs to another organisation.
    """
    if code is None:
        org.join_code = None
        audit.record("organisation.join_code_cleared", actor=actor, target=org)
        return None
    if code == "":
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
    else:
        code = normalise_join_code(code)
        if len(code) < 8 or not code.isalnum() or not code.isascii():
            raise AccountError(
                "A join code must be 8 or more letters and digits", field="join_code"
            )
    owner = db.session.scalar(select(Organisation).where(Organisation.join_code == code))
    if owner is not None and owner.id != org.id:  # retired organisations keep their codes
        raise AccountError("Another organisation already uses this join code", field="join_code")
    org.join_code = code[:64]
    audit.record("organisation.join_code_set", actor=actor, target=org)
    return org.join_code


def set_sign_in_links(org: Organisation, allowed: bool, *, actor: User | None) -> None:
    """Let the organisation's people ask for one-time sign-in links by email, or stop them.

    Turning links off makes every link already sent to its people stop working.
    """
    if org.has_sign_in_links == allowed:
        return
    org.has_sign_in_links = allowed
    audit.record(
        "organisation.sign_in_links_changed",
        actor=actor,
        target=org,
        details={"allowed": allowed},
    )


def find_by_join_code(code: str) -> Organisation | None:
    """Return the organisation in use whose join code this is (any case, spaces and dashes
    ignored), or None."""
    code = normalise_join_code(code)
    if not code:
        return None
    return db.session.scalar(
        select(Organisation).where(
            Organisation.join_code == code, Organisation.retired_at.is_(None)
        )
    )


@dataclass
class ImportResult:
    """What importing a CSV did, or why it did nothing."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "row N: message"

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_category(value: str) -> tuple[Category, Subtype | None] | None:
    """Return the category and subtype a CSV category value stands for, or None."""
    return CATEGORY_ALIASES.get((value or "").strip().lower())


FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class MemberRow:
    """One line of a member list: the organisation it names, or what is wrong with it."""

    line: int  # the line number in the file (the header is line 1)
    name: str
    category: Category | None
    subtype: Subtype | None
    problem: str | None = None  # what to fix; None when the line is good


def parse_member_list(text: str) -> tuple[str | None, list[MemberRow]]:
    """Read CSV text with the columns `name,category` (and optionally `subtype`).

    Returns (a problem with the whole file, or None; every non-blank line). Writes
    nothing. A line is a problem when its name is empty, too long, has control
    characters or starts like a spreadsheet formula, when its category or subtype is
    unknown, or when an earlier line has the same name (any case).
    """
    try:
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
        headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as error:
        return f"the file cannot be read as CSV ({error})", []
    missing = [h for h in ("name", "category") if h not in headers]
    if missing:
        return (
            f"the header must have the columns name,category (missing: {', '.join(missing)})",
            [],
        )
    reader.fieldnames = headers
    rows: list[MemberRow] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            number = reader.line_num
            name = " ".join(str(row.get("name") or "").split())
            raw_category = str(row.get("category") or "").strip()
            if not name and not raw_category:
                continue  # a blank line
            parsed = parse_category(raw_category)
            category, subtype = parsed if parsed else (None, None)
            problem = _name_problem(name)
            if problem is None and parsed is None:
                allowed = ", ".join(CATEGORY_ALIASES)
                problem = f"unknown category {raw_category!r} (use one of: {allowed})"
            raw_subtype = str(row.get("subtype") or "").strip().lower()
            if problem is None and raw_subtype:
                if raw_subtype not in {s.value for s in Subtype}:
                    problem = f"unknown subtype {raw_subtype!r}"
                else:
                    subtype = Subtype(raw_subtype)
            if problem is None and subtype is not None and category != Category.ASSOCIATE:
                problem = "only associate members have a subtype"
            key = name_key(name)
            if problem is None and key in seen:
                problem = f"{name!r} is already on row {seen[key]}"
            if problem is None:
                seen[key] = number
            rows.append(MemberRow(number, name, category, subtype, problem))
    except csv.Error as error:
        return f"the file cannot be read as CSV ({error})", []
    return None, rows


def _name_problem(name: str) -> str | None:
    if not name:
        return "the name is empty"
    if problem := control_character_problem(name):
        return f"the name: {problem}"
    if len(name) > MAX_NAME_LENGTH:
        return f"the name is longer than {MAX_NAME_LENGTH} characters"
    if name.startswith(FORMULA_STARTS):
        return f"the name starts with {name[0]!r}, which a spreadsheet reads as a formula"
    return None


def import_organisations(text: str, *, actor: User | None = None) -> ImportResult:
    """Create or update organisations from CSV text with columns `name,category`.

    An optional `subtype` column is honoured. Importing the same file twice changes
    nothing the second time (an existing name, any case, is updated). When any row is
    bad, `errors` lists every problem with its row number (the header is row 1) and
    nothing is added to the session: the caller must not commit a result that is not ok.
    """
    result = ImportResult()
    file_problem, rows = parse_member_list(text)
    if file_problem:
        result.errors.append(f"row 1: {file_problem}")
        return result
    result.errors.extend(f"row {r.line}: {r.problem}" for r in rows if r.problem)
    if result.errors:
        return result
    _apply(rows, result, actor)
    return result


def _apply(rows: Iterable[MemberRow], result: ImportResult, actor: User | None) -> None:
    existing = {org.name_key: org for org in db.session.scalars(select(Organisation))}
    for row in rows:
        name, category, sub = row.name, row.category, row.subtype.value if row.subtype else None
        assert category is not None  # only good rows are applied
        org = existing.get(name_key(name))
        if org is None:
            org = Organisation(name=name, category=category.value, subtype=sub)
            db.session.add(org)
            existing[org.name_key] = org
            result.created.append(name)
        elif (org.name, org.category, org.subtype) == (name, category.value, sub):
            result.unchanged.append(name)
        else:
            org.name, org.category, org.subtype = name, category.value, sub
            result.updated.append(name)
    db.session.flush()
    if result.created or result.updated:
        audit.record(
            "organisation.imported",
            actor=actor,
            details={"created": len(result.created), "updated": len(result.updated)},
        )


def ccin_member_list() -> str:
    """Return the CCIN member list shipped with the project, as CSV text."""
    return (resources.files("induction") / "data" / "ccin-organisations.csv").read_text("utf-8")
