"""Course pages: the course list, a course, a module, a lesson, and course media."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, send_file
from flask_login import current_user, login_required
from werkzeug.security import safe_join

from induction.catalogue import get_catalogue
from induction.content.model import Course
from induction.content.outline import Step, course_steps, neighbours

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


def viewer_audience() -> str | None:
    """Return the audience whose view of the courses to show (None: every audience, for admins)."""
    if current_user.is_authenticated and not current_user.is_admin:
        return current_user.audience
    return None

def visible_course(course_id: str) -> Course:
    """Return the course if the current person may see it; abort with 404 otherwise."""
    course = get_catalogue().course(course_id)
    if course is None:
        abort(404)
    is_admin = current_user.is_authenticated and current_user.is_admin
    if (course.draft and not is_admin) or not course.applies_to(viewer_audience()):
        abort(404)
    return course

@bp.get("/")
@login_required
def index():
    """List the courses for the person's audience."""
    is_admin = current_user.is_admin
    courses = get_catalogue().courses_for(viewer_audience(), include_drafts=is_admin)
    return render_template("courses/index.html", courses=courses, audience=viewer_audience())

@bp.get("/<course_id>/")
@login_required
def course(course_id: str):
    """A course: its modules and their lessons."""
    course = visible_course(course_id)
    audience = viewer_audience()
    return render_template("courses/course.html", course=course, audience=audience)

@bp.get("/<course_id>/modules/<module_id>")
@login_required
def module(course_id: str, module_id: str):
    """A module: its introduction, lessons and quiz."""
    course = visible_course(course_id)
    module = course.module(module_id)
    audience = viewer_audience()
    if module is None or not module.applies_to(audience):
        abort(404)
    return render_template("courses/module.html", course=course, module=module, audience=audience)

@bp.get("/<course_id>/lessons/<lesson_id>")
@login_required
def lesson(course_id: str, lesson_id: str):
    """A lesson: the rendered text, the module's contents, previous and next."""
    course = visible_course(course_id)
    audience = viewer_audience()
    lesson = course.lesson(lesson_id)
    if lesson is None or not lesson.applies_to(audience):
        abort(404)
    module = course.module(lesson.module_id)
    assert module is not None
    steps = course_steps(course, audience)
    previous, following = neighbours(steps, lesson.id)
    return render_template(
        "courses/lesson.html",
        course=course,
        module=module,
        lesson=lesson,
        audience=audience,
        previous=previous,
        following=following,
        module_lessons=module.lessons_for(audience),
    )

@bp.get("/<course_id>/media/<path:filename>")
@login_required
def media(course_id: str, filename: str):
    """An image or document from the course's media folder (never HTML)."""
    course = visible_course(course_id)
    media_dir = Path(current_app.config["COURSES_DIR"]) / course.path / "media"
    suffix = Path(filename).suffix.lower()
    joined = safe_join(str(media_dir), filename)
    if suffix not in MEDIA_TYPES or joined is None or not Path(joined).is_file():
        abort(404)
    response = send_file(joined, mimetype=MEDIA_TYPES[suffix], conditional=True, max_age=3600)
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    if suffix == ".pdf":
        response.headers["Content-Disposition"] = "inline"
    return response

