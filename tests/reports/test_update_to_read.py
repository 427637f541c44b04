"""'Update to read' in the reports: people who completed the course and have a raised lesson
version to read are counted and listed apart from those who never finished, everywhere."""

from __future__ import annotations

import pytest

from induction.progress.status import Status
from induction.progress.status_query import STATUS_CODES, UPDATE_TO_READ
from tests.quizzes.pages import page, text_of
from tests.reports.test_dashboard import csv_rows, dashboard_url, rows_of
from tests.reports.test_summary import _figures, _listed


@pytest.fixture
def app(app_factory, tree):
    return app_factory(COURSES_DIR=str(tree))


@pytest.fixture
def bumped(world, tree):
    """The world after the rules lesson went from version 2 to 3: Alice, who completed the
    course at version 2, has an update to read."""
    rules = tree / "01-basics" / "01-first-steps" / "02-rules.md"
    rules.write_text(rules.read_text().replace("version: 2", "version: 3"))
    return world


def test_the_status_has_its_own_code_and_label():
    assert STATUS_CODES[Status.UPDATE_TO_READ] == UPDATE_TO_READ
    assert len(set(STATUS_CODES.values())) == len(Status)


def test_the_dashboard_counts_update_to_read_apart_and_its_link_lists_them(bumped, login_as):
    client = login_as(bumped.manager)
    html = page(client.get(dashboard_url(bumped)))
    figures = {key: number for key, (number, _link) in _figures(html).items()}
    assert figures["update-to-read"] == 1
    assert figures["complete"] == 0
    assert figures["in-progress"] == 1  # Bob, who never finished, stays apart
    number, link = _figures(html)["update-to-read"]
    listed = _listed(page(client.get(link)))
    assert len(listed) == number
    assert listed[0].startswith("Alice Complete")
    alice = text_of(html).split("Alice Complete", 1)[1].split("Bob Partway", 1)[0]
    assert "Update to read" in alice
    filtered = text_of(page(client.get(dashboard_url(bumped, status="update_to_read"))))
    assert "with an update to read" in filtered
    assert rows_of(page(client.get(dashboard_url(bumped, status="update_to_read")))) == [
        "Alice Complete"
    ]


def test_the_export_says_update_to_read(bumped, login_as):
    client = login_as(bumped.manager)
    exported = csv_rows(client.get(dashboard_url(bumped, "/export.csv")))
    statuses = {row["Name"].removeprefix("'"): row["Status"] for row in exported}
    assert statuses["Alice Complete"] == "Update to read"
    assert statuses["Bob Partway"] != "Update to read"
    only = csv_rows(client.get(dashboard_url(bumped, "/export.csv", status="update_to_read")))
    assert [row["Name"] for row in only] == ["Alice Complete"]


def test_before_the_raise_the_same_person_is_complete(world, login_as):
    client = login_as(world.manager)
    figures = {k: n for k, (n, _l) in _figures(page(client.get(dashboard_url(world)))).items()}
    assert (figures["complete"], figures["update-to-read"]) == (1, 0)


def test_the_network_overview_counts_update_to_read_apart(bumped, login_as):
    client = login_as(bumped.admin)
    rows = {
        row["Organisation"]: row
        for row in csv_rows(client.get("/reports/network.csv?course=basics"))
    }
    assert rows["Own Council"]["Update to read"] == "1"
    assert rows["Own Council"]["Complete"] == "0"
    assert rows["Other Council"]["Update to read"] == "0"
    assert "1 with an update to read" in text_of(page(client.get("/reports/network?course=basics")))
