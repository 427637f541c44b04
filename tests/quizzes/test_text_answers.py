"""Typed answers: the review of a wrong one shows the accepted answers; the grading rule
stays the authoring contract's, so the shipped courses list the variants they accept."""

from __future__ import annotations

import re

import pytest

from induction.content import load_library
from induction.content.question_types import get_type
from induction.quizzes.review import review_answers
from induction.quizzes.snapshot import AskedQuestion
from tests.conftest import SHIPPED_COURSES
from tests.quizzes.pages import ALL_RIGHT, take, text_of


def asked(answers: tuple[str, ...], type_: str = "text") -> AskedQuestion:
    return AskedQuestion(
        id="q",
        type=type_,
        prompt_html="Which?",
        stem_html="",
        shown=(),
        answers=answers,
        explanation_html=None,
        review_links=(),
    )


def section(html: str, question_id: str) -> str:
    found = re.search(
        rf'<section class="question[^"]*" aria-labelledby="result-{question_id}">'
        r".*?</section>",
        html,
        re.S,
    )
    assert found, question_id
    return found.group(0)


def test_a_wrong_typed_answer_shows_the_accepted_answer(app, login_as):
    client = login_as()
    html = take(client, {**ALL_RIGHT, "first-lesson": {"text": "Welcome."}})
    text = text_of(section(html, "first-lesson"))
    assert "Wrong" in text
    assert "Your answer Welcome. Accepted answer Welcome" in text
    assert "Also accepted" not in text  # the quiz accepts one answer
    for other in ("be-what", "rules-ask", "rules-kind"):
        assert "Accepted answer" not in section(html, other)


def test_a_right_typed_answer_shows_no_accepted_answer(app, login_as):
    html = take(login_as(), ALL_RIGHT)
    assert "Accepted answer" not in section(html, "first-lesson")


def test_an_unanswered_typed_question_shows_the_accepted_answer(app, login_as):
    picks = {k: v for k, v in ALL_RIGHT.items() if k != "first-lesson"}
    text = text_of(section(take(login_as(), picks), "first-lesson"))
    assert "Not answered Accepted answer Welcome" in text


def test_the_accepted_answers_are_listed_once_each():
    question = asked(("equal", "equal.", " Equal ", "an equal partnership", "E.O.C.", "EOC"))
    [review] = review_answers([question], {"q": "unequal"})
    assert review.accepted_answers == ("equal", "an equal partnership", "E.O.C.", "EOC")
    [choice] = review_answers([asked((), "single")], {})
    assert choice.accepted_answers == ()


class TestSeveralAcceptedAnswers:
    @pytest.fixture
    def app(self, app_factory, site_tree):
        """The basics quiz accepting "Welcome", "Welcome." and "The welcome"."""
        quiz = site_tree / "01-basics" / "01-first-steps" / "quiz.md"
        text = quiz.read_text()
        assert "Answer: Welcome\n" in text
        quiz.write_text(
            text.replace(
                "Answer: Welcome\n", "Answer: Welcome\nAnswer: Welcome.\nAnswer: The welcome\n"
            )
        )
        return app_factory(COURSES_DIR=str(site_tree))

    def test_the_result_lists_the_other_accepted_answers_once(self, app, login_as):
        client = login_as()
        html = take(client, {**ALL_RIGHT, "first-lesson": {"text": "Hello"}})
        text = text_of(section(html, "first-lesson"))
        assert "Accepted answer Welcome Also accepted: “The welcome”." in text
        # The variant with a full stop is accepted, not listed.
        right = take(client, {**ALL_RIGHT, "first-lesson": {"text": "welcome."}})
        assert "Accepted answer" not in section(right, "first-lesson")


# --- the grading rule and the shipped courses ----------------------------------------------

SHIPPED = load_library(SHIPPED_COURSES)
TEXT_QUESTIONS = [
    (course.id, question)
    for course in SHIPPED.courses
    for module in course.modules
    if module.quiz is not None
    for question in module.quiz.questions
    if question.type == "text"
]


def test_the_rule_does_not_ignore_a_full_stop():
    """The authoring contract: only Unicode form, case and white space are ignored."""
    grade = get_type("text").grade
    question = asked(("equal",))
    assert grade(question, "  EQUAL ").is_correct
    assert not grade(question, "equal.").is_correct


def test_the_shipped_courses_have_text_questions():
    assert len(TEXT_QUESTIONS) >= 6


@pytest.mark.parametrize(
    "question", [q for _, q in TEXT_QUESTIONS], ids=[f"{c}-{q.id}" for c, q in TEXT_QUESTIONS]
)
def test_each_shipped_text_answer_is_accepted_with_or_without_a_full_stop(question):
    grade = get_type("text").grade
    for answer in question.answers:
        bare = answer.rstrip().removesuffix(".")
        for typed in (bare, f"{bare}."):
            assert grade(question, typed).is_correct, f"{question.id}: {typed!r} is not accepted"
