"""Your council's notes: the list of slots an organisation can fill in, and the editor of one.

Managers reach their own organisation's pages (from a lesson's slot or the officers'
reports); admins reach any organisation's. Another organisation's pages answer 404
for a manager, so their ids are not even confirmed.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from markupsafe import Markup

from induction.accounts.models import Organisation
from induction.accounts.permissions import (
    current_person,
    guard_blueprint,
    is_manager_or_admin,
    organisation_in_scope,
)
from induction.catalogue import get_catalogue
from induction.courses import council_notes
from induction.courses.forms import CouncilNotesForm
from induction.extensions import db

bp = Blueprint("council_notes", __name__, url_prefix="/organisations/<int:org_id>/notes")
guard_blueprint(bp, is_manager_or_admin)


def _organisation(org_id: int) -> Organisation:
    """Return the organisation if the signed-in person may edit its notes; 404 otherwise."""
    if not organisation_in_scope(current_person(), org_id):
        abort(404)
    organisation = db.session.get(Organisation, org_id)
    if organisation is None:
        abort(404)
    return organisation


def _slot(course_id: str, lesson_id: str, slot_id: str) -> council_notes.Slot:
    """Return the slot of a published course's lesson; 404 when there is none."""
    course = get_catalogue().course(course_id)
    if course is None:
        abort(404)
    slot = next(
        (
            s
            for s in council_notes.slots_in([course])
            if s.lesson.id == lesson_id and s.id == slot_id
        ),
        None,
    )
    if slot is None:
        abort(404)
    return slot


@bp.get("")
def index(org_id: int):
    """Every slot in the courses, with whether the organisation has filled it in."""
    organisation = _organisation(org_id)
    courses = [c for c in get_catalogue().library().courses if not c.draft]
    return render_template(
        "courses/notes_index.html",
        organisation=organisation,
        slots=council_notes.slots_in(courses),
        written=council_notes.notes_of(organisation.id),
    )


@bp.route("/<course_id>/<lesson_id>/<slot_id>", methods=["GET", "POST"])
def edit(org_id: int, course_id: str, lesson_id: str, slot_id: str):
    """Write (or clear) the organisation's notes for one slot; its learners see them there."""
    organisation = _organisation(org_id)
    slot = _slot(course_id, lesson_id, slot_id)
    found = council_notes.note_of(organisation.id, slot)
    form = CouncilNotesForm(data={"body": found.body if found else ""})
    preview: Markup | None = None
    if form.validate_on_submit():
        try:
            done = council_notes.save_notes(
                organisation, slot, form.body.data or "", actor=current_person()
            )
        except ValueError as error:
            form.body.errors = [str(error)]
        else:
            db.session.commit()
            if done == "saved":
                flash(f"Saved. Learners from {organisation.name} now see these notes.", "success")
            else:
                flash("Cleared. Learners now see the course's own text here.", "info")
            return redirect(url_for(".index", org_id=organisation.id), 303)
    elif found is not None:
        preview = Markup(found.html)  # noqa: S704 - sanitized when saved
    status = 400 if form.errors else 200
    return render_template(
        "courses/notes_edit.html",
        organisation=organisation,
        slot=slot,
        form=form,
        preview=preview,
    ), status
