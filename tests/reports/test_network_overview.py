"""The network overview: the chart first, sorted by name, completion rate or overdue,
filtered by category, and the organisations with no one yet folded into one line."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from induction.accounts.models import Organisation
from induction.accounts.organisations import retire_organisation
from induction.extensions import db
from tests.quizzes.pages import page, text_of
from tests.reports.test_dashboard import csv_rows


@pytest.fixture
def network(world, make_org, make_user):
    """Besides own (1 of 5 complete, 2 overdue) and other (0 of 2, 1 overdue): an
    affiliate with one person who has just started, and two organisations with no one."""
    friends = make_org("Friends Co-op", category="affiliate")
    make_user(organisation=friends, name="Fay Friend", audience="affiliate")
    make_org("Empty Parish", category="associate")
    make_org("Another Empty", category="full_member")
    return world


def _names(html: str) -> list[str]:
    body = html.split('id="network-caption"', 1)[1].split("</tbody>", 1)[0]
    return [text_of(name) for name in re.findall(r'<th scope="row"><a [^>]*>(.*?)</a>', body)]


def test_the_chart_comes_first_and_empty_organisations_fold_into_one_line(network, login_as):
    html = page(login_as(network.admin).get("/reports/network?course=basics"))
    assert html.index('id="organisations-chart"') < html.index('id="network-caption"')
    assert _names(html) == ["Friends Co-op", "Other Council", "Own Council"]
    fold = text_of(html.split('id="no-one-yet"', 1)[1].split("</details>", 1)[0])
    assert "2 organisations with no one yet" in fold
    assert "Another Empty" in fold and "Empty Parish" in fold


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("name", ["Friends Co-op", "Other Council", "Own Council"]),
        ("overdue", ["Own Council", "Other Council", "Friends Co-op"]),
        ("rate", ["Own Council", "Friends Co-op", "Other Council"]),  # ties by name
        ("-rate", ["Friends Co-op", "Other Council", "Own Council"]),
    ],
)
def test_sorted_by_name_overdue_or_rate_on_the_page_and_in_the_csv(network, login_as, sort, order):
    client = login_as(network.admin)
    assert _names(page(client.get(f"/reports/network?course=basics&sort={sort}"))) == order
    rows = csv_rows(client.get(f"/reports/network.csv?course=basics&sort={sort}"))
    assert [row["Organisation"] for row in rows[: len(order)]] == order
    assert rows[-1]["Organisation"] == "All organisations"


def test_filtered_by_category_with_totals_of_that_category(network, login_as):
    html = page(login_as(network.admin).get("/reports/network?course=basics&category=affiliate"))
    assert _names(html) == ["Friends Co-op"]
    assert "1 person in 1 organisation (affiliates): 0 started, 0 complete (0%)" in text_of(html)
    assert 'id="no-one-yet"' not in html
    empty = page(login_as(network.admin).get("/reports/network?course=basics&category=associate"))
    assert "No one has joined these organisations yet." in text_of(empty)


def test_an_unknown_order_or_category_is_shown_and_ignored(network, login_as):
    html = page(login_as(network.admin).get("/reports/network?course=basics&sort=x&category=y"))
    text = text_of(html)
    assert "Choose an order from the list" in text and "Choose a category from the list" in text
    assert _names(html) == ["Friends Co-op", "Other Council", "Own Council"]


def test_managers_may_not_open_the_overview(network, login_as):
    assert login_as(network.manager).get("/reports/network?sort=rate").status_code == 403


def test_retired_organisations_are_left_out_of_the_overview(network, app, login_as):
    with app.app_context():
        for name in ("Friends Co-op", "Empty Parish"):
            org = db.session.scalar(select(Organisation).where(Organisation.name == name))
            retire_organisation(org, actor=None)
        db.session.commit()
    html = page(login_as(network.admin).get("/reports/network?course=basics"))
    assert _names(html) == ["Other Council", "Own Council"]
    fold = text_of(html.split('id="no-one-yet"', 1)[1].split("</details>", 1)[0])
    assert "Another Empty" in fold
    assert "Empty Parish" not in fold
