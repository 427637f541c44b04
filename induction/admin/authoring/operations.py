"""Adding a module, renaming a lesson or module folder, deleting files and folders."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from induction.accounts.permissions import current_person
from induction.admin import course_files as files
from induction.admin.authoring.blueprint import bp, open_folder, sentence
from induction.admin.authoring.problems import ProblemRow, problem_rows
from induction.admin.authoring_forms import ConfirmForm, NewModuleForm, RenameForm
from induction.admin.course_files import edits
from induction.admin.course_files.front import check_title, front_change, title_of
from induction.admin.course_files.impact import delete_impacts
from induction.admin.course_files.listing import kind_of, list_course
from induction.admin.course_files.paths import CourseFolder, PathRefused
from induction.admin.course_files.usage import media_uses
from induction.admin.course_files.workspace import DraftFolder
from induction.admin.structure_forms import TitleForm
from induction.content.tree import COURSE_FILE, MODULE_FILE
from induction.extensions import db


@bp.route("/<folder>/new-module", methods=["GET", "POST"])
def new_module(folder: str):
    """Add a module (with its first lesson) to a course."""
    course_folder = open_folder(folder)
    form = NewModuleForm()
    problems: list[ProblemRow] = []
    status = 200
    if form.validate_on_submit():
        try:
            name, change = edits.new_module_change(
                course_folder,
                form.title.data or "",
                form.summary.data or "",
                form.folder_name.data or "",
                form.lesson_title.data or "",
            )
        except (PathRefused, edits.EditRefused) as refused:
            form.folder_name.errors = [sentence(refused)]
        else:
            outcome = files.commit(
                course_folder, change, actor=current_person(), action="course_file.created"
            )
            if outcome.is_saved:
                db.session.commit()
                flash(f"Created the module {name}.", "success")
                return redirect(url_for("authoring.module", folder=folder, module=name))
            problems = problem_rows(
                course_folder, outcome.checked.blocking if outcome.checked else ()
            )
    if request.method == "POST":
        status = 400
    page = render_template(
        "admin/authoring/new_module.html",
        folder=course_folder,
        form=form,
        problems=problems,
        form_has_errors=status == 400,
    )
    return page, status


def _rename_target(folder: CourseFolder, path: str) -> tuple[str, str]:
    """Return (path, what) for a lesson file or module folder that may be renamed; else 404."""
    try:
        target = files.resolve(folder, path)
    except PathRefused:
        abort(404)
    if kind_of(path) == "lesson" and target.is_file():
        return path, "lesson"
    if "/" not in path and target.is_dir() and path != "media":
        return path, "module"
    abort(404)


def _title_file(relative: str, what: str) -> tuple[str, str]:
    """Return (path, kind) of the file holding the title of a lesson or module folder."""
    return (relative, "lesson") if what == "lesson" else (f"{relative}/{MODULE_FILE}", "module")


def _change_title(folder: DraftFolder, relative: str, what: str, form: TitleForm, old: str):
    """Save a new title through the front matter writer; return a redirect, or None when refused."""
    title_file, kind = _title_file(relative, what)
    try:
        title = check_title(form.title.data or "")
        change = front_change(folder, title_file, kind, {"title": title})
    except (PathRefused, edits.EditRefused) as refused:
        form.title.errors = [sentence(refused)]
        return None, []
    outcome = files.commit(
        folder,
        change,
        actor=current_person(),
        action="course_file.retitled",
        ask_impact=False,
        details={"from": old, "title": title},
    )
    if outcome.status == files.CONFLICT:
        form.title.errors = [
            "Someone else changed this file a moment ago: check the title and save again"
        ]
        return None, []
    if outcome.status == files.INVALID:
        form.title.errors = [
            "The title was not saved: the course would have the errors listed below"
        ]
        return None, problem_rows(folder, outcome.checked.blocking if outcome.checked else ())
    db.session.commit()
    if outcome.is_saved:
        flash(f"Saved in the draft: the {what} is now called “{title}”.", "success")
    else:
        flash("The title is unchanged.", "info")
    module = relative.split("/", 1)[0]
    if what == "lesson":
        target = url_for(
            "authoring.module",
            folder=folder.name,
            module=module,
            _anchor=f"entry-{relative.rsplit('/', 1)[-1]}",
        )
    else:
        target = url_for("authoring.course", folder=folder.name, _anchor=f"entry-{module}")
    return redirect(target, 303), []


@bp.route("/<folder>/rename/<path:path>", methods=["GET", "POST"])
def rename(folder: str, path: str):
    """Change a lesson's or module's title; or rename its file or folder, keeping its id."""
    course_folder = open_folder(folder)
    relative, what = _rename_target(course_folder, path)
    title_file, kind = _title_file(relative, what)
    old_title = title_of(course_folder, title_file, kind) or relative.rsplit("/", 1)[-1]
    renaming_file = request.method == "POST" and "new_name" in request.form
    form = RenameForm(formdata=None if not renaming_file else request.form)
    title_form = TitleForm(
        formdata=None if renaming_file or request.method == "GET" else request.form
    )
    problems: list[ProblemRow] = []
    status = 200
    if request.method == "GET":
        form.new_name.data = relative.rsplit("/", 1)[-1]
        title_form.title.data = title_of(course_folder, title_file, kind) or ""
    elif not renaming_file:
        form.new_name.data = relative.rsplit("/", 1)[-1]
        if title_form.validate_on_submit():
            done, problems = _change_title(course_folder, relative, what, title_form, old_title)
            if done is not None:
                return done
    elif form.validate_on_submit():
        title_form.title.data = title_of(course_folder, title_file, kind) or ""
        try:
            change = edits.rename_change(course_folder, relative, form.new_name.data or "")
        except (PathRefused, edits.EditRefused) as refused:
            form.new_name.errors = [sentence(refused)]
        else:
            new_relative = change.renames[0][1]
            outcome = files.commit(
                course_folder,
                change,
                actor=current_person(),
                action="course_file.renamed",
                ask_impact=False,
                details={"from": relative, "to": new_relative},
            )
            if outcome.is_saved:
                db.session.commit()
                flash(f"Renamed {relative} to {new_relative}.", "success")
                if what == "lesson":
                    return redirect(url_for("authoring.edit", folder=folder, path=new_relative))
                return redirect(url_for("authoring.module", folder=folder, module=new_relative))
            problems = problem_rows(
                course_folder, outcome.checked.blocking if outcome.checked else ()
            )
    if request.method == "POST":
        status = 400
    page = render_template(
        "admin/authoring/rename.html",
        folder=course_folder,
        relative=relative,
        what=what,
        old_title=old_title,
        course_title=title_of(course_folder, COURSE_FILE, "course") or folder,
        module_title=title_of(course_folder, f"{relative.split('/')[0]}/{MODULE_FILE}", "module"),
        form=form,
        title_form=title_form,
        problems=problems,
        form_has_errors=status == 400,
    )
    return page, status


def _delete_target(folder: CourseFolder, path: str) -> tuple[str, str]:
    try:
        target = files.resolve(folder, path)
    except PathRefused:
        abort(404)
    kind = kind_of(path)
    if kind in ("lesson", "quiz", "media") and target.is_file():
        return path, kind
    if "/" not in path and target.is_dir() and path != "media":
        return path, "module"
    abort(404)


def _delete_title(folder: DraftFolder, relative: str, what: str) -> str | None:
    if what in ("lesson", "quiz"):
        return title_of(folder, relative, what)
    if what == "module":
        return title_of(folder, f"{relative}/{MODULE_FILE}", "module")
    return None


def _files_named(problems: list[ProblemRow]) -> dict[str, ProblemRow]:
    """Return the first problem of each file the problems are in, by the file's path: it
    names the file in an admin's words and links to the page that fixes it."""
    named: dict[str, ProblemRow] = {}
    for problem in problems:
        named.setdefault(problem.path, problem)
    return named


