"""Intakes and terms pages for lead officers (their own organisation) and admins.

An organisation's intakes (add, change, delete when empty), its term length, a person's
intake, and moving people from one intake to another with a preview first. An
organisation, intake or person outside the officer's organisation answers 404, whatever
the URL or form says.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from induction.accounts import intakes
from induction.accounts.forms import EmptyForm, choices
from induction.accounts.models import Intake, Organisation, User
from induction.accounts.permissions import current_person, manager_required, organisation_in_scope
from induction.accounts.start_dates import counts_from
from induction.accounts.views import has_errors
from induction.admin.intake_forms import IntakeForm, MoveForm, PersonIntakeForm, TermForm
from induction.extensions import db
from induction.inputs import id_number
from induction.web.boundary import service_call

bp = Blueprint("intakes", __name__, url_prefix="/intakes")


def _organisation_or_404(me: User, org_id: int) -> Organisation:
    organisation = db.session.get(Organisation, org_id)
    if organisation is None or not organisation_in_scope(me, org_id):
        abort(404)
    return organisation


def _intake_or_404(me: User, intake_id: int) -> Intake:
    intake = intakes.intake_in_scope(me, intake_id)
    if intake is None:
        abort(404)
    return intake


def _person_or_404(me: User, person_id: int) -> User:
    person = db.session.get(User, person_id)
    if person is None or not organisation_in_scope(me, person.organisation_id):
        abort(404)
    return person


def _intake_choices(organisation_id: int, none_label: str | None) -> list[Any]:
    pairs = [
        (intake.id, f"{intake.name} ({intake.starts_on.strftime('%-d %B %Y')})")
        for intake in intakes.organisation_intakes(organisation_id)
    ]
    return choices(([(0, none_label)] if none_label else []) + pairs)


@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
@manager_required
def index(org_id: int):
    """An organisation's intakes with their people, a form to add one, and the term length."""
    me = current_person()
    organisation = _organisation_or_404(me, org_id)
    form = IntakeForm(prefix="intake")
    term_form = TermForm(prefix="term", obj=organisation if request.method == "GET" else None)
    if request.method == "POST" and "term-term_years" in request.form:
        form = IntakeForm(prefix="intake", formdata=None)
        if term_form.validate_on_submit():
            with service_call(term_form) as call:
                intakes.set_term(me, organisation, term_form.term_years.data)
            if call.ok:
                flash("Term length saved.", "success")
                return redirect(url_for(".index", org_id=org_id))
    elif request.method == "POST":
        term_form = TermForm(prefix="term", formdata=None, obj=organisation)
        if form.validate_on_submit():
            with service_call(form) as call:
                intake = intakes.create_intake(
                    me, organisation, form.name.data, form.starts_on.data
                )
            if call.ok:
                flash(f"Added the intake {intake.name}.", "success")
                return redirect(url_for(".index", org_id=org_id))
    summaries = intakes.intake_summaries(org_id)
    return render_template(
        "admin/intakes.html",
        organisation=organisation,
        summaries=summaries,
        term_ends=intakes.term_ends(summaries[0].intake.starts_on, organisation.term_years)
        if summaries
        else None,
        without_intake=len(intakes.members(org_id, None)),
        form=form,
        term_form=term_form,
        button_form=EmptyForm(),
        form_has_errors=has_errors(form) or has_errors(term_form),
    )


@bp.route("/<int:intake_id>/edit", methods=["GET", "POST"])
@manager_required
def edit(intake_id: int):
    """Change an intake's name or date (its people's due dates follow the date)."""
    me = current_person()
    intake = _intake_or_404(me, intake_id)
    form = IntakeForm(obj=intake if request.method == "GET" else None)
    if form.validate_on_submit():
        with service_call(form) as call:
            intakes.update_intake(me, intake, form.name.data, form.starts_on.data)
        if call.ok:
            flash("Saved.", "success")
            return redirect(url_for(".index", org_id=intake.organisation_id))
    return render_template(
        "admin/intake_edit.html",
        intake=intake,
        organisation=intake.organisation,
        form=form,
        people=intakes.members(intake.organisation_id, intake),
        form_has_errors=has_errors(form),
    )


