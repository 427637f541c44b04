"""The identity page: the network's names, logo, colour, sender, support contact, footer, and
the course the reports open on."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for

from induction.accounts.permissions import admin_required, current_person
from induction.accounts.views import has_errors
from induction.admin.identity_forms import IdentityForm
from induction.admin.identity_service import IdentityChange, clean_values, save_identity
from induction.catalogue import get_catalogue
from induction.identity import current as identity_current
from induction.identity.contrast import WHITE, contrast_ratio, format_ratio
from induction.identity.footer import format_footer_links
from induction.identity.logo import Logo, LogoError, clean_logo
from induction.web.boundary import service_call

bp = Blueprint("identity_admin", __name__, url_prefix="/admin/identity")


@bp.route("", methods=["GET", "POST"])
@admin_required
def edit():
    """See and change the network's identity; a refused value is shown beside its field."""
    identity = identity_current.load()
    form = IdentityForm()
    form.report_course_id.choices = _report_course_choices()
    if not form.is_submitted():
        _fill(form, identity)
    status = 200
    if form.validate_on_submit():
        logo = _uploaded_logo(form)
        if logo is not False:
            change = IdentityChange(
                clean_values(form.data), new_logo=logo, remove_logo=bool(form.remove_logo.data)
            )
            with service_call(form) as call:
                changed = save_identity(current_person(), change, identity)
            if call.ok:
                identity_current.forget()
                flash(_saved_message(changed), "success")
                return redirect(url_for(".edit"))
    if form.is_submitted():
        status = 400
        if _chose_a_file(form) and not form.logo.errors:
            form.logo.errors = [
                "Choose the logo file again: a file is not kept while "
                "something else on the page needs fixing"
            ]
    page = render_template(
        "admin/identity.html",
        form=form,
        identity=identity_current.current(),
        saved=identity,
        ratio=format_ratio(contrast_ratio(identity.brand_colour, WHITE)),
        max_kb=current_app.config["LOGO_MAX_BYTES"] // 1024,
        form_has_errors=has_errors(form),
    )
    return page, status


def _fill(form: IdentityForm, identity: identity_current.Identity) -> None:
    for name in ("name", "short_name", "site_name", "brand_colour", "sender_name"):
        getattr(form, name).data = getattr(identity, name)
    form.sender_address.data = identity.sender_address
    form.support_email.data = identity.support_email or ""
    form.logo_alt.data = identity.logo_alt or ""
    form.footer_links.data = format_footer_links(
        (link.label, link.url) for link in identity.footer_links
    )
    listed = [value for value, _label in form.report_course_id.choices]  # type: ignore[misc]
    chosen = identity.report_course_id
    form.report_course_id.data = chosen if chosen in listed else listed[0]


def _report_course_choices() -> list[tuple[str, str]]:
    """The published courses, in catalogue order; one empty choice when there is none."""
    courses = get_catalogue().courses_for(None)
    return [(course.id, course.title) for course in courses] or [("", "There is no course yet")]


def _chose_a_file(form: IdentityForm) -> bool:
    return bool(getattr(form.logo.data, "filename", ""))


def _uploaded_logo(form: IdentityForm) -> Logo | None | bool:
    """Return the uploaded logo made safe, None when none was chosen, or False (with the
    reason beside the field) when the file cannot be a logo."""
    upload = form.logo.data
    if not _chose_a_file(form):
        return None
    most = int(current_app.config["LOGO_MAX_BYTES"])
    data = upload.read(most + 1)
    if len(data) > most:
        form.logo.errors = [f"The logo must be {most // 1024} KB or smaller: this file is larger"]
        return False
    try:
        return clean_logo(data, upload.filename)
    except LogoError as error:
        form.logo.errors = [f"{error}. Choose the file again once it is fixed"]
        return False


def _saved_message(changed: list[str]) -> str:
    if not changed:
        return "Saved. Nothing had changed."
    return "Saved. Every page, email and certificate now uses the new details."
