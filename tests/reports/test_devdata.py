"""The demo data generator: bulk, reproducible, with people at every stage."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from induction.accounts.models import Organisation, User
from induction.devdata import generate
from induction.extensions import db
from induction.progress.models import CourseCompletion, LessonCompletion
from induction.quizzes.models import QuestionResult, QuizAttempt
from induction.reports.person import person_report


def _fingerprint() -> tuple:
    people = db.session.execute(
        select(User.email, User.audience, User.start_date, User.role).order_by(User.id)
    ).all()
    lessons = db.session.execute(
        select(LessonCompletion.lesson_id, LessonCompletion.lesson_version).order_by(
            LessonCompletion.id
        )
    ).all()
    attempts = db.session.execute(
        select(QuizAttempt.quiz_id, QuizAttempt.right, QuizAttempt.is_passed).order_by(
            QuizAttempt.id
        )
    ).all()
    return people, lessons, attempts


def test_the_same_seed_makes_the_same_data(app_factory):
    made = []
    for _ in range(2):
        app = app_factory()
        with app.app_context():
            db.session.execute(db.delete(QuestionResult))
            for model in (QuizAttempt, LessonCompletion, CourseCompletion, User, Organisation):
                db.session.execute(db.delete(model))
            generate(organisations=3, people=60, seed=5)
            db.session.commit()
            made.append(_fingerprint())
    assert made[0] == made[1]
    assert len(made[0][0]) == 60


def test_it_makes_a_realistic_spread(app):
    with app.app_context():
        summary = generate(organisations=4, people=400, big_organisation=250, seed=3)
        db.session.commit()
        sizes = (
            db.session.execute(
                select(func.count())
                .select_from(User)
                .group_by(User.organisation_id)
                .order_by(func.count().desc())
            )
            .scalars()
            .all()
        )
        assert sizes[0] == 250 and sum(sizes) == 400
        assert len(summary.managers) == 4
        completed = db.session.scalar(select(func.count()).select_from(CourseCompletion))
        started = db.session.scalar(select(func.count(func.distinct(LessonCompletion.user_id))))
        assert 0 < completed < started < 400
        passed = db.session.scalar(
            select(func.count()).select_from(QuizAttempt).where(QuizAttempt.is_passed.is_(True))
        )
        assert 0 < passed < summary.attempts
        # Each attempt has its answers, its snapshot and one result per question, and they agree.
        attempt = db.session.scalar(select(QuizAttempt).limit(1))
        results = db.session.scalars(
            select(QuestionResult).where(QuestionResult.attempt_id == attempt.id)
        ).all()
        assert len(results) == attempt.total == len(attempt.questions) == len(attempt.answers)
        assert sum(r.is_correct for r in results) == attempt.right
        # The person page can show a demo person's answers as asked.
        person = db.session.get(User, attempt.user_id)
        report = person_report(person, attempt.submitted_at.date())
        reviewed = next(a for a in report.attempts if a.attempt.id == attempt.id)
        assert [r.is_correct for r in reviewed.reviews].count(True) == attempt.right


def test_the_command_refuses_to_make_the_same_seed_twice(app, runner):
    result = runner.invoke(
        args=["demo-data", "--organisations", "2", "--people", "20", "--seed", "9"]
    )
    assert result.exit_code == 0, result.output
    assert "Made 2 organisations, 20 people" in result.output
    again = runner.invoke(
        args=["demo-data", "--organisations", "2", "--people", "20", "--seed", "9"]
    )
    assert again.exit_code != 0
    assert "seed 9 exists already" in again.output
    bad = runner.invoke(args=["demo-data", "--organisations", "5", "--people", "3"])
    assert bad.exit_code != 0 and "one person per organisation" in bad.output


def test_no_demo_activity_is_later_than_now(app):
    # At nine in the morning, people who started today have done only what fits before nine.
    now = dt.datetime.combine(dt.date(2026, 12, 7), dt.time(9, 0), tzinfo=dt.UTC)
    with app.app_context():
        generate(organisations=3, people=300, seed=11, today=now.date(), now=now)
        db.session.commit()
        latest = db.session.scalar(select(func.max(LessonCompletion.completed_at)))
        latest_attempt = db.session.scalar(select(func.max(QuizAttempt.submitted_at)))
    assert latest is not None and latest <= now
    assert latest_attempt is not None and latest_attempt <= now
