"""Leaving a quiz part-way: "Save and come back later" keeps the answers with the attempt,
the quiz page says how far they go, and "Continue the quiz" shows them filled in."""

from __future__ import annotations

import re

from sqlalchemy import select

from induction.extensions import db
from induction.quizzes import services
from induction.quizzes.models import QuizAttempt
from tests.quizzes.pages import (
    ALL_RIGHT,
    BASICS_QUIZ,
    choose,
    form_with_button,
    page,
    read,
    start,
    submit_from,
    text_of,
)

SAVE = "Save and come back later"
TWO_ANSWERS = {"be-what": "Late", "first-lesson": {"text": "Welcome."}}


def attempt_row(app, url: str) -> QuizAttempt:
    attempt_id = int(url.rstrip("/").rsplit("/", 1)[1])
    with app.app_context():
        row = db.session.scalars(select(QuizAttempt).where(QuizAttempt.id == attempt_id)).one()
        db.session.expunge(row)
        return row


def save(client, attempt_url: str, picks: dict[str, object]):
    """Answer on the attempt page and press Save and come back later; return the response."""
    html = page(client.get(attempt_url))
    assert SAVE in form_with_button(html, "Check your answers").buttons
    data = choose(html, picks)
    data["save"] = "1"  # the button's name and value
    return client.post(attempt_url, data=data)


def checked(html: str, question_id: str) -> list[str]:
    """Return the values of a question's checked options on an attempt page."""
    found = []
    for tag in re.findall(rf'<input[^>]*name="q-{question_id}"[^>]*>', html):
        if re.search(r"\bchecked\b", tag):
            found.append(re.search(r'value="([^"]*)"', tag).group(1))
    return found


def test_the_answer_form_has_a_save_button_after_check(app, login_as):
    client = login_as()
    html = page(client.get(start(client)))
    form = form_with_button(html, "Check your answers")
    assert form.buttons == ["Check your answers", SAVE]  # Enter in a text box checks
    button = re.search(r"<button[^>]*>\s*" + SAVE, html).group(0)
    assert 'type="submit"' in button and 'name="save"' in button
    text = text_of(html)
    assert "Not finished? Save and come back later" in text
    assert "at the bottom of the page, keeps your answers for when you return." in text


def test_saving_keeps_the_answers_and_continue_shows_them(app, login_as):
    client = login_as()
    attempt_url = start(client)
    response = save(client, attempt_url, TWO_ANSWERS)
    assert response.status_code == 303
    assert response.headers["Location"] == BASICS_QUIZ

    row = attempt_row(app, attempt_url)
    assert row.submitted_at is None
    assert row.draft_answers["reason"] == services.DRAFT_SAVED
    assert row.draft_answers["answers"]["be-what"] == [1]
    assert row.draft_answers["answers"]["first-lesson"] == "Welcome."

    # The quiz's page says so, and how far the answers go.
    quiz_page = page(client.get(BASICS_QUIZ))
    text = text_of(quiz_page)
    assert "Your answers are saved: 2 of 4 questions answered." in text
    assert "You can leave now and finish the quiz later." in text
    assert "You have not submitted this attempt yet." in text
    assert "Your answers to 2 of 4 questions are saved" in text
    assert "2 of 4 answered, saved" in text  # the attempt's row
    assert "Not submitted" in text

    # Continue the quiz: the same attempt, the answers filled in.
    assert start(client) == attempt_url
    html = page(client.get(attempt_url))
    assert "Your saved answers are filled in below (saved " in text_of(html)
    assert checked(html, "be-what") == ["1"]
    assert checked(html, "rules-ask") == []
    assert re.search(r'<input[^>]*name="q-first-lesson"[^>]*value="Welcome\."', html)


def test_saving_again_replaces_the_saved_answers(app, login_as):
    client = login_as()
    attempt_url = start(client)
    save(client, attempt_url, TWO_ANSWERS)
    response = save(client, attempt_url, {"be-what": "Kind", "rules-kind": "True"})
    assert response.status_code == 303
    answers = attempt_row(app, attempt_url).draft_answers["answers"]
    assert answers["be-what"] == [0]
    assert answers["rules-kind"] == [0]
    assert answers["first-lesson"] is None  # left empty this time


