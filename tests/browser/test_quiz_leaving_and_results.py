"""Leaving a quiz part-way and what its result says, in a real browser, by keyboard alone.

"Save and come back later" keeps the answers (with and without JavaScript) and "Continue
the quiz" shows them filled in; with JavaScript, leaving with answers not saved asks
first. A pass whose module is not complete lists the lessons still to mark complete; a
pass that completes the course offers the certificate; a wrong typed answer shows the
accepted one. Each page passes axe-core and does not scroll sideways at 320 px;
screenshots at 1280 and 375 px go to the artefacts.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from induction.accounts import people
from induction.accounts.models import Organisation
from induction.catalogue import get_catalogue
from induction.extensions import db
from induction.progress import services as progress
from induction.quizzes import services as quizzes
from tests.browser.harness import Site, plain_text
from tests.browser.keyboard import activate, choose, stay_on_leaving, type_into
from tests.browser.seed import GETTING_STARTED, JOURNEY_MODULE, PASSWORD, Person, right_answer
from tests.browser.test_journeys import (
    JAVASCRIPT,
    QUIZ_PATH,
    button,
    check_and_submit,
    check_page,
    link,
    suffix,
)

pytestmark = pytest.mark.browser

OTHER_MODULE = "quizzes-and-certificates"


def new_learner(site: Site, key: str, *, done_but_the_quiz: bool = False) -> Person:
    """Create a learner of the seeded council; with `done_but_the_quiz`, one who has done
    everything in the getting-started course but the journey's quiz."""
    with site.app.test_request_context(base_url=site.url):
        home = db.session.scalars(
            select(Organisation).where(Organisation.name == "Browser Borough Council")
        ).one()
        user = people.create_user(
            email=f"{key}@example.org",
            name="Pat Leaver",
            password=PASSWORD,
            role="learner",
            audience="councillor",
            organisation=home,
        )
        db.session.flush()
        if done_but_the_quiz:
            course = get_catalogue().course(GETTING_STARTED)
            assert course is not None
            for module in course.modules:
                for lesson in module.lessons_for(user.audience):
                    progress.complete_lesson(user, course, lesson, acknowledged=True)
            module = course.module(OTHER_MODULE)
            assert module is not None and module.quiz is not None
            attempt = quizzes.start_attempt(user, course, module, module.quiz)
            answers = {q.id: right_answer(q) for q in module.quiz.questions}
            progress.submit_quiz(user, course, attempt, attempt.submit_key, answers, 0)
        db.session.commit()
        person = Person(key=key, id=user.id, email=user.email, name=user.name, role=user.role)
        db.session.remove()
    return person


def answer(page: Page, site: Site, ids: list[str] | None = None, *, text: str = "") -> None:
    """Answer the journey quiz's questions (those in `ids`, else all) right, by keyboard;
    the typed answer is `text` when given."""
    quiz = site.quiz(GETTING_STARTED, JOURNEY_MODULE)
    for question in quiz.questions:
        if ids is not None and question.id not in ids:
            continue
        group = page.locator(f"#q-{question.id}")
        if question.type == "text":
            type_into(page, group, text or question.answers[0])
            continue
        for option in question.options:
            if option.is_correct:
                choose(page, group.get_by_label(plain_text(option.html), exact=True))


def look(page: Page, javascript: bool, where: str, shot: str | None = None) -> None:
    """axe-core, reflow at 320 px and screenshots (axe runs in the page: JavaScript only)."""
    if javascript:
        check_page(page, where, shot)


