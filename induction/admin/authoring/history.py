"""A course's history: every publish, each file's versions compared, and restoring one."""

from __future__ import annotations

from pathlib import Path

from flask import abort, flash, redirect, render_template, request, url_for

from induction.accounts.permissions import current_person
from induction.admin import course_files as files
from induction.admin.authoring.blueprint import bp, open_folder, open_live
from induction.admin.authoring.problems import problem_rows
from induction.admin.authoring_forms import RestoreForm
from induction.admin.course_files.changes import Change, read_bytes
from induction.admin.course_files.impact import delete_impacts
from induction.admin.course_files.listing import kind_of, list_course
from induction.admin.course_files.paths import CourseFolder
from induction.admin.drafts import history, places, quiz_changes, readable_changes, store
from induction.admin.drafts.describe import Reader, describe, named, reader
from induction.admin.drafts.history import restored_in_place
from induction.content.tree import COURSE_FILE
from induction.extensions import db


@bp.get("/<folder>/history")
def course_history(folder: str):
    """Every publish of the course, newest first, with who, when, the note and the files;
    with `?file=`, only the versions of that file, under its earlier names too ("Versions
    and undo")."""
    live = open_live(folder)
    history.note_disk_changes(live)
    db.session.commit()
    only = request.args.get("file") or None
    entries = history.file_versions(live, only) if only else history.course_entries(live)
    return render_template(
        "admin/authoring/history.html",
        folder=live,
        entries=entries,
        names=history.version_names(live, entries),
        renamed=any(entry.moved for entry in entries),
        only=only,
        only_name=named(only, reader(live, store.draft_rows(live.name))) if only else None,
    )


def _file_page(
    folder: str, file_id: int, status: int = 200, blocking=(), form: RestoreForm | None = None
):
    live = open_live(folder)
    found = history.published_file(live.name, file_id)
    if found is None:
        abort(404)
    # Compared with the file where it is now, if it was renamed or moved since.
    path_now = history.path_now(live, found.path)
    now = read_bytes(live.path / path_now)
    change = history.compare(found.path, found.before, found.after, ("before", "after"))
    against_now = history.compare(found.path, found.after, now, ("this version", "published now"))
    version = found.after if found.after is not None else found.before
    pass_mark = quiz_changes.course_pass_mark(read_bytes(live.path / COURSE_FILE))

    page = render_template(
        "admin/authoring/history_file.html",
        folder=live,
        found=found,
        # This version of the file, the others as they are now.
        description=describe(found.path, _reader_with(live.path, found.path, version)),
        place_now=_place_now(live, path_now) if now is not None else None,
        change=change,
        changes=readable_changes.compare(change.before or "", change.after or ""),
        quiz=_quiz_words(found.path, change.before, change.after, pass_mark),
        against_now=against_now,
        changes_now=readable_changes.compare(against_now.before or "", against_now.after or ""),
        quiz_now=_quiz_words(found.path, against_now.before, against_now.after, pass_mark),
        form=form or RestoreForm(formdata=None),
        blocking=problem_rows(live, list(blocking)),
        form_has_errors=status >= 400,
    )
    return page, status


def _place_now(live: CourseFolder, path: str) -> str:
    """Return where the file at `path` is in the course as published now, in the words
    the draft page uses (see places.py): "Lesson 2 of module 1: “First steps”"."""
    try:
        published = [item.path for item in list_course(live).markdown_files()]
    except OSError:
        published = []
    return places.place(path, places.numbers(published), _reader_with(live.path, path, None))


def _quiz_words(
    path: str, before: str | None, after: str | None, pass_mark: int
) -> quiz_changes.QuizChanges | None:
    """Return what changed in a quiz file, in words, as the draft page says it (None for
    another kind of file, a quiz deleted or unchanged, or a text with errors: the page
    then shows the text's changes line by line)."""
    if kind_of(path) != "quiz" or after is None or before == after:
        return None
    return quiz_changes.compare(before, after, pass_mark)


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
    removes = content is None and files.resolve(draft, path).exists()
    if content is None and not removes:
        change = Change()
    if removes and form.confirmed.data != "yes":  # a file removed is asked first
        return redirect(
            url_for(
                "authoring.confirm_removal", folder=folder, file_id=file_id, which=form.which.data
            )
        )
    name = named(path, _reader_with(draft.path, path, content))
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
        flash(_restored_message(name, form.which.data, removes, outcome.is_saved), "success")
        return redirect(url_for("authoring.draft", folder=folder))
    blocking = outcome.checked.blocking if outcome.checked else ()
    return _file_page(folder, file_id, 400, blocking)


def _reader_with(root: Path, path: str, content: bytes | None) -> Reader:
    """Return a Reader of the files under `root`, with `content` at `path` (when not None)."""

    def read(relative: str) -> bytes | None:
        if relative == path and content is not None:
            return content
        return read_bytes(root / relative)

    return read


def _restored_message(name: str, which: str | None, removes: bool, saved: bool) -> str:
    """Return what restoring a version did, naming the file by its title."""
    if removes:
        return (
            f"Removed {name} from the draft of the course. "
            "Publish the draft to remove it for learners."
        )
    if not saved:
        return f"The draft already holds that version of {name}."
    when = "before that publish" if which == "before" else "that publish made it"
    return f"{name[:1].upper()}{name[1:]} is in the draft as {when}: preview it, then publish it."


@bp.get("/<folder>/history/files/<int:file_id>/remove")
def confirm_removal(folder: str, file_id: int):
    """Ask before a restore removes a file from the draft (the version chosen is "none")."""
    which = request.args.get("which", "before")
    draft = open_folder(folder)
    found = history.published_file(draft.name, file_id)
    if found is None or which not in ("before", "after"):
        abort(404)
    if (found.before if which == "before" else found.after) is not None:
        return redirect(url_for("authoring.history_file", folder=folder, file_id=file_id))
    path = found.path
    if not files.resolve(draft, path).exists():
        flash("That file is not in the draft of the course: there is nothing to remove.", "info")
        return redirect(url_for("authoring.history_file", folder=folder, file_id=file_id))
    return render_template(
        "admin/authoring/restore_remove.html",
        folder=draft,
        found=found,
        which=which,
        name=named(path, _reader_with(draft.path, path, None)),
        impacts=delete_impacts(draft, path),
    )
