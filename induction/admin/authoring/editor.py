"""The editor: edit a course file, or write a new lesson or quiz; check, preview and save."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from markupsafe import Markup

from induction.accounts.permissions import current_person
from induction.admin import course_files as files
from induction.admin.authoring import lesson_editor
from induction.admin.authoring.blueprint import (
    bp,
    history_url,
    markdown_path,
    module_or_404,
    open_folder,
    sentence,
)
from induction.admin.authoring.lesson_form import LessonTextForm, NewLessonTextForm
from induction.admin.authoring.problems import ProblemRow, problem_rows
from induction.admin.authoring_forms import EditorForm, NewQuizForm
from induction.admin.course_files import edits
from induction.admin.course_files.changes import Change, file_hash, read_bytes
from induction.admin.course_files.checking import Checked
from induction.admin.course_files.diffs import as_text
from induction.admin.course_files.front import course_title, module_title
from induction.admin.course_files.listing import kind_of, list_course
from induction.admin.course_files.paths import CourseFolder, PathRefused
from induction.admin.course_files.workspace import DraftFolder
from induction.catalogue import get_catalogue
from induction.content.frontmatter import split
from induction.content.model import Course
from induction.content.schema import read_values
from induction.extensions import db


def _split_problems(
    folder: CourseFolder, relative: str, checked: Checked | None
) -> tuple[list[ProblemRow], list[ProblemRow]]:
    if checked is None:
        return [], []
    rows = problem_rows(folder, checked.problems)
    return [r for r in rows if r.path == relative], [r for r in rows if r.path != relative]


def _preview_item(course: Course | None, folder: CourseFolder, relative: str) -> Any:
    """Return the loaded object (course, module, lesson or quiz) that the file `relative` is."""
    if course is None:
        return None
    full = folder.display(relative)
    kind = kind_of(relative)
    if kind == "course":
        return course
    for module in course.modules:
        if kind == "module" and module.path == full.rsplit("/", 1)[0]:
            return module
        if kind == "quiz" and module.quiz is not None and module.quiz.path == full:
            return module.quiz
        for lesson in module.lessons:
            if lesson.path == full:
                return lesson
    return None


def _fallback_html(text: str | None, kind: str | None) -> Markup | None:
    """Return the body rendered without links, for a file whose course does not load."""
    if text is None or kind == "quiz":
        return None
    renderer = get_catalogue().renderer
    if renderer is None:
        return None
    return Markup(renderer.render(split(text, "").body).html)  # noqa: S704 - sanitized


KIND_WORDS = {"course": "Course", "module": "Module", "lesson": "Lesson", "quiz": "Quiz"}


def _heading(relative: str, text: str | None) -> str:
    """Return the page's heading: what the file holds ("Lesson: Welcome"), never its name."""
    kind = kind_of(relative) or "lesson"
    values, _ = read_values(split(text or "", relative), kind, relative)
    title = values.get("title") or ("Check your understanding" if kind == "quiz" else "untitled")
    return f"{KIND_WORDS.get(kind, 'File')}: {title}"


def _editor_page(
    folder: CourseFolder,
    relative: str,
    form: EditorForm,
    checked: Checked | None,
    *,
    status: int = 200,
    mode: str = "edit",
    module: str | None = None,
    outcome: files.Outcome | None = None,
):
    file_rows, course_rows = _split_problems(folder, relative, checked)
    module_name = module or (relative.split("/")[0] if "/" in relative else None)
    course = checked.course if checked else None
    item = _preview_item(course, folder, relative)
    kind = kind_of(relative)
    preview_html = None
    if kind == "lesson" and item is not None and course is not None:
        # A picture added since the last publish shows in the preview too.
        preview_html = lesson_editor.draft_pictures(str(item.html), course.id, folder)
    page = render_template(
        "admin/authoring/editor.html",
        folder=folder,
        relative=relative,
        kind=kind,
        mode=mode,
        module=module,
        form=form,
        checked=checked,
        file_problems=file_rows,
        course_problems=course_rows,
        blocking=problem_rows(folder, checked.blocking) if checked and status == 400 else [],
        item=item,
        preview_html=preview_html,
        picture_limit_mb=f"{files.media_max_bytes() / (1024 * 1024):.0f}",
        fallback_html=None if item is not None else _fallback_html(form.text.data, kind),
        outcome=outcome,
        form_has_errors=bool(form.errors) or status in (400, 409),
        heading=_heading(relative, form.text.data),
        course_title=course_title(folder),
        module_title=module_title(folder, module_name) if module_name else None,
        history_url=history_url(folder.name, relative) if mode == "edit" else None,
    )
    return page, status


def _after_commit(
    folder: CourseFolder,
    relative: str,
    form: EditorForm,
    outcome: files.Outcome,
    change: Change,
    **page: Any,
):
    """Respond to a save that was not made: conflict, errors, or impact to confirm."""
    if outcome.status == files.CONFLICT:
        current = read_bytes(files.resolve(folder, relative))
        # Saving again after seeing the other version is a deliberate choice to replace it.
        form.base_hash.data = file_hash(current)
        form.confirm_token.data = ""
        return _editor_page(
            folder,
            relative,
            form,
            files.preview(folder, change),
            status=409,
            outcome=outcome,
            **page,
        )
    if outcome.status == files.INVALID:
        return _editor_page(folder, relative, form, outcome.checked, status=400, **page)
    form.confirm_token.data = outcome.token
    return _editor_page(folder, relative, form, outcome.checked, outcome=outcome, **page)


