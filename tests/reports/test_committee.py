"""Figures for a committee paper: per course, one line per audience and a total, the same
figures as the dashboard filtered by that audience; other organisations are never counted.

World (conftest.py): in "own", Alice Complete (officer) has finished, Bob Partway
(councillor) and the formula person (officer) are overdue, Cara New (affiliate) and Mona
Manager (officer, the lead officer) have not started.
"""

from __future__ import annotations

import re

import pytest

from induction.extensions import db
from induction.progress.services import today
from induction.reports.committee import EVERYONE, committee_tables
from induction.reports.services import DashboardQuery, dashboard
from tests.conftest import SHIPPED_COURSES
from tests.quizzes.pages import page, text_of
from tests.reports.test_summary import _invite

URL = "/reports/organisations/{}/committee"


def _table_rows(html: str) -> dict[str, list[str]]:
    """Return each body row of the first table: its heading -> its cells' text."""
    table = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    assert table is not None
    found = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S):
        head = re.search(r"<th[^>]*>(.*?)</th>", row, re.S)
        assert head is not None
        found[text_of(head.group(1)).strip()] = [
            text_of(cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
    return found


def test_a_lead_officer_gets_one_line_per_audience_and_a_total(app, world, login_as):
    with app.app_context():
        _invite(world.own.id, "invited.councillor@example.org", audience="councillor")
        _invite(world.other.id, "elsewhere@example.org", audience="councillor")
        db.session.commit()
    client = login_as(world.manager)
    html = page(client.get(URL.format(world.own.id)))
    assert "Figures for a committee paper" in html
    rows = _table_rows(html)
    # People, Completed, In progress, Not started, Overdue, Invited, not joined yet.
    assert rows == {
        "Councillors": ["1", "0 (0%)", "1", "0", "1", "1"],
        "Council officers": ["3", "1 (33%)", "0", "2", "1", "0"],
        "Affiliate members": ["1", "0 (0%)", "0", "1", "0", "0"],
        EVERYONE: ["5", "1 (20%)", "1", "3", "2", "1"],
    }
    assert "Olga Outsider" not in html
    # The dashboard links to it.
    dashboard_page = page(client.get(f"/reports/organisations/{world.own.id}"))
    assert URL.format(world.own.id) in dashboard_page


def test_each_line_has_the_dashboards_figures_for_that_audience(app, world):
    with app.app_context():
        from induction.accounts.models import Organisation, User

        manager = db.session.get(User, world.manager.id)
        own = db.session.get(Organisation, world.own.id)
        [table] = committee_tables(manager, own, today())
        for line in table.lines:
            audience = {
                "Councillors": "councillor",
                "Council officers": "officer",
                "Affiliate members": "affiliate",
            }.get(line.label)
            query = DashboardQuery(course=table.course, audience=audience)
            summary = dashboard(manager, own, query, today()).summary
            assert (line.counts.people, line.counts.by_status, line.counts.overdue) == (
                summary.people,
                summary.by_status,
                summary.overdue,
            ), line.label


def test_another_organisation_is_not_found_and_a_learner_is_refused(world, login_as):
    assert login_as(world.manager).get(URL.format(world.other.id)).status_code == 404
    assert login_as(world.partway).get(URL.format(world.own.id)).status_code == 403


def test_each_table_has_its_figures_in_one_sentence_with_those_not_joined(app, world, login_as):
    with app.app_context():
        _invite(world.own.id, "new.councillor@example.org", audience="councillor")
        _invite(world.own.id, "second.councillor@example.org", audience="councillor")
        db.session.commit()
        day = today()
    text = text_of(page(login_as(world.manager).get(URL.format(world.own.id))))
    # The dashboard's headline for everyone, then the people invited who have not joined.
    assert (
        f"1 of 5 people (20%) in Own Council has completed Basics, as of {day:%-d %B %Y}. "
        "2 more have been invited and not joined yet." in text
    )
    before_table = text.split("Basics: Own Council", 1)[0]
    assert "2 more have been invited and not joined yet." in before_table


class TestWithTheShippedCourses:
    """The course the reports open on (the CCIN induction) comes first, although Getting
    started is listed first."""

    @pytest.fixture
    def app(self, app_factory):
        return app_factory(COURSES_DIR=str(SHIPPED_COURSES))

    def test_the_course_the_reports_open_on_comes_first(self, app, make_org, login_as):
        own = make_org("Shipped Council")
        html = page(login_as(role="manager", organisation=own).get(URL.format(own.id)))
        captions = [text_of(c) for c in re.findall(r"<caption[^>]*>(.*?)</caption>", html, re.S)]
        assert [caption.split(":", 1)[0] for caption in captions] == [
            "CCIN induction",
            "Getting started with induction",
        ]
