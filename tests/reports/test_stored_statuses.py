"""Stored statuses: each lesson and quiz rewrites the person's row; reports read only current rows.

The reports read each person's status from `course_status` when the row is current (its
fingerprint names what the course asks of the person now), and work it out from the
records otherwise, so a changed course or audience is never shown out of date.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from induction.accounts.models import Organisation, User
from induction.catalogue import get_catalogue
from induction.extensions import db
from induction.progress.models import CourseStatus
from induction.progress.requirements_table import EVERY_AUDIENCE
from induction.progress.services import audience_of, progress_for, today
from induction.progress.status_query import STATUS_CODES
from induction.progress.stored_status import fingerprints
from induction.reports.services import DashboardQuery, dashboard, dashboard_rows
from tests.reliability.records import complete_course

COURSE = "basics"


@pytest.fixture
def app(app_factory, tree):
    """The app on an editable copy of the fixture courses."""
    return app_factory(COURSES_DIR=str(tree))


def _stored(user_id: int) -> CourseStatus | None:
    return db.session.get(CourseStatus, (user_id, COURSE))


def _assert_stored_is_current(user_id: int) -> None:
    """The person's stored row is current and says what the pure rules say of their records."""
    person = db.session.get(User, user_id)
    course = get_catalogue().course(COURSE)
    expected = progress_for(person, course)
    row = _stored(user_id)
    assert row is not None
    key = EVERY_AUDIENCE if person.is_admin else person.audience
    assert row.fingerprint == fingerprints(course)[key]
    assert (row.status, row.done, row.total, row.percent) == (
        STATUS_CODES[expected.status],
        expected.done,
        expected.total,
        expected.percent,
    )
    assert row.completed_at == expected.first_completed_at
    assert row.last_activity == expected.last_activity_at
    by_module = {m.module.id: m for m in expected.modules}
    statuses, best = "", ""
    for module in course.modules:
        found = by_module.get(module.id)
        statuses += "-" if found is None else str(STATUS_CODES[found.status])
        score = found.quiz.best_percent if found is not None and found.quiz else None
        best += "----" if score is None else str(1000 + score)
    assert (row.module_statuses, row.module_best) == (statuses, best)


def test_each_lesson_and_quiz_rewrites_the_persons_row(app, make_org, make_user, login_as):
    learner = make_user(organisation=make_org(), audience="councillor")
    client = login_as(learner)
    with app.app_context():
        assert _stored(learner.id) is None
    response = client.post(f"/courses/{COURSE}/lessons/welcome/complete")
    assert response.status_code == 302
    with app.app_context():
        _assert_stored_is_current(learner.id)
        assert _stored(learner.id).done == 1
    complete_course(client, app)  # the other lessons, then the quiz, passed
    with app.app_context():
        _assert_stored_is_current(learner.id)
        row = _stored(learner.id)
        assert row.status == STATUS_CODES["complete"]
        assert row.completed_at is not None
        assert "1100" in row.module_best  # the quiz, all right


def _mark_stored_row(user_id: int) -> None:
    """Change the person's stored row (done = 99) so a page that reads it shows it."""
    db.session.execute(update(CourseStatus).where(CourseStatus.user_id == user_id).values(done=99))


def _dashboard_row(admin_id: int, organisation_id: int, user_id: int):
    course = get_catalogue().course(COURSE)
    admin = db.session.get(User, admin_id)
    organisation = db.session.get(Organisation, organisation_id)
    rows = dashboard_rows(admin, organisation, DashboardQuery(course=course), today())
    return next(row for row in rows if row.user_id == user_id)


