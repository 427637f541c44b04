"""Quiz pages: the start page, an attempt (answer, check) and its results.

Submitting is `progress.views.submit_quiz`: it records the completions a pass reaches,
which belong to progress; it reads the form post with `receive_answers` from here.

The POST endpoints check the CSRF token themselves instead of leaving it to the global
CSRFProtect, so an expired form or session never ends in an error page that loses the
learner's answers: the answers are kept with the attempt (its one-time submit key
proves the form came from the attempt's own page) and shown again, after sign-in if
the session had ended.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_url
from flask_wtf.csrf import CSRFError

from induction.accounts.access import viewer_audience, visible_course, visible_quiz
from induction.catalogue import get_catalogue
from induction.content.model import Course, Module, Quiz
from induction.content.outline import Step, course_steps, neighbours
from induction.content.question_types import Answer
from induction.extensions import csrf, db, login_manager
from induction.quizzes import services
from induction.quizzes.forms import (
    AnswerForm,
    StartForm,
    answer_form_class,
    field_name,
    form_data,
    read_answers,
)
from induction.quizzes.grading import how_far_short, what_it_takes
from induction.quizzes.models import QuizAttempt
from induction.quizzes.review import (
    LastTime,
    QuestionReview,
    last_time,
    lessons_to_review,
    review_answers,
    unanswered,
)
from induction.quizzes.snapshot import AskedQuestion, answers_from_json, asked_questions
from induction.quizzes.standing import standing_in

bp = Blueprint("quizzes", __name__, url_prefix="/courses/<course_id>/modules/<module_id>/quiz")

ALREADY_SUBMITTED = "These answers were already submitted; your result is below."
DRAFT_NOTICES = {
    services.DRAFT_EXPIRED: (
        "Your answers were not sent because the page had expired. We have kept them: "
        "check them below, then continue."
    ),
    services.DRAFT_SIGNED_OUT: (
        "Your answers were not sent because you had been signed out. We have kept them: "
        "check them below, then continue."
    ),
}


@bp.get("")
@login_required
def quiz(course_id: str, module_id: str):
    """The quiz's start page: what it asks, the pass mark, attempts used and left, past attempts."""
    course = visible_course(course_id)
    module, quiz = visible_quiz(course, module_id)
    return _render_start(course, module, quiz)


@bp.post("")
@csrf.exempt
def start(course_id: str, module_id: str):
    """Start a new attempt (or resume the open one) and go to it."""
    start_page = url_for(".quiz", course_id=course_id, module_id=module_id)
    if not current_user.is_authenticated:
        return _to_sign_in(start_page, "Sign in again to start the quiz.")
    course = visible_course(course_id)
    module, quiz = visible_quiz(course, module_id)
    if not _csrf_ok():
        flash("The page had expired, so the quiz did not start. Start it again now.", "warning")
        return redirect(start_page, 303)
    try:
        attempt = services.start_attempt(current_user, course, module, quiz, viewer_audience())
    except services.NoAttemptsLeft as error:
        flash(str(error), "error")
        return redirect(start_page, 303)
    db.session.commit()
    return redirect(attempt_url(attempt), 303)


@bp.get("/attempts/<int:attempt_id>")
@login_required
def attempt(course_id: str, module_id: str, attempt_id: int):
    """An attempt: the questions to answer while it is open (those answered wrong in the
    previous attempt marked), its results once submitted."""
    course = visible_course(course_id)
    attempt = _own_attempt(course_id, module_id, attempt_id)
    questions = asked_questions(attempt.questions)
    if attempt.is_submitted:
        return _render_result(course, attempt, questions)
    draft = services.draft_of(attempt)
    answers = draft.answers if draft else {}
    form = answer_form_class(questions)(
        formdata=None, data={**form_data(questions, answers), "submit_key": attempt.submit_key}
    )
    notice = DRAFT_NOTICES.get(draft.reason) if draft else None
    before = last_time(services.latest_results(attempt), questions)
    return _render_form(course, attempt, questions, form, notice, draft, before)


@bp.post("/attempts/<int:attempt_id>")
@csrf.exempt
def check(course_id: str, module_id: str, attempt_id: int):
    """Keep the answers given, then show them for checking before the final submit, or
    ("Save and come back later") go back to the quiz's page, which offers to continue."""
    received = receive_answers(course_id, module_id, attempt_id)
    if not isinstance(received, ReceivedAnswers):
        return received
    attempt = received.attempt
    if attempt.is_submitted:
        return redirect(attempt_url(attempt), 303)
    reason = services.DRAFT_SAVED if received.is_save else services.DRAFT_CHECKED
    if not services.keep_draft(attempt.id, received.submit_key, received.answers, reason):
        flash("This form does not belong to this attempt. Open the quiz again.", "error")
        return redirect(attempt_url(attempt), 303)
    db.session.commit()
    if received.is_save:
        questions = asked_questions(attempt.questions)
        flash(saved_message(review_answers(questions, received.answers)), "success")
        return redirect(url_for(".quiz", course_id=course_id, module_id=module_id), 303)
    return redirect(attempt_url(attempt, "check"), 303)


