"""The dashboard reads its page from the stored statuses first, and stays exact when one is out
of date.

When every person the filters select has a current stored row (the usual case), the page
is one statement: it does not first ask whether anybody's row is out of date. When somebody's
is (a new lesson version, a change of audience, nothing stored yet), the page is read again
with them worked out from their records, so what it shows is the same either way.
"""

from __future__ import annotations

import pytest
from sqlalchemy import update

from induction.accounts.models import Organisation, User
from induction.catalogue import get_catalogue
from induction.extensions import db
from induction.progress.models import CourseStatus
from induction.progress.services import progress_for, today
from induction.progress.status import Status
from induction.reports.services import DashboardQuery, dashboard
from tests.reliability.records import complete_course

COURSE = "basics"


@pytest.fixture
def app(app_factory, tree):
    """The app on an editable copy of the fixture courses."""
    return app_factory(COURSES_DIR=str(tree))


def _mark(user_id: int) -> None:
    """Change the person's stored row (done = 99) so that a page reading it shows it."""
    db.session.execute(update(CourseStatus).where(CourseStatus.user_id == user_id).values(done=99))
    db.session.commit()


def _board(admin_id: int, organisation_id: int, **filters):
    return dashboard(
        db.session.get(User, admin_id),
        db.session.get(Organisation, organisation_id),
        DashboardQuery(course=get_catalogue().course(COURSE), **filters),
        today(),
    )


def _people(app, make_org, make_user, login_as):
    """An organisation of two learners who completed the course (their rows stored as they
    went, and marked), and an admin to ask."""
    organisation = make_org()
    learners = [make_user(organisation=organisation, audience="councillor") for _ in range(2)]
    for learner in learners:
        complete_course(login_as(learner), app)
    # Every course's figures counted, as `start` does: the course tabs read them.
    assert app.test_cli_runner().invoke(args=["reports", "refresh"]).exit_code == 0
    with app.app_context():
        for learner in learners:
            _mark(learner.id)
    return organisation, learners, make_user(role="admin")


def _statements_outdated_count(statements: list[str]) -> int:
    """How many of `statements` ask how many people have no current stored row."""
    return sum(1 for s in statements if s.startswith("SELECT count(*)") and "course_status" in s)


def test_a_page_of_current_rows_is_read_from_them_in_one_statement(
    app, make_org, make_user, login_as, count_queries
):
    organisation, learners, admin = _people(app, make_org, make_user, login_as)
    client = login_as(admin)
    with count_queries() as counter:
        html = client.get(f"/reports/organisations/{organisation.id}").get_data(as_text=True)
    assert "2 people" in html
    report = [s for s in counter.statements if "course_status" in s]
    # The page with its counts (and nothing to ask first), the course figures of the tabs.
    assert _statements_outdated_count(counter.statements) == 0, report
    with app.app_context():
        board = _board(admin.id, organisation.id)
        assert [row.done for row in board.rows] == [99, 99]  # read from the stored rows
        assert board.summary.people == board.counts.people == 2


@pytest.mark.parametrize(
    "filters",
    [{}, {"status": Status.COMPLETE}, {"overdue": False}, {"not_finished": True}],
    ids=["all", "complete", "not-overdue", "not-finished"],
)
def test_somebody_out_of_date_is_worked_out_from_their_records(
    app, make_org, make_user, login_as, filters
):
    organisation, learners, admin = _people(app, make_org, make_user, login_as)
    newcomer = make_user(organisation=organisation, audience="officer")  # nothing stored
    with app.app_context():
        # The second learner becomes an officer: their stored row is out of date.
        db.session.execute(update(User).where(User.id == learners[1].id).values(audience="officer"))
        db.session.commit()
        board = _board(admin.id, organisation.id, **filters)
        shown = {row.user_id: row for row in board.rows}
        assert board.summary.people == 3  # every person, stored or not
        expected = {
            person.id: progress_for(db.session.get(User, person.id), board.query.course)
            for person in (learners[1], newcomer)
        }
        if not filters:
            assert set(shown) == {learners[0].id, learners[1].id, newcomer.id}
        for user_id, progress in expected.items():
            if user_id in shown:
                assert shown[user_id].done == progress.done != 99
                assert shown[user_id].status.value == progress.status.value
        if learners[0].id in shown:
            assert shown[learners[0].id].done == 99  # a current row is still read
        assert board.counts.people == len(board.rows)
        if filters == {"status": Status.COMPLETE}:
            assert newcomer.id not in shown
        if filters == {"not_finished": True}:
            assert newcomer.id in shown and learners[0].id not in shown
