"""'Due for renewal' in the reports: people whose completion has run out (`renew:` in
course.md) are counted and listed apart, in the dashboard, its exports and the network."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from induction.catalogue import get_catalogue
from induction.extensions import db
from induction.mail import QueuedEmail
from induction.progress.status_rewrite import refresh
from tests.quizzes.pages import page, text_of
from tests.reports.helpers import renewing
from tests.reports.test_chasing import _send, remind_url
from tests.reports.test_dashboard import csv_rows, dashboard_url, rows_of
from tests.reports.test_summary import _figures, _listed


@pytest.fixture
def app(app_factory, tree):
    renewing(tree)
    return app_factory(COURSES_DIR=str(tree))


@pytest.mark.parametrize("stored", [False, True], ids=["from records", "stored"])
def test_the_dashboard_counts_due_for_renewal_apart_and_its_link_lists_them(
    app, lapsed, login_as, stored
):
    if stored:
        with app.app_context():
            refresh(get_catalogue().course("basics"))
    client = login_as(lapsed.manager)
    html = page(client.get(dashboard_url(lapsed)))
    figures = _figures(html)
    assert list(figures) == [
        "people",
        "complete",
        "update-to-read",
        "due-for-renewal",
        "in-progress",
        "not-started",
        "overdue",
        "invited",
    ]
    numbers = {key: number for key, (number, _link) in figures.items()}
    assert (numbers["due-for-renewal"], numbers["complete"], numbers["overdue"]) == (1, 0, 2)
    # Every figure, this one included, lists exactly the people it counts.
    for key, (number, link) in figures.items():
        assert len(_listed(page(client.get(link)))) == number, key
    alice = text_of(html).split("Alice Complete", 1)[1].split("Bob Partway", 1)[0]
    assert "Due for renewal" in alice and "Overdue" not in alice
    filtered = page(client.get(dashboard_url(lapsed, status="due_for_renewal")))
    assert rows_of(filtered) == ["Alice Complete"]
    assert "1 due for renewal" in text_of(filtered)


def test_the_exports_say_due_for_renewal(lapsed, login_as):
    client = login_as(lapsed.manager)
    exported = csv_rows(client.get(dashboard_url(lapsed, "/export.csv")))
    statuses = {row["Name"].removeprefix("'"): row["Status"] for row in exported}
    assert statuses["Alice Complete"] == "Due for renewal"
    assert statuses["Bob Partway"] == "In progress"
    only = csv_rows(client.get(dashboard_url(lapsed, "/export.csv", status="due_for_renewal")))
    assert [row["Name"] for row in only] == ["Alice Complete"]


def test_the_network_overview_counts_due_for_renewal_apart(lapsed, login_as):
    client = login_as(lapsed.admin)
    rows = {
        row["Organisation"]: row
        for row in csv_rows(client.get("/reports/network.csv?course=basics"))
    }
    assert rows["Own Council"]["Due for renewal"] == "1"
    assert rows["Own Council"]["Complete"] == "0"
    assert rows["Other Council"]["Due for renewal"] == "0"
    overview = text_of(page(client.get("/reports/network?course=basics")))
    assert "1 due for renewal" in overview


def test_a_recent_completion_is_complete(world, login_as):
    client = login_as(world.manager)
    figures = {k: n for k, (n, _l) in _figures(page(client.get(dashboard_url(world)))).items()}
    assert (figures["complete"], figures["due-for-renewal"]) == (1, 0)


def test_an_officer_reminds_everyone_due_for_renewal(app, lapsed, login_as):
    client = login_as(lapsed.manager)
    dashboard = page(client.get(dashboard_url(lapsed)))
    assert "Remind everyone due for renewal" in dashboard
    url = remind_url(lapsed, group="due_for_renewal")
    preview = text_of(page(client.get(url)))
    assert "Remind everyone due for renewal" in preview
    assert "1 person will get this reminder" in preview
    assert "Alice Complete" in preview and "Bob Partway" not in preview
    assert "Reminder: please renew Basics" in preview
    assert "asks you to renew your course" in preview
    _send(client, url)
    _send(client, url)  # a second send inside the throttle reminds nobody
    with app.app_context():
        sent = db.session.scalars(
            select(QueuedEmail.to_address).where(
                QueuedEmail.subject == "Reminder: please renew Basics"
            )
        ).all()
    assert sent == [lapsed.complete.email]


def test_a_complete_person_is_not_reminded_to_renew(world, login_as):
    client = login_as(world.manager)
    preview = text_of(page(client.get(remind_url(world, person=[world.complete.id]))))
    assert "Already complete: 1" in preview
