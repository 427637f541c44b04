"""Chasing the list the dashboard shows: "everyone not finished" as a reminder group, a
"Remind everyone in this list" button beside a filtered list that is exactly a group, and
the dashboard's own link to invite one person.

World: in "own", Bob Partway (in progress) and the formula person (not started) are
overdue, Cara New has not started (not overdue), Mona Manager (the officer) has not
started, Alice Complete has finished (see conftest.py).
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.quizzes.pages import page, text_of
from tests.reports.test_chasing import _reminders, _send, remind_url


def _dashboard(client, world, query: str = "") -> str:
    return page(client.get(f"/reports/organisations/{world.own.id}?course=basics{query}"))


def _remind_list_link(dashboard: str) -> dict[str, list[str]] | None:
    """Return the query of the "Remind everyone in this list" button (None: no button)."""
    found = re.search(r'id="remind-list">.*?<a class="button" href="([^"]+)"', dashboard, re.S)
    if found is None:
        return None
    return parse_qs(urlsplit(html.unescape(found.group(1))).query)


def test_everyone_not_finished_is_reminded_but_not_who_completed_nor_the_officer(
    app, world, login_as
):
    client = login_as(world.manager)
    url = remind_url(world, group="not_finished")
    preview = text_of(page(client.get(url)))
    assert "Remind everyone not finished" in preview
    assert "3 people will get this reminder" in preview
    assert "Alice Complete" not in preview.split("Already complete")[0]
    response = _send(client, url)
    assert response.status_code == 302
    assert sorted(address for address, _subject in _reminders(app)) == sorted(
        [world.partway.email, world.formula.email, world.new.email]
    )


def test_the_dashboard_offers_to_remind_everyone_not_finished(app, world, login_as):
    dashboard = _dashboard(login_as(world.manager), world)
    assert "group=not_finished" in dashboard
    assert "Remind everyone not finished" in text_of(dashboard)


@pytest.mark.parametrize(
    ("query", "group"),
    [
        ("&status=not_finished", "not_finished"),
        ("&overdue=yes", "overdue"),
        ("&status=not_started", "not_started"),
        ("&status=not_finished&audience=councillor", "not_finished"),
    ],
)
def test_a_filtered_list_that_is_a_group_can_be_reminded_in_one_go(
    app, world, login_as, query, group
):
    link = _remind_list_link(_dashboard(login_as(world.manager), world, query))
    assert link is not None
    assert link["group"] == [group]
    assert link["course"] == ["basics"]
    if "audience=councillor" in query:
        assert link["audience"] == ["councillor"]  # the group keeps the dashboard's filters


@pytest.mark.parametrize(
    "query",
    ["", "&status=in_progress", "&status=not_started&overdue=yes", "&status=complete"],
)
def test_no_button_when_the_list_is_not_exactly_a_group(app, world, login_as, query):
    assert _remind_list_link(_dashboard(login_as(world.manager), world, query)) is None


def test_the_button_reminds_exactly_the_people_listed(app, world, login_as):
    client = login_as(world.manager)
    link = _remind_list_link(_dashboard(client, world, "&status=not_finished&audience=affiliate"))
    assert link is not None
    url = remind_url(world, **{key: values[0] for key, values in link.items()})
    _send(client, url)
    assert [address for address, _subject in _reminders(app)] == [world.new.email]


def test_the_dashboard_links_to_inviting_one_person(app, world, login_as):
    dashboard = _dashboard(login_as(world.manager), world)
    assert re.search(r'<a href="/admin/people/invite">Invite someone</a>', dashboard)


def test_each_figure_opens_its_list_where_the_list_and_its_reminder_button_start(world, login_as):
    """A figure (such as "2 overdue") opens its people where the list starts, so on a phone
    the count and "Remind everyone in this list" are on screen, not scrolled past."""
    client = login_as(world.manager)
    dashboard = _dashboard(client, world)
    figures = re.findall(r'<li class="figure [^"]*"><a href="([^"]+)"', dashboard)
    assert len(figures) >= 6
    assert all(html.unescape(href).endswith("#people") for href in figures), figures
    overdue = next(html.unescape(h) for h in figures if "overdue=yes" in h)
    listed = page(client.get(overdue.split("#")[0])).split('<div id="people">', 1)[1]
    assert text_of(listed).startswith("2 people match the filters:")
    link = _remind_list_link(listed)
    assert link is not None and link["group"] == ["overdue"]
    assert listed.index('id="remind-list"') < listed.index('id="people-caption"')
