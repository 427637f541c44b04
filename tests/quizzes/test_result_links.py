"""The result offers each lesson section once per question, and a scenario's chosen best
answer reads as one remark, not two brackets in a row."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SHIPPED_COURSES
from tests.quizzes.pages import take, text_of

QUIZ = "/courses/ccin-induction/modules/co-operative-difference/quiz"
PARK_BEST = "Ask officers to bring residents in to shape the plan while choices are open"
RIGHT = {
    "difference-summary": (
        "The council works with local people as equal partners, guided by co-op values"
    ),
    "why-own-principles": (
        "Because councils are not co-ops in law, so the principles had to fit councils"
    ),
    "action-not-form": "False",
    "six-values": ["Self-help", "Solidarity", "Equity"],
    "equal-partnership": {"text": "equal"},
    "member-control": "Democratic member control",
    "showing-difference": [
        "With an icon for each of its ten principles",
        'With a "Principles met" list on case studies',
    ],
    "park-plan": PARK_BEST,
}


@pytest.fixture
def app(app_factory):
    return app_factory(COURSES_DIR=str(SHIPPED_COURSES))


def sections(html: str) -> list[str]:
    return re.findall(r'<section class="question [^"]*".*?</section>', html, re.DOTALL)


def test_a_section_the_explanation_links_to_is_not_offered_again_below_it(login_as):
    html = take(login_as(audience="councillor"), RIGHT, QUIZ)
    found = sections(html)
    assert len(found) == 8
    for section in found:
        hrefs = re.findall(r'href="(/courses/[^"]+)"', section)
        assert hrefs, section  # each explanation still leads back to its lesson
        assert len(hrefs) == len(set(hrefs)), hrefs  # and to each section once


def test_the_chosen_best_answer_of_a_scenario_is_one_remark(login_as):
    text = text_of(take(login_as(audience="councillor"), RIGHT, QUIZ))
    assert f"If you choose “{PARK_BEST}” (your choice, and the best one):" in text
    assert "(your choice) (the best choice)" not in text