def saved_message(reviews: list[QuestionReview]) -> str:
    """Return what "Save and come back later" tells the learner it kept."""
    answered = len(reviews) - len(unanswered(reviews))
    noun = "question" if len(reviews) == 1 else "questions"
    return (
        f"Your answers are saved: {answered} of {len(reviews)} {noun} answered. "
        "You can leave now and finish the quiz later."
    )


@bp.get("/attempts/<int:attempt_id>/check")
@login_required
def check_answers(course_id: str, module_id: str, attempt_id: int):
    """Check your answers: every answer with a Change link, unanswered questions first,
    those answered wrong in the previous attempt marked as on the questions' page."""
    course = visible_course(course_id)
    attempt = _own_attempt(course_id, module_id, attempt_id)
    draft = services.draft_of(attempt)
    if attempt.is_submitted or draft is None:
        return redirect(attempt_url(attempt))
    questions = asked_questions(attempt.questions)
    reviews = review_answers(questions, draft.answers)
    module = course.module(attempt.module_id)
    return render_template(
        "quizzes/check.html",
        course=course,
        module=module,
        title=_quiz_title(module),
        attempt=attempt,
        reviews=reviews,
        missing=unanswered(reviews),
        form=AnswerForm(formdata=None, data={"submit_key": attempt.submit_key}),
        field_name=field_name,
        attempt_url=attempt_url(attempt),
        submit_url=attempt_url(attempt, "submit"),
        before=last_time(services.latest_results(attempt), questions),
    )


@dataclass(frozen=True)
class ReceivedAnswers:
    """A quiz form post that passed every check: whose attempt, which answers, which key."""

    course: Course
    attempt: QuizAttempt
    answers: dict[str, Answer]
    submit_key: str
    is_save: bool = False  # "Save and come back later" was pressed


def receive_answers(
    course_id: str, module_id: str, attempt_id: int
) -> ReceivedAnswers | ResponseReturnValue:
    """Read an attempt's form post; return ReceivedAnswers, or the response that ends the request.

    A post from a signed-out browser, or with an expired CSRF token, keeps its answers
    with the attempt when the submit key matches, then sends the person to sign in or
    back to the form, where the answers come back filled in.
    """
    attempt = services.get_attempt(attempt_id)
    if attempt is None or (attempt.course_id, attempt.module_id) != (course_id, module_id):
        if not current_user.is_authenticated:
            quiz_page = url_for("quizzes.quiz", course_id=course_id, module_id=module_id)
            return _to_sign_in(quiz_page, "Sign in again to carry on with the quiz.")
        abort(404)
    questions = asked_questions(attempt.questions)
    form = answer_form_class(questions)()
    answers = read_answers(form, questions)
    submit_key = form.submit_key.data or ""
    if not current_user.is_authenticated:
        kept = services.keep_draft(attempt.id, submit_key, answers, services.DRAFT_SIGNED_OUT)
        db.session.commit()
        message = (
            "You had been signed out. Sign in again: your answers have been kept."
            if kept
            else "Sign in again to carry on with the quiz."
        )
        return _to_sign_in(attempt_url(attempt), message)
    if attempt.user_id != current_user.id:
        abort(404)
    course = visible_course(course_id)
    if not _csrf_ok():
        if attempt.is_submitted:
            flash(ALREADY_SUBMITTED, "info")
        else:
            services.keep_draft(attempt.id, submit_key, answers, services.DRAFT_EXPIRED)
            db.session.commit()
        return redirect(attempt_url(attempt), 303)
    return ReceivedAnswers(course, attempt, answers, submit_key, bool(form.save.data))