def test_saved_answers_can_be_checked_and_submitted_later(app, login_as):
    client = login_as()
    attempt_url = start(client)
    save(client, attempt_url, {"be-what": "Kind", "rules-ask": ["Kindness", "Being on time"]})
    # Later: the rest of the answers, then check and submit as usual.
    html = page(client.get(attempt_url))
    data = choose(html, {k: v for k, v in ALL_RIGHT.items() if k in ("rules-kind", "first-lesson")})
    for value in checked(html, "be-what"):
        data.add("q-be-what", value)
    for value in checked(html, "rules-ask"):
        data.add("q-rules-ask", value)
    response = client.post(attempt_url, data=data)
    assert response.headers["Location"] == f"{attempt_url}/check"
    submitted = submit_from(client, page(client.get(f"{attempt_url}/check")))
    assert submitted.headers["Location"] == attempt_url
    assert "You scored 4 of 4, 100%." in text_of(page(client.get(attempt_url)))
    row = attempt_row(app, attempt_url)
    assert row.draft_answers is None
    assert row.right == 4


def test_leaving_without_saving_is_not_called_saved(app, login_as):
    client = login_as()
    start(client)
    text = text_of(page(client.get(BASICS_QUIZ)))
    assert "Continue the quiz" in text
    assert "no answers are saved yet" in text
    assert "answered, saved" not in text


def test_a_save_with_the_wrong_key_keeps_nothing(app, login_as):
    client = login_as()
    attempt_url = start(client)
    html = page(client.get(attempt_url))
    data = choose(html, TWO_ANSWERS)
    data["submit_key"] = "not-the-key"
    data["save"] = "1"
    response = client.post(attempt_url, data=data)
    assert response.headers["Location"] == attempt_url
    assert attempt_row(app, attempt_url).draft_answers is None
    assert "This form does not belong to this attempt" in text_of(page(client.get(attempt_url)))


def test_a_save_after_submitting_changes_nothing(app, login_as):
    client = login_as()
    attempt_url = start(client)
    html = page(client.get(attempt_url))
    client.post(attempt_url, data=choose(html, ALL_RIGHT))
    submit_from(client, page(client.get(f"{attempt_url}/check")))
    data = choose(html, TWO_ANSWERS)
    data["save"] = "1"
    response = client.post(attempt_url, data=data)
    assert response.headers["Location"] == attempt_url
    row = attempt_row(app, attempt_url)
    assert row.draft_answers is None and row.right == 4


def test_the_check_page_says_the_answers_are_kept(app, login_as):
    client = login_as()
    attempt_url = start(client)
    html = page(client.get(attempt_url))
    client.post(attempt_url, data=choose(html, TWO_ANSWERS))
    check_page = page(client.get(f"{attempt_url}/check"))
    assert "Not ready yet? Your answers are saved." in text_of(check_page)
    assert ("the quiz’s page", BASICS_QUIZ) in read(check_page).links
    # The quiz page counts checked answers as saved too.
    assert "Your answers to 2 of 4 questions are saved" in text_of(page(client.get(BASICS_QUIZ)))


def test_the_quiz_page_warns_before_leaving_with_unsaved_answers(app, login_as):
    client = login_as()
    html = page(client.get(start(client)))
    assert re.search(r'<script src="/static/js/unsaved\.js[^"]*" defer>', html)
    script = client.get("/static/js/unsaved.js")
    assert script.status_code == 200
    body = script.get_data(as_text=True)
    assert "beforeunload" in body and "form[data-warn-unsaved]" in body
    script.close()
    assert '<form method="post"' in html and 'class="quiz-form" data-warn-unsaved>' in html


def test_kept_answers_counts_answered_questions(app, login_as):
    client = login_as()
    attempt_url = start(client)
    row = attempt_row(app, attempt_url)
    with app.app_context():
        assert services.kept_answers(row.id) is None  # nothing kept yet
    save(client, attempt_url, TWO_ANSWERS)
    with app.app_context():
        kept = services.kept_answers(row.id)
        assert kept is not None
        assert (kept.answered, kept.total, kept.draft.is_saved) == (2, 4, True)
        assert kept.draft.kept_at is not None and kept.draft.kept_at.tzinfo is not None
