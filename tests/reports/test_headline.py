"""The dashboard's headline: a sentence that keeps its meaning once copied into a paper."""

from __future__ import annotations

import pytest

from induction.reports.headline import Selection, headline, percent
from tests.quizzes.pages import page, text_of


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(0, 9, 0), (1, 3, 33), (2, 3, 67), (1, 8, 13), (5, 5, 100), (0, 0, 0)],
)
def test_percent_rounds_half_up(part, whole, expected):
    assert percent(part, whole) == expected


def _sentence(**changes) -> str:
    values = dict(
        complete=2, people=33, update_to_read=0, organisation="Own Council",
        course="CCIN induction", day="6 December 2026",
    )  # fmt: skip
    values.update(changes)
    return headline(**values)


def test_the_sentence_names_who_where_what_and_when():
    assert _sentence() == (
        "2 of 33 people (6%) in Own Council have completed CCIN induction, as of 6 December 2026."
    )
    chosen = Selection(people_words="councillors", intake="May 2026", search="smith")
    assert _sentence(complete=1, people=9, selection=chosen) == (
        "1 of 9 councillors (11%) in the intake “May 2026” of Own Council matching “smith” "
        "has completed CCIN induction, as of 6 December 2026."
    )
    assert _sentence(complete=0, people=1).startswith("0 of 1 person (0%) in Own Council have")
    assert _sentence(update_to_read=3).endswith(
        " 3 more (9%) have completed it before and have an updated lesson to read."
    )
    assert _sentence(update_to_read=1).endswith(
        " 1 more (3%) has completed it before and has an updated lesson to read."
    )
    assert _sentence(complete=0, people=0) == (
        "No people in Own Council for CCIN induction, as of 6 December 2026."
    )


def test_the_dashboard_shows_its_headline_for_the_people_chosen(world, login_as):
    client = login_as(world.manager)
    url = f"/reports/organisations/{world.own.id}"
    everyone = text_of(page(client.get(f"{url}?course=basics")))
    assert "Basics: at a glance" in everyone
    assert "1 of 5 people (20%) in Own Council has completed Basics, as of" in everyone
    councillors = text_of(page(client.get(f"{url}?course=basics&audience=councillor")))
    sentence = councillors.split("(who and search)", 1)[1].split("as of", 1)[0]
    assert sentence.strip() == "0 of 1 councillor (0%) in Own Council have completed Basics,"
    assert "Chase the people who have not finished Basics:" in everyone
