"""Management: people (managers see their own organisation), organisations, audit, outbox."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from induction.accounts import audit, intakes, joining, organisations, people, sessions, totp
from induction.accounts.audit import AuditEvent
from induction.accounts.errors import AccountError
from induction.accounts.forms import EmptyForm, choices
from induction.accounts.invitations import (
    MAX_NOTE,
    courses_on_joining,
    overdue_at_once,
    overdue_words,
)
from induction.accounts.models import Organisation, Role, User, normalise_email
from induction.accounts.permissions import (
    admin_required,
    can_manage_person,
    current_person,
    invitable_roles,
    invitation_or_404,
    managed_person,
    manager_required,
    people_in_scope,
    person_or_404,
)
from induction.accounts.views import has_errors
from induction.admin import audit_log, course_files
from induction.admin.drafts.unpublished import pending_courses
from induction.admin.forms import (
    ROLE_LABELS,
    AuditFilterForm,
    InviteForm,
    JoinCodeForm,
    LeadOfficerForm,
    OrganisationForm,
    PeopleFilterForm,
    PersonForm,
)
from induction.database import utcnow
from induction.extensions import db
from induction.mail import deliver_pending, outbox_files, pending_messages, read_outbox_file
from induction.web.boundary import service_call
from induction.web.downloads import csv_response
from induction.web.urls import page_number

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 50


def paginate(stmt: Select[Any]) -> Pagination:
    """Return the page of `stmt` the query string asks for (two queries: the page and the
    count); 404 for a page number that is not a whole number or lies past the last page."""
    return db.paginate(stmt, page=page_number(), per_page=PER_PAGE, max_per_page=PER_PAGE)


def _organisation_choices(none_label: str | None = None, *, keep: int | None = None) -> list[Any]:
    """The organisations in use to choose from; retired ones only when `keep` is theirs
    (-1: every retired one, for finding people), labelled as retired."""
    pairs = [
        (org.id, f"{org.name} (retired)" if org.retired_at else org.name)
        for org in organisations.all_organisations(include_retired=keep is not None)
        if org.retired_at is None or keep in (-1, org.id)
    ]
    return choices(([(0, none_label)] if none_label else []) + pairs)


@bp.get("/")
@admin_required
def index():
    """The admin start page: courses with unpublished draft changes, links to every
    management screen, and recent activity."""
    return render_template(
        "admin/index.html",
        pending=pending_courses(course_files.courses_root()),
        recent=audit_log.recent(),
    )


@bp.get("/people")
@manager_required
def people_list():
    """People: everyone for admins, their own organisation for managers."""
    me = current_person()
    form = PeopleFilterForm(request.args)
    if me.is_admin:
        form.organisation.choices = _organisation_choices("All organisations", keep=-1)
    form.validate()
    stmt = people_in_scope(me, select(User).options(joinedload(User.organisation)))
    query = "" if form.q.errors else (form.q.data or "").strip()
    if query:
        stmt = stmt.where(people.search_condition(query))
    if me.is_admin and form.organisation.data:
        stmt = stmt.where(User.organisation_id == form.organisation.data)
    stmt = _intake_filter(me, form, stmt)
    page = paginate(stmt.order_by(User.name, User.id))
    org_filter = form.organisation.data if me.is_admin else None
    invitations = joining.pending_invitations(me, org_filter or None)
    return render_template(
        "admin/people.html",
        form=form,
        page=page,
        invitations=invitations,
        revoke_form=EmptyForm(),
        role_labels=ROLE_LABELS,
        invitable={role.value for role in invitable_roles(me)},
    )


def _intake_filter(me: User, form: PeopleFilterForm, stmt: Select[Any]) -> Select[Any]:
    """Limit `stmt` to the intake asked for, an intake of the organisation listed (404 for
    any other); without one organisation listed there is no intake filter."""
    org_id = form.organisation.data if me.is_admin else me.organisation_id
    form.intake.choices = intakes.intake_filter_choices(org_id) if org_id else []
    if not org_id:
        form.intake.data = ""
        return stmt
    try:
        intake = intakes.intake_filter(me, org_id, form.intake.data)
    except intakes.IntakeNotFound:
        abort(404)
    return stmt.where(User.intake_id == intake.id) if intake else stmt


# The `from` of a link to the invite page that should lead back where it was pressed.
FROM_ORGANISATION = "organisation"


def _came_from(me: User) -> Organisation | None:
    """Return the organisation whose admin page led to the invite page (its link says
    `from=organisation`), or None when the invite page was opened another way."""
    asked = request.args.get("organisation", "")
    if not me.is_admin or request.args.get("from") != FROM_ORGANISATION or not asked.isdigit():
        return None
    org = db.session.get(Organisation, int(asked))
    return org if org is not None and org.retired_at is None else None


def _invite_heading(came_from: Organisation | None) -> dict[str, str]:
    """Return the invite page's heading and the last step of its breadcrumbs: "Invite a
    lead officer for Oldham Council" when the organisation's "Invite their lead officer"
    led here, else "Invite someone"."""
    if came_from is not None and request.args.get("role") == Role.MANAGER.value:
        return {
            "heading": f"Invite a lead officer for {came_from.name}",
            "crumb": "Invite a lead officer",
        }
    return {"heading": "Invite someone", "crumb": "Invite someone"}


@bp.route("/people/invite", methods=["GET", "POST"])
@manager_required
def invite():
    """Invite someone by email (managers: into their own organisation)."""
    me = current_person()
    came_from = _came_from(me)
    form = InviteForm()
    form.role.choices = choices((role.value, ROLE_LABELS[role]) for role in invitable_roles(me))
    if me.is_admin:
        form.organisation.choices = _organisation_choices("No organisation (admins only)")
    else:
        form.organisation.choices = [
            (me.organisation_id or 0, me.organisation.name if me.organisation else "")
        ]
        form.organisation.data = me.organisation_id or 0
    if request.method == "GET":
        # Filled in from the link that led here ("Invite their lead officer"), when valid.
        asked_role = request.args.get("role", "")
        roles = [role.value for role in invitable_roles(me)]
        form.role.data = asked_role if asked_role in roles else Role.LEARNER.value
        asked_org = request.args.get("organisation", "")
        if me.is_admin and asked_org.isdigit():
            known = {org.id for org in organisations.all_organisations(include_retired=False)}
            if int(asked_org) in known:
                form.organisation.data = int(asked_org)
    if form.validate_on_submit():
        start = form.start_date.data
        overdue = (
            overdue_at_once(courses_on_joining(form.role.data, form.audience.data, start))
            if start is not None
            else ()
        )
        if overdue and form.overdue_seen.data != start.isoformat():
            # Said before anything is sent; the same date sent again goes ahead.
            form.overdue_seen.data = start.isoformat()
            return render_template(
                "admin/invite.html",
                form=form,
                form_has_errors=False,
                overdue=overdue,
                overdue_message=overdue_words(overdue),
                max_note=MAX_NOTE,
                came_from=came_from,
                **_invite_heading(came_from),
            )
        org = (
            db.session.get(Organisation, form.organisation.data) if form.organisation.data else None
        )
        with service_call(form, mail=True) as call:
            joining.send_invitation(
                me,
                email=form.email.data,
                name=form.name.data or "",
                role=form.role.data,
                audience=form.audience.data,
                organisation=org,
                start_date=start,
                note=form.note.data or "",
            )
        if call.ok:
            sent = f"Invitation sent to {normalise_email(form.email.data)}."
            if overdue:
                sent += " " + overdue_words(overdue)
            flash(sent, "success")
            if came_from is not None and org is not None and org.id == came_from.id:
                return redirect(url_for(".organisation", org_id=came_from.id))
            return redirect(url_for(".people_list"))
    return render_template(
        "admin/invite.html",
        form=form,
        form_has_errors=has_errors(form),
        overdue=(),
        max_note=MAX_NOTE,
        came_from=came_from,
        **_invite_heading(came_from),
    )


@bp.get("/people/<int:person_id>")
@manager_required
def person(person_id: int):
    """One person: their details, and what can be changed."""
    me = current_person()
    found = person_or_404(me, person_id)
    events = list(
        db.session.scalars(
            audit_log.one_line_per_account(select(AuditEvent))
            .options(joinedload(AuditEvent.actor))
            .where(
                AuditEvent.target_type == User.__tablename__, AuditEvent.target_id == str(found.id)
            )
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(20)
        ).unique()
    )
    return render_template(
        "admin/person.html",
        person=found,
        intake=found.intake if found.intake_id is not None else None,
        counts_from=found.counts_from,
        entries=audit_log.entries(events),
        can_manage=can_manage_person(me, found),
        button_form=EmptyForm(),
        role_labels=ROLE_LABELS,
    )


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@manager_required
def edit_person(person_id: int):
    """Change a person's details (admins also their role and organisation)."""
    me = current_person()
    found = managed_person(me, person_id)
    form = PersonForm(obj=found if request.method == "GET" else None)
    form.role.choices = choices((role.value, ROLE_LABELS[role]) for role in Role)
    form.organisation.choices = _organisation_choices(
        "No organisation (admins only)", keep=found.organisation_id or 0
    )
    if request.method == "GET":
        form.organisation.data = found.organisation_id or 0
    if not me.is_admin:
        del form.role
        del form.organisation
    if form.validate_on_submit():
        with service_call(form) as call:
            _save_person(me, found, form)
        if call.ok:
            flash("Saved.", "success")
            return redirect(url_for(".person", person_id=found.id))
    return render_template(
        "admin/person_edit.html", form=form, person=found, form_has_errors=has_errors(form)
    )


