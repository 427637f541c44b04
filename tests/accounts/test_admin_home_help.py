"""Admin home answers the admin's everyday questions, each with a link to where it is done."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def home(login_as) -> str:
    return login_as(role="admin").get("/admin/").get_data(as_text=True)


def help_section(page: str) -> str:
    match = re.search(r'<section aria-labelledby="how-do-i".*?</section>', page, re.DOTALL)
    assert match, "no How do I section"
    return match.group(0)


@pytest.mark.parametrize(
    "question",
    [
        "Fix a typo in a lesson",
        "Add a lesson with a picture",
        "Change a quiz question or its right answer",
        "Put lessons or modules in another order",
        "See a course as a councillor or an officer would",
        "Publish at a set time",
        "Add a member council and its lead officer",
        "See how every council is doing",
    ],
)
def test_admin_home_answers_each_everyday_question(home, question):
    assert f"<dt>{question}</dt>" in help_section(home)


def test_the_answers_link_to_the_pages_where_the_work_is_done(home):
    section = help_section(home)
    for href in ("/admin/courses/", "/admin/organisations", "/reports/network"):
        assert f'href="{href}"' in section
    # The network overview has its own card too, beside Course files and People.
    assert '<h2><a href="/reports/network">Network overview</a></h2>' in home
