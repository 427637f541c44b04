"""The quiz builder by keyboard alone: a quiz with a question of every type, built and saved.

Every step is Tab, Shift+Tab, Enter, Space or typing (see tests/browser/keyboard.py). The
page is checked by axe-core and for sideways scrolling at 320 px when empty, with errors
and filled in; screenshots at 1280 and 375 px go to the artifacts folder.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import Site
from tests.browser.keyboard import activate, choose, pick, press, type_into
from tests.browser.test_journeys import check_page

pytestmark = pytest.mark.browser

FOLDER = "01-ccin-induction"
MODULE = "05-appendix"
DISCARD_QUIZ = "Discard the new quiz of “Appendix: about the figures”"


def button(page: Page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def field(page: Page, question: int, name: str, option: int | None = None):
    """Return a question's field by its id (0-based indexes, as the form names them)."""
    if option is None:
        return page.locator(f"#questions-{question}-{name}")
    return page.locator(f"#questions-{question}-options-{option}-{name}")


def right_answer(page: Page, question: int, option: int):
    """Return the radio button that makes an option the right answer of a question with one
    (0-based indexes): such a question's right answer is a choice of one."""
    return page.locator(f"#questions-{question}-right-{option}")


def add_question(page: Page, number: int, prompt: str, kind: str | None) -> int:
    """Add question `number` (1-based), write its prompt and choose its type; return its index."""
    activate(page, button(page, "Add a question"))
    expect(page.locator(f"#question-{number}")).to_be_visible()
    index = number - 1
    type_into(page, field(page, index, "prompt"), prompt)
    if kind:
        pick(page, field(page, index, "type"), kind)
        activate(page, button(page, f"Change the type of question {number}"))
        expect(field(page, index, "type")).to_have_value(re.compile(".+"))
    return index


def check_folded_questions(page: Page) -> None:
    """Check the saved quiz shows each question closed, as a line saying what it is, and that
    a question opens and closes again by keyboard."""
    expect(page.locator(".qb-fold")).to_have_count(5)
    expect(page.locator(".qb-fold[open]")).to_have_count(0)
    expect(page.locator(".qb-summary")).to_have_text(
        [
            "Question 1: How many Full Members did the Network have in 2020? "
            "One right answer. 1 of 2 options marked right.",
            "Question 2: Which of these are kinds of membership? "
            "Several right answers. 2 of 3 options marked right.",
            "Question 3: Affiliate members are councils. True or false. False is right.",
            "Question 4: A resident asks how to join "
            "Scenario: a situation and what to do. 3 choices, the best one ticked.",
            "Question 5: What does CCIN stand for? "
            "Typed answer. 2 accepted answers. Only for council officers.",
        ]
    )
    summary = page.locator("#question-2 .qb-summary")
    activate(page, summary)
    expect(field(page, 1, "prompt")).to_be_visible()
    expect(page.locator("#question-2 .qb-fold")).to_have_attribute("open", "")
    press(page, "Enter")
    expect(field(page, 1, "prompt")).to_be_hidden()