def _save_person(me: User, found: User, form: PersonForm) -> None:
    """Apply the edit form; the role and organisation change in an order that stays valid."""
    new_role = form.role.data if me.is_admin else None
    org = None
    if me.is_admin and form.organisation.data:
        org = db.session.get(Organisation, form.organisation.data)
    if new_role and new_role != found.role and found.id == me.id:
        raise AccountError("You cannot change your own role", field="role")

    def details() -> None:
        people.update_details(
            found,
            actor=me,
            name=form.name.data,
            audience=form.audience.data,
            start_date=form.start_date.data,
            organisation=org,
            change_organisation=me.is_admin,
        )

    # A new admin may drop their organisation; anyone else needs theirs before the role.
    if new_role == Role.ADMIN:
        people.set_role(found, new_role, actor=me)
        details()
    else:
        details()
        if new_role:
            people.set_role(found, new_role, actor=me)


def _set_active(person_id: int, active: bool):
    me = current_person()
    found = managed_person(me, person_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    with service_call() as call:
        people.set_active(found, active, actor=me)
    if call.ok:
        flash(
            f"{found.name} is active again."
            if active
            else f"{found.name} is deactivated and signed out everywhere.",
            "success",
        )
    return redirect(url_for(".person", person_id=found.id))


@bp.route("/people/<int:person_id>/deactivate", methods=["GET", "POST"])
@manager_required
def deactivate(person_id: int):
    """Ask first (GET: what it does, and that it can be undone), then deactivate a person
    (POST): they are signed out everywhere and cannot sign in."""
    if request.method == "POST":
        return _set_active(person_id, False)
    found = managed_person(current_person(), person_id)
    if not found.is_active:
        return redirect(url_for(".person", person_id=found.id))
    return render_template("admin/deactivate.html", person=found)


@bp.post("/people/<int:person_id>/reactivate")
@manager_required
def reactivate(person_id: int):
    """Let a deactivated person sign in again."""
    return _set_active(person_id, True)


@bp.post("/people/<int:person_id>/reset-two-factor")
@admin_required
def reset_two_factor(person_id: int):
    """Turn off a person's second factor (lost phone and codes); admins must set it up again."""
    me = current_person()
    found = person_or_404(me, person_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if found.totp_secret is not None:
        totp.disable(found)
        sessions.end_sessions(found)
        audit.record("totp.reset_by_admin", actor=me, target=found)
        db.session.commit()
    flash(f"Two-step verification is off for {found.name}; they were signed out.", "success")
    return redirect(url_for(".person", person_id=found.id))


@bp.post("/invitations/<int:invitation_id>/revoke")
@manager_required
def revoke_invitation(invitation_id: int):
    """Withdraw a pending invitation."""
    me = current_person()
    found = invitation_or_404(me, invitation_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    joining.revoke_invitation(found, actor=me)
    db.session.commit()
    flash(f"The invitation to {found.email} was withdrawn.", "success")
    return redirect(url_for(".people_list"))


@bp.get("/organisations")
@admin_required
def organisations_list():
    """Every organisation with its number of people."""
    return render_template(
        "admin/organisations.html",
        organisations=organisations.all_organisations(include_retired=True),
        counts=organisations.people_counts(),
        category_labels=organisations.CATEGORY_LABELS,
        subtype_labels=organisations.SUBTYPE_LABELS,
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@admin_required
def new_organisation():
    """Add an organisation."""
    form = OrganisationForm()
    if form.validate_on_submit():
        with service_call(form) as call:
            org = organisations.create_organisation(
                form.name.data,
                form.category.data,
                form.subtype.data or None,
                actor=current_person(),
            )
        if call.ok:
            flash(f"{org.name} was added.", "success")
            return redirect(url_for(".organisation", org_id=org.id))
    return render_template(
        "admin/organisation_new.html", form=form, form_has_errors=has_errors(form)
    )


@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
@admin_required
def organisation(org_id: int):
    """One organisation: rename or recategorise it, and manage its join code."""
    org = db.session.get(Organisation, org_id)
    if org is None:
        abort(404)
    form = OrganisationForm(obj=org if request.method == "GET" else None)
    if request.method == "GET":
        form.subtype.data = org.subtype or ""
    if form.validate_on_submit():
        with service_call(form) as call:
            organisations.update_organisation(
                org,
                form.name.data,
                form.category.data,
                form.subtype.data or None,
                actor=current_person(),
            )
        if call.ok:
            flash("Saved.", "success")
            return redirect(url_for(".organisation", org_id=org.id))
    return _organisation_page(org, form, JoinCodeForm(prefix="code"))


def _organisation_or_404(org_id: int) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None:
        abort(404)
    return org


def _members(org: Organisation) -> list[User]:
    """The organisation's people, lead officers first, then by name."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.organisation_id == org.id)
            .order_by(User.role != Role.MANAGER.value, User.name, User.id)
        )
    )


def _lead_form(members: list[User], form: LeadOfficerForm | None = None) -> LeadOfficerForm:
    form = form or LeadOfficerForm(prefix="lead")
    form.person.choices = choices(
        [(0, "Choose a member")]
        + [(p.id, f"{p.name} ({p.email})") for p in members if p.role == Role.LEARNER.value]
    )
    return form


def _organisation_page(
    org: Organisation,
    form: OrganisationForm,
    code_form: JoinCodeForm,
    lead_form: LeadOfficerForm | None = None,
):
    members = _members(org)
    lead_form = _lead_form(members, lead_form)
    return render_template(
        "admin/organisation.html",
        org=org,
        form=form,
        code_form=code_form,
        lead_form=lead_form,
        people_count=len(members),
        lead_officers=[p for p in members if p.role == Role.MANAGER.value],
        invited_leads=[
            invitation
            for invitation in joining.pending_invitations(current_person(), org.id)
            if invitation.role == Role.MANAGER.value
        ],
        join_code=organisations.display_join_code(org.join_code),
        form_has_errors=has_errors(form, code_form, lead_form),
        action_form=EmptyForm(),
    )


@bp.post("/organisations/<int:org_id>/retire")
@admin_required
def retire_organisation(org_id: int):
    """Retire an organisation that left the network, or bring a retired one back."""
    org = _organisation_or_404(org_id)
    action = request.form.get("action")
    if not EmptyForm().validate_on_submit() or action not in ("retire", "restore"):
        abort(400)
    if action == "retire":
        organisations.retire_organisation(org, actor=current_person())
        message = (
            f"{org.name} is retired. Its people's records are kept; nobody can join it "
            "or be invited into it until you bring it back."
        )
    else:
        organisations.restore_organisation(org, actor=current_person())
        message = f"{org.name} is back in use."
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".organisation", org_id=org.id))


@bp.post("/organisations/<int:org_id>/lead-officers")
@admin_required
def lead_officers(org_id: int):
    """Make a member one of the organisation's lead officers, or step one down."""
    org = _organisation_or_404(org_id)
    members = _members(org)
    if request.form.get("action") == "remove":
        if not EmptyForm().validate_on_submit():
            abort(400)
        person = next((p for p in members if str(p.id) == request.form.get("person")), None)
        if person is None or person.role != Role.MANAGER.value:
            abort(404)
        organisations.set_lead_officer(person, org, False, actor=current_person())
        db.session.commit()
        flash(f"{person.name} is no longer a lead officer of {org.name}.", "success")
        return redirect(url_for(".organisation", org_id=org.id))
    lead_form = _lead_form(members, LeadOfficerForm(prefix="lead"))
    if lead_form.validate_on_submit():
        if not lead_form.person.data:
            lead_form.person.errors = ["Choose the member to make a lead officer"]
        else:
            person = next(p for p in members if p.id == lead_form.person.data)
            with service_call(lead_form, default_field="person") as call:
                organisations.set_lead_officer(person, org, True, actor=current_person())
            if call.ok:
                flash(f"{person.name} is now a lead officer of {org.name}.", "success")
                return redirect(url_for(".organisation", org_id=org.id))
    return _organisation_page(
        org, OrganisationForm(obj=org), JoinCodeForm(prefix="code"), lead_form
    )


@bp.post("/organisations/<int:org_id>/join-code")
@admin_required
def join_code(org_id: int):
    """Set, regenerate or clear an organisation's join code (clear: self-registration off)."""
    org = db.session.get(Organisation, org_id)
    if org is None:
        abort(404)
    code_form = JoinCodeForm(prefix="code")
    action = request.form.get("action")
    if code_form.validate_on_submit() and action in ("set", "generate", "clear"):
        value = {"clear": None, "generate": ""}.get(action, code_form.join_code.data or "")
        if action == "set" and not value:
            code_form.join_code.errors = ["Enter the join code to use, or generate one"]
        else:
            with service_call(code_form, default_field="join_code") as call:
                organisations.set_join_code(org, value, actor=current_person())
            if call.ok:
                flash(
                    "Self-registration is off for this organisation."
                    if action == "clear"
                    else "The join code was saved.",
                    "success",
                )
                return redirect(url_for(".organisation", org_id=org.id))
    return _organisation_page(org, OrganisationForm(obj=org), code_form)


@bp.post("/organisations/<int:org_id>/sign-in-links")
@admin_required
def sign_in_links(org_id: int):
    """Let the organisation's people ask for one-time sign-in links by email, or stop them."""
    org = db.session.get(Organisation, org_id)
    if org is None:
        abort(404)
    action = request.form.get("action")
    if not EmptyForm().validate_on_submit() or action not in ("on", "off"):
        abort(400)
    organisations.set_sign_in_links(org, action == "on", actor=current_person())
    db.session.commit()
    flash(f"Sign-in links by email are {action} for {org.name}.", "success")
    return redirect(url_for(".organisation", org_id=org.id))


def _audit_filter() -> tuple[AuditFilterForm, audit_log.AuditFilter]:
    """Read the audit log's filters from the query string; a filter with errors is ignored."""
    form = AuditFilterForm(request.args)
    form.action.choices = choices([("", "Anything"), *audit_log.action_choices()])
    if not form.validate():
        return form, audit_log.AuditFilter()
    return form, audit_log.AuditFilter(
        action=form.action.data or "",
        person=(form.person.data or "").strip(),
        date_from=form.date_from.data,
        date_to=form.date_to.data,
    )


@bp.get("/audit", endpoint="audit_log")
@admin_required
def audit_log_page():
    """The audit log as sentences, newest first, filtered by action, person and dates."""
    form, chosen = _audit_filter()
    page = paginate(audit_log.newest_first(chosen))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "admin/audit.html",
        form=form,
        page=page,
        entries=audit_log.entries(page.items),
        args=args,
        form_has_errors=has_errors(form),
    )


@bp.get("/audit.csv")
@admin_required
def audit_csv():
    """The filtered audit log as a CSV file (every matching entry, not one page)."""
    form, chosen = _audit_filter()
    if has_errors(form):
        return audit_log_page()
    rows = list(audit_log.csv_rows(audit_log.newest_first(chosen)))
    return csv_response(f"audit-log-{utcnow():%Y-%m-%d}.csv", audit_log.csv_header(), rows)


@bp.get("/outbox")
@admin_required
def outbox():
    """Email written to the outbox folder (no SMTP server configured), and email still queued."""
    return render_template(
        "admin/outbox.html",
        files=outbox_files(),
        queued=pending_messages(),
        send_form=EmptyForm(),
    )


@bp.get("/outbox/<name>")
@admin_required
def outbox_message(name: str):
    """One message from the outbox folder: its headers and its plain-text part."""
    message = read_outbox_file(name)
    if message is None:
        abort(404)
    body = message.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    has_html = message.get_body(preferencelist=("html",)) is not None
    parts = "Plain text and HTML (the HTML shows the same words)" if has_html else "Plain text"
    return render_template(
        "admin/outbox_message.html", name=name, message=message, text=text, parts=parts
    )


@bp.post("/outbox/send")
@admin_required
def send_queued():
    """Try to deliver every queued message now."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    report = deliver_pending(limit=200)
    category = "success" if not report.failed else "error"
    flash(f"Sent {report.sent} message(s); {report.failed} failed and stay queued.", category)
    return redirect(url_for(".outbox"))
