"""Scenario questions and questions for one audience, through the quiz pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from induction.extensions import db
from induction.quizzes.models import QuestionResult, QuizAttempt
from tests.edition.conftest import QUIZ
from tests.quizzes.pages import check, form_with_button, page, start, take, text_of

COMMON = {
    "surgery": "Invite them and their neighbours to help shape the plan",
    "with-residents": "Co-production",
}


def attempt_of(app, user_id: int) -> QuizAttempt:
    with app.app_context():
        attempt = db.session.scalars(
            select(QuizAttempt).where(QuizAttempt.user_id == user_id)
        ).one()
        db.session.expunge(attempt)
        return attempt


def test_a_scenario_shows_its_situation_and_says_it_is_one(login_as):
    client = login_as(audience="councillor")
    html = page(client.get(start(client, QUIZ)))
    text = text_of(html)
    assert "Question 1: scenario A resident asks for help at a surgery" in text
    assert "A resident tells you the council ignored their street's ideas for the park." in text
    assert "Choose what you would do." in text
    # The consequences are for the result, not for the question.
    assert "trust in the council falls" not in text


def test_the_result_shows_the_consequence_of_every_choice(login_as):
    client = login_as(audience="councillor")
    picks = {
        **COMMON,
        "surgery": "Tell them the decision is made",
        "chair": "A councillor elected to the role",
    }
    text = text_of(take(client, picks, QUIZ))
    assert "What happens with each choice" in text
    assert (
        "If you choose “Tell them the decision is made” (your choice): They leave feeling "
        "unheard, and trust in the council falls."
    ) in text
    assert (
        "If you choose “Invite them and their neighbours to help shape the plan” (the best "
        "choice): The street shapes the plan"
    ) in text
    assert "If you choose “Promise to overturn the decision”: You promise what you cannot" in text


def test_a_scenario_is_scored_like_a_single_answer_question(app, login_as):
    client = login_as(audience="councillor")
    take(client, {**COMMON, "chair": "A resident"}, QUIZ)
    attempt = attempt_of(app, client.user.id)
    assert (attempt.right, attempt.total) == (2, 3)
    assert attempt.answers["surgery"] == [1]


@pytest.mark.parametrize(
    ("audience", "asked", "not_asked"),
    [
        ("councillor", "Councillors: who chairs", "Officers: who advises"),
        ("officer", "Officers: who advises", "Councillors: who chairs"),
    ],
)
def test_each_audience_is_asked_only_its_own_questions(login_as, audience, asked, not_asked):
    client = login_as(audience=audience)
    start_text = text_of(page(client.get(QUIZ)))
    assert "Questions 3" in start_text
    assert "Pass mark 50%, so you need at least 2 of the 3 right" in start_text
    text = text_of(page(client.get(start(client, QUIZ))))
    assert asked in text
    assert not_asked not in text
    assert "Answer the 3 questions below" in text


def test_the_pass_mark_applies_to_what_the_person_was_asked(app, login_as):
    client = login_as(audience="officer")
    text = text_of(
        take(
            client,
            {
                "surgery": "Promise to overturn the decision",
                "with-residents": "Co-production",
                "advice": ["Officers"],
            },
            QUIZ,
        )
    )
    assert "You scored 2 of 3, 66%." in text
    assert "Passed" in text
    attempt = attempt_of(app, client.user.id)
    assert (attempt.right, attempt.total, attempt.is_passed) == (2, 3, True)
    assert [q["id"] for q in attempt.questions] == ["surgery", "with-residents", "advice"]
    assert set(attempt.answers) == {"surgery", "with-residents", "advice"}
    with app.app_context():
        recorded = db.session.scalars(
            select(QuestionResult.question_id).where(QuestionResult.attempt_id == attempt.id)
        ).all()
    assert sorted(recorded) == ["advice", "surgery", "with-residents"]


def test_an_answer_to_a_question_not_asked_is_ignored(app, login_as):
    client = login_as(audience="officer")
    attempt_url = start(client, QUIZ)
    html = check(client, attempt_url, {"with-residents": "Co-production"})
    # A hand-made field for the councillors' question is dropped, not graded.
    form = form_with_button(html, "Submit answers")
    data = form.hidden()
    data.add("q-chair", "1")
    assert client.post(form.action, data=data).status_code == 303
    attempt = attempt_of(app, client.user.id)
    assert "chair" not in attempt.answers
    assert attempt.total == 3


def test_an_admin_is_asked_every_question(app, login_as):
    client = login_as(role="admin")
    text = text_of(page(client.get(start(client, QUIZ))))
    assert "Councillors: who chairs" in text
    assert "Officers: who advises" in text
    assert "Answer the 4 questions below" in text


def test_the_check_page_lists_only_the_questions_asked(login_as):
    client = login_as(audience="councillor")
    text = text_of(check(client, start(client, QUIZ), COMMON))
    assert "Councillors: who chairs" in text
    assert "Officers: who advises" not in text


def test_the_difficult_questions_report_counts_only_those_asked(app, login_as):
    councillor = login_as(audience="councillor")
    take(councillor, {**COMMON, "chair": "A resident"}, QUIZ)
    officer = login_as(audience="officer")
    take(officer, {**COMMON, "advice": ["Officers"]}, QUIZ)
    text = text_of(page(login_as(role="admin").get("/reports/questions?course=edition")))
    assert "id chair; asked to councillor only" in text
    assert "id advice; asked to officer only" in text
    with app.app_context():
        counts = dict(
            db.session.execute(
                select(QuestionResult.question_id, func.count()).group_by(
                    QuestionResult.question_id
                )
            ).all()
        )
    assert counts == {"surgery": 2, "with-residents": 2, "chair": 1, "advice": 1}