def test_an_author_builds_a_quiz_of_every_type_by_keyboard(site: Site) -> None:
    admin = site.person("journey-admin-js")
    context = site.new_context(person=admin)
    page = context.new_page()
    try:
        page.goto(f"/admin/courses/{FOLDER}/modules/{MODULE}/")
        activate(page, page.get_by_role("link", name="Build a quiz in the quiz builder"))
        expect(page.locator("h1")).to_have_text("Quiz: Appendix: about the figures")
        check_page(page, "the empty quiz builder", "quiz-builder-empty")

        # Saving the blank question says what to fix, each message linked to its field.
        activate(page, button(page, "Save the quiz"))
        summary = page.locator(".error-summary")
        expect(summary).to_contain_text("Question 1: write the question")
        expect(summary).to_contain_text("Question 1: write at least two options")
        expect(page).to_have_title(re.compile(r"^Error: Quiz: Appendix"))
        check_page(page, "the quiz builder with errors", "quiz-builder-errors")
        expect(page.locator("#question-1 .qb-fold")).to_have_attribute("open", "")
        expect(page.locator("#question-1 .qb-summary")).to_contain_text("Needs fixing")

        # Question 1: one right answer, with feedback and the lesson section that teaches it.
        type_into(
            page, field(page, 0, "prompt"), "How many Full Members did the Network have in 2020?"
        )
        type_into(page, field(page, 0, "text", 0), "33")
        type_into(page, field(page, 0, "text", 1), "26")
        type_into(page, field(page, 0, "feedback", 1), "26 is the number of affiliate members.")
        # One right answer: chosen from a group of radio buttons after the options.
        expect(page.locator("#questions-0-options-0-is_correct")).to_have_count(0)
        expect(page.get_by_role("group", name="Which option is the right answer?")).to_be_visible()
        # Its buttons name the options by the words just typed (drawn before they were
        # typed, they said "Option 1" and "Option 2").
        expect(page.get_by_role("radio", name="Option 1: 33", exact=True)).to_have_count(1)
        expect(page.get_by_role("radio", name="Option 2: 26", exact=True)).to_have_count(1)
        choose(page, right_answer(page, 0, 0))
        type_into(page, field(page, 0, "explanation"), "The 2019/20 annual report lists 33.")
        pick(page, field(page, 0, "section"), "Appendix")

        # Question 2: several right answers, with a third option added.
        index = add_question(page, 2, "Which of these are kinds of membership?", "Several")
        type_into(page, field(page, index, "text", 0), "Full member")
        choose(page, field(page, index, "is_correct", 0))
        type_into(page, field(page, index, "text", 1), "Associate member")
        choose(page, field(page, index, "is_correct", 1))
        activate(page, button(page, "Add an option to question 2"))
        type_into(page, field(page, index, "text", 2), "Honorary member")

        # Question 3: true or false.
        index = add_question(page, 3, "Affiliate members are councils.", "True")
        type_into(page, field(page, index, "feedback", 0), "Affiliates are organisations.")
        choose(page, right_answer(page, index, 1))  # False is right

        # Question 4: a typed answer, asked to officers only.
        index = add_question(page, 4, "What does CCIN stand for?", "Typed")
        type_into(
            page,
            field(page, index, "answers"),
            "Co-operative Councils' Innovation Network\nCo-operative Councils Innovation Network",
        )
        choose(page, page.locator(f"#questions-{index}-audiences-1"))

        # Question 5: a scenario, three choices and what follows each.
        index = add_question(page, 5, "A resident asks how to join", "Scenario")
        type_into(page, field(page, index, "stem"), "A resident asks how their council can join.")
        for option, (text, then) in enumerate(
            [
                ("Send them the membership page", "They find the route to join."),
                ("Say it is not possible", "They leave misinformed."),
                ("Ignore the question", "Trust falls."),
            ]
        ):
            type_into(page, field(page, index, "text", option), text)
            type_into(page, field(page, index, "feedback", option), then)
        choose(page, right_answer(page, index, 0))  # the best choice
        check_page(page, "the quiz builder filled in", "quiz-builder")

        # Move the scenario up, then save.
        activate(page, button(page, "Move up question 5"))
        expect(field(page, 3, "prompt")).to_have_value("A resident asks how to join")
        activate(page, button(page, "Save the quiz"))
        expect(page.locator(".flashes")).to_contain_text("Quiz saved in the draft.")
        expect(page.locator("main")).to_contain_text(
            "Its id is how-many-full-members-did-the-network-have-in."
        )
        expect(field(page, 4, "answers")).to_have_value(
            re.compile("^Co-operative Councils' Innovation")
        )
        check_page(page, "the saved quiz in the builder", "quiz-builder-folded")
        check_folded_questions(page)

        # The draft holds the file. Tidy up (not part of the journey, so focus is put on the
        # button directly): throw the draft away so the course stays as other tests expect.
        page.goto(f"/admin/courses/{FOLDER}/draft")
        expect(page.locator("main")).to_contain_text(f"{MODULE}/quiz.md")
        page.get_by_role("button", name=DISCARD_QUIZ).focus()
        page.keyboard.press("Enter")
        expect(page.locator("main")).not_to_contain_text(DISCARD_QUIZ)
    finally:
        context.close()
