"""A person's full record for their manager, and the difficult-questions report for admins."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from induction.extensions import db
from induction.quizzes.models import QuestionResult, QuizAttempt
from tests.quizzes.pages import ALL_RIGHT, ALL_WRONG, page, read_lessons, take, text_of

HALF_RIGHT = {**ALL_RIGHT, "rules-ask": ["Kindness"], "first-lesson": {"text": "Goodbye"}}


def test_each_submit_records_which_questions_were_right(app, login_as, make_org):
    learner = login_as(role="learner", organisation=make_org())
    take(learner, ALL_WRONG)
    take(learner, HALF_RIGHT)
    with app.app_context():
        rows = db.session.execute(
            select(QuizAttempt.id, QuestionResult.question_id, QuestionResult.is_correct)
            .join(QuizAttempt, QuizAttempt.id == QuestionResult.attempt_id)
            .order_by(QuizAttempt.id, QuestionResult.question_id)
        ).all()
    first, second = sorted({row[0] for row in rows})
    assert {(q, ok) for a, q, ok in rows if a == first} == {
        ("be-what", False),
        ("rules-ask", False),
        ("rules-kind", False),
        ("first-lesson", False),
    }
    assert {(q, ok) for a, q, ok in rows if a == second} == {
        ("be-what", True),
        ("rules-ask", False),
        ("rules-kind", True),
        ("first-lesson", False),
    }


def test_the_person_page_shows_the_full_record(world, app, login_as, make_user):
    person = make_user(organisation=world.own, name="Dee Officer", audience="officer")
    learner = login_as(person)
    read_lessons(learner)
    take(learner, ALL_WRONG)
    take(learner, ALL_RIGHT)
    html = page(login_as(world.manager).get(f"/reports/people/{person.id}"))
    text = text_of(html)
    assert "Dee Officer" in text and "Learning record" in text
    # Lessons with the version read against the current one, and the acknowledgement.
    assert "The rules Done 2 2" in text
    assert "Acknowledged: “I have read and understood the rules.”" in text
    assert "Read and acknowledged" in text
    # Every attempt, newest first, with the answers as they were asked.
    assert text.count("Answers as asked") == 2
    newest, oldest = text.split("Answers as asked")[1:3]
    assert "Right" in newest and "Wrong" not in newest
    assert "Goodbye" in oldest  # the typed answer of the first attempt
    assert "Scored 0 of 4 (0%)" in text and "Scored 4 of 4 (100%)" in text
    assert '<caption id="record-caption">' in html
    # The record's CSV has the same lines as the record table.
    exported = login_as(world.manager).get(f"/reports/people/{person.id}/record.csv")
    rows = list(csv.reader(io.StringIO(exported.get_data().decode("utf-8-sig"))))
    table = html.split('id="record-caption"', 1)[1].split("</tbody>", 1)[0]
    assert len(rows) - 1 == table.count("<tr>") - 1  # minus the header row of each


def test_difficult_questions_show_the_share_answered_right(world, app, login_as):
    for who, picks in (
        (world.new, ALL_WRONG),
        (world.partway, HALF_RIGHT),
        (world.formula, ALL_RIGHT),
    ):
        take(login_as(who), picks)
    admin = login_as(world.admin)
    html = page(admin.get("/reports/questions?course=basics"))
    text = text_of(html)
    # be-what: right twice out of three; rules-ask: once; first-lesson: once.
    # To the nearest, in the table, the chart and the CSV alike (whole_percent).
    assert "What should you be? id be-what 3 2 67%" in text
    assert "Which of these do the rules ask for? id rules-ask 3 1 33%" in text
    assert "What is the first lesson called? id first-lesson 3 1 33%" in text
    assert "2 of 3 (67%)" in html  # the chart says the same, in words
    assert '<figure class="chart"' in html
    rows = list(
        csv.DictReader(
            io.StringIO(
                admin.get("/reports/questions.csv?course=basics").get_data().decode("utf-8-sig")
            )
        )
    )
    assert [
        (r["Question id"], r["Answers submitted"], r["Answered right"], r["Share right (%)"])
        for r in rows
    ] == [
        ("be-what", "3", "2", "67"),
        ("rules-ask", "3", "1", "33"),
        ("rules-kind", "3", "2", "67"),
        ("first-lesson", "3", "1", "33"),
    ]


def test_a_quiz_nobody_took_says_so(world, login_as):
    text = text_of(page(login_as(world.admin).get("/reports/questions?course=basics")))
    assert "Not answered yet" in text
