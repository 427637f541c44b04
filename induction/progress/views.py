"""The learner's own pages: My learning (the home page) and My record with its downloads;
and submitting a quiz, which records the completions a pass reaches."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from induction.accounts.organisations import lead_officers_of
from induction.accounts.unsubscribe import reminders_page
from induction.catalogue import get_catalogue
from induction.content.model import Course
from induction.extensions import csrf, db
from induction.progress import certificates, services, updates, wording
from induction.progress.record import by_course, csv_header, entry_dict, entry_row, learner_record
from induction.progress.reflections import reflection_dict, reflections_of
from induction.quizzes import services as quizzes
from induction.quizzes.views import ALREADY_SUBMITTED, ReceivedAnswers, attempt_url, receive_answers
from induction.web.downloads import attachment, csv_response
from induction.web.pages import front_page

bp = Blueprint("progress", __name__)


@bp.get("/")
def my_learning():
    """My learning: each course for the person's audience, its progress and what to do next.

    Visitors who are not signed in get the front page instead (what the site is, how to join).
    """
    if not current_user.is_authenticated:
        return front_page()
    progress = services.progress_in(current_user, services.my_courses(current_user))
    return render_template(
        "progress/my_learning.html",
        progress=progress,
        to_do=services.courses_to_do(progress),
        all_done=services.has_completed_all(progress),
        notices=updates.update_notices(progress),
        my_certificates=certificates.certificates_of(current_user.id),
    )


@bp.get("/help")
@login_required
def help_page():
    """Help: who to ask about the induction (the person's own lead officers by name, or
    that they are one), whom to write to about the site, the emails the site sends them
    and where to stop or start them and, for lead officers and admins, where to do their
    part (the courses, for the reminder links)."""
    officers = lead_officers_of(current_user.organisation_id)
    is_lead_officer = any(person.id == current_user.id for person in officers)
    return render_template(
        "progress/help.html",
        officers=[person for person in officers if person.id != current_user.id],
        is_lead_officer=is_lead_officer,
        courses=get_catalogue().courses_for(None) if is_lead_officer else [],
        reminders_url=reminders_page(current_user.id),
        reminders_stopped=current_user.reminders_stopped_at is not None,
    )


@bp.get("/my/record")
@login_required
def my_record():
    """Everything the person did (quiz attempts passed or not included), with dates and
    acknowledgements, course by course, and their certificates, newest first."""
    entries = learner_record(current_user, get_catalogue().library())
    earned = certificates.certificates_of(current_user.id).values()
    return render_template(
        "progress/my_record.html",
        courses=by_course(entries),
        certificates=sorted(earned, key=lambda c: (c.completed_on, c.course_title), reverse=True),
    )


@bp.get("/my/record.csv")
@login_required
def my_record_csv():
    """The person's record as CSV (through the project's one CSV helper)."""
    entries = learner_record(current_user, get_catalogue().library())
    return csv_response("my-learning-record.csv", csv_header(), (entry_row(e) for e in entries))


@bp.get("/my/record.json")
@login_required
def my_record_json():
    """The person's record as JSON: their own data, in a form other systems can read."""
    entries = learner_record(current_user, get_catalogue().library())
    body = {
        "person": {
            "name": current_user.name,
            "email": current_user.email,
            "organisation": current_user.organisation.name if current_user.organisation else None,
            "audience": current_user.audience,
            "start_date": current_user.start_date.isoformat(),
        },
        "record": [entry_dict(e) for e in entries],
        # Private to the person: their answers to the lessons' reflection prompts.
        "reflections": [reflection_dict(r) for r in reflections_of(current_user.id)],
    }
    return Response(
        json.dumps(body, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers=attachment("my-learning-record.json"),
    )


@bp.post("/courses/<course_id>/modules/<module_id>/quiz/attempts/<int:attempt_id>/submit")
@csrf.exempt
def submit_quiz(course_id: str, module_id: str, attempt_id: int):
    """Grade the answers from the attempt's snapshot, record the result and what it completed."""
    received = receive_answers(course_id, module_id, attempt_id)
    if not isinstance(received, ReceivedAnswers):
        return received
    attempt = received.attempt
    if attempt.is_submitted:
        flash(ALREADY_SUBMITTED, "info")
        return redirect(attempt_url(attempt), 303)
    course = received.course
    module = course.module(attempt.module_id)
    max_attempts = module.quiz.max_attempts if module and module.quiz else 0
    try:
        submission = services.submit_quiz(
            current_user, course, attempt, received.submit_key, received.answers, max_attempts
        )
    except quizzes.WrongSubmitKey as error:
        flash(str(error), "error")
        return redirect(attempt_url(attempt), 303)
    except quizzes.NoAttemptsLeft as error:
        flash(str(error), "error")
        return redirect(url_for("quizzes.quiz", course_id=course_id, module_id=module_id), 303)
    done_url = attempt_url(attempt)  # before the commit, which expires the attempt
    db.session.commit()
    if not submission.is_new:
        flash(ALREADY_SUBMITTED, "info")
    else:
        # The result page says "Course complete" itself, with the certificate and the next
        # course, so only the module's completion is flashed above it.
        reached = tuple(item for item in submission.newly_completed if item != "course")
        _flash_completions(course, reached)
    return redirect(done_url, 303)


def _flash_completions(course: Course, newly_completed: tuple[str, ...]) -> None:
    for message in wording.completion_messages(course, newly_completed):
        flash(message, "success")
