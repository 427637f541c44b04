"""Course pages: the course list, a course, a module, a lesson (and completing it), course media."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.security import safe_join

from induction.accounts.access import (
    audience_of,
    viewer_audience,
    visible_course,
    visible_courses,
    visible_lesson,
    visible_module,
)
from induction.catalogue import get_catalogue
from induction.content.blocks import REFLECTION
from induction.content.model import Course, Lesson
from induction.content.outline import Step, course_steps, neighbours
from induction.content.tree import MEDIA_DIR, inside_course
from induction.courses import council_notes
from induction.courses.forms import CompleteLessonForm, ReflectionForm
from induction.extensions import db
from induction.progress import certificates, reflections, updates
from induction.progress import services as progress
from induction.progress.status import CourseProgress, completion_rule
from induction.progress.status import course_progress as progress_seen_as

bp = Blueprint("courses", __name__, url_prefix="/courses")

# Only these kinds of file are served from a course's media folder; never HTML.
MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".pdf": "application/pdf",
}
# An SVG opened on its own must not run scripts in this site's origin.
MEDIA_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox"


@bp.app_template_global()
def step_url(course: Course, step: Step) -> str:
    """Return the URL of a step of a course: a lesson page or a module's quiz."""
    links = get_catalogue().links
    if step.lesson is not None:
        return links.lesson(course.id, step.lesson.id)
    return links.quiz(course.id, step.module.id)


@bp.app_template_global()
def quiz_url(course: Course, module) -> str:
    """Return the URL of a module's quiz."""
    return get_catalogue().links.quiz(course.id, module.id)


@bp.app_template_global()
def rule_for(course: Course, module, audience: str | None) -> str:
    """Return a module's one-line completion rule (see induction.progress.status)."""
    return completion_rule(course, module, audience)


def progress_in(courses: list[Course]) -> list[CourseProgress]:
    """Return the person's progress in `courses`, seen through `viewer_audience()`."""
    audience = viewer_audience()
    if audience == audience_of(current_user):
        return progress.progress_in(current_user, courses)
    records = progress.load_records(current_user.id, [course.id for course in courses])
    day = progress.today()
    return [
        progress_seen_as(course, audience, records[course.id], current_user.counts_from, day)
        for course in courses
    ]


def progress_for(course: Course) -> CourseProgress:
    """Return the person's progress in one course, seen through `viewer_audience()`."""
    return progress_in([course])[0]


@bp.get("/")
@login_required
def index():
    """List the courses for the person's audience, with their progress."""
    courses = visible_courses()
    return render_template(
        "courses/index.html",
        courses=courses,
        progress=progress_in(courses),
        audience=viewer_audience(),
    )


@bp.get("/<course_id>/")
@login_required
def course(course_id: str):
    """A course: its modules, their lessons and quizzes, and where the person stands."""
    course = visible_course(course_id)
    return render_template(
        "courses/course.html",
        course=course,
        audience=viewer_audience(),
        progress=progress_for(course),
        my_certificates=certificates.certificates_of(current_user.id),
    )


@bp.get("/<course_id>/modules/<module_id>")
@login_required
def module(course_id: str, module_id: str):
    """A module: its introduction, its completion rule, lessons and quiz."""
    course = visible_course(course_id)
    module = visible_module(course, module_id)
    audience = viewer_audience()
    course_progress = progress_for(course)
    return render_template(
        "courses/module.html",
        course=course,
        module=module,
        audience=audience,
        progress=course_progress,
        module_progress=course_progress.module(module.id),
    )


@bp.get("/<course_id>/lessons/<lesson_id>")
@login_required
def lesson(course_id: str, lesson_id: str):
    """A lesson: the rendered text, its state, the completion button, previous and next."""
    course = visible_course(course_id)
    lesson = visible_lesson(course, lesson_id)
    return _render_lesson(course, lesson, CompleteLessonForm.for_statement(lesson.acknowledge))


@bp.post("/<course_id>/lessons/<lesson_id>/complete")
@login_required
def complete(course_id: str, lesson_id: str):
    """Record the lesson as complete (once) and go on to the next thing to do."""
    course = visible_course(course_id)
    lesson = visible_lesson(course, lesson_id)
    form = CompleteLessonForm.for_statement(lesson.acknowledge)
    if not form.validate_on_submit():
        return _render_lesson(course, lesson, form, status=400)
    try:
        result = progress.complete_lesson(
            current_user, course, lesson, acknowledged=bool(form.acknowledge.data)
        )
    except progress.AcknowledgementRequired:
        form.acknowledge.errors = ["Tick the statement to confirm it before you continue"]
        return _render_lesson(course, lesson, form, status=400)
    db.session.commit()
    if not result.is_new:
        flash("You had already completed this lesson; nothing has changed.", "info")
    elif "course" in result.newly_completed:
        flash(f"You have completed {course.title}.", "success")
    else:
        flash(f"Lesson complete: {lesson.title}.", "success")
    following = progress_for(course).next_step
    if following is None:
        return redirect(course_url(course))
    return redirect(step_url(course, following))


