"""Exports are streamed: the header leaves before the rows are read, and the rows are read
from the database as they are sent, not gathered in memory first."""

from __future__ import annotations

import csv
import io

import pytest

from induction.csv_export import BOM
from induction.reports import services


def _export_urls(world) -> list[str]:
    return [
        f"/reports/organisations/{world.own.id}/export.csv",
        f"/reports/organisations/{world.own.id}/modules.csv",
        f"/reports/people/{world.partway.id}/record.csv",
        "/reports/network.csv",
    ]


def test_every_report_export_starts_with_its_header_alone(world, login_as, count_queries):
    client = login_as(world.admin)
    for url in [*_export_urls(world), "/reports/questions.csv"]:
        with count_queries() as counted:
            response = client.get(url, buffered=False)
            assert response.status_code == 200, url
            assert response.is_streamed, url
            chunks = iter(response.response)
            first = next(chunks)
            before = counted.count
            rest = b"".join(chunks)
            response.close()
        assert first.startswith(BOM), url
        assert first.count(b"\r\n") == 1, url  # the header line, nothing else yet
        assert rest.count(b"\r\n") >= 1, url
        if "record.csv" not in url:  # a person's record is small: read before the header
            assert counted.count > before, url  # the report's own queries ran after it


def test_the_dashboard_export_reads_its_rows_while_it_sends_them(
    app, world, login_as, make_user, count_queries, monkeypatch
):
    for n in range(30):
        make_user(organisation=world.own, name=f"Extra Person {n:02d}")
    monkeypatch.setattr(services, "STREAM_ROWS", 7)
    client = login_as(world.manager)
    url = f"/reports/organisations/{world.own.id}/export.csv"
    with count_queries() as counted:
        response = client.get(url, buffered=False)
        before = counted.count
        header = next(iter(response.response))
        assert counted.count == before  # the header needs no query
        body = b"".join(response.response)
        response.close()
        later = [sql for sql in counted.statements[before:] if not sql.startswith("BEGIN")]
        # The check for out-of-date statuses and the rows' one query, read as they are sent.
        assert len(later) == 2, later
        assert "ORDER BY" in later[-1]
    rows = list(csv.DictReader(io.StringIO((header + body).decode("utf-8-sig"))))
    assert len(rows) == 35  # the five people of the world's council and the thirty
    assert len({row["Email address"] for row in rows}) == 35
    buffered = client.get(url).get_data()
    assert buffered == header + body


@pytest.mark.parametrize("sort", ["name", "-progress", "activity"])
def test_the_streamed_rows_are_the_dashboards_rows_in_order(app, world, sort):
    from induction.catalogue import get_catalogue
    from induction.extensions import db
    from induction.progress.services import today

    with app.test_request_context():
        admin = db.session.merge(world.admin)
        organisation = db.session.merge(world.own)
        course = get_catalogue().courses_for(None)[0]
        query = services.DashboardQuery(
            course=course, sort=sort.lstrip("-"), descending=sort[0] == "-"
        )
        listed = services.dashboard_rows(admin, organisation, query, today())
        streamed = list(services.iter_dashboard_rows(admin, organisation, query, today()))
        page = services.dashboard(admin, organisation, query, today()).rows
    assert streamed == listed
    assert [row.user_id for row in streamed[: len(page)]] == [row.user_id for row in page]
