"""The course list, "Preview as", a course's and a module's pages, publishing."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, session, url_for

from induction.accounts.access import PREVIEW_AUDIENCE_KEY
from induction.accounts.permissions import current_person
from induction.admin import course_files as files
from induction.admin.authoring.blueprint import (
    AUDIENCE_NAMES,
    bp,
    module_or_404,
    open_folder,
    sentence,
)
from induction.admin.authoring.preview_landing import landing
from induction.admin.authoring.problems import ProblemRow, draft_problem_rows, problem_rows
from induction.admin.authoring_forms import ConfirmForm, GiftForm, PreviewForm, PreviewSwitchForm
from induction.admin.course_files import edits
from induction.admin.course_files.front import (
    course_audiences,
    course_title,
    course_titles,
    module_audiences,
)
from induction.admin.course_files.impact import course_starters, quiz_takers
from induction.admin.course_files.listing import (
    course_id_of,
    list_course,
    list_course_folders,
    quiz_id_of,
)
from induction.admin.course_files.paths import CourseFolder
from induction.admin.course_files.workspace import DraftFolder
from induction.admin.drafts import schedule, store
from induction.admin.drafts.pending import draft_counts, draft_marks
from induction.admin.drafts.preview import (
    PREVIEW_DRAFT_KEY,
    PREVIEW_DRAFT_TITLE_KEY,
    end_draft_preview,
)
from induction.admin.drafts.unpublished import change_count
from induction.admin.structure_forms import AudiencesForm
from induction.catalogue import get_catalogue
from induction.content.model import Severity
from induction.extensions import db


@dataclass(frozen=True)
class CourseRow:
    """A course folder as the course list shows it."""

    folder: str
    course_id: str
    title: str | None
    status: str  # published, draft, broken, stale or unknown
    errors: int
    changes: int = 0  # things the course's draft does, not yet published (see change_count)


def course_rows() -> list[CourseRow]:
    """Return every course folder with the state the catalogue serves it in, and how many
    things its draft does, counted as the admin home and the draft page count them."""
    root = files.courses_root()
    states = {state.course_id: state for state in get_catalogue().states()}
    changes = draft_counts()
    rows = []
    for name in list_course_folders(root):
        folder = CourseFolder(root, name)
        course_id = course_id_of(folder)
        state = states.get(course_id) or states.get(name)
        course = state.course if state else None
        problems = state.problems if state else ()
        errors = len([p for p in problems if p.severity is Severity.ERROR])
        if state is None:
            status = "unknown"
        elif state.is_stale:
            status = "stale"
        elif course is None:
            status = "broken"
        else:
            status = "draft" if course.draft else "published"
        title = course.title if course else None
        count = change_count(folder) if changes.get(name) else 0
        rows.append(CourseRow(name, course_id, title, status, errors, count))
    return rows


@bp.get("/")
def index():
    """Every course folder with its state, and the "Preview as" form."""
    form = PreviewForm(audience=session.get(PREVIEW_AUDIENCE_KEY))
    return render_template("admin/authoring/index.html", rows=course_rows(), form=form)


@bp.post("/preview")
def preview_start():
    """Show the course pages as one audience sees them, until stopped; from the preview
    banner, switch to another audience and go back to the page (see preview_landing).
    Started from the Course files page (`published`), it shows the published courses:
    a preview of a draft begun before ends."""
    form = PreviewSwitchForm()
    if not form.validate_on_submit():
        page = render_template(
            "admin/authoring/index.html",
            rows=course_rows(),
            form=form,
            form_has_errors=True,
        )
        return page, 400
    session[PREVIEW_AUDIENCE_KEY] = form.audience.data
    who = AUDIENCE_NAMES[form.audience.data]
    ended = session.get(PREVIEW_DRAFT_TITLE_KEY) or session.get(PREVIEW_DRAFT_KEY)
    if form.published.data == "yes":  # the published courses, not a draft previewed before
        end_draft_preview(session)
    back = landing(current_person(), form.next.data, form.audience.data)
    if form.published.data == "yes" and ended:
        flash(
            f"The preview of the draft of “{ended}” has ended: you are now seeing the "
            f"published courses as {who} see them."
        )
        return redirect(back.url if back is not None else url_for("courses.index"))
    if back is not None:
        flash(back.message)
        return redirect(back.url)
    flash(f"You are now seeing the courses as {who} see them.")
    return redirect(url_for("courses.index"))


@bp.post("/preview/stop")
def preview_stop():
    """Go back to the admin's own view of the courses."""
    if ConfirmForm().validate_on_submit():
        session.pop(PREVIEW_AUDIENCE_KEY, None)
        end_draft_preview(session)
        flash("Preview stopped: you see every audience's lessons again.")
    return redirect(url_for("authoring.index"))


