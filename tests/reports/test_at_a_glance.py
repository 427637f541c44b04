"""My learning starts, for a lead officer, with how their council is doing in the course the
reports open on, and for an admin with the network's figures; learners see no such box."""

from __future__ import annotations

import re

from tests.quizzes.pages import page, text_of


def glance_of(client) -> str:
    """Return the words of My learning's box of figures ("" when there is none)."""
    html = page(client.get("/"))
    found = re.search(r'<section class="notice at-a-glance".*?</section>', html, re.S)
    return text_of(found.group(0)) if found else ""


def test_a_lead_officer_sees_their_council_and_the_way_to_its_report(world, login_as):
    client = login_as(world.manager)
    html = page(client.get("/"))
    assert glance_of(client) == (
        "Your council: Own Council "
        "1 of 5 people (20%) has completed Basics; 2 are overdue . "
        "See who has finished and remind the rest"
    )
    assert "<strong>2 are overdue</strong>." in html
    link = f'href="/reports/organisations/{world.own.id}?course=basics"'
    assert f"{link}>See who has finished and remind the rest</a>" in html
    # The figures are the dashboard's own.
    dashboard = text_of(page(client.get(f"/reports/organisations/{world.own.id}")))
    assert "5 people 1 complete" in dashboard and "2 overdue" in dashboard


def test_another_councils_lead_officer_sees_only_their_own(world, login_as):
    words = glance_of(login_as(world.other_manager))
    assert words.startswith("Your council: Other Council")
    assert "Own Council" not in words


def test_an_admin_sees_the_networks_figures_as_the_overview_totals_them(world, login_as):
    client = login_as(world.admin)
    words = glance_of(client)
    overview = text_of(page(client.get("/reports/network?course=basics")))
    people, started, complete, update, overdue = re.search(
        r"All organisations (\d+) (\d+) (\d+) (\d+) (\d+)", overview
    ).groups()
    assert words.startswith(f"The network {complete} of {people} people")
    assert f"{overdue} are overdue" in words
    assert 'href="/reports/network?course=basics"' in page(client.get("/"))


def test_learners_see_no_figures(world, login_as):
    for person in (world.complete, world.partway):
        assert glance_of(login_as(person)) == ""