@bp.get("/<course_id>/lessons/<lesson_id>/complete")
@login_required
def complete_reloaded(course_id: str, lesson_id: str):
    """The address of the completion button opened directly (a reload): back to the lesson."""
    course = visible_course(course_id)
    lesson = visible_lesson(course, lesson_id)
    flash(
        "Nothing was recorded: a lesson is marked as complete only with the button at its "
        "end. Press “Mark as complete and continue” when you have read it.",
        "info",
    )
    return redirect(url_for(".lesson", course_id=course.id, lesson_id=lesson.id))


@bp.post("/<course_id>/lessons/<lesson_id>/reflections/<prompt_id>")
@login_required
def save_reflection(course_id: str, lesson_id: str, prompt_id: str):
    """Save the learner's private answer to one reflection prompt, then back to it."""
    course = visible_course(course_id)
    lesson = visible_lesson(course, lesson_id)
    if lesson.block(REFLECTION, prompt_id) is None:
        abort(404)
    form = ReflectionForm.for_prompt(prompt_id, posted=True)
    complete_form = CompleteLessonForm.for_statement(lesson.acknowledge, formdata=None)
    if not form.validate_on_submit():
        return _render_lesson(course, lesson, complete_form, status=400, posted=(prompt_id, form))
    try:
        done = reflections.save_reflection(current_user, lesson, prompt_id, form.text.data or "")
    except ValueError as error:
        form.text.errors = [str(error)]
        return _render_lesson(course, lesson, complete_form, status=400, posted=(prompt_id, form))
    db.session.commit()
    if done == "saved":
        flash("Your reflection is saved. Only you can see it.", "success")
    else:
        flash("Your reflection is cleared.", "info")
    anchor = f"reflection-{prompt_id}"
    return redirect(url_for(".lesson", course_id=course.id, lesson_id=lesson.id, _anchor=anchor))


def _render_lesson(
    course: Course,
    lesson: Lesson,
    form: CompleteLessonForm,
    status: int = 200,
    posted: tuple[str, ReflectionForm] | None = None,
):
    audience = viewer_audience()
    module = course.module(lesson.module_id)
    assert module is not None
    course_progress = progress_for(course)
    previous, following = neighbours(course_steps(course, audience), lesson.id)
    page = render_template(
        "courses/lesson.html",
        course=course,
        module=module,
        lesson=lesson,
        audience=audience,
        previous=previous,
        following=following,
        module_lessons=module.lessons_for(audience),
        progress=course_progress,
        lesson_progress=course_progress.lesson(lesson.id),
        notice=updates.update_notices([course_progress]).get((course.id, lesson.id)),
        form=form,
        form_has_errors=bool(form.errors) or bool(posted and posted[1].errors),
        reflection_forms=_reflection_forms(lesson, posted),
        notes=council_notes.notes_for_lesson(current_user.organisation_id, lesson),
        may_edit_notes=current_user.is_manager and current_user.organisation_id is not None,
        notes_places={slot.id: slot.place for slot in council_notes.slots_of(course, lesson)},
    )
    return page, status


def _reflection_forms(
    lesson: Lesson, posted: tuple[str, ReflectionForm] | None
) -> dict[str, ReflectionForm]:
    """Return the form of each reflection prompt, filled in with what the learner saved."""
    prompts = lesson.blocks(REFLECTION)
    if not prompts:
        return {}
    saved = reflections.reflections_in(current_user, lesson)
    forms: dict[str, ReflectionForm] = {}
    for part in prompts:
        assert part.id is not None
        if posted is not None and posted[0] == part.id:
            forms[part.id] = posted[1]
        else:
            forms[part.id] = ReflectionForm.for_prompt(part.id, saved.get(part.id, ""))
    return forms


def course_url(course: Course) -> str:
    return url_for("courses.course", course_id=course.id)


@bp.get("/<course_id>/media/<path:filename>")
@login_required
def media(course_id: str, filename: str):
    """An image or document from the course's media folder (never HTML)."""
    course = visible_course(course_id)
    course_dir = Path(current_app.config["COURSES_DIR"]) / course.path
    suffix = Path(filename).suffix.lower()
    joined = safe_join(str(course_dir / MEDIA_DIR), filename)
    if (
        suffix not in MEDIA_TYPES
        or joined is None
        or not inside_course(course_dir, Path(joined))
        or not Path(joined).is_file()
    ):
        abort(404)
    response = send_file(joined, mimetype=MEDIA_TYPES[suffix], conditional=True, max_age=3600)
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    if suffix == ".pdf":
        response.headers["Content-Disposition"] = "inline"
    return response