# -- a course and a module -----------------------------------------------------------------------


def course_problems(folder: CourseFolder) -> list[ProblemRow]:
    """Return the problems the catalogue found in one course folder."""
    library = get_catalogue().library()
    inside = [p for p in library.problems if p.path.split("/", 1)[0] == folder.name]
    return problem_rows(folder, inside)


def course_page(folder: DraftFolder, status: int = 200, **extra):
    """Return a course's authoring page and its status (also after a refused change)."""
    items = list_course(folder)
    row = next((r for r in course_rows() if r.folder == folder.name), None)
    draft_count = row.changes if row else 0
    # With a draft, its own problems too, as the draft page lists them: the catalogue's
    # are those of the course as published.
    in_draft = draft_problem_rows(folder.live, store.draft_rows(folder.name)) if draft_count else []
    page = render_template(
        "admin/authoring/course.html",
        folder=folder,
        row=row,
        items=items,
        titles=course_titles(folder, items),
        problems=course_problems(folder),
        draft_problems=in_draft,
        form=ConfirmForm(),
        draft_count=draft_count,
        scheduled=schedule.pending(folder.name) if folder.found else [],
        marks=draft_marks(folder.live, folder.found),
        form_has_errors=status >= 400,
        **extra,
    )
    return page, status


@bp.get("/<folder>/")
def course(folder: str):
    """A course's modules in order, its problems and what can be done with them."""
    return course_page(open_folder(folder))


def module_page(
    folder: DraftFolder,
    module: str,
    form: GiftForm,
    status: int = 200,
    audiences_form: AudiencesForm | None = None,
    **extra,
):
    """Return a module's authoring page and its status (also after a refused change)."""
    found = module_or_404(folder, module)
    takers = 0
    if found.quiz is not None:
        takers = quiz_takers(course_id_of(folder), quiz_id_of(folder, module))
    allowed = course_audiences(folder)
    if audiences_form is None:
        audiences_form = AudiencesForm(formdata=None)
        audiences_form.audiences.data = list(module_audiences(folder, module) or allowed)
    audiences_form.offer(allowed)
    items = list_course(folder)
    page = render_template(
        "admin/authoring/module.html",
        folder=folder,
        module=found,
        titles=course_titles(folder, items),
        course_title=course_title(folder),
        takers=takers,
        marks=draft_marks(folder.live, folder.found),
        form=form,
        audiences_form=audiences_form,
        form_has_errors=bool(form.errors) or bool(audiences_form.errors) or status >= 400,
        **extra,
    )
    return page, status


@bp.get("/<folder>/modules/<module>/")
def module(folder: str, module: str):
    """A module's files, with new lesson, new quiz and GIFT import."""
    return module_page(open_folder(folder), module, GiftForm())


def _set_draft(folder: str, draft: bool):
    course_folder = open_folder(folder)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        change = edits.draft_change(course_folder, draft)
    except edits.EditRefused as refused:
        flash(sentence(refused), "error")
        return redirect(url_for("authoring.course", folder=folder))
    action = "course.unpublished" if draft else "course.published"
    # A course is published only when it passes the whole check.
    outcome = files.commit(
        course_folder, change, actor=current_person(), action=action, strict=not draft
    )
    if outcome.status in (files.SAVED, files.UNCHANGED):
        db.session.commit()
        if not outcome.is_saved:
            flash("Nothing to change.", "info")
        elif draft:
            flash(
                "Saved in the draft: once you publish the draft, only admins see the course.",
                "success",
            )
        else:
            flash(
                "Saved in the draft: once you publish the draft, learners of its audiences "
                "see the course.",
                "success",
            )
        return redirect(url_for("authoring.course", folder=folder))
    blocking = problem_rows(course_folder, outcome.checked.blocking if outcome.checked else ())
    return course_page(course_folder, 400, blocking=blocking)


@bp.post("/<folder>/publish")
def publish(folder: str):
    """Publish a draft course (sets `draft: false` in course.md)."""
    return _set_draft(folder, draft=False)


@bp.get("/<folder>/unpublish")
def confirm_unpublish(folder: str):
    """Ask before hiding a course from learners, saying whom it affects."""
    course_folder = open_folder(folder)
    return render_template(
        "admin/authoring/unpublish.html",
        folder=course_folder,
        course_title=course_title(course_folder),
        started=course_starters(course_id_of(course_folder)),
    )


@bp.post("/<folder>/unpublish")
def unpublish(folder: str):
    """Make a course a draft again (sets `draft: true` in course.md)."""
    return _set_draft(folder, draft=True)
