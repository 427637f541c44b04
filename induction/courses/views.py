"""Course pages: the course list, a course, a module, a lesson (and completing it), course
media, and a lesson's picture shown full size."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
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
from induction.content.pictures import natural_width
from induction.content.tree import MEDIA_DIR, inside_course
from induction.courses import council_notes
from induction.courses.forms import CompleteLessonForm, ReflectionForm
from induction.courses.lesson_links import hidden_lesson_urls, without_links_to
from induction.courses.lesson_pictures import picture_in
from induction.extensions import db
from induction.progress import certificates, reflections, updates, wording
from induction.progress import services as progress
from induction.progress.status import (
    CourseProgress,
    Status,
    completion_rule,
    step_after,
    steps_to_do_before,
)
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


@bp.app_template_filter("without_links_to")
def without_links_to_filter(html: str, urls: frozenset[str]) -> str:
    """Return a lesson's HTML with its links to the lessons in `urls` made plain words."""
    return without_links_to(html, urls)


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
    course_progress = progress_for(course)
    return render_template(
        "courses/course.html",
        course=course,
        audience=viewer_audience(),
        progress=course_progress,
        my_certificates=certificates.certificates_of(current_user.id),
        next_course=(
            progress.next_course_after(current_user, course)
            if course_progress.status is Status.COMPLETE
            else None
        ),
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
    """Record the lesson as complete (once), keep what the learner changed in its
    reflection boxes, and go on to what comes after it (`step_after`).

    From the Continue button of a lesson already done (then=continue), only keep the
    boxes and go on: nothing is recorded, and no statement is asked for again.
    """
    course = visible_course(course_id)
    lesson = visible_lesson(course, lesson_id)
    form = CompleteLessonForm.for_statement(lesson.acknowledge)
    boxes = _posted_reflections(lesson)
    if not _all_valid(form, boxes):
        return _render_lesson(course, lesson, form, status=400, posted=boxes)
    if request.form.get("then") == "continue":
        kept = _keep_changed_reflections(lesson, boxes)
        db.session.commit()
        if kept:
            flash(wording.reflection_message(kept), "success")
        return redirect(_continue_url(course, lesson, progress_for(course)))
    try:
        result = progress.complete_lesson(
            current_user, course, lesson, acknowledged=bool(form.acknowledge.data)
        )
    except progress.AcknowledgementRequired:
        form.acknowledge.errors = ["Tick the statement to confirm it before you continue"]
        return _render_lesson(course, lesson, form, status=400, posted=boxes)
    kept = _keep_changed_reflections(lesson, boxes)
    db.session.commit()
    words = wording.reflection_message(kept)
    course_progress = progress_for(course)
    following = _continue_url(course, lesson, course_progress)
    biggest = wording.biggest_completion(course, result.newly_completed)
    if not biggest:
        if result.is_new or kept:
            flash(wording.lesson_message(lesson.title, result.is_new, words), "success")
        else:
            flash(wording.lesson_message(lesson.title, result.is_new), "info")
    else:
        # Only the biggest completion is said; on the course page, its certificate box
        # already says the course is complete, so nothing is flashed above it.
        if words:
            flash(words, "success")
        boxed = "course" in result.newly_completed and course.certificate
        if not (boxed and following == course_url(course)):
            flash(biggest, "success")
    _flash_still_to_do(course, lesson, course_progress)
    return redirect(following)


def _all_valid(form: CompleteLessonForm, boxes: dict[str, ReflectionForm]) -> bool:
    """Return True when the lesson's form (its token) and every box sent with it are valid;
    every one is checked, so the page sent back lists every problem."""
    checked = [form.validate_on_submit()] + [b.validate() for b in boxes.values() if b.was_sent]
    return all(checked)


def _keep_changed_reflections(lesson: Lesson, boxes: dict[str, ReflectionForm]) -> dict[str, str]:
    """Save the boxes the learner changed; return prompt id -> "saved" or "cleared".

    A box they emptied is cleared; one left as the page showed it is not written, so an
    empty box never wipes what they saved meanwhile (see ReflectionForm.shown).
    """
    changed = {key: box.text.data or "" for key, box in boxes.items() if box.is_changed}
    return reflections.save_reflections(current_user, lesson, changed)


def _continue_url(course: Course, lesson: Lesson, course_progress: CourseProgress) -> str:
    """Return the address of what comes after `lesson` (step_after), or of the course
    page after its last step."""
    steps = course_steps(course, viewer_audience())
    following = step_after(course_progress, steps, lesson.id)
    return step_url(course, following) if following is not None else course_url(course)


def _flash_still_to_do(course: Course, lesson: Lesson, course_progress: CourseProgress) -> None:
    """Say what is still to do before `lesson` in the course, with a link, if anything."""
    steps = course_steps(course, viewer_audience())
    earlier = steps_to_do_before(course_progress, steps, lesson.id)
    if not earlier:
        return
    counts: dict[str, int] = {}
    for step in earlier:
        counts[step.module.id] = counts.get(step.module.id, 0) + 1
    # Numbered as on the course page: the modules that have something for the learner.
    modules = [
        (number, mp.module.title, counts[mp.module.id])
        for number, mp in enumerate(course_progress.modules, start=1)
        if mp.module.id in counts
    ]
    first = earlier[0]
    name = first.label
    flash(wording.still_to_do(modules, name, step_url(course, first)), "info")


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
    """Save the learner's private answer to one reflection prompt (and any other box of the
    lesson they changed), then back to it."""
    course = visible_course(course_id)
    lesson = visible_lesson(course, lesson_id)
    if lesson.block(REFLECTION, prompt_id) is None:
        abort(404)
    boxes = _posted_reflections(lesson)
    boxes[prompt_id] = ReflectionForm.for_prompt(prompt_id, posted=True)  # its own token
    complete_form = CompleteLessonForm.for_statement(lesson.acknowledge, formdata=None)
    checked = [box.validate() for key, box in boxes.items() if key == prompt_id or box.was_sent]
    if not all(checked):
        return _render_lesson(course, lesson, complete_form, status=400, posted=boxes)
    # The pressed box is saved as it is (blank clears it); the others only when changed.
    texts = {
        key: box.text.data or "" for key, box in boxes.items() if key == prompt_id or box.is_changed
    }
    try:
        kept = reflections.save_reflections(current_user, lesson, texts)
    except ValueError as error:
        boxes[prompt_id].text.errors = [str(error)]
        return _render_lesson(course, lesson, complete_form, status=400, posted=boxes)
    db.session.commit()
    flash(wording.reflection_message(kept), "success" if "saved" in kept.values() else "info")
    anchor = f"reflection-{prompt_id}"
    return redirect(url_for(".lesson", course_id=course.id, lesson_id=lesson.id, _anchor=anchor))


def _posted_reflections(lesson: Lesson) -> dict[str, ReflectionForm]:
    """Return the submitted form of each reflection box of `lesson`, keyed by prompt id.

    Their own tokens are not checked: the form they are sent with checks the page's.
    """
    return {
        part.id: ReflectionForm.for_prompt(part.id, posted=True, csrf=False)
        for part in lesson.blocks(REFLECTION)
        if part.id is not None
    }


def _render_lesson(
    course: Course,
    lesson: Lesson,
    form: CompleteLessonForm,
    status: int = 200,
    posted: dict[str, ReflectionForm] | None = None,
):
    audience = viewer_audience()
    module = course.module(lesson.module_id)
    assert module is not None
    course_progress = progress_for(course)
    steps = course_steps(course, audience)
    previous, following = neighbours(steps, lesson.id)
    saved = reflections.reflections_in(current_user, lesson) if lesson.blocks(REFLECTION) else {}
    boxes = _reflection_forms(lesson, saved, posted)
    page = render_template(
        "courses/lesson.html",
        course=course,
        module=module,
        lesson=lesson,
        audience=audience,
        previous=previous,
        following=following,
        continue_to=step_after(course_progress, steps, lesson.id),
        module_lessons=module.lessons_for(audience),
        hidden_links=hidden_lesson_urls(course, audience, get_catalogue().links),
        progress=course_progress,
        lesson_progress=course_progress.lesson(lesson.id),
        notice=updates.update_notices([course_progress]).get((course.id, lesson.id)),
        form=form,
        form_has_errors=bool(form.errors) or any(box.errors for box in boxes.values()),
        reflection_forms=boxes,
        saved_reflections=saved,
        notes=council_notes.notes_for_lesson(current_user.organisation_id, lesson),
        may_edit_notes=current_user.is_manager and current_user.organisation_id is not None,
        notes_places={slot.id: slot.place for slot in council_notes.slots_of(course, lesson)},
    )
    return page, status


def _reflection_forms(
    lesson: Lesson,
    saved: dict[str, reflections.SavedReflection],
    posted: dict[str, ReflectionForm] | None,
) -> dict[str, ReflectionForm]:
    """Return the form of each reflection prompt: as submitted when `posted` has it (so a
    page sent back with a problem keeps what was typed), else filled in with what the
    learner saved (`saved`, reflections_in)."""
    forms: dict[str, ReflectionForm] = {}
    for part in lesson.blocks(REFLECTION):
        assert part.id is not None
        box = (posted or {}).get(part.id)
        if box is not None and box.was_sent:
            forms[part.id] = box
        else:
            kept = saved.get(part.id)
            forms[part.id] = ReflectionForm.for_prompt(part.id, kept.text if kept else "")
    return forms


def course_url(course: Course) -> str:
    return url_for("courses.course", course_id=course.id)


def media_file(course: Course, filename: str) -> Path | None:
    """Return the file `filename` of the course's media folder when it may be served (a kind
    in MEDIA_TYPES, inside the course, there), else None."""
    course_dir = Path(current_app.config["COURSES_DIR"]) / course.path
    joined = safe_join(str(course_dir / MEDIA_DIR), filename)
    if (
        Path(filename).suffix.lower() not in MEDIA_TYPES
        or joined is None
        or not inside_course(course_dir, Path(joined))
        or not Path(joined).is_file()
    ):
        return None
    return Path(joined)


@bp.get("/<course_id>/media/<path:filename>")
@login_required
def media(course_id: str, filename: str):
    """An image or document from the course's media folder (never HTML)."""
    course = visible_course(course_id)
    path = media_file(course, filename)
    if path is None:
        abort(404)
    suffix = path.suffix.lower()
    response = send_file(path, mimetype=MEDIA_TYPES[suffix], conditional=True, max_age=3600)
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    if suffix == ".pdf":
        response.headers["Content-Disposition"] = "inline"
    return response


@bp.get("/<course_id>/lessons/<lesson_id>/pictures/<path:filename>")
@login_required
def picture(course_id: str, lesson_id: str, filename: str):
    """One of a lesson's pictures at its full size, in a box that scrolls sideways, with the
    way back to the lesson: where a lesson's "Open the picture full size" link leads."""
    course = visible_course(course_id)
    lesson = visible_lesson(course, lesson_id)
    catalogue = get_catalogue()
    shown = picture_in(lesson.html, catalogue.links.media(course.id, filename))
    if shown is None or not MEDIA_TYPES.get(Path(filename).suffix.lower(), "").startswith("image/"):
        abort(404)
    path = media_file(course, filename)
    # A picture only a previewed draft has is not on disk yet: its page shows it all the
    # same (the media address serves it from the draft), at the width it has.
    if path is None and not catalogue.previewing():
        abort(404)
    module = course.module(lesson.module_id)
    assert module is not None
    return render_template(
        "courses/picture.html",
        course=course,
        module=module,
        lesson=lesson,
        picture=shown,
        width=natural_width(path) if path is not None else None,
    )
