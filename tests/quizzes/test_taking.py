"""Taking a quiz through its pages: each question type, checking answers, every results state."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from induction.catalogue import get_catalogue
from induction.extensions import db
from induction.quizzes.models import QuizAttempt
from tests.quizzes.pages import (
    ALL_RIGHT,
    ALL_WRONG,
    BASICS_QUIZ,
    check,
    choose,
    form_with_button,
    link,
    options,
    page,
    read_lessons,
    start,
    submit_from,
    take,
    text_of,
)


def attempts_of(app, user_id: int) -> list[QuizAttempt]:
    with app.app_context():
        rows = db.session.scalars(
            select(QuizAttempt).where(QuizAttempt.user_id == user_id).order_by(QuizAttempt.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def test_start_page_describes_the_quiz(app, login_as):
    client = login_as()
    html = page(client.get(BASICS_QUIZ))
    text = text_of(html)
    assert "<h1>Check your understanding: First steps</h1>" in html
    assert "Questions 4" in text
    assert "Pass mark 50%, so you need at least 2 of the 4 right" in text
    assert "As many as you like (0 submitted so far)" in text
    assert "Start the quiz" in text
    assert "Your attempts" not in text


def test_all_right_passes_through_the_pages(app, login_as):
    client = login_as()
    html = take(client, ALL_RIGHT)
    text = text_of(html)
    assert "You scored 4 of 4, 100%." in text
    assert "The pass mark is 50%." in text
    assert "Passed" in text
    assert "Not passed" not in text
    assert text.count("Right") == 4
    assert "Wrong" not in text
    assert "Yes: the rules ask for kindness." in text  # feedback of the chosen option
    assert "The rules ask you to be kind and on time." in text  # explanation
    # Passed with the module's lessons unread: on to the first of them, not past the module.
    assert "Continue: Welcome" in text
    assert link(html, "Continue") == "/courses/basics/lessons/welcome"
    assert "Lessons to review" not in text
    assert "Try again" not in text
    [attempt] = attempts_of(app, client.user.id)
    assert (attempt.right, attempt.total, attempt.is_passed) == (4, 4, True)
    assert attempt.answers == {
        "be-what": [0],
        "rules-ask": [0, 1],
        "rules-kind": [0],
        "first-lesson": "  welcome ",
    }


def test_fail_with_attempts_left_offers_try_again_and_lessons(app, login_as):
    client = login_as()
    html = take(client, ALL_WRONG)
    text = text_of(html)
    assert "You scored 0 of 4, 0%." in text
    assert "Not passed" in text
    assert text.count("Wrong") == 4
    assert "The rules ask you to be on time." in text  # feedback of "Late"
    assert "Lessons to review" in text
    review = re.search(r"Lessons to review</h2>\s*<ul[^>]*>(.*?)</ul>", html, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', review) == [
        "/courses/basics/lessons/rules#the-rules",
        "/courses/basics/lessons/rules#why",
        "/courses/basics/lessons/welcome#welcome",
    ]
    assert [text_of(item) for item in re.findall(r"<li>(.*?)</li>", review, re.S)] == [
        "Review: The rules",
        "Review: The rules – Why",
        "Review: Welcome",
    ]
    form = form_with_button(html, "Try again")
    assert form.action == BASICS_QUIZ
    assert "Continue:" not in text


def test_each_question_type_is_graded_through_the_pages(app, login_as):
    client = login_as()
    # single right, multiple half right (wrong), true/false right, text wrong
    html = take(
        client,
        {
            "be-what": "Kind",
            "rules-ask": ["Kindness", "Being on time", "Silence"],
            "rules-kind": "True",
            "first-lesson": {"text": "The welcome"},
        },
    )
    verdicts = re.findall(r'class="question (result--right|result--wrong)"', html)
    assert verdicts == ["result--right", "result--wrong", "result--right", "result--wrong"]
    assert "You scored 2 of 4, 50%." in text_of(html)
    assert "Passed" in text_of(html)  # 50% meets a 50% pass mark


def test_attempt_page_uses_fieldsets_and_never_reveals_answers(app, login_as):
    client = login_as()
    html = page(client.get(start(client)))
    assert html.count("<fieldset") == 3  # single, multiple, true/false
    assert html.count("<legend") == 3
    assert "Select all that apply." in html
    assert re.search(r'<label class="label question__prompt" for="q-first-lesson">', html)
    assert 'type="text"' in html
    assert 'name="q-first-lesson"' in html
    assert len(re.findall(r'type="radio"', html)) == 4
    assert len(re.findall(r'type="checkbox"', html)) == 3
    # Nothing in the page tells right from wrong: no feedback, no flags, no accepted answers.
    lowered = html.lower().replace("data-warn-unsaved", "")  # the form's only data attribute
    for secret in ("correct", "is_correct", "feedback", "welcome", "ask for kindness", "data-"):
        assert secret not in lowered, secret
    assert [label for label, _ in options(html, "be-what")] == ["Kind", "Late"]


def test_check_page_points_out_unanswered_first_and_change_fills_in(app, login_as):
    client = login_as()
    attempt_url = start(client)
    html = check(client, attempt_url, {"be-what": "Late", "first-lesson": {"text": "Hello"}})
    text = text_of(html)
    assert "<h1>Check your answers</h1>" in html
    assert "You have not answered 2 questions" in text
    missing = text.index("You have not answered")
    assert missing < text.index("Question 1 What should you be? Late")
    assert link(html, "Answer question 2") == f"{attempt_url}#q-rules-ask"
    assert "Question 2 Which of these do the rules ask for? Not answered" in text
    assert "Question 4 What is the first lesson called? Hello" in text
    assert link(html, "Change your answer to question 1") == f"{attempt_url}#q-be-what"

    # Change: the form comes back with the answers filled in.
    form_page = page(client.get(attempt_url))
    assert '<input checked id="q-be-what-1"' in form_page
    assert 'value="Hello"' in form_page
    assert "We have kept them" not in form_page  # no alarm after an ordinary check

    # Answer the rest, check again, submit.
    html = check(client, attempt_url, ALL_RIGHT)
    assert "You have not answered" not in text_of(html)
    response = submit_from(client, html)
    assert response.headers["Location"] == attempt_url
    assert "You scored 4 of 4, 100%." in text_of(page(client.get(attempt_url)))


def test_unanswered_questions_count_as_wrong(app, login_as):
    client = login_as()
    html = take(client, {"be-what": "Kind"})
    text = text_of(html)
    assert "You scored 1 of 4, 25%." in text
    assert text.count("Wrong: not answered") == 3
    assert "Not passed" in text


def test_check_page_without_answers_goes_back_to_the_form(app, login_as):
    client = login_as()
    attempt_url = start(client)
    response = client.get(f"{attempt_url}/check")
    assert response.status_code == 302
    assert response.headers["Location"] == attempt_url


def test_posted_junk_is_ignored(app, login_as):
    client = login_as()
    attempt_url = start(client)
    html = page(client.get(attempt_url))
    data = choose(html, {})
    for name, value in [
        ("q-be-what", "99"),
        ("q-be-what", "-1"),
        ("q-rules-ask", "x"),
        ("q-nope", "1"),
        ("q-first-lesson", "w" * 5000),
    ]:
        data.add(name, value)
    assert client.post(attempt_url, data=data).status_code == 303
    checked = page(client.get(f"{attempt_url}/check"))
    assert "You have not answered 3 questions" in text_of(checked)
    response = submit_from(client, checked)
    assert response.status_code == 303
    [attempt] = attempts_of(app, client.user.id)
    assert attempt.right == 0
    assert len(attempt.answers["first-lesson"]) == 1000


@pytest.mark.parametrize("path", ["", "/check"])
def test_someone_elses_attempt_is_not_found(app, login_as, path):
    owner = login_as()
    attempt_url = start(owner)
    other = login_as()
    assert other.get(attempt_url + path).status_code == 404
    html = page(owner.get(attempt_url))
    assert other.post(attempt_url, data=choose(html, ALL_RIGHT)).status_code == 404
    form = form_with_button(html, "Check your answers")
    assert other.post(f"{attempt_url}/submit", data=form.hidden()).status_code == 404
    assert attempts_of(app, owner.user.id)[0].submitted_at is None


def test_attempt_under_another_quiz_url_is_not_found(app, login_as):
    client = login_as()
    attempt_url = start(client)
    wrong = attempt_url.replace("first-steps", "going-further")
    assert client.get(wrong).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/courses/basics/modules/going-further/quiz",  # module without a quiz
        "/courses/basics/modules/nope/quiz",
        "/courses/drafty/modules/only/quiz",  # draft course
        "/courses/nope/modules/first-steps/quiz",
    ],
)
def test_quiz_not_found(app, login_as, url):
    client = login_as()
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_quiz_needs_sign_in(app, client):
    response = client.get(BASICS_QUIZ)
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]
    response = client.post(BASICS_QUIZ)
    assert response.status_code == 303
    assert "/login?next=" in response.headers["Location"]


def test_start_resumes_the_open_attempt(app, login_as):
    client = login_as()
    first = start(client)
    html = page(client.get(BASICS_QUIZ))
    assert "Continue the quiz" in text_of(html)
    assert "Not submitted" in text_of(html)
    assert start(client) == first
    assert len(attempts_of(app, client.user.id)) == 1


def test_history_lists_attempts_with_scores_and_review_links(app, login_as):
    client = login_as()
    take(client, ALL_WRONG)
    take(client, ALL_RIGHT)
    html = page(client.get(BASICS_QUIZ))
    text = text_of(html)
    assert "As many as you like (2 submitted so far)" in text
    assert "You have passed this quiz." in text
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
    assert [text_of(r).split(" ")[0] for r in rows] == ["2", "1"]
    assert "4 of 4, 100%" in text_of(rows[0])
    assert "0 of 4, 0%" in text_of(rows[1])
    first, second = attempts_of(app, client.user.id)
    assert link(html, "Review attempt 1").endswith(f"/attempts/{first.id}")
    assert "Try again" in text


def test_the_completions_a_pass_reaches_are_announced(app, login_as):
    client = login_as()
    read_lessons(client)
    text = text_of(take(client, ALL_RIGHT))
    assert "Module complete: First steps." in text
    again = text_of(take(client, ALL_RIGHT))
    assert "Module complete" not in again  # reached once, announced once


def test_after_a_pass_the_module_shows_complete(app, login_as):
    client = login_as()
    read_lessons(client)
    html = take(client, ALL_RIGHT)
    assert link(html, "First steps") == "/courses/basics/modules/first-steps"
    module_page = text_of(page(client.get("/courses/basics/modules/first-steps")))
    assert "Complete" in module_page
    assert "Passed (4 of 4 right)" in module_page


def test_quiz_links_in_the_content_lead_to_the_quiz_page(app):
    with app.app_context():
        url = get_catalogue().links.quiz("basics", "first-steps")
    endpoint, arguments = app.url_map.bind("localhost").match(url)
    assert endpoint == "quizzes.quiz"
    assert arguments == {"course_id": "basics", "module_id": "first-steps"}
