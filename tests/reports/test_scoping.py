"""A manager sees their own organisation only: every report URL, export and filter is scoped."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.quizzes.pages import page

OWN_URLS = [
    "/reports/organisations/{org}",
    "/reports/organisations/{org}?status=complete&q=Alice",
    "/reports/organisations/{org}?overdue=yes&sort=-progress&page=1",
    "/reports/organisations/{org}?course=basics&audience=officer",
    "/reports/organisations/{org}/export.csv",
    "/reports/organisations/{org}/export.csv?q=Alice",
    "/reports/organisations/{org}/modules.csv",
    "/reports/organisations/{org}/modules.csv?status=complete",
    "/reports/people/{person}",
    "/reports/people/{person}/record.csv",
    "/reports/people/{formula}",
]
ADMIN_URLS = [
    "/reports/network",
    "/reports/network?course=basics",
    "/reports/network.csv",
    "/reports/questions",
    "/reports/questions?course=basics",
    "/reports/questions.csv?course=basics",
]
SECRETS = ("Alice", "Bob Partway", "Own Council", "person", "HYPERLINK", "1 of 4", "5 of 5")


def _urls(world, urls):
    return [
        url.format(org=world.own.id, person=world.complete.id, formula=world.formula.id)
        for url in urls
    ]


def test_a_manager_of_another_council_gets_404_everywhere_and_learns_nothing(world, login_as):
    client = login_as(world.other_manager)
    for url in _urls(world, OWN_URLS):
        response = client.get(url)
        assert response.status_code == 404, url
        body = page(response)
        for secret in SECRETS:
            assert secret not in body, (url, secret)


def test_the_owning_manager_and_admins_see_the_same_urls(world, login_as):
    for user in (world.manager, world.admin):
        client = login_as(user)
        for url in _urls(world, OWN_URLS):
            assert client.get(url).status_code == 200, (user.role, url)


def test_network_and_questions_are_for_admins_only(world, login_as):
    admin = login_as(world.admin)
    for url in ADMIN_URLS:
        assert admin.get(url).status_code == 200, url
    for user in (world.manager, world.other_manager):
        client = login_as(user)
        for url in ADMIN_URLS:
            assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("who", ["learner", "anonymous"])
def test_learners_and_strangers_are_kept_out(world, login_as, app: Flask, who):
    client = login_as(world.partway) if who == "learner" else app.test_client()
    for url in ["/reports/", *_urls(world, OWN_URLS), *ADMIN_URLS, "/reports/invitations/import"]:
        response = client.get(url)
        if who == "learner":
            assert response.status_code == 403, url
        else:
            assert response.status_code == 302, url
            assert response.headers["Location"].startswith("/login?next=")


def test_a_manager_searching_their_own_dashboard_never_finds_other_councils(world, login_as):
    client = login_as(world.other_manager)
    own_board = f"/reports/organisations/{world.other.id}"
    html = page(client.get(own_board))
    assert "Olga Outsider" in html
    for q in ("Alice", world.complete.email, "Own Council", "@"):
        found = page(client.get(own_board, query_string={"q": q}))
        assert "Alice Complete" not in found
        exported = page(client.get(f"{own_board}/export.csv", query_string={"q": q}))
        assert "Alice" not in exported and world.complete.email not in exported
    counts = page(client.get(own_board))
    # Olga and the manager themself, nobody else
    assert '<span class="figure__number">2</span> <span class="figure__label">people' in counts


def test_the_network_counts_every_organisation_for_admins(world, login_as):
    html = page(login_as(world.admin).get("/reports/network"))
    assert "Own Council" in html and "Other Council" in html
    csv_text = page(login_as(world.admin).get("/reports/network.csv"))
    lines = csv_text.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("Organisation,Category,People")
    assert any(line.startswith("Own Council,Full member,5,2,1,0,0,2,20") for line in lines), lines
    assert any(line.startswith("Other Council,Full member,2,1,0,0,0,1,0") for line in lines), lines
    assert lines[-1].startswith("All organisations,,7,3,1,0,0,3,14")
