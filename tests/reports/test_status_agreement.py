"""The database's statuses agree with the pure rules of progress.status for every kind of person,
worked out from the records or read from the stored statuses."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import func, select

from induction.accounts.models import Intake, Organisation, User
from induction.catalogue import get_catalogue
from induction.extensions import db
from induction.progress.models import CourseStatus
from induction.progress.renewal import renewal_days, renewal_days_for
from induction.progress.services import audience_of, load_records
from induction.progress.status import Status, course_progress
from induction.progress.status_rewrite import refresh
from induction.reports.services import DashboardQuery, dashboard, dashboard_rows
from tests.reports.helpers import (
    TODAY,
    add_attempt,
    add_course_completion,
    add_lesson,
    add_renewal,
    at,
    write_varied_course,
)

RENEW_DAYS = 40


@pytest.fixture(params=[None, RENEW_DAYS], ids=["no renewal", "renewal"])
def renew(request):
    return request.param


@pytest.fixture
def app(app_factory, tmp_path, renew):
    return app_factory(COURSES_DIR=str(write_varied_course(tmp_path / "courses", renew)))


def _random_people(seed: int, org_id: int, count: int) -> None:
    """Add `count` people of every audience with random records in `varied` (committed).

    About two in three belong to an intake of the organisation: one dated before every
    start date, one in the middle of them (due dates then count from the later of the two).
    """
    rng = random.Random(seed)
    intake_rng = random.Random(seed * 7919)  # its own, so the records stay as they were
    intakes = [
        Intake(organisation_id=org_id, name=f"Intake {days}", starts_on=TODAY - dt.timedelta(days))
        for days in (120, 30)
    ]
    db.session.add_all(intakes)
    db.session.flush()
    course = get_catalogue().course("varied")
    assert course is not None
    lessons = [(lesson.id, lesson.version) for m in course.modules for lesson in m.lessons]
    lessons.append(("gone-lesson", 1))  # a lesson deleted from the files: activity only
    quizzes = [m.id for m in course.modules if m.quiz is not None] + ["gone-quiz"]
    for n in range(count):
        role = "admin" if n % 11 == 0 else rng.choice(["learner", "learner", "manager"])
        user = User(
            email=f"varied{seed}-{n}@example.org",
            name=f"Person {rng.randint(0, 999):03d} {n}",
            role=role,
            audience=rng.choice(["councillor", "officer", "affiliate"]),
            organisation_id=org_id,
            start_date=TODAY - dt.timedelta(days=rng.choice([0, 5, 29, 30, 31, 45, 90])),
            is_active=rng.random() > 0.05,
            intake_id=intake_rng.choice([None, *(intake.id for intake in intakes)]),
        )
        db.session.add(user)
        db.session.flush()
        profile = rng.choice(["nothing", "everything", "random", "random", "random"])
        if profile == "nothing":
            continue
        if profile == "everything":
            for lesson_id, version in lessons:
                add_lesson(user.id, "varied", lesson_id, version, at(TODAY, rng.randint(0, 23)))
            for quiz_id in quizzes:
                add_attempt(
                    user.id, "varied", quiz_id, right=2, total=2, passed=True, when=at(TODAY)
                )
            continue
        for lesson_id, version in lessons:
            # Versions below, at and above the current one; each at most once, as in real life.
            versions = range(1, version + 2)
            for done in rng.sample(versions, k=min(len(versions), rng.choice([0, 0, 1, 1, 2]))):
                add_lesson(
                    user.id,
                    "varied",
                    lesson_id,
                    done,
                    at(TODAY - dt.timedelta(days=rng.randint(0, 60)), rng.randint(0, 23)),
                )
        for quiz_id in quizzes:
            for _ in range(rng.choice([0, 0, 1, 2, 3])):
                total = rng.choice([0, 1, 2, 4])
                right = rng.randint(0, total)
                add_attempt(
                    user.id,
                    "varied",
                    quiz_id,
                    right=right,
                    total=total,
                    passed=rng.random() < 0.5,
                    submitted=rng.random() < 0.8,
                    when=at(TODAY - dt.timedelta(days=rng.randint(0, 60)), rng.randint(0, 23)),
                )
        if rng.random() < 0.2:
            add_course_completion(user.id, "varied", at(TODAY - dt.timedelta(days=10)))
        elif rng.random() < 0.3:
            # Completed long ago (due for renewal in a renewing course), renewed or not,
            # and some lessons and quizzes done again since, inside the period or not.
            first = TODAY - dt.timedelta(days=rng.choice([45, 80, 100]))
            add_course_completion(user.id, "varied", at(first))
            renewals = rng.choice([0, 0, 1, 2])
            for number in range(1, renewals + 1):
                add_renewal(
                    user.id,
                    "varied",
                    number,
                    at(first + dt.timedelta(days=number * rng.choice([3, 20, 30]))),
                )
            again = renewals + 1
            share = rng.choice([0.6, 1])  # 1: everything done again, inside the period
            # Days ago: the period (40 days) starts at midnight 39 days ago.
            days = [0, 1, 38, 39, 40, 50]
            for lesson_id, version in lessons:
                if rng.random() < share:
                    add_lesson(
                        user.id,
                        "varied",
                        lesson_id,
                        version,
                        at(
                            TODAY - dt.timedelta(days=rng.choice(days[: 4 if share == 1 else 6])), 0
                        ),
                        renewal=again,
                    )
            for quiz_id in quizzes:
                if rng.random() < share:
                    add_attempt(
                        user.id,
                        "varied",
                        quiz_id,
                        right=2,
                        total=2,
                        passed=rng.random() < share,
                        when=at(
                            TODAY - dt.timedelta(days=rng.choice(days[: 4 if share == 1 else 6])), 0
                        ),
                    )
    db.session.commit()


def expected_renewed(user_id: int, course) -> bool:
    """Return True when the person's completion is due for renewal and they are complete
    again from what they did inside the renewal period."""
    record = load_records(user_id, ["varied"])["varied"]
    person = db.session.get(User, user_id)
    progress = course_progress(
        course, audience_of(person), record, person.start_date, TODAY, renewal_days(course)
    )
    return progress.is_renewing and progress.status is Status.COMPLETE


def _store_statuses(course) -> None:
    """Store everyone's status in `course`, so that the reports read the stored rows."""
    refresh(course)
    stored = db.session.scalar(select(func.count()).select_from(CourseStatus))
    active = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.is_active.is_(True), User.organisation_id.is_not(None))
    )
    assert stored == active


