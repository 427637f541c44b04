"""The front page at `/`: what the site is, what it covers and how to join, for visitors who
are not signed in; and the network's names from configuration in the header and page titles."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from induction.catalogue import get_catalogue


def text(response) -> str:
    return response.get_data(as_text=True)


def title(response) -> str:
    found = re.search(r"<title>(.*?)</title>", text(response), re.S)
    assert found is not None
    return unescape(found.group(1))


def make_public(tree: Path, folder: str) -> None:
    course_md = tree / folder / "course.md"
    course_md.write_text(course_md.read_text().replace("\ntitle:", "\npublic: true\ntitle:", 1))


@pytest.fixture
def app(app_factory, tree):
    make_public(tree, "01-basics")
    make_public(tree, "02-drafty")  # a draft is never shown, public or not
    return app_factory(COURSES_DIR=str(tree))


def test_a_visitor_learns_what_the_site_is_and_who_it_is_for(client):
    response = client.get("/")
    assert response.status_code == 200
    page = unescape(text(response))
    assert "<h1>Welcome to the CCIN induction</h1>" in page
    assert "Co-operative Councils' Innovation Network (CCIN)" in page
    for who in ("new councillors", "council officers", "affiliate members of the CCIN"):
        assert who in page
    assert title(response) == "Welcome – CCIN induction"


def test_it_lists_only_the_published_courses_their_authors_made_public(client, tree):
    page = text(client.get("/"))
    assert "<h3>Basics</h3>" in page
    assert "A small course the web tests walk through." in page
    assert "Drafty" not in page  # public: true, but a draft

    make_public_off = tree / "01-basics" / "course.md"
    make_public_off.write_text(make_public_off.read_text().replace("public: true\n", ""))
    with client.application.app_context():
        get_catalogue().reload()
    page = text(client.get("/"))
    assert "Basics" not in page
    assert "You will see the courses for your role once you have signed in." in page


def test_it_says_how_to_get_an_account_and_where_to_sign_in(client):
    page = unescape(text(client.get("/")))
    assert "There are three ways to get one" in page
    assert "Open the email and follow its link" in page
    assert '<a href="/register">Create your account with the join code</a>' in page
    assert "Ask your council's lead officer to invite you." in page
    assert '<a href="mailto:comms@councils.coop">comms@councils.coop</a>' in page
    assert '<a class="button button--large" href="/login">Sign in</a>' in page


def test_without_join_codes_or_a_support_address_it_says_neither(app_factory, tree):
    client = app_factory(
        COURSES_DIR=str(tree), SELF_REGISTRATION_ENABLED=False, SUPPORT_EMAIL=None
    ).test_client()
    page = unescape(text(client.get("/")))
    assert "There are two ways to get one" in page
    assert "join code" not in page
    assert "mailto:" not in page
    assert "Ask your council's lead officer to invite you." in page


def test_signed_in_people_still_get_their_own_learning(login_as):
    response = login_as(role="learner").get("/")
    assert response.status_code == 200
    assert "<h1>My learning</h1>" in text(response)
    assert title(response) == "My learning – CCIN induction"


def test_the_names_come_from_configuration(app_factory, tree):
    client = app_factory(
        COURSES_DIR=str(tree),
        ORGANISATION_NAME="Northern Parish Forum",
        ORGANISATION_SHORT_NAME="NPF",
    ).test_client()
    response = client.get("/accessibility")
    assert title(response) == "Accessibility statement – NPF induction"
    header = text(response).split("</header>", 1)[0]
    assert ">NPF induction</a>" in header
    assert "Northern Parish Forum" in header
    named = app_factory(COURSES_DIR=str(tree), SITE_NAME="Learning hub").test_client()
    assert title(named.get("/accessibility")) == "Accessibility statement – Learning hub"


def test_a_visitor_is_offered_the_front_page_not_a_courses_link_that_asks_to_sign_in(client):
    html = client.get("/login").get_data(as_text=True)
    nav = html[html.index('aria-label="Main"') : html.index("</nav>")]
    assert 'href="/"' in nav and "About the induction" in nav
    assert "/courses/" not in nav
    front = client.get("/").get_data(as_text=True)
    front_nav = front[front.index('aria-label="Main"') : front.index("</nav>")]
    assert 'aria-current="page">About the induction' in front_nav
