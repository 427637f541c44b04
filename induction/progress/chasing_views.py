"""Officers remind people from the dashboard, and send a new invitation to who has not joined
(one person, or everyone whose link has expired).

Who is chosen travels in the address (`course`, then `group` or one `person` per person),
the same for the preview (GET) and the sending (POST), and is checked again on sending:
an organisation, course, person or invitation outside the officer's scope answers 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from induction.accounts import intakes
from induction.accounts.forms import EmptyForm
from induction.accounts.invitations import invitation_days
from induction.accounts.links import safe_next
from induction.accounts.models import AUDIENCE_NAMES, Invitation, Organisation, User
from induction.accounts.permissions import (
    current_person,
    invitable_roles,
    manager_required,
    organisation_in_scope,
)
from induction.catalogue import get_catalogue
from induction.content.model import Course
from induction.extensions import db
from induction.inputs import id_number
from induction.progress import chasing
from induction.progress.chasing_forms import ReminderForm
from induction.progress.services import today
from induction.progress.wording import end_sentence
from induction.web.boundary import deliver_after_response

bp = Blueprint("chasing", __name__, url_prefix="/reminders")

MAX_PEOPLE = 5000  # people chosen one by one in one request


def _organisation_or_404(me: User, org_id: int) -> Organisation:
    organisation = db.session.get(Organisation, org_id)
    if organisation is None or not organisation_in_scope(me, org_id):
        abort(404)
    return organisation


def _course_or_404(me: User) -> Course:
    wanted = request.args.get("course", "")
    for course in get_catalogue().courses_for(None, include_drafts=me.is_admin):
        if course.id == wanted:
            return course
    abort(404)


MAX_SEARCH = 200  # characters of the dashboard's search carried by a group


def _group_filters() -> tuple[str | None, str]:
    """Return the dashboard's audience and search a group was chosen with (404 for an
    audience that is none)."""
    audience = request.args.get("audience") or None
    search = request.args.get("q", "").strip()
    if (audience is not None and audience not in AUDIENCE_NAMES) or len(search) > MAX_SEARCH:
        abort(404)
    return audience, search


def _selection() -> tuple[list[int] | None, chasing.Group | None]:
    """Return the people chosen one by one, or the group chosen (404 for anything else)."""
    group_text = request.args.get("group", "")
    people_text = request.args.getlist("person")
    if group_text and not people_text:
        try:
            return None, chasing.Group(group_text)
        except ValueError:
            abort(404)
    if people_text and not group_text and len(people_text) <= MAX_PEOPLE:
        try:
            return sorted({id_number(value) for value in people_text}), None
        except ValueError:
            abort(404)
    return None, None


@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
@manager_required
def remind(org_id: int):
    """Preview the reminder to the people chosen, with an optional message; then send it."""
    me = current_person()
    organisation = _organisation_or_404(me, org_id)
    course = _course_or_404(me)
    person_ids, group = _selection()
    audience, search = _group_filters() if group is not None else (None, "")
    try:
        intake = intakes.intake_filter(me, org_id, request.args.get("intake"))
    except intakes.IntakeNotFound:
        abort(404)
    dashboard = url_for(
        "reports.organisation",
        org_id=org_id,
        course=course.id,
        intake=intake.id if intake else None,
        audience=audience,
        q=search or None,
    )
    if person_ids is None and group is None:
        flash(
            "Tick the people to remind first, or choose everyone overdue or not started.", "error"
        )
        return redirect(dashboard)
    day = today()
    try:
        prepared = chasing.plan(
            me,
            organisation,
            course,
            day,
            person_ids=person_ids,
            group=group,
            intake_id=intake.id if intake else None,
            audience=audience,
            search=search,
        )
    except chasing.OutOfScope:
        abort(404)
    form = ReminderForm()
    if request.method == "POST" and form.validate_on_submit() and "send" in request.form:
        sent = chasing.send(me, organisation, prepared, form.message.data or "", day)
        db.session.commit()
        deliver_after_response()
        count = len(sent.reminded)
        words = end_sentence(
            f"Reminded {count} {'person' if count == 1 else 'people'} about {course.title}"
        )
        if sent.skipped:
            words += (
                f" {sent.skipped} not reminded: reminded by someone else meanwhile, or they"
                " stopped reminder emails."
            )
        flash(words, "success")
        return redirect(dashboard)
    sample = chasing.preview_sample(prepared.ready)
    preview = sentence = None
    if sample is not None:
        preview = chasing.render(me, organisation, course, sample, form.message.data or "", day)
        sentence = chasing.preview_sentence(course, prepared.ready, sample)
    return render_template(
        "progress/remind.html",
        organisation=organisation,
        course=course,
        plan=prepared,
        group=group,
        intake=intake,
        group_label=chasing.group_label(group, audience, search) if group else None,
        audience=audience,
        search=search,
        person_ids=person_ids or [],
        form=form,
        preview=preview,
        sample=sample,
        sentence=sentence,
        subject=chasing.subject(course, sample),
        reply_to=chasing.reply_to(me),
        dashboard=dashboard,
        form_has_errors=bool(form.errors),
        # "Update the preview" pressed: the page comes back at the preview and says so.
        updated=request.method == "POST" and "preview" in request.form and not form.errors,
    )


@bp.post("/invitations/<int:invitation_id>/renew")
@manager_required
def renew_invitation(invitation_id: int):
    """Send a new invitation (a new link, a new expiry) to someone who has not joined yet."""
    me = current_person()
    invitation = db.session.get(Invitation, invitation_id)
    if (
        invitation is None
        or invitation.organisation is None
        or not organisation_in_scope(me, invitation.organisation_id)
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or invitation.role not in invitable_roles(me)
    ):
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    organisation = invitation.organisation
    chasing.renew_invitations(me, organisation, [invitation])
    db.session.commit()
    deliver_after_response()
    flash(f"A new invitation is on its way to {invitation.email}.", "success")
    back = safe_next(request.form.get("next"))
    return redirect(
        back or url_for("reports.organisation", org_id=organisation.id, status="invited")
    )


@bp.post("/organisations/<int:org_id>/invitations/renew-expired")
@manager_required
def renew_expired(org_id: int):
    """Send a new invitation to everyone invited whose link has expired (of the dashboard's
    audience and search, carried in the address), then go back to the dashboard."""
    me = current_person()
    organisation = _organisation_or_404(me, org_id)
    audience, search = _group_filters()
    if not EmptyForm().validate_on_submit():
        abort(400)
    expired = chasing.expired_invitations(me, organisation, audience, search)
    chasing.renew_invitations(me, organisation, expired)
    db.session.commit()
    deliver_after_response()
    count = len(expired)
    if count:
        flash(
            f"New invitations are on their way to {count} "
            f"{'person' if count == 1 else 'people'} whose link had expired. Each new link "
            f"works for {invitation_days():g} days.",
            "success",
        )
    else:
        flash("No invitation link has expired now: nothing was sent.", "success")
    back = safe_next(request.form.get("next"))
    return redirect(
        back
        or url_for(
            "reports.organisation",
            org_id=org_id,
            status="invited",
            audience=audience,
            q=search or None,
        )
    )