@JAVASCRIPT
def test_save_and_come_back_later_then_pass_with_lessons_left(site: Site, javascript: bool) -> None:
    person = new_learner(site, f"quiz-leaver-{suffix(javascript)}")
    context = site.new_context(javascript=javascript)
    page = context.new_page()
    dialogs = stay_on_leaving(page)
    try:
        site.sign_in(page, person, QUIZ_PATH)
        expect(page).to_have_url(re.compile(re.escape(QUIZ_PATH) + "$"))
        activate(page, button(page, "Start the quiz"))
        first_two = ["completion-rule", "acknowledgement-record"]
        answer(page, site, first_two)

        if javascript:
            # Leaving with answers not saved: the browser asks, and staying keeps them.
            with page.expect_event("dialog"):
                activate(page, page.get_by_role("link", name="My learning", exact=True))
            assert dialogs == ["beforeunload"]
            expect(page.locator("h1")).not_to_have_text("My learning")
            expect(page.get_by_label("In the completion rule on the module page")).to_be_checked()

        activate(page, button(page, "Save and come back later"))
        expect(page).to_have_url(re.compile(re.escape(QUIZ_PATH) + "$"))
        flashes = page.locator(".flashes")
        expect(flashes).to_contain_text("Your answers are saved: 2 of 4 questions answered.")
        expect(page.locator("#open-attempt")).to_contain_text(
            "Your answers to 2 of 4 questions are saved"
        )
        expect(page.locator("main table")).to_contain_text("2 of 4 answered, saved")
        look(page, javascript, "the quiz page after saving", "quiz-saved")

        # Away and back: My learning, then the quiz again.
        activate(page, page.get_by_role("link", name="My learning", exact=True))
        expect(page.locator("h1")).to_have_text("My learning")
        page.goto(QUIZ_PATH)
        activate(page, button(page, "Continue the quiz"))
        expect(page.locator(".notice")).to_contain_text("Your saved answers are filled in below")
        expect(page.get_by_label("In the completion rule on the module page")).to_be_checked()
        expect(page.get_by_label("The version of the lesson you read")).to_be_checked()
        expect(page.get_by_label("Your quiz answers")).not_to_be_checked()
        look(page, javascript, "the quiz with saved answers", "quiz-continue")

        answer(page, site, ["new-version", "help-link"], text="Help.")
        check_and_submit(page)
        expect(page.locator(".result-summary")).to_contain_text("Passed")
        assert dialogs == (["beforeunload"] if javascript else [])  # submitting never asks

        # The module is not complete: its lessons are listed, each a link.
        notice = page.get_by_role("region", name="Module not complete yet")
        expect(notice).to_contain_text("Mark these lessons complete:")
        lessons = notice.get_by_role("link")
        expect(lessons).to_have_count(3)
        expect(lessons.first).to_have_text("How a course works")
        look(page, javascript, "a pass with lessons left", "quiz-result-module-incomplete")
        activate(page, lessons.first)
        expect(page.locator("h1")).to_have_text("How a course works")
    finally:
        context.close()


def test_a_wrong_typed_answer_then_the_certificate(site: Site) -> None:
    person = new_learner(site, "quiz-finisher", done_but_the_quiz=True)
    context = site.new_context()
    page = context.new_page()
    try:
        site.sign_in(page, person, QUIZ_PATH)
        activate(page, button(page, "Start the quiz"))
        answer(page, site, text="Space")
        check_and_submit(page)
        question = page.locator("section.question").filter(has_text="Which link at the top")
        expect(question).to_contain_text("Wrong")
        expect(question).to_contain_text("Accepted answer")
        expect(question.locator("p.answer").last).to_have_text("Help")
        expect(question).to_contain_text(
            "Also accepted: “Help page”, “the Help page”, “Help link”, “the Help link”."
        )
        look(page, True, "a wrong typed answer", "quiz-result-accepted-answer")

        activate(page, button(page, "Try again"))
        answer(page, site)
        check_and_submit(page)
        notice = page.get_by_role("region", name=re.compile("^Course complete"))
        expect(notice).to_contain_text("Course complete: Getting started with induction")
        download = link(page, "Download your certificate (PDF)")
        look(page, True, "a pass that completes the course", "quiz-result-certificate")
        with page.expect_download() as download_info:
            activate(page, download)
        saved = download_info.value
        assert saved.suggested_filename.startswith(f"certificate-{GETTING_STARTED}-")
        with open(saved.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    finally:
        context.close()
