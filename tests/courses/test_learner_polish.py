"""What a new learner meets in the shipped courses: order, titles, hints, rules, notes, reloads."""

from __future__ import annotations

import re

import pytest

from induction.web.templating import counted
from tests.conftest import SHIPPED_COURSES
from tests.quizzes.pages import page, start, text_of

SHIPPED = SHIPPED_COURSES
COURSE = "/courses/ccin-induction"
QUIZ = f"{COURSE}/modules/co-operative-difference/quiz"
LESSON = f"{COURSE}/lessons/what-is-a-co-operative-council"


@pytest.fixture
def app(app_factory):
    return app_factory(COURSES_DIR=str(SHIPPED))


def test_getting_started_comes_first_in_the_list_of_courses(login_as):
    html = page(login_as().get("/courses/")).split("<main", 1)[1]  # the header names the site
    first, second = html.find("Getting started with induction"), html.find("CCIN induction<")
    assert -1 < first < second


def test_quiz_pages_name_their_module_without_a_stray_full_stop(login_as):
    client = login_as()
    html = page(client.get(QUIZ))
    heading = "Check your understanding: What is our Co-operative Difference?"
    assert f"<h1>{heading}</h1>" in html
    assert f"<title>{heading}" in html
    assert "?." not in text_of(html)
    attempt = page(client.get(start(client, QUIZ)))
    assert f"<h1>{heading}</h1>" in attempt


def test_a_several_answers_question_has_one_hint(login_as):
    client = login_as()
    html = page(client.get(start(client, QUIZ)))
    checkboxes = re.findall(r'<input[^>]*type="checkbox"[^>]*>', html)
    several = {re.search(r'name="([^"]+)"', box).group(1) for box in checkboxes}
    assert several
    assert "Pick every answer" not in html
    hints = re.findall(r'<p class="hint" id="[^"]+-hint">([^<]+)</p>', html)
    # One hint for each several-answers question, always in the same words.
    assert hints == ["Select all that apply."] * len(several)


def test_no_shipped_quiz_writes_its_own_several_answers_hint() -> None:
    for quiz in SHIPPED.glob("*/*/quiz.md"):
        text = quiz.read_text(encoding="utf-8").lower()
        assert "all that apply" not in text and "every answer that applies" not in text, quiz


def test_the_acknowledgement_checkbox_and_its_statement_share_one_row(login_as):
    html = page(login_as().get(f"{COURSE}/lessons/making-the-commitment"))
    match = re.search(
        r'<div class="form-group checkbox">\s*<input [^>]*class="checkbox__input"[^>]*>\s*'
        r'<label class="checkbox__label"[^>]*>([^<]+)</label>',
        html,
    )
    assert match is not None, html
    assert match.group(1).startswith("I have read and understood")


def test_the_completion_rule_is_one_sentence_for_every_role(app, login_as, make_user):
    rule = (
        "To complete this module, read all 4 lessons and pass the quiz with 80% or more "
        "(you need at least 6 of the 7 right)."  # an officer is asked 7 questions
    )
    learner = make_user(audience="officer")
    assert rule in text_of(page(login_as(learner).get(f"{COURSE}/modules/co-operative-difference")))
    assert rule in text_of(page(login_as(learner).get(f"{COURSE}/")))
    admin = login_as(role="admin")
    person = text_of(page(admin.get(f"/reports/people/{learner.id}")))
    assert rule in person


def test_the_course_rule_says_both_modules_and_not_all_2(login_as):
    client = login_as()
    two = text_of(page(client.get("/courses/getting-started/")))
    assert "To complete the course, complete both modules." in two
    assert "all 2" not in two
    five = text_of(page(client.get(f"{COURSE}/")))
    assert "To complete the course, complete all 5 modules." in five


def test_reloading_the_completion_address_explains_and_goes_back(login_as):
    client = login_as()
    response = client.get(f"{LESSON}/complete")
    assert response.status_code == 302
    assert response.headers["Location"] == LESSON
    html = page(client.get(LESSON))
    assert "Nothing was recorded" in html and "Mark as complete and continue" in html
    assert "Error code" not in html


def test_another_buttons_address_opened_directly_says_what_to_do(login_as):
    response = login_as().get(f"{QUIZ}/attempts/1/submit")
    assert response.status_code == 405
    text = text_of(page(response))
    assert "belongs to a button" in text and "nothing was done" in text


def test_authors_notes_never_reach_a_learners_page(login_as):
    client = login_as()
    for lesson, note in (
        ("what-is-a-co-operative-council", "text version"),
        ("making-the-commitment", "do not guess"),
        ("approval-self-assessment-and-oversight", "Do not guess"),
    ):
        html = page(client.get(f"{COURSE}/lessons/{lesson}"))
        assert note not in html and "<!--" not in html and "For authors" not in html
        assert re.search(r"\(lines? \d", html) is None
        assert '<details class="sources" id="sources"><summary>Sources</summary>' in html
        source = next(SHIPPED.glob(f"01-ccin-induction/*/*-{lesson}.md")).read_text()
        assert note in source  # the note is still there for authors


def test_the_admins_own_organisation_is_not_shown_as_none(login_as):
    admin = login_as(role="admin")
    html = page(admin.get("/admin/people"))
    row = next(r for r in html.split("<tr>") if admin.user.email in r)
    assert "No organisation" in row and ">None<" not in row
    for path in (f"/admin/people/{admin.user.id}", "/account"):
        assert "<dd>No organisation</dd>" in page(admin.get(path)), path


@pytest.mark.parametrize(
    ("audience", "said"),
    [("councillor", "A councillor"), ("officer", "An officer"), ("affiliate", "An affiliate")],
)
def test_the_account_page_says_whom_the_courses_are_for_in_words(login_as, audience, said):
    text = text_of(page(login_as(audience=audience).get("/account")))
    assert f"Role on this site Learner You take the courses as {said} Start date" in text


def test_the_two_step_set_up_speaks_of_apps_not_protocols(login_as):
    text = text_of(page(login_as().get("/account/two-factor")))
    assert "TOTP" not in text
    assert "Reading this page on the phone itself, or cannot scan it?" in text


def test_the_two_step_qr_code_scales_whole(login_as):
    html = page(login_as().get("/account/two-factor"))
    svg = re.search(r"<svg [^>]*>", html)
    assert svg is not None
    assert "viewBox=" in svg.group(0)
    assert re.search(r'\s(width|height)="', svg.group(0)) is None


@pytest.mark.parametrize(
    ("number", "words", "expected"),
    [
        (1, ("person matches", "people match"), "1 person matches"),
        (2, ("person matches", "people match"), "2 people match"),
        (0, ("question",), "0 questions"),
        (1, ("question",), "1 question"),
    ],
)
def test_counts_are_pluralised(number, words, expected):
    assert counted(number, *words) == expected


def test_a_reflection_box_is_said_to_be_private_once(login_as):
    # The box's own hint says who can see the answer; the lesson does not say it again.
    text = text_of(
        page(
            login_as(audience="councillor").get(
                f"{COURSE}/lessons/the-co-operative-difference-in-practice"
            )
        )
    )
    assert text.count("Only you can see what you write") == 1
    assert "Your answer is private" not in text
    assert "no one else sees" not in text
