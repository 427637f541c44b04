"""Report services: the organisation dashboard, the network overview and difficult questions.

Each function takes the person asking (`actor`) and passes every query through
`people_in_scope`, so a manager's report can only ever hold their own organisation's
people, whatever the caller asks. The work is done by the database (see queries.py);
these functions turn its rows into objects for pages and CSV files, with a bounded
number of queries whatever the number of people.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, false, func, select

from induction.accounts.models import Organisation, User
from induction.accounts.permissions import people_in_scope
from induction.catalogue import get_catalogue
from induction.content.model import AUDIENCES, Course, Module, Question
from induction.extensions import db
from induction.identity import current as identity
from induction.progress import stored_status
from induction.progress.reminded import last_reminded_sql
from induction.progress.status import (
    STATUS_LABELS,
    Status,
    completion_rule,
    due_date,
    whole_percent,
)
from induction.reports import figures, queries
from induction.reports import invited as invited_people
from induction.reports.queries import STATUS_OF_CODE

PER_PAGE = 50
INVITED = "invited"  # the status filter for people invited who have not joined yet
NOT_FINISHED = "not_finished"  # the status filter for everyone with something left to do

AUDIENCE_LABELS = {
    "councillor": "Councillors",
    "officer": "Officers",
    "affiliate": "Affiliates",
}


def courses_for_reports(actor: User) -> list[Course]:
    """Return the courses `actor` may report on, in folder order (drafts for admins only)."""
    return get_catalogue().courses_for(None, include_drafts=actor.is_admin)


def report_course(actor: User, course_id: str | None) -> Course | None:
    """Return the course to report on: `course_id`; when it is empty, the one the reports
    open on (the site's choice, see `identity.current`), else the first.

    Returns None when `course_id` names no course `actor` may report on, or there is none.
    """
    courses = courses_for_reports(actor)
    if course_id:
        return next((course for course in courses if course.id == course_id), None)
    opening = identity.current().report_course_id
    chosen = next((course for course in courses if course.id == opening), None)
    return chosen or (courses[0] if courses else None)


# --- The organisation dashboard ------------------------------------------------------------


@dataclass(frozen=True)
class DashboardQuery:
    """What the dashboard shows: filters, sort and page (all validated by the caller)."""

    course: Course
    audience: str | None = None
    status: Status | None = None
    overdue: bool | None = None
    q: str = ""
    sort: str = "name"
    descending: bool = False
    page: int = 1
    invited: bool = False  # show the people invited who have not joined, not the people
    not_finished: bool = False  # everyone whose status is not complete (see status_filters)
    # Only the people of this intake (checked to be the organisation's by the caller); the
    # people invited belong to no intake yet, so none of them then.
    intake_id: int | None = None

    @property
    def counts_everyone(self) -> bool:
        """Return True when its summary counts every active person of the organisation: no
        audience, search or intake narrows the people (see people_of)."""
        return not (self.audience or self.q.strip() or self.intake_id is not None)


@dataclass(frozen=True)
class ModuleCell:
    """One person's status in one module, in words, with their best quiz score."""

    status: Status
    has_quiz: bool
    best_percent: int | None  # None: the quiz was never submitted

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def quiz_label(self) -> str | None:
        """Return "Quiz best 80%" or "Quiz not taken" (None when the module has no quiz)."""
        if not self.has_quiz:
            return None
        if self.best_percent is None:
            return "Quiz not taken"
        return f"Quiz best {self.best_percent}%"


# Not frozen: an export makes thousands of these, and a frozen dataclass takes four times
# as long to make. Nothing changes one once read.
@dataclass(slots=True)
class PersonRow:
    """One person's line of the dashboard."""

    user_id: int
    name: str
    email: str
    audience: str
    start_date: dt.date
    due_date: dt.date | None
    status: Status
    done: int
    total: int
    percent: int
    is_overdue: bool
    last_activity_at: dt.datetime | None
    cells: dict[str, ModuleCell] = field(default_factory=dict)  # module id -> cell
    last_reminded_at: dt.datetime | None = None  # on the page and in the export
    reminders_stopped_at: dt.datetime | None = None  # they asked for none (page only)
    completed_at: dt.datetime | None = None  # their latest completion (a renewal included)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def progress_label(self) -> str:
        return f"{self.done} of {self.total}"


@dataclass(frozen=True)
class Counts:
    """How many of the selected people are in each state, and how many are invited only."""

    people: int
    by_status: dict[Status, int]
    overdue: int
    invited: int = 0  # invited and not joined yet (not among `people`)
    invited_expired: int = 0  # of those, how many have an invitation link that has expired

    @property
    def complete(self) -> int:
        return self.by_status.get(Status.COMPLETE, 0)

    @property
    def update_to_read(self) -> int:
        return self.by_status.get(Status.UPDATE_TO_READ, 0)

    @property
    def due_for_renewal(self) -> int:
        return self.by_status.get(Status.DUE_FOR_RENEWAL, 0)

    @property
    def in_progress(self) -> int:
        return self.by_status.get(Status.IN_PROGRESS, 0)

    @property
    def not_started(self) -> int:
        return self.by_status.get(Status.NOT_STARTED, 0)


def counts_of(values: Any) -> Counts:
    """Return the Counts of a row of totals (queries.totals_select, audience_totals_select:
    the invited columns are optional)."""
    return Counts(
        people=int(values.all_people),
        by_status={
            status: int(getattr(values, queries.status_total_key(status)) or 0)
            for status in STATUS_OF_CODE.values()
        },
        overdue=int(values.all_overdue or 0),
        invited=int(getattr(values, "all_invited", 0) or 0),
        invited_expired=int(getattr(values, "all_invited_expired", 0) or 0),
    )


@dataclass(frozen=True)
class Figure:
    """One figure of the dashboard's summary, and the filters that list exactly its people."""

    key: str  # "people", a Status value, "overdue" or "invited"
    number: int
    label: str  # the words after the number: "complete", "invited, not joined yet"
    filters: dict[str, str]  # status / overdue of the dashboard's query string
    note: str = ""  # said after the label, in brackets: "3 links expired"


# The statuses first and last in the summary; any other status (one added to the
# progress rule later) comes after "complete", in the order of its code.
_FIRST_STATUSES = (Status.COMPLETE,)
_LAST_STATUSES = (Status.IN_PROGRESS, Status.NOT_STARTED)


def summary_figures(summary: Counts, *, renews: bool = False) -> list[Figure]:
    """Return the dashboard's summary, in reading order: people, each status, overdue,
    invited. Each figure's filters select exactly the people it counts. "Due for renewal"
    is left out for a course that asks for no renewal (`renews` False): nobody can be."""
    middle = [s for s in STATUS_OF_CODE.values() if s not in (*_FIRST_STATUSES, *_LAST_STATUSES)]
    if not renews:
        middle.remove(Status.DUE_FOR_RENEWAL)
    statuses = [*_FIRST_STATUSES, *middle, *_LAST_STATUSES]
    figures = [Figure("people", summary.people, "people" if summary.people != 1 else "person", {})]
    figures += [
        Figure(
            status.value,
            summary.by_status.get(status, 0),
            STATUS_LABELS[status].lower(),
            {"status": status.value},
        )
        for status in statuses
    ]
    figures.append(Figure("overdue", summary.overdue, "overdue", {"overdue": "yes"}))
    figures.append(
        Figure(
            "invited",
            summary.invited,
            "invited, not joined yet",
            {"status": INVITED},
            expired_links_words(summary.invited_expired),
        )
    )
    return figures


def expired_links_words(expired: int) -> str:
    """Return how many invitation links have expired, in words ("1 link expired", "3 links
    expired"), or "" for none."""
    if not expired:
        return ""
    return f"{expired} link{'' if expired == 1 else 's'} expired"


@dataclass(frozen=True)
class ModuleTotal:
    """How many of the selected people a module applies to, and how many completed it."""

    module: Module
    people: int
    complete: int
    in_progress: int

    @property
    def not_started(self) -> int:
        return self.people - self.complete - self.in_progress


@dataclass(frozen=True)
class ModuleRule:
    """A module's completion rule for one group of audiences (the same words as learners see)."""

    audiences: tuple[str, ...]
    rule: str


@dataclass(frozen=True)
class Dashboard:
    """One page of an organisation's dashboard, with the counts and module totals."""

    organisation: Organisation
    query: DashboardQuery
    rows: list[PersonRow]
    counts: Counts  # of the people the filters select
    summary: Counts  # of everyone of the audience and search, whatever their state
    page: int
    module_totals: list[ModuleTotal]
    invited: list[invited_people.InvitedPerson] = field(default_factory=list)

    @property
    def pages(self) -> int:
        shown = self.summary.invited if self.query.invited else self.counts.people
        return max(1, -(-shown // PER_PAGE))

    @property
    def modules(self) -> tuple[Module, ...]:
        return self.query.course.modules


def people_of(actor: User, organisation_id: int, query: DashboardQuery) -> Any:
    """Return the select of the organisation's people the dashboard's `query` selects."""
    conditions: list[ColumnElement[bool]] = [User.organisation_id == organisation_id]
    if query.audience:
        conditions.append(User.audience == query.audience)
    if query.q.strip():
        conditions.append(queries.search_condition(query.q))
    if query.intake_id is not None:
        conditions.append(User.intake_id == query.intake_id)
    return people_in_scope(actor, queries.people_select(*conditions))


class _RowReader:
    """Turns the dashboard query's rows (person_status columns) into PersonRows.

    Built once per query: the column positions, the module cells (a few distinct
    values, shared) and the due dates (one per start date) are worked out once, so an
    export of thousands of rows spends its time on the rows, not on looking things up.
    """

    # The columns it reads besides the modules': PersonRow's fields from user_id to percent
    # (the due date aside, worked out from the start date), whether overdue, last activity,
    # the latest completion.
    PLAIN = (
        "user_id",
        "name",
        "email",
        "audience",
        "start_date",
        "status",
        "done",
        "total",
        "percent",
        "is_overdue",
        "last_activity",
        "last_completed_at",
    )
    # Read when the query has them: the last reminder (the page and the export), and
    # whether they stopped reminders (the page).
    REMINDERS = ("last_reminded_at", "reminders_stopped_at")

    @staticmethod
    def read_columns(ps: Subquery, course: Course) -> list[Any]:
        """Return the columns of `ps` (person_status with modules) that a reader reads."""
        modules = range(len(course.modules))
        cells = [f"m{number}_{part}" for number in modules for part in ("status", "best")]
        return [ps.c[key] for key in (*_RowReader.PLAIN, *cells)]

    def __init__(self, course: Course, keys: Sequence[str]) -> None:
        position = {key: number for number, key in enumerate(keys)}
        self.course = course
        self.modules = [
            (
                module.id,
                module.quiz is not None,
                position[f"m{number}_status"],
                position[f"m{number}_best"],
            )
            for number, module in enumerate(course.modules)
            if f"m{number}_status" in position
        ]
        # The plain columns, in one C call per row, then those of REMINDERS the query has
        # (None for those it has not).
        self.reminded_at, self.stopped_at = (position.get(key) for key in self.REMINDERS)
        self.columns = operator.itemgetter(*(position[key] for key in self.PLAIN))
        self.cells: dict[tuple[Any, bool, Any], ModuleCell] = {}
        self.due: dict[dt.date, dt.date | None] = {}

    def _cell(self, status: Any, has_quiz: bool, best: Any) -> ModuleCell:
        key = (status, has_quiz, best)
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = ModuleCell(
                status=STATUS_OF_CODE[status],
                has_quiz=has_quiz,
                best_percent=None if best is None else int(best),
            )
        return cell

    def __call__(self, values: Sequence[Any]) -> PersonRow:
        cells = {}
        for module_id, has_quiz, status_at, best_at in self.modules:
            status = values[status_at]
            if status is not None:
                cells[module_id] = self._cell(status, has_quiz, values[best_at])
        columns = self.columns(values)
        user_id, name, email, audience, start, status, done, total, percent = columns[:9]
        due = self.due.get(start, False)
        if due is False:
            due = self.due[start] = due_date(self.course, start)
        return PersonRow(
            user_id,
            name,
            email,
            audience,
            start,
            due,  # type: ignore[arg-type]
            STATUS_OF_CODE[status],
            int(done),
            int(total),
            int(percent),
            bool(columns[9]),
            columns[10],
            cells,
            None if self.reminded_at is None else values[self.reminded_at],
            None if self.stopped_at is None else values[self.stopped_at],
            columns[11],
        )


def _rows(course: Course, found: Sequence[Any]) -> Iterator[PersonRow]:
    """Yield the PersonRow of each of `found`: rows of a dashboard query."""
    if not found:
        return
    read = _RowReader(course, list(found[0]._fields))
    for values in found:
        yield read(values)


def _report(
    actor: User,
    organisation: Organisation,
    query: DashboardQuery,
    today: dt.date,
    *,
    somebody_out_of_date: bool | None = None,
) -> tuple[Subquery, list[ColumnElement[bool]], Select[Any]]:
    """Return the person_status subquery of the people `query` selects, its status and
    overdue conditions, and the select of those people (`somebody_out_of_date` as
    stored_status.person_status takes it)."""
    people = people_of(actor, organisation.id, query)
    ps = stored_status.person_status(
        query.course,
        people,
        today,
        modules=True,
        organisation_id=organisation.id,
        somebody_out_of_date=somebody_out_of_date,
    )
    conditions = queries.status_filters(
        ps, status=query.status, overdue=query.overdue, not_finished=query.not_finished
    )
    return ps, conditions, people


def _invited_columns(organisation: Organisation, query: DashboardQuery) -> tuple[Any, Any]:
    """Return the columns that count the people invited, and those of them whose link has
    expired (scalar subqueries, asked in the same statement as the people)."""
    columns = []
    for expired, label in ((False, "all_invited"), (True, "all_invited_expired")):
        count = invited_people.count_select(
            organisation.id, query.audience, query.q, expired=expired
        )
        if query.intake_id is not None:  # nobody invited belongs to an intake yet
            count = count.where(false())
        columns.append(count.scalar_subquery().label(label))
    return columns[0], columns[1]


# The column of the dashboard's statements that counts the people its filters select,
# stored rows or not (see stored_status.person_status).
PEOPLE_ASKED = "people_asked"


def dashboard(
    actor: User, organisation: Organisation, query: DashboardQuery, today: dt.date
) -> Dashboard:
    """Return one page of the organisation's dashboard, usually in a single query.

    The counts and module totals describe every person the filters select (window
    aggregates on the page's rows); the rows are the page asked for: none for a page
    past the last (one query more then, for the counts). The summary counts everyone
    of the audience and search whatever their state: the same counts without a status
    or overdue filter, one query more with one. With `query.invited` the page lists the
    people invited who have not joined instead (one query more).

    The page is first read from the stored statuses alone, counting in the same
    statement the people the filters select; when the summary counts fewer (somebody's
    stored status is out of date), it is read again with those people worked out from
    their records (stored_status.person_status). Either way the page is exact.
    """
    board = _dashboard(actor, organisation, query, today, stored_only=True)
    if board is None:
        board = _dashboard(actor, organisation, query, today, stored_only=False)
        assert board is not None
    return board


def _leaves_out(everyone: Any) -> bool:
    """Return True when a row of the dashboard's totals read from the stored statuses alone
    counts fewer people than its filters select (somebody's stored status is out of date)."""
    return bool(everyone.all_people != getattr(everyone, PEOPLE_ASKED))


def _dashboard(
    actor: User,
    organisation: Organisation,
    query: DashboardQuery,
    today: dt.date,
    *,
    stored_only: bool,
) -> Dashboard | None:
    """Return the dashboard (see `dashboard`); with `stored_only`, read from the current
    stored statuses alone (stored_status.person_status), or None when they leave somebody
    out."""
    course = query.course
    ps, conditions, people = _report(
        actor, organisation, query, today, somebody_out_of_date=not stored_only
    )
    invited_counts: tuple[Any, ...] = _invited_columns(organisation, query)
    if stored_only:
        invited_counts += (stored_status.people_count(people).label(PEOPLE_ASKED),)
    everyone = None
    if conditions:  # a status or overdue filter: count everyone for the summary, first
        everyone = db.session.execute(queries.totals_select(course, ps, [], *invited_counts)).one()
        if stored_only and _leaves_out(everyone):
            return None
    page = max(1, query.page)
    found: list[Any] = []
    if not query.invited:
        ordered = queries.page_with_totals(
            course,
            ps,
            conditions,
            sort=query.sort,
            descending=query.descending,
            limit=PER_PAGE,
            offset=(page - 1) * PER_PAGE,
            narrow=stored_only,
        )
        found = list(db.session.execute(ordered.add_columns(*invited_counts)).all())
    if found:
        totals = found[0]
    else:
        totals = db.session.execute(
            queries.totals_select(course, ps, conditions, *invited_counts)
        ).one()
    if everyone is None:
        everyone = totals
        if stored_only and _leaves_out(everyone):
            return None
    counts = counts_of(totals)
    summary = counts_of(everyone)
    invited: list[invited_people.InvitedPerson] = []
    if query.invited and query.intake_id is None:
        invited = invited_people.invited_people(
            actor,
            organisation.id,
            audience=query.audience,
            q=query.q,
            sort=query.sort,
            descending=query.descending,
            limit=PER_PAGE,
            offset=(page - 1) * PER_PAGE,
        )
    module_totals = [
        ModuleTotal(
            module=module,
            people=int(getattr(totals, f"m{number}_people") or 0),
            complete=int(getattr(totals, f"m{number}_complete") or 0),
            in_progress=int(getattr(totals, f"m{number}_in_progress") or 0),
        )
        for number, module in enumerate(course.modules)
    ]
    return Dashboard(
        organisation=organisation,
        query=query,
        rows=list(_rows(course, found)),
        counts=counts,
        summary=summary,
        page=page,
        module_totals=module_totals,
        invited=invited,
    )


# Rows fetched from the database at a time when an export streams (a server-side cursor
# on PostgreSQL): memory stays the same whatever the number of people.
STREAM_ROWS = 500


def dashboard_rows(
    actor: User, organisation: Organisation, query: DashboardQuery, today: dt.date
) -> list[PersonRow]:
    """Return every row the dashboard's filters select (all pages), in its order: one query."""
    return list(iter_dashboard_rows(actor, organisation, query, today))


def iter_dashboard_rows(
    actor: User, organisation: Organisation, query: DashboardQuery, today: dt.date
) -> Iterator[PersonRow]:
    """Yield the rows of `dashboard_rows` as the query returns them (STREAM_ROWS at a
    time, a server-side cursor on PostgreSQL): the same in constant memory.

    The rows are read through the session's connection (Core), not the ORM: they are
    plain columns, and for thousands of rows the ORM's result handling costs more
    than the query.
    """
    statement = _rows_statement(actor, organisation, query, today)
    found = db.session.connection().execute(statement, execution_options={"yield_per": STREAM_ROWS})
    read = _RowReader(query.course, list(found.keys()))
    for values in found:
        yield read(values)


def _rows_statement(
    actor: User, organisation: Organisation, query: DashboardQuery, today: dt.date
) -> Select[Any]:
    ps, conditions, _people = _report(actor, organisation, query, today)
    # Only what the rows show: no completion times to convert for thousands of rows. The
    # last reminder is looked up in the same query (one index lookup per person).
    return (
        select(
            *_RowReader.read_columns(ps, query.course),
            last_reminded_sql(query.course.id, ps.c.user_id).label("last_reminded_at"),
        )
        .where(*conditions)
        .order_by(*queries.order_by(ps, query.sort, query.descending))
    )


def module_rules(course: Course) -> list[tuple[Module, list[ModuleRule]]]:
    """Return each module's completion rule, grouping the audiences for which it reads the same."""
    result = []
    for module in course.modules:
        grouped: dict[str, list[str]] = {}
        for audience in AUDIENCES:
            if not module.applies_to(audience):
                continue
            if not module.lessons_for(audience) and module.quiz is None:
                continue
            grouped.setdefault(completion_rule(course, module, audience), []).append(audience)
        result.append((module, [ModuleRule(tuple(names), rule) for rule, names in grouped.items()]))
    return result


# --- The network overview ----------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationTotal:
    """One organisation's line of the network overview."""

    organisation_id: int
    name: str
    category: str
    people: int
    started: int
    complete: int
    overdue: int
    update_to_read: int = 0  # completed once, a raised lesson version to read now
    due_for_renewal: int = 0  # the completion has run out (`renew:`): to take again

    @property
    def rate(self) -> int:
        """Return the completion rate: complete people as a whole percentage (whole_percent)."""
        return whole_percent(self.complete, self.people)


def network_overview(actor: User, course: Course, today: dt.date) -> list[OrganisationTotal]:
    """Return every organisation's totals in `course`, by name: three queries for an admin
    (the organisation figures, see reports/figures.py; two more for organisations whose
    figures are not current), two for anyone else.

    Only the people `actor` may see are counted (admins: everyone).
    """
    organisations = db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.category)
        .where(Organisation.retired_at.is_(None))  # retired organisations left the network
        .order_by(func.lower(Organisation.name), Organisation.id)
    ).all()
    if actor.is_admin:  # everyone: the figures kept per organisation
        found = figures.organisation_totals(course, today, [org_id for org_id, *_ in organisations])
    else:
        people = people_in_scope(actor, queries.people_select(User.organisation_id.is_not(None)))
        ps = stored_status.person_status(course, people, today, activity=False)
        found = {
            values.organisation_id: values
            for values in db.session.execute(queries.organisation_totals_select(ps))
        }
    rows = []
    for org_id, name, category in organisations:
        values = found.get(org_id)
        if values is None and not actor.is_admin:
            continue  # only admins see the organisations without anyone in their scope
        rows.append(
            OrganisationTotal(
                organisation_id=org_id,
                name=name,
                category=category,
                people=int(values.people) if values else 0,
                started=int(values.started) if values else 0,
                complete=int(values.complete) if values else 0,
                overdue=int(values.overdue) if values else 0,
                update_to_read=int(values.update_to_read or 0) if values else 0,
                due_for_renewal=int(values.due_for_renewal or 0) if values else 0,
            )
        )
    return rows


NETWORK_SORTS = ("name", "rate", "-rate", "overdue")


def arrange_network(
    rows: Sequence[OrganisationTotal], *, sort: str = "name", category: str | None = None
) -> tuple[list[OrganisationTotal], list[OrganisationTotal]]:
    """Return the overview's organisations of `category` (None: all) with people, in the
    order `sort` (one of NETWORK_SORTS; ties by name), and those with no one yet, by name.

    Raises ValueError for an unknown sort.
    """
    if sort not in NETWORK_SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    chosen = [row for row in rows if category is None or row.category == category]
    with_people = sorted((row for row in chosen if row.people), key=lambda row: row.name.lower())
    if sort == "rate":
        with_people.sort(key=lambda row: -row.rate)
    elif sort == "-rate":
        with_people.sort(key=lambda row: row.rate)
    elif sort == "overdue":
        with_people.sort(key=lambda row: -row.overdue)
    return with_people, [row for row in chosen if not row.people]


def network_totals(rows: Sequence[OrganisationTotal]) -> OrganisationTotal:
    """Return the sum of the overview's rows, as one line "All organisations"."""
    return OrganisationTotal(
        organisation_id=0,
        name="All organisations",
        category="",
        people=sum(r.people for r in rows),
        started=sum(r.started for r in rows),
        complete=sum(r.complete for r in rows),
        overdue=sum(r.overdue for r in rows),
        update_to_read=sum(r.update_to_read for r in rows),
        due_for_renewal=sum(r.due_for_renewal for r in rows),
    )


# --- Difficult questions -----------------------------------------------------------------


@dataclass(frozen=True)
class QuestionTotal:
    """How often one question of a quiz was answered right in submitted attempts."""

    module: Module
    question: Question
    number: int  # 1-based position in the quiz as written
    answered: int
    right: int

    @property
    def share(self) -> int | None:
        """Return the share answered right as a whole percentage (whole_percent; None: never
        answered)."""
        return whole_percent(self.right, self.answered) if self.answered else None


def question_totals(course: Course) -> list[tuple[Module, list[QuestionTotal]]]:
    """Return each quiz of `course` with its questions' totals, in course order: one query.

    Questions are those of the current quiz files; answers count across every version
    of a quiz (a question keeps its id when the quiz is edited).
    """
    found = {
        (values.quiz_id, values.question_id): values
        for values in db.session.execute(queries.question_totals_select(course.id))
    }
    result = []
    for module in course.modules:
        quiz = module.quiz
        if quiz is None:
            continue
        totals = []
        for number, question in enumerate(quiz.questions, start=1):
            values = found.get((quiz.id, question.id))
            totals.append(
                QuestionTotal(
                    module=module,
                    question=question,
                    number=number,
                    answered=int(values.answered) if values else 0,
                    right=int(values.right) if values else 0,
                )
            )
        result.append((module, totals))
    return result
