"""Recording what a learner did is one sequence in one transaction: the record, the
completions it reached, the stored status; called directly, with no page and no listener."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from induction.catalogue import get_catalogue
from induction.extensions import db
from induction.progress import services
from induction.progress.models import CourseStatus, ModuleCompletion
from induction.progress.status import Status
from induction.progress.status_query import STATUS_CODES
from induction.quizzes import services as quizzes
from induction.quizzes.models import QuizAttempt
from tests.browser.seed import right_answer, wrong_answer

COURSE, MODULE = "basics", "first-steps"


def _setup(app, make_user):
    user = make_user(audience="officer")
    course = get_catalogue().course(COURSE)
    module = course.module(MODULE)
    return db.session.merge(user), course, module


def _submit(user, course, module, answer):
    attempt = quizzes.start_attempt(user, course, module, module.quiz)
    answers = {q.id: answer(q) for q in module.quiz.questions}
    return attempt, services.submit_quiz(
        user, course, attempt, attempt.submit_key, answers, module.quiz.max_attempts
    )


def _module_status(user_id: int, course) -> int:
    row = db.session.get(CourseStatus, (user_id, COURSE))
    assert row is not None, "the stored status was not written"
    position = [m.id for m in course.modules].index(MODULE)
    return int(row.module_statuses[position])


def test_a_lesson_writes_its_completion_and_the_stored_status(app, make_user):
    with app.app_context():
        user, course, module = _setup(app, make_user)
        lesson = module.lessons_for("officer")[0]
        result = services.complete_lesson(user, course, lesson, acknowledged=True)
        assert result.is_new
        # Before any commit: every step has run in this one transaction.
        assert _module_status(user.id, course) == STATUS_CODES[Status.IN_PROGRESS]


def test_a_passed_quiz_writes_attempt_completion_and_status_in_one_go(app, make_user):
    with app.app_context():
        user, course, module = _setup(app, make_user)
        for lesson in module.lessons_for("officer"):
            services.complete_lesson(user, course, lesson, acknowledged=True)
        attempt, submission = _submit(user, course, module, right_answer)
        assert submission.is_new and submission.result.passed
        assert submission.newly_completed == (f"module:{MODULE}",)
        assert db.session.get(QuizAttempt, attempt.id).submitted_at is not None
        completions = select(func.count()).select_from(ModuleCompletion)
        assert db.session.scalar(completions) == 1
        assert _module_status(user.id, course) == STATUS_CODES[Status.COMPLETE]
        # The same attempt again: nothing more is recorded or reported.
        again = services.submit_quiz(
            user, course, attempt, attempt.submit_key, {}, module.quiz.max_attempts
        )
        assert not again.is_new and again.newly_completed == ()
        assert db.session.scalar(completions) == 1


def test_a_failed_quiz_completes_nothing_but_still_rewrites_the_status(app, make_user):
    with app.app_context():
        user, course, module = _setup(app, make_user)
        _attempt, submission = _submit(user, course, module, wrong_answer)
        assert submission.is_new and not submission.result.passed
        assert submission.newly_completed == ()
        assert db.session.scalar(select(func.count()).select_from(ModuleCompletion)) == 0
        assert _module_status(user.id, course) == STATUS_CODES[Status.IN_PROGRESS]


def test_someone_elses_attempt_is_refused(app, make_user):
    someone_else = make_user(audience="officer")
    with app.app_context():
        user, course, module = _setup(app, make_user)
        other = db.session.merge(someone_else)
        attempt = quizzes.start_attempt(user, course, module, module.quiz)
        with pytest.raises(ValueError, match="not this person's"):
            services.submit_quiz(other, course, attempt, attempt.submit_key, {}, 0)