def _deleted_message(what: str, relative: str, title: str | None) -> str:
    """Return what a deletion says it did: by title where there is one, in the draft."""
    named = f"{what} “{title}”" if title else f"file {relative}"
    return (
        f"Deleted the {named} from the draft. Learners keep it until the draft is "
        "published; Discard on the draft page brings it back."
    )


@bp.route("/<folder>/delete/<path:path>", methods=["GET", "POST"])
def delete(folder: str, path: str):
    """Delete a lesson, quiz, media file or module folder, after a confirmation page."""
    course_folder = open_folder(folder)
    relative, what = _delete_target(course_folder, path)
    form = ConfirmForm()
    problems: list[ProblemRow] = []
    status = 200
    uses = (
        media_uses(course_folder, list_course(course_folder)).get(relative, ())
        if what == "media"
        else ()
    )
    if uses and request.method == "POST":
        # Refused before anything is checked: the page lists the lessons that use it.
        status = 409
    elif request.method == "GET" and what != "media":
        # Checked before anyone presses Delete: what would break is listed, with no button.
        checked = files.preview(course_folder, edits.delete_change(course_folder, relative))
        problems = problem_rows(course_folder, checked.blocking)
    elif request.method == "POST" and form.validate_on_submit():
        title = _delete_title(course_folder, relative, what)  # read before it goes
        change = edits.delete_change(course_folder, relative)
        action = "course_media.deleted" if what == "media" else "course_file.deleted"
        outcome = files.commit(
            course_folder, change, actor=current_person(), action=action, ask_impact=False
        )
        if outcome.is_saved:
            db.session.commit()
            flash(_deleted_message(what, relative, title), "success")
            if what in ("lesson", "quiz"):
                module = relative.split("/", 1)[0]
                return redirect(url_for("authoring.module", folder=folder, module=module))
            if what == "media":
                return redirect(url_for("authoring.media", folder=folder))
            return redirect(url_for("authoring.course", folder=folder))
        problems = problem_rows(course_folder, outcome.checked.blocking if outcome.checked else ())
        status = 400
    page = render_template(
        "admin/authoring/delete.html",
        folder=course_folder,
        relative=relative,
        what=what,
        form=form,
        impacts=delete_impacts(course_folder, relative) if what != "media" else [],
        problems=problems,
        uses=uses,
        broken_in=_files_named(problems),
        title=_delete_title(course_folder, relative, what),
        course_title=title_of(course_folder, COURSE_FILE, "course") or folder,
    )
    return page, status