def _csrf_ok() -> bool:
    """Return True when the request's CSRF token is valid (or CSRF protection is off)."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    try:
        csrf.protect()
    except CSRFError:
        return False
    return True


def _to_sign_in(next_path: str, message: str) -> ResponseReturnValue:
    """Redirect to the sign-in page, which comes back to `next_path` afterwards."""
    if not login_manager.login_view:
        abort(401)
    flash(message, "info")
    return redirect(login_url(login_manager.login_view, next_path), 303)


def _own_attempt(course_id: str, module_id: str, attempt_id: int) -> QuizAttempt:
    """Return the signed-in person's attempt at this quiz; 404 for anyone else's or none."""
    attempt = services.get_attempt(attempt_id)
    if (
        attempt is None
        or attempt.user_id != current_user.id
        or (attempt.course_id, attempt.module_id) != (course_id, module_id)
    ):
        abort(404)
    return attempt


def attempt_url(attempt: QuizAttempt, page: str = "") -> str:
    endpoint = {
        "": "quizzes.attempt",
        "check": "quizzes.check_answers",
        "submit": "progress.submit_quiz",
    }[page]
    return url_for(
        endpoint, course_id=attempt.course_id, module_id=attempt.module_id, attempt_id=attempt.id
    )


def _quiz_title(module: Module | None) -> str:
    if module is not None and module.quiz_name is not None:
        return module.quiz_name
    return "Quiz"


def _step_url(course: Course, step: Step) -> str:
    links = get_catalogue().links
    if step.lesson is not None:
        return links.lesson(course.id, step.lesson.id)
    return links.quiz(course.id, step.module.id)


def _history(course: Course, quiz: Quiz) -> services.QuizHistory:
    """Return the signed-in person's history of `quiz`, counting what counts now (renewals)."""
    counts_from = services.attempts_count_from(current_user, course)
    return services.quiz_history(
        current_user.id, course.id, quiz.id, quiz.max_attempts, counts_from
    )


def _render_start(course: Course, module: Module, quiz: Quiz) -> str:
    history = _history(course, quiz)
    open_attempt = history.open_attempt(quiz.content_hash)
    kept = services.kept_answers(open_attempt.id) if open_attempt is not None else None
    pass_mark = quiz.pass_mark
    asked = quiz.questions_for(viewer_audience())
    return render_template(
        "quizzes/start.html",
        count=len(asked),
        course=course,
        module=module,
        quiz=quiz,
        pass_mark=pass_mark,
        what_it_takes=what_it_takes(len(asked), pass_mark),
        history=history,
        open_attempt=open_attempt,
        kept=kept,
        may_start=history.may_start(quiz.content_hash),
        form=StartForm(),
        attempt_url=attempt_url,
    )


def _render_form(
    course: Course,
    attempt: QuizAttempt,
    questions: tuple[AskedQuestion, ...],
    form: AnswerForm,
    notice: str | None,
    draft: services.Draft | None,
    before: LastTime | None,
) -> str:
    """Render an open attempt's questions; `before` marks those wrong in the previous attempt."""
    module = course.module(attempt.module_id)
    return render_template(
        "quizzes/attempt.html",
        course=course,
        module=module,
        title=_quiz_title(module),
        attempt=attempt,
        questions=questions,
        form=form,
        notice=notice,
        draft=draft,
        before=before,
        is_old_version=_is_old_version(module, attempt),
        action=attempt_url(attempt),
    )


def _is_old_version(module: Module | None, attempt: QuizAttempt) -> bool:
    return module is None or module.quiz is None or module.quiz.content_hash != attempt.quiz_hash


def _short_by(attempt: QuizAttempt) -> str | None:
    """Return what a submitted attempt that did not pass was short of (how_far_short)."""
    if attempt.right is None or attempt.total is None:
        return None
    return how_far_short(attempt.right, attempt.total, attempt.pass_mark)


def _render_result(
    course: Course, attempt: QuizAttempt, questions: tuple[AskedQuestion, ...]
) -> str:
    module = course.module(attempt.module_id)
    quiz = module.quiz if module is not None else None
    reviews = review_answers(questions, answers_from_json(attempt.answers))
    history = may_retry = following = None
    if module is not None and quiz is not None:
        history = _history(course, quiz)
        may_retry = history.may_start(quiz.content_hash)
        _, step = neighbours(course_steps(course, viewer_audience()), f"quiz:{quiz.id}")
        following = (step.title, _step_url(course, step)) if step is not None else None
    # After a pass: whether the module and the course are complete, and what is left.
    standing = (
        standing_in(current_user, course, module.id)
        if attempt.is_passed and module is not None
        else None
    )
    links = get_catalogue().links
    if standing is not None and not standing.is_module_complete and standing.lessons_left:
        # Passed with lessons of the module still to do: go on to the first of them,
        # not past the module.
        first_left = standing.lessons_left[0]
        following = (first_left.title, links.lesson(course.id, first_left.id))
    return render_template(
        "quizzes/result.html",
        course=course,
        module=module,
        quiz=quiz,
        title=_quiz_title(module),
        attempt=attempt,
        reviews=reviews,
        to_review=[] if attempt.is_passed else lessons_to_review(reviews),
        history=history,
        may_retry=may_retry,
        following=following,
        standing=standing,
        lesson_url=lambda lesson_id: links.lesson(course.id, lesson_id),
        certificate_url=(
            url_for("certificates.download", code=standing.certificate_code)
            if standing is not None and standing.certificate_code
            else None
        ),
        is_old_version=_is_old_version(module, attempt),
        short_by=_short_by(attempt),
        form=StartForm(),
    )