def _active_people(org_id: int) -> list[User]:
    return list(
        db.session.scalars(
            db.select(User).where(User.organisation_id == org_id, User.is_active.is_(True))
        )
    )


def _expected(course, person: User, renewal: int | None):
    """Return the person's progress by the pure rules, from their records, on TODAY."""
    record = load_records(person.id, ["varied"])["varied"]
    return course_progress(course, audience_of(person), record, person.counts_from, TODAY, renewal)


@pytest.mark.parametrize("stored", [False, True], ids=["from records", "stored"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_status_agrees_with_the_pure_rules(app, make_org, seed, stored, renew):
    org = make_org()
    with app.app_context():
        _random_people(seed, org.id, 80)
        course = get_catalogue().course("varied")
        if stored:
            _store_statuses(course)
        admin = User(email=f"admin{seed}@example.org", name="Admin", role="admin")
        rows = dashboard_rows(
            admin, db.session.get(Organisation, org.id), DashboardQuery(course=course), TODAY
        )
        people = _active_people(org.id)
        assert sorted(r.user_id for r in rows) == sorted(p.id for p in people)
        by_id = {row.user_id: row for row in rows}
        checked_overdue = checked_modules = 0
        for person in people:
            expected = _expected(course, person, renewal_days(course))
            row = by_id[person.id]
            assert (row.status, row.done, row.total, row.percent, row.is_overdue) == (
                expected.status,
                expected.done,
                expected.total,
                expected.percent,
                expected.is_overdue,
            ), person
            assert row.due_date == expected.due_date
            assert row.last_activity_at == expected.last_activity_at
            assert set(row.cells) == {m.module.id for m in expected.modules}
            for module in expected.modules:
                cell = row.cells[module.module.id]
                assert cell.status == module.status, (person, module.module.id)
                assert cell.has_quiz == (module.quiz is not None)
                assert cell.best_percent == (module.quiz.best_percent if module.quiz else None)
                checked_modules += 1
            checked_overdue += expected.is_overdue
        # The random people cover the interesting cases.
        assert checked_overdue > 0
        found = {r.status for r in rows}
        assert found >= {"not_started", "in_progress", "complete", "update_to_read"}
        assert ("due_for_renewal" in found) == (renew is not None)
        if renew is not None:
            renewed = [p for p in people if expected_renewed(p.id, course)]
            assert renewed, "someone due for renewal has done everything again"
        assert checked_modules > 100
        # Some people's due dates count from their intake, some from their own start date.
        assert any(p.intake_id and p.counts_from > p.start_date for p in people)
        assert any(p.intake_id and p.counts_from == p.start_date for p in people)


@pytest.mark.parametrize("stored", [False, True], ids=["from records", "stored"])
def test_a_course_renewed_each_term_lasts_each_organisations_own_term(
    app_factory, tmp_path, make_org, stored
):
    """`renew: each term`: the SQL uses each person's organisation's term (the TERM_DAYS
    setting for one without), as the pure rules do (renewal_days_for); a term changed
    later is followed without rewriting anything."""
    app = app_factory(
        COURSES_DIR=str(write_varied_course(tmp_path / "courses", "each term")),
        TERM_DAYS=RENEW_DAYS,
    )
    organisations = [make_org(), make_org(term_years=1), make_org(term_years=4)]
    with app.app_context():
        for seed, org in enumerate(organisations, start=11):
            _random_people(seed, org.id, 60)
        course = get_catalogue().course("varied")
        if stored:
            _store_statuses(course)
        admin = User(email="admin-terms@example.org", name="Admin", role="admin")
        for years in (None, 1):  # then the organisation without a term gets one
            renewing = {}
            for org in organisations:
                organisation = db.session.get(Organisation, org.id)
                rows = dashboard_rows(admin, organisation, DashboardQuery(course=course), TODAY)
                people = _active_people(org.id)
                by_id = {row.user_id: row for row in rows}
                assert sorted(by_id) == sorted(p.id for p in people)
                for person in people:
                    expected = _expected(course, person, renewal_days_for(person, course))
                    row = by_id[person.id]
                    assert (row.status, row.done, row.percent, row.is_overdue) == (
                        expected.status,
                        expected.done,
                        expected.percent,
                        expected.is_overdue,
                    ), person
                renewing[org.id] = sum(r.status == "due_for_renewal" for r in rows)
            first = organisations[0].id
            assert bool(renewing[first]) == (years is None), renewing
            assert not any(renewing[o.id] for o in organisations[1:]), renewing
            db.session.get(Organisation, first).term_years = 1
            db.session.commit()


@pytest.mark.parametrize("stored", [False, True], ids=["from records", "stored"])
def test_the_paged_dashboard_shows_the_same_rows_as_the_full_list(app, make_org, stored):
    org = make_org()
    with app.app_context():
        _random_people(7, org.id, 120)
        course = get_catalogue().course("varied")
        if stored:
            _store_statuses(course)
        admin = User(email="admin@example.org", name="Admin", role="admin")
        organisation = db.session.get(Organisation, org.id)
        for sort in ["name", "email", "progress", "activity", "due"]:
            for descending in (False, True):
                query = DashboardQuery(course=course, sort=sort, descending=descending)
                everyone = dashboard_rows(admin, organisation, query, TODAY)
                paged = []
                for page in (1, 2, 3):
                    found = dashboard(
                        admin,
                        organisation,
                        DashboardQuery(**{**query.__dict__, "page": page}),
                        TODAY,
                    )
                    paged.extend(found.rows)
                assert [r.user_id for r in paged] == [r.user_id for r in everyone]
                assert paged == everyone
        # The counts and module totals agree with the rows, with and without filters.
        for query in (
            DashboardQuery(course=course),
            DashboardQuery(course=course, status=Status.IN_PROGRESS, audience="officer"),
            DashboardQuery(course=course, overdue=True),
        ):
            rows = dashboard_rows(admin, organisation, query, TODAY)
            board = dashboard(admin, organisation, query, TODAY)
            counts = board.counts
            assert counts.people == len(rows)
            assert counts.complete == sum(r.status == "complete" for r in rows)
            assert counts.in_progress == sum(r.status == "in_progress" for r in rows)
            assert counts.not_started == sum(r.status == "not_started" for r in rows)
            assert counts.overdue == sum(r.is_overdue for r in rows)
            for total in board.module_totals:
                cells = [r.cells[total.module.id] for r in rows if total.module.id in r.cells]
                assert total.people == len(cells)
                assert total.complete == sum(c.status == "complete" for c in cells)
                assert total.in_progress == sum(c.status == "in_progress" for c in cells)
