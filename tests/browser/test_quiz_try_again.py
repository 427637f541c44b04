"""Trying a quiz again, in a real browser, by keyboard alone: the questions answered wrong
last time say so in words beside them, and the top of the quiz says how many.

A first attempt shows no marks; after a fail, "Try again" opens an attempt whose page
marks exactly the questions wrong last time (unanswered ones included), each mark read
with its question by screen readers. The page passes axe-core and does not scroll
sideways at 320 px; screenshots at 1280 and 375 px go to the artefacts.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import Site
from tests.browser.keyboard import activate
from tests.browser.test_journeys import QUIZ_PATH, button, check_and_submit, check_page
from tests.browser.test_quiz_leaving_and_results import answer, new_learner

pytestmark = pytest.mark.browser

MARK = "You got this one wrong last time."
ANSWERED = ["completion-rule", "acknowledgement-record"]  # right; the other two left out
LEFT_OUT = ["new-version", "help-link"]


def marks(page: Page) -> list[str]:
    """Return the ids of the questions marked as wrong last time, in page order."""
    ids = page.locator(".question__last-time").evaluate_all("ps => ps.map(p => p.id)")
    return [mark.removeprefix("q-").removesuffix("-last") for mark in ids]


def test_try_again_marks_the_questions_wrong_last_time(site: Site) -> None:
    person = new_learner(site, "quiz-retrier")
    context = site.new_context()
    page = context.new_page()
    try:
        site.sign_in(page, person, QUIZ_PATH)
        activate(page, button(page, "Start the quiz"))
        expect(page.locator("h1")).to_be_visible()
        assert marks(page) == []  # a first attempt marks nothing
        expect(page.locator("#last-time")).to_have_count(0)

        answer(page, site, ANSWERED)
        check_and_submit(page)
        expect(page.locator(".result-summary")).to_contain_text("Not passed")
        activate(page, button(page, "Try again"))

        expect(page.locator("#last-time")).to_have_text(
            "Last time you got 2 of 4 wrong; they are marked below."
        )
        assert marks(page) == LEFT_OUT
        for question_id in LEFT_OUT:
            mark = page.locator(f"#q-{question_id}-last")
            expect(mark).to_have_text(MARK)
            expect(mark).to_be_visible()
            # Screen readers hear it with the question: it describes the question's box.
            described = page.locator(f"[aria-describedby~='q-{question_id}-last']")
            expect(described).to_have_count(1)
            expect(described).to_have_attribute("id", f"q-{question_id}")
        # Last time's answers are not filled in, and no right answer is given away.
        expect(page.locator("main input:checked")).to_have_count(0)
        expect(page.locator("main")).not_to_contain_text("Review:")
        check_page(page, "a quiz tried again", "quiz-try-again-marked")
    finally:
        context.close()
