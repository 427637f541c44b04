"""The reports run a bounded number of SQL queries whatever the number of people.

A thousand people in one organisation (and a hundred in the others), made by the demo
data generator: the dashboard, its exports, the network overview and the difficult
questions run no more queries than with a handful of people. A thousand is enough to
show it (twenty pages, an export read in two batches of STREAM_ROWS); how long the pages
take for 5,000 people is the benchmark's to measure (tests/benchmarks/run.py).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from induction.accounts.models import Organisation, User
from induction.devdata import generate
from induction.extensions import db
from tests.factories import TEST_PASSWORD

# Finding the signed-in person (session record and person in one), the organisation, the
# audit entry of an export, the report's own statement, and on SQLite the BEGIN.
LIMIT = 6


def _manager_of_biggest(app) -> tuple[User, int]:
    with app.app_context():
        org_id, _size = db.session.execute(
            select(User.organisation_id, func.count())
            .group_by(User.organisation_id)
            .order_by(func.count().desc())
        ).first()
        manager = db.session.scalar(
            select(User).where(User.organisation_id == org_id, User.role == "manager")
        )
        db.session.expunge(manager)
        return manager, org_id


STATEMENTS: dict[str, list[str]] = {}  # each URL's statements, last run: shown on a failure


def _counts(client, urls, count_queries) -> dict[int, int]:
    found = {}
    # The session records a visit every SESSION_TOUCH_SECONDS (two statements more): let
    # it happen now, not in a counted request, however long making the data took.
    assert client.get("/").status_code == 200
    for url in urls:
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        response.get_data()
        found[len(found)] = counter.count  # by position: the org ids differ between runs
        STATEMENTS[url] = [statement[:120] for statement in counter.statements]
    return found


def _report_urls(org_id: int) -> list[str]:
    base = f"/reports/organisations/{org_id}"
    return [
        base,
        f"{base}?sort=-progress",
        f"{base}?status=in_progress&overdue=yes",
        f"{base}?status=invited",
        f"{base}/export.csv",
        f"{base}/modules.csv",
    ]


ADMIN_URLS = [
    "/reports/network",
    "/reports/network.csv",
    "/reports/questions",
    "/reports/questions.csv",
]


@pytest.mark.slow
def test_reports_for_a_thousand_people_run_as_few_queries_as_for_a_handful(
    app, login_as, make_user, count_queries
):
    admin = login_as(make_user(role="admin"))
    with app.app_context():
        generate(organisations=3, people=12, seed=11, password=TEST_PASSWORD)
        db.session.commit()
    manager, org_id = _manager_of_biggest(app)
    client = login_as(manager)
    few = _counts(client, _report_urls(org_id), count_queries)
    few_admin = _counts(admin, ADMIN_URLS, count_queries)
    few_statements = dict(STATEMENTS)

    with app.app_context():
        summary = generate(
            organisations=4, people=1100, big_organisation=1000, seed=12, password=TEST_PASSWORD
        )
        db.session.commit()
        assert summary.attempts > 200 and summary.lesson_completions > 1000
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == 7
    manager, org_id = _manager_of_biggest(app)
    client = login_as(manager)
    html = client.get(f"/reports/organisations/{org_id}").get_data(as_text=True)
    assert "1000 people" in html and "Page 1 of 20" in html
    many = _counts(client, _report_urls(org_id), count_queries)
    many_admin = _counts(admin, ADMIN_URLS, count_queries)

    # Never more queries with a thousand people (a filter that matches nobody costs one more
    # query, for the counts, so the handful may even need more).
    assert all(many[key] <= few[key] for key in few), (few, many)
    assert many_admin == few_admin, (few_statements, STATEMENTS)
    assert max(many.values()) <= LIMIT, many
    assert max(many_admin.values()) <= LIMIT, many_admin
    exported = client.get(f"/reports/organisations/{org_id}/export.csv").get_data(as_text=True)
    assert len(exported.strip().splitlines()) == 1001  # the header and every person
