"""A course's draft: what it changes, each file's diff, discarding, checking and publishing."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from induction.accounts import audit
from induction.accounts.permissions import current_person
from induction.admin.authoring.blueprint import bp, open_live, problem_rows
from induction.admin.authoring_forms import DiscardForm, PublishForm
from induction.admin.course_files.listing import course_id_of
from induction.admin.course_files.paths import CourseFolder
from induction.admin.drafts import publishing, store
from induction.extensions import db


def _draft_page(live: CourseFolder, form: PublishForm, status: int = 200, blocking=None):
    changes = publishing.draft_changes(live)
    return (
        render_template(
            "admin/authoring/draft.html",
            folder=live,
            changes=changes,
            form=form,
            discard_form=DiscardForm(),
            blocking=problem_rows(live, blocking or []),
            form_has_errors=status >= 400,
        ),
        status,
    )


@bp.get("/<folder>/draft")
def draft(folder: str):
    """The course's draft set: every changed file with its diff against what learners see."""
    return _draft_page(open_live(folder), PublishForm())


@bp.post("/<folder>/draft/publish")
def publish_draft(folder: str):
    """Check the draft as a whole and publish all of it, or the ticked files."""
    live = open_live(folder)
    form = PublishForm()
    if not form.validate_on_submit():
        return _draft_page(live, form, 400)
    paths = None if form.publish_all.data else set(form.paths.data or [])
    if paths is not None and not paths:
        form.paths.errors = ["Tick the files to publish, or press 'Publish all changes'"]
        return _draft_page(live, form, 400)
    try:
        publication = publishing.publish(
            live, paths, actor=current_person(), note=form.note.data or "", commit=db.session.commit
        )
    except publishing.PublishRefused as refused:
        db.session.rollback()
        return _draft_page(live, form, 400, blocking=refused.problems)
    count = len(publication.files)
    flash(
        f"Published {count} file{'' if count == 1 else 's'}: learners see the change now.",
        "success",
    )
    return redirect(url_for("authoring.draft", folder=folder))


@bp.post("/<folder>/draft/discard")
def discard_draft(folder: str):
    """Throw away the draft of one file: the published file stays as it is."""
    live = open_live(folder)
    form = DiscardForm()
    if form.validate_on_submit():
        discarded = store.discard(live.name, {form.path.data or ""})
        if discarded:
            audit.record(
                "course.draft_discarded",
                actor=current_person(),
                target=("course", course_id_of(live)),
                details={"folder": live.name, "paths": discarded},
            )
            db.session.commit()
            flash(f"Discarded the draft of {discarded[0]}.", "success")
        else:
            flash("That file has no draft any more.", "info")
    return redirect(url_for("authoring.draft", folder=folder))