def test_reports_read_a_current_row_and_never_an_outdated_one(
    app, tree, make_org, make_user, login_as
):
    organisation = make_org()
    learner = make_user(organisation=organisation, audience="councillor")
    admin = make_user(role="admin")
    complete_course(login_as(learner), app)
    with app.app_context():
        _assert_stored_is_current(learner.id)
        # A current row is what the reports read: mark it to see it on the dashboard.
        _mark_stored_row(learner.id)
        db.session.commit()
        assert _dashboard_row(admin.id, organisation.id, learner.id).done == 99

    # A new version of a lesson: the row is out of date, and the records are read instead.
    rules = tree / "01-basics" / "01-first-steps" / "02-rules.md"
    rules.write_text(rules.read_text().replace("version: 2", "version: 3"))
    with app.app_context():
        get_catalogue().reload()
        expected = progress_for(db.session.get(User, learner.id), get_catalogue().course(COURSE))
        row = _dashboard_row(admin.id, organisation.id, learner.id)
        assert (row.status, row.done, row.total) == (
            expected.status,
            expected.done,
            expected.total,
        )
        # The new version is still to read, by someone who completed the course.
        assert row.status == "update_to_read"

        # Reading it again rewrites the row with the new fingerprint.
    client = login_as(learner)
    assert (
        client.post(
            f"/courses/{COURSE}/lessons/rules/complete", data={"acknowledge": "y"}
        ).status_code
        == 302
    )
    with app.app_context():
        _assert_stored_is_current(learner.id)
        _mark_stored_row(learner.id)
        db.session.commit()
        # A change of audience makes the row out of date too.
        db.session.execute(update(User).where(User.id == learner.id).values(audience="officer"))
        db.session.commit()
        person = db.session.get(User, learner.id)
        assert audience_of(person) == "officer"
        expected = progress_for(person, get_catalogue().course(COURSE))
        row = _dashboard_row(admin.id, organisation.id, learner.id)
        assert row.done == expected.done != 99

    # So does a move to another organisation.
    elsewhere = make_org()
    runner_output = app.test_cli_runner().invoke(args=["reports", "refresh"]).output
    assert f"{COURSE}: stored statuses brought up to date for 1 person" in runner_output
    with app.app_context():
        _assert_stored_is_current(learner.id)
        _mark_stored_row(learner.id)
        db.session.execute(
            update(User).where(User.id == learner.id).values(organisation_id=elsewhere.id)
        )
        db.session.commit()
        row = _dashboard_row(admin.id, elsewhere.id, learner.id)
        assert row.done == expected.done != 99


def test_refresh_brings_outdated_rows_up_to_date(app, tree, make_org, make_user, login_as):
    organisation = make_org()
    learners = [
        make_user(organisation=organisation, audience=audience)
        for audience in ("councillor", "officer", "affiliate")
    ]
    admin = make_user(role="admin")
    complete_course(login_as(learners[0]), app)
    runner = app.test_cli_runner()

    # One learner stored as they went; the other two had nothing done yet. The admin is in
    # no organisation, so in no report: nothing is stored for them.
    result = runner.invoke(args=["reports", "refresh"])
    assert result.exit_code == 0, result.output
    assert f"{COURSE}: stored statuses brought up to date for 2 people" in result.output
    with app.app_context():
        assert _stored(admin.id) is None
        for learner in learners:
            _assert_stored_is_current(learner.id)

    # A lesson for everyone gets a new version: every row of the course is out of date.
    welcome = tree / "01-basics" / "01-first-steps" / "01-welcome.md"
    text = welcome.read_text()
    assert "version:" not in text
    welcome.write_text(text.replace("---\n", "---\nversion: 2\n", 1))
    with app.app_context():
        get_catalogue().reload()
        course = get_catalogue().course(COURSE)
        stale = db.session.scalars(select(CourseStatus.fingerprint)).all()
        assert not set(stale) & set(fingerprints(course).values())
        before = dashboard(
            db.session.get(User, admin.id),
            db.session.get(Organisation, organisation.id),
            DashboardQuery(course=course),
            today(),
        )
    result = runner.invoke(args=["reports", "refresh"])
    assert f"{COURSE}: stored statuses brought up to date for 3 people" in result.output
    with app.app_context():
        for learner in learners:
            _assert_stored_is_current(learner.id)
        after = dashboard(
            db.session.get(User, admin.id),
            db.session.get(Organisation, organisation.id),
            DashboardQuery(course=get_catalogue().course(COURSE)),
            today(),
        )
        assert after.rows == before.rows  # the same answer, read from the stored rows now
        assert after.counts == before.counts
    result = runner.invoke(args=["reports", "refresh"])
    assert f"{COURSE}: stored statuses brought up to date for 0 people" in result.output