def _as_text() -> bool:
    """True when the whole file is edited as text: asked for, or posted from that editor."""
    return request.args.get("as") == "text" or (request.method == "POST" and "text" in request.form)


@bp.route("/<folder>/files/<path:path>", methods=["GET", "POST"])
def edit(folder: str, path: str):
    """Edit one course file: check and preview it, save it when the course stays valid."""
    course_folder = open_folder(folder)
    relative = markdown_path(course_folder, path)
    if kind_of(relative) == "lesson" and not _as_text():
        return lesson_editor.edit_lesson(course_folder, relative)
    # A lesson's file has "Add a new picture", as the lesson's form has.
    form = LessonTextForm() if kind_of(relative) == "lesson" else EditorForm()
    if request.method == "GET":
        data = read_bytes(files.resolve(course_folder, relative))
        form.text.data = as_text(data) or ""
        form.base_hash.data = file_hash(data)
        return _editor_page(course_folder, relative, form, files.preview(course_folder, Change()))
    if not form.validate_on_submit():
        return _editor_page(course_folder, relative, form, None, status=400)
    if isinstance(form, LessonTextForm) and not lesson_editor.take_picture(
        course_folder, relative, form, form.text
    ):
        return _editor_page(course_folder, relative, form, None, status=400)
    change = edits.edit_change(course_folder, relative, form.text.data or "")
    if not form.save.data:
        form.confirm_token.data = ""
        return _editor_page(course_folder, relative, form, files.preview(course_folder, change))
    outcome = files.commit(
        course_folder,
        change,
        actor=current_person(),
        action="course_file.saved",
        expected={relative: form.base_hash.data or ""},
        confirm=form.confirm_token.data or None,
    )
    if outcome.status in (files.SAVED, files.UNCHANGED):
        db.session.commit()
        flash("Saved." if outcome.is_saved else "No changes to save.", "success")
        return redirect(url_for("authoring.edit", folder=folder, path=relative))
    return _after_commit(course_folder, relative, form, outcome, change)


def _create_file(
    course_folder: DraftFolder,
    module: str,
    relative: str,
    form: EditorForm,
    mode: str,
):
    """Check, or create, a new lesson or quiz file from the editor form."""
    change = edits.new_file_change(course_folder, relative, form.text.data or "")
    if not form.save.data:
        return _editor_page(
            course_folder,
            relative,
            form,
            files.preview(course_folder, change),
            mode=mode,
            module=module,
        )
    outcome = files.commit(
        course_folder,
        change,
        actor=current_person(),
        action="course_file.created",
        expected={relative: ""},
    )
    if outcome.is_saved:
        db.session.commit()
        flash(f"Created {relative}.", "success")
        return redirect(url_for("authoring.edit", folder=course_folder.name, path=relative))
    return _after_commit(course_folder, relative, form, outcome, change, mode=mode, module=module)


@bp.route("/<folder>/modules/<module>/new-lesson", methods=["GET", "POST"])
def new_lesson(folder: str, module: str):
    """Write a new lesson in a module: check and preview it, then create it."""
    course_folder = open_folder(folder)
    module_or_404(course_folder, module)
    if not _as_text():
        return lesson_editor.new_lesson(course_folder, module)
    form = NewLessonTextForm()  # with "Add a new picture", as the lesson's form has
    if request.method == "GET":
        form.file_name.data = edits.suggested_lesson_name(list_course(course_folder), module)
        form.text.data = edits.lesson_template()
    elif form.validate_on_submit():
        try:
            relative = edits.new_lesson_path(course_folder, module, form.file_name.data or "")
        except (PathRefused, edits.EditRefused) as refused:
            form.file_name.errors = [sentence(refused)]
        else:
            if lesson_editor.take_picture(course_folder, relative, form, form.text):
                return _create_file(course_folder, module, relative, form, "new-lesson")
    name = form.file_name.data or "new-lesson.md"
    relative = f"{module}/{name}"
    checked = None
    if request.method == "GET":
        change = Change(writes={relative: (form.text.data or "").encode("utf-8")})
        checked = files.preview(course_folder, change)
    status = 200 if request.method == "GET" else 400
    return _editor_page(
        course_folder, relative, form, checked, status=status, mode="new-lesson", module=module
    )


@bp.route("/<folder>/modules/<module>/new-quiz", methods=["GET", "POST"])
def new_quiz(folder: str, module: str):
    """Write a module's quiz: check and preview it, then create it."""
    course_folder = open_folder(folder)
    module_or_404(course_folder, module)
    try:
        relative = edits.new_quiz_path(course_folder, module)
    except edits.EditRefused as refused:
        flash(sentence(refused), "error")
        return redirect(url_for("authoring.module", folder=folder, module=module))
    form = NewQuizForm()
    if request.method == "GET":
        form.text.data = edits.quiz_template(edits.new_question_id(course_folder, module))
        change = Change(writes={relative: form.text.data.encode("utf-8")})
        return _editor_page(
            course_folder,
            relative,
            form,
            files.preview(course_folder, change),
            mode="new-quiz",
            module=module,
        )
    if not form.validate_on_submit():
        return _editor_page(
            course_folder, relative, form, None, status=400, mode="new-quiz", module=module
        )
    return _create_file(course_folder, module, relative, form, "new-quiz")
