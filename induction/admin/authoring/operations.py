"""Adding a module, renaming a lesson or module folder, deleting files and folders."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from induction.accounts.permissions import current_person
from induction.admin import course_files as files
from induction.admin.authoring.blueprint import (
    ProblemRow,
    bp,
    open_folder,
    problem_rows,
    sentence,
)
from induction.admin.authoring_forms import ConfirmForm, NewModuleForm, RenameForm
from induction.admin.course_files import edits
from induction.admin.course_files.impact import delete_impacts
from induction.admin.course_files.listing import kind_of
from induction.admin.course_files.paths import CourseFolder, PathRefused
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


@bp.route("/<folder>/rename/<path:path>", methods=["GET", "POST"])
def rename(folder: str, path: str):
    """Rename a lesson file or a module folder, keeping its id and the links to it."""
    course_folder = open_folder(folder)
    relative, what = _rename_target(course_folder, path)
    form = RenameForm()
    problems: list[ProblemRow] = []
    status = 200
    if request.method == "GET":
        form.new_name.data = relative.rsplit("/", 1)[-1]
    elif form.validate_on_submit():
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
        form=form,
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


@bp.route("/<folder>/delete/<path:path>", methods=["GET", "POST"])
def delete(folder: str, path: str):
    """Delete a lesson, quiz, media file or module folder, after a confirmation page."""
    course_folder = open_folder(folder)
    relative, what = _delete_target(course_folder, path)
    form = ConfirmForm()
    problems: list[ProblemRow] = []
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        change = edits.delete_change(course_folder, relative)
        action = "course_media.deleted" if what == "media" else "course_file.deleted"
        outcome = files.commit(
            course_folder, change, actor=current_person(), action=action, ask_impact=False
        )
        if outcome.is_saved:
            db.session.commit()
            flash(f"Deleted {relative}.", "success")
            if what in ("lesson", "quiz"):
                module = relative.split("/", 1)[0]
                return redirect(url_for("authoring.module", folder=folder, module=module))
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
    )
    return page, status
