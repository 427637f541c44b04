"""Renewal from the learner's side: an old completion is due for renewal, the lessons and
the quiz are to do again, and doing them all again makes the course complete again."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from induction.catalogue import get_catalogue
from induction.content.model import RENEW_EACH_TERM
from induction.extensions import db
from induction.progress.models import (
    Certificate,
    CourseCompletion,
    CourseRenewal,
    LessonCompletion,
)
from induction.progress.renewal import DEFAULT_TERM_DAYS, renewal_days
from induction.progress.status import (
    LessonState,
    Record,
    Status,
    course_progress,
    renewal_cutoff,
)
from induction.web.templating import uk_date
from tests.progress.test_learning import COURSE, complete, page, pass_quiz
from tests.quizzes.pages import text_of
from tests.reports.helpers import add_attempt, age, renewing


@pytest.fixture
def app(app_factory, tree):
    renewing(tree)
    return app_factory(COURSES_DIR=str(tree))


def finish(app, client, learner) -> None:
    """Complete the basics course as a councillor: three lessons and the quiz."""
    complete(client, "welcome")
    complete(client, "rules", acknowledge=True)
    pass_quiz(app, learner.id)
    complete(client, "next")


def renewals(app, user_id: int) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(select(CourseRenewal.number).where(CourseRenewal.user_id == user_id))
        )


def lesson_rows(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(LessonCompletion.user_id == user_id))


def test_an_old_completion_is_due_for_renewal_until_taken_again(app, make_user, login_as):
    learner = make_user(audience="councillor")
    client = login_as(learner)
    finish(app, client, learner)
    home = page(client.get("/"))
    assert "Complete" in home and "Due for renewal on " in home
    # Reading a lesson again while the completion lasts records nothing new.
    complete(client, "welcome")
    assert lesson_rows(app, learner.id) == 3

    with app.app_context():
        age(learner.id, 400)
        db.session.commit()
    home = page(client.get("/"))
    assert "Due for renewal since " in home
    assert "Your completion has run out" in home
    assert "read each lesson again and pass the quiz again" in home
    assert re.search(r'href="/courses/basics/lessons/welcome"[^>]*>\s*Start your renewal', home)
    course = page(client.get(COURSE))
    assert course.count("To do again") == 3
    assert "To take again" in course
    lesson = page(client.get("/courses/basics/lessons/welcome"))
    assert "Due for renewal." in lesson and "Mark as complete" in lesson

    # Taking it again: each lesson read again is recorded again, once.
    complete(client, "welcome")
    complete(client, "welcome")
    assert lesson_rows(app, learner.id) == 4
    complete(client, "rules", acknowledge=True)
    pass_quiz_row(app, learner.id)
    assert "Due for renewal since " in page(client.get("/"))  # one lesson still to read
    assert renewals(app, learner.id) == []
    complete(client, "next")
    assert renewals(app, learner.id) == [1]
    home = page(client.get("/"))
    assert "Due for renewal since" not in home and "Your completion has run out" not in home
    assert "Complete" in home
    with app.app_context():
        renewed = db.session.scalar(select(CourseRenewal.completed_at))
        shown = uk_date(renewed)
    assert f"Completed {shown}" in home  # the day of the renewal, not of the first time
    assert "To do again" not in page(client.get(COURSE))


def pass_quiz_row(app, user_id: int) -> None:
    """Store a passed attempt now (the quiz pages are tested with the quizzes feature)."""
    with app.app_context():
        add_attempt(user_id, "basics", "first-steps", right=4, total=4, passed=True)
        db.session.commit()


def test_a_second_renewal_counts_on(app, make_user, login_as):
    learner = make_user(audience="councillor")
    client = login_as(learner)
    finish(app, client, learner)
    for number in (1, 2):
        with app.app_context():
            age(learner.id, 400)
            db.session.commit()
        complete(client, "welcome")
        complete(client, "rules", acknowledge=True)
        pass_quiz_row(app, learner.id)
        complete(client, "next")
        assert renewals(app, learner.id) == list(range(1, number + 1))
    assert "Due for renewal since" not in page(client.get("/"))


def test_renewal_days_each_term_or_days(app, tree):
    with app.app_context():
        course = get_catalogue().course("basics")
        assert renewal_days(course) == 365
        term = course.__class__(**{**course.__dict__, "renew": RENEW_EACH_TERM})
        assert renewal_days(term) == DEFAULT_TERM_DAYS
        app.config["TERM_DAYS"] = 1000
        assert renewal_days(term) == 1000

        class WithTerm:
            term_days = 730

        assert renewal_days(term, WithTerm()) == 730
        never = course.__class__(**{**course.__dict__, "renew": None})
        assert renewal_days(never) is None


def test_the_period_starts_at_midnight_on_the_day_it_ran_out():
    today = dt.date(2027, 1, 1)
    assert renewal_cutoff(365, today) == dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    assert renewal_cutoff(1, today) == dt.datetime(2027, 1, 1, tzinfo=dt.UTC)


def test_pure_rules_for_a_course_without_lessons_read_again(app):
    with app.app_context():
        course = get_catalogue().course("basics")
    old = dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC)
    lessons = {"welcome": 1, "rules": 2, "next": 1}
    record = Record(
        lesson_versions=lessons,
        lesson_completed_at=dict.fromkeys(lessons, old),
        quiz_best={"first-steps": 100},
        quizzes_passed=frozenset({"first-steps"}),
        quiz_passed_at={"first-steps": old},
        course_completed_at=old,
        last_completed_at=old,
        lesson_read_at={(lesson, version): old for lesson, version in lessons.items()},
    )
    on_time = course_progress(course, "councillor", record, None, dt.date(2025, 12, 31), 365)
    assert on_time.status is Status.COMPLETE and not on_time.is_renewing
    assert on_time.renewal_due_date == dt.date(2026, 1, 1)
    late = course_progress(course, "councillor", record, None, dt.date(2026, 1, 1), 365)
    assert late.status is Status.DUE_FOR_RENEWAL and late.label == "Due for renewal"
    assert {lp.state for m in late.modules for lp in m.lessons} == {LessonState.AGAIN}
    assert not late.is_overdue
    never = course_progress(course, "councillor", record, None, dt.date(2030, 1, 1), None)
    assert never.status is Status.COMPLETE


def test_the_certificate_check_says_whether_the_completion_is_current(
    app, make_user, login_as, client
):
    learner = make_user(audience="councillor")
    finish(app, login_as(learner), learner)
    with app.app_context():
        code = db.session.scalar(select(Certificate.code).where(Certificate.user_id == learner.id))
        first = db.session.scalar(select(CourseCompletion.completed_at))
    check = f"/verify/{code}"

    def shown(days_after: dt.datetime, days: int) -> str:
        return uk_date((days_after + dt.timedelta(days=days)).astimezone(dt.UTC).date())

    current = text_of(page(client.get(check)))
    assert "Valid" in current
    assert f"this completion is current until {shown(first, 364)}" in current
    assert "Due for renewal" not in current

    with app.app_context():
        age(learner.id, 400)
        db.session.commit()
    ran_out = text_of(page(client.get(check)))
    assert "Valid" in ran_out and "Due for renewal" in ran_out
    assert f"ran out on {shown(first - dt.timedelta(days=400), 365)}" in ran_out
    assert "has not been renewed since" in ran_out

    renewer = login_as(learner)
    complete(renewer, "welcome")
    complete(renewer, "rules", acknowledge=True)
    pass_quiz_row(app, learner.id)
    complete(renewer, "next")
    with app.app_context():
        renewed = db.session.scalar(select(CourseRenewal.completed_at))
    again = text_of(page(client.get(check)))
    assert "Due for renewal" not in again
    assert f"renewed {uk_date(renewed)}, is current until {shown(renewed, 364)}" in again
