"""Data rights for admins: download everything held about a person, or erase them.

Only admins may do either (others: the sign-in page or 403). Downloads are
form posts, because each one is written to the audit log.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from wtforms import StringField
from wtforms.validators import InputRequired

from induction.accounts.forms import EmptyForm
from induction.accounts.models import User, normalise_email
from induction.accounts.permissions import current_person, guard_blueprint, is_admin
from induction.admin import data_rights_service as service
from induction.extensions import db
from induction.mail import remove_outbox_files
from induction.web.boundary import service_call
from induction.web.downloads import attachment, csv_response, filename_slug
from induction.web.forms import Form

bp = Blueprint("data_rights", __name__, url_prefix="/admin/people/<int:person_id>/data")
guard_blueprint(bp, is_admin)


class EraseForm(Form):
    """The confirmation of an erasure: the person's email address, typed out."""

    email = StringField(
        "Type their email address to confirm",
        validators=[InputRequired("Type the person's email address to confirm")],
    )


@bp.app_template_test("erased")
def _erased(person: User) -> bool:
    """`person is erased` in templates."""
    return service.is_erased(person)


def _admin_and_person(person_id: int) -> tuple[User, User]:
    """Return the signed-in admin and the person; 404 when there is no such person."""
    person = db.session.get(User, person_id)
    if person is None:
        abort(404)
    return current_person(), person


def _filename(person: User, suffix: str) -> str:
    """Return the file name of a download about `person`."""
    return f"personal-data-{person.id}-{filename_slug(person.name, 'person')}.{suffix}"


@bp.post("/export.json")
def export_json(person_id: int):
    """Download everything held about the person, as JSON."""
    admin, person = _admin_and_person(person_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    body = service.as_json(service.personal_data(person))
    service.record_export(person, actor=admin, fmt="json")
    db.session.commit()
    return Response(
        body,
        mimetype="application/json",
        headers=attachment(_filename(person, "json")),
    )


@bp.post("/export.csv")
def export_csv(person_id: int):
    """Download everything held about the person, as CSV (section, item, field, value)."""
    admin, person = _admin_and_person(person_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    rows = list(service.csv_rows(service.personal_data(person)))
    service.record_export(person, actor=admin, fmt="csv")
    db.session.commit()
    return csv_response(_filename(person, "csv"), service.CSV_HEADER, rows)


@bp.route("/erase", methods=["GET", "POST"])
def erase(person_id: int):
    """Erase a person after their email address is typed out to confirm."""
    admin, person = _admin_and_person(person_id)
    person_page = url_for("admin.person", person_id=person.id)
    if service.is_erased(person):
        flash(f"{person.name} has already been erased.", "info")
        return redirect(person_page)
    form = EraseForm()
    if form.validate_on_submit():
        if normalise_email(form.email.data or "") != person.email:
            form.email.errors = [f"Type {person.email} exactly, to show it is the right person"]
        else:
            with service_call() as call:
                erasure = service.erase(person, actor=admin)
            if not call.ok:
                return redirect(person_page)
            remove_outbox_files(erasure.outbox_files)
            flash(f"Erased: this account is now {person.name}. Their records were kept.", "success")
            return redirect(person_page)
    return render_template(
        "admin/data_rights/erase.html",
        person=person,
        form=form,
        is_self=person.id == admin.id,
        form_has_errors=bool(form.email.errors),
    )
