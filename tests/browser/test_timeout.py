"""Session time-outs (WCAG 2.2.1 Timing Adjustable) in a real browser.

Sessions end after SESSION_IDLE_HOURS without use, at least 20 hours, so no warning is
needed. And when a session has ended anyway (idle, signed out elsewhere, cookies
cleared) or the form's CSRF token no longer matches, a quiz loses none of its
answers: with or without JavaScript, they come back after signing in again.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import Site, plain_text
from tests.browser.seed import GETTING_STARTED, JOURNEY_MODULE
from tests.browser.server import PROJECT_ROOT

pytestmark = pytest.mark.browser

QUIZ_PATH = f"/courses/{GETTING_STARTED}/modules/{JOURNEY_MODULE}/quiz"
TEXT_ANSWER = "Help"


def test_sessions_last_at_least_20_hours_and_the_statement_says_so(site: Site) -> None:
    hours = site.config("SESSION_IDLE_HOURS")
    assert float(hours) >= 20
    context = site.new_context()
    page = context.new_page()
    try:
        page.goto("/accessibility")
        expect(page.locator("main")).to_contain_text(f"{hours:g} hours")
    finally:
        context.close()
    guide = (PROJECT_ROOT / "docs" / "accessibility.md").read_text()
    assert "20 hours" in guide


def test_a_person_away_for_19_hours_is_still_signed_in_and_after_the_limit_is_not(
    site: Site,
) -> None:
    person = site.person("idle-learner")
    context = site.new_context(person=person)
    page = context.new_page()
    try:
        page.goto("/")
        expect(page.locator("h1")).to_have_text("My learning")
        site.make_idle(person, hours=19)
        page.reload()
        expect(page.locator("h1")).to_have_text("My learning")
        site.make_idle(person, hours=float(site.config("SESSION_IDLE_HOURS")) + 0.1)
        page.reload()  # signed out: the front page, with its way to sign in
        expect(page.locator("h1")).to_have_text("Welcome to the CCIN induction")
        page.goto("/my/record")
        expect(page).to_have_url(re.compile(r"/login\?next="))
    finally:
        context.close()


def start_and_answer(site: Site, page: Page) -> tuple[str, str]:
    """Start the quiz and answer two questions; return the option chosen and the text typed."""
    page.goto(QUIZ_PATH)
    page.locator("main").get_by_role("button", name="Start the quiz").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    quiz = site.quiz(GETTING_STARTED, JOURNEY_MODULE)
    first = quiz.questions[0]
    option = plain_text(next(o for o in first.options if o.is_correct).html)
    page.locator(f"#q-{first.id}").get_by_label(option, exact=True).check()
    text_question = next(q for q in quiz.questions if q.type == "text")
    page.locator(f"#q-{text_question.id}").fill(TEXT_ANSWER)
    return option, text_question.id


def assert_answers_back(site: Site, page: Page, option: str, text_id: str) -> None:
    """Fail unless the attempt page shows the kept answers, filled in, with its notice."""
    quiz = site.quiz(GETTING_STARTED, JOURNEY_MODULE)
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    expect(page.locator("[role=alert]").first).to_contain_text("We have kept them")
    expect(
        page.locator(f"#q-{quiz.questions[0].id}").get_by_label(option, exact=True)
    ).to_be_checked()
    expect(page.locator(f"#q-{text_id}")).to_have_value(TEXT_ANSWER)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("how", ["ended", "cookies", "submit"])
def test_answers_survive_a_session_that_ended_on_a_quiz(
    site: Site, javascript: bool, how: str
) -> None:
    """ended: the server ended the session; cookies: the browser lost them; submit: the
    session ended on the check page, at the final submit."""
    person = site.person(f"timeout-{'js' if javascript else 'nojs'}-{how}")
    context = site.new_context(javascript=javascript)
    page = context.new_page()
    try:
        site.sign_in(page, person)
        option, text_id = start_and_answer(site, page)
        main = page.locator("main")
        if how == "submit":
            main.get_by_role("button", name="Check your answers").click()
            expect(page).to_have_url(re.compile(r"/check$"))
        if how == "cookies":
            context.clear_cookies()
        else:
            assert site.end_sessions(person) >= 1
        button = "Submit answers" if how == "submit" else "Check your answers"
        main.get_by_role("button", name=button).click()

        expect(page).to_have_url(re.compile(r"/login\?next="))
        expect(page.locator(".flashes")).to_contain_text("your answers have been kept")
        site.sign_in_here(page, person)
        assert_answers_back(site, page, option, text_id)

        # Nothing was lost or doubled: the kept answers go on to a result.
        main.get_by_role("button", name="Check your answers").click()
        main.get_by_role("button", name="Submit answers").click()
        expect(page.locator(".result-summary")).to_contain_text("You scored 2 of 4")
    finally:
        context.close()


def test_answers_survive_an_expired_form_token(site: Site) -> None:
    person = site.person("timeout-js-csrf")
    context = site.new_context()
    page = context.new_page()
    try:
        site.sign_in(page, person)
        option, text_id = start_and_answer(site, page)
        # The session lives on, but this form's CSRF token is no longer valid.
        page.locator("main input[name=csrf_token]").evaluate("input => { input.value = 'expired' }")
        page.locator("main").get_by_role("button", name="Check your answers").click()
        assert_answers_back(site, page, option, text_id)
        expect(page.locator("[role=alert]").first).to_contain_text("the page had expired")
    finally:
        context.close()
