"""A course's history: every publish, each file's versions compared, and restoring one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from induction.accounts.permissions import current_person
from induction.admin import course_files as files
from induction.admin.authoring.blueprint import bp, open_folder, open_live, problem_rows
from induction.admin.authoring_forms import RestoreForm
from induction.admin.course_files.changes import Change, read_bytes
from induction.admin.drafts import history
from induction.admin.drafts.history import restored_in_place
from induction.extensions import db


@bp.get("/<folder>/history")
def course_history(folder: str):
    """Every publish of the course, newest first, with who, when, the note and the files."""
    live = open_live(folder)
    history.note_disk_changes(live)
    db.session.commit()
    return render_template(
        "admin/authoring/history.html", folder=live, publications=history.publications(live.name)
    )


def _file_page(
    folder: str, file_id: int, status: int = 200, blocking=(), form: RestoreForm | None = None
):
    live = open_live(folder)
    found = history.published_file(live.name, file_id)
    if found is None:
        abort(404)
    now = read_bytes(live.path / found.path)
    page = render_template(
        "admin/authoring/history_file.html",
        folder=live,
        found=found,
        change=history.compare(found.path, found.before, found.after, ("before", "after")),
        against_now=history.compare(
            found.path, found.after, now, ("this version", "published now")
        ),
        form=form or RestoreForm(formdata=None),
        blocking=problem_rows(live, list(blocking)),
        form_has_errors=status >= 400,
    )
    return page, status


@bp.get("/<folder>/history/files/<int:file_id>")
def history_file(folder: str, file_id: int):
    """One file of one publish: before and after, and compared with the published file now."""
    return _file_page(folder, file_id)


@bp.post("/<folder>/history/files/<int:file_id>/restore")
def restore_version(folder: str, file_id: int):
    """Put an earlier version of a file in the draft (checked like any other change)."""
    form = RestoreForm()
    if not form.validate_on_submit():
        return _file_page(folder, file_id, 400, form=form)
    draft = open_folder(folder)
    found = history.published_file(draft.name, file_id)
    if found is None:
        abort(404)
    content = found.before if form.which.data == "before" else found.after
    path = found.path
    if content is not None:  # where the file is now, its links to where their files are now
        path, content = restored_in_place(draft, found.path, content)
    change = Change(deletes=[path]) if content is None else Change(writes={path: content})
    if content is None and not files.resolve(draft, path).exists():
        change = Change()
    outcome = files.commit(
        draft,
        change,
        actor=current_person(),
        action="course.version_restored",
        ask_impact=False,
        details={"publication": found.publication_id, "version": form.which.data},
    )
    if outcome.status in (files.SAVED, files.UNCHANGED):
        db.session.commit()
        moved = f" (now {path})" if path != found.path else ""
        flash(
            f"The {form.which.data} version of {found.path}{moved} is now in the draft: "
            "preview it, then publish it."
            if outcome.is_saved
            else f"The draft of {path} already holds that version.",
            "success",
        )
        return redirect(url_for("authoring.draft", folder=folder))
    blocking = outcome.checked.blocking if outcome.checked else ()
    return _file_page(folder, file_id, 400, blocking)