@bp.post("/<int:intake_id>/delete")
@manager_required
def delete(intake_id: int):
    """Delete an intake nobody belongs to."""
    me = current_person()
    intake = _intake_or_404(me, intake_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    org_id, name = intake.organisation_id, intake.name
    with service_call() as call:
        intakes.delete_intake(me, intake)
    if call.ok:
        flash(f"Deleted the intake {name}.", "success")
    return redirect(url_for(".index", org_id=org_id))


@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@manager_required
def person(person_id: int):
    """Choose the intake a person belongs to."""
    me = current_person()
    found = _person_or_404(me, person_id)
    if found.organisation_id is None:  # an admin's own account: no organisation, no intakes
        abort(404)
    form = PersonIntakeForm()
    form.intake.choices = _intake_choices(found.organisation_id, "No intake")
    if request.method == "GET":
        form.intake.data = found.intake_id or 0
    if form.validate_on_submit():
        chosen = _intake_or_404(me, form.intake.data) if form.intake.data else None
        try:
            with service_call(form) as call:
                intakes.set_person_intake(me, found, chosen)
        except intakes.IntakeNotFound:
            db.session.rollback()
            abort(404)
        if call.ok:
            flash("Saved.", "success")
            return redirect(url_for("admin.person", person_id=found.id))
    return render_template(
        "admin/intake_person.html",
        person=found,
        form=form,
        form_has_errors=has_errors(form),
    )


def _source(me: User, organisation: Organisation, value: int) -> Intake | None:
    """Return the intake `value` of the organisation (0: no intake); 404 for another's."""
    if not value:
        return None
    intake = _intake_or_404(me, value)
    if intake.organisation_id != organisation.id:
        abort(404)
    return intake


@bp.route("/organisations/<int:org_id>/move", methods=["GET", "POST"])
@manager_required
def move(org_id: int):
    """Move people from one intake to another: tick them, see what will change, confirm."""
    me = current_person()
    organisation = _organisation_or_404(me, org_id)
    form = MoveForm(formdata=request.form if request.method == "POST" else None)
    form.source.choices = _intake_choices(org_id, "No intake yet")
    form.target.choices = _intake_choices(org_id, None)
    if request.method == "GET":
        try:
            form.source.data = id_number(request.args.get("source") or 0)
        except ValueError:
            abort(404)
    source = _source(me, organisation, form.source.data or 0)
    if not form.target.choices:
        flash("Add the intake to move people to first.", "error")
        return redirect(url_for(".index", org_id=org_id))
    if request.method == "POST" and form.validate():
        target = _intake_or_404(me, form.target.data)
        if "confirm" in request.form:
            moved: list[User] = []
            try:
                with service_call(form, default_field="target") as call:
                    moved = intakes.move_people(me, organisation, source, target, form.person.data)
            except intakes.IntakeNotFound:
                db.session.rollback()
                abort(404)
            if call.ok:
                count = f"{len(moved)} {'person' if len(moved) == 1 else 'people'}"
                flash(f"Moved {count} to {target.name}.", "success")
                return redirect(url_for(".index", org_id=org_id))
        elif source is not None and source.id == target.id:
            form.target.errors = ["Choose a different intake to move them to"]
        else:
            try:
                moving = intakes.people_to_move(me, organisation, source, form.person.data)
            except intakes.IntakeNotFound:
                abort(404)
            return render_template(
                "admin/intake_move_preview.html",
                organisation=organisation,
                source=source,
                target=target,
                moving=moving,
                rows=[(p, counts_from(p.start_date, target.starts_on)) for p in moving],
                form=form,
            )
    return render_template(
        "admin/intake_move.html",
        organisation=organisation,
        source=source,
        people=intakes.members(org_id, source),
        form=form,
        ticked=set(form.person.data or []),
        form_has_errors=has_errors(form),
    )
