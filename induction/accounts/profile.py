"""The signed-in person's own account: details, password, email address and second factor."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from induction.accounts import audit, people, sessions, totp
from induction.accounts.forms import (
    DigestForm,
    EmailChangeForm,
    EmptyForm,
    PasswordChangeForm,
    PasswordConfirmForm,
    ProfileForm,
    TotpConfirmForm,
)
from induction.accounts.models import DigestFrequency, TokenPurpose, User, normalise_email
from induction.accounts.organisations import CATEGORY_LABELS
from induction.accounts.passwords import verify_password
from induction.accounts.permissions import current_person
from induction.accounts.tokens import find_live
from induction.accounts.unsubscribe import reminders_page
from induction.accounts.views import has_errors, link_gone
from induction.database import write_intent
from induction.extensions import db
from induction.identity.current import current as current_identity
from induction.web.boundary import service_call

bp = Blueprint("profile", __name__, url_prefix="/account")


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    """Your account: your details, and links to change your password, email and second factor."""
    user = current_person()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        people.update_details(user, actor=user, name=form.name.data)
        db.session.commit()
        flash("Your name has been saved.", "success")
        return redirect(url_for(".index"))
    return render_template(
        "accounts/profile.html",
        user=user,
        form=form,
        digest_form=DigestForm(data={"frequency": user.digest_frequency}),
        reminders_url=reminders_page(user.id),
        category_labels=CATEGORY_LABELS,
        form_has_errors=has_errors(form),
    )


@bp.post("/digest")
@login_required
def digest():
    """Lead officers: choose the weekly digest of their organisation, or none."""
    user = current_person()
    if not user.is_manager:
        abort(404)
    form = DigestForm()
    if not form.validate_on_submit():
        flash("Choose weekly or off for the digest.", "error")
        return redirect(url_for(".index", _anchor="digest"))
    people.set_digest_frequency(user, DigestFrequency(form.frequency.data))
    db.session.commit()
    words = "weekly" if user.digest_frequency == DigestFrequency.WEEKLY else "off"
    flash(f"Your digest is {words} now.", "success")
    return redirect(url_for(".index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change your password: every other session of yours ends."""
    user = current_person()
    form = PasswordChangeForm()
    if form.validate_on_submit():
        with service_call(form, mail=True) as call:
            people.change_password(user, form.current_password.data, form.password.data)
            sessions.renew(user)
        if call.ok:
            flash(
                "Your password has been changed. You have been signed out everywhere else.",
                "success",
            )
            return redirect(url_for(".index"))
    return render_template("accounts/password.html", form=form, form_has_errors=has_errors(form))


@bp.route("/email", methods=["GET", "POST"])
@login_required
def email():
    """Change your email address: a link is sent to the new one to confirm it."""
    user = current_person()
    form = EmailChangeForm()
    if form.validate_on_submit():
        with service_call(form, mail=True) as call:
            people.request_email_change(user, form.email.data, form.current_password.data)
        if call.ok:
            return render_template(
                "accounts/email_sent.html", email=normalise_email(form.email.data)
            )
    return render_template("accounts/email.html", form=form, form_has_errors=has_errors(form))


@bp.route("/email/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """Confirm a new email address from the emailed link (a button: scanners change nothing)."""
    if find_live(TokenPurpose.EMAIL_CHANGE, token) is None:
        return link_gone()
    form = EmptyForm()
    if form.validate_on_submit():
        with service_call(mail=True, show=False) as call:
            people.confirm_email_change(token)
        if call.refusal is not None:
            return link_gone(call.refusal.message)
        flash("Your email address has been changed.", "success")
        return redirect(
            url_for(".index") if current_user.is_authenticated else url_for("accounts.login")
        )
    return render_template("accounts/email_confirm.html", form=form)


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():
    """Set up two-step verification, or manage it once it is on."""
    user = current_person()
    if user.has_totp:
        return render_template(
            "accounts/two_factor.html",
            user=user,
            codes_left=totp.recovery_codes_left(user),
            disable_form=PasswordConfirmForm(prefix="disable"),
            codes_form=PasswordConfirmForm(prefix="codes"),
        )
    secret = _secret_being_set_up(user)
    form = TotpConfirmForm()
    if form.validate_on_submit():
        codes = totp.enable(user, form.code.data)
        if codes is not None:
            audit.record("totp.enabled", actor=user, target=user)
            db.session.commit()
            return render_template("accounts/recovery_codes.html", codes=codes, first_time=True)
        db.session.rollback()
        form.code.errors = [
            "The code is not right. Check the time on your phone and enter the newest code."
        ]
    issuer = current_identity().site_name
    uri = totp.provisioning_uri(secret, user.email, issuer)
    return render_template(
        "accounts/two_factor_setup.html",
        form=form,
        qr=totp.qr_svg(uri, "QR code to scan with your authenticator app"),
        secret=totp.grouped_secret(secret),
        form_has_errors=has_errors(form),
    )


def _secret_being_set_up(user: User) -> str:
    """Return the secret being set up, saving a new one in its own write transaction.

    The secret must survive until the code from the app arrives. On SQLite a GET that
    writes after reading could fail if another worker wrote meanwhile, so the read is
    ended and a transaction begun for writing.
    """
    if user.totp_secret:
        return user.totp_secret
    db.session.rollback()
    intent = write_intent.set(True)
    try:
        secret = totp.start_setup(user)
        db.session.commit()
    finally:
        write_intent.reset(intent)
    return secret


@bp.post("/two-factor/recovery-codes")
@login_required
def new_recovery_codes():
    """Replace your recovery codes (after checking your password) and show the new ones once."""
    user = current_person()
    form = PasswordConfirmForm(prefix="codes")
    if not user.has_totp:
        return redirect(url_for(".two_factor"))
    if form.validate_on_submit() and verify_password(
        user.password_hash, form.current_password.data
    ):
        codes = totp.new_recovery_codes(user)
        audit.record("totp.recovery_codes_replaced", actor=user, target=user)
        db.session.commit()
        return render_template("accounts/recovery_codes.html", codes=codes, first_time=False)
    flash("Your current password is not right: your recovery codes were not changed.", "error")
    return redirect(url_for(".two_factor"))


@bp.post("/two-factor/disable")
@login_required
def disable_two_factor():
    """Turn two-step verification off (not allowed for admins)."""
    user = current_person()
    form = PasswordConfirmForm(prefix="disable")
    if user.is_admin:
        flash("Admins must keep two-step verification on.", "error")
        return redirect(url_for(".two_factor"))
    if form.validate_on_submit() and verify_password(
        user.password_hash, form.current_password.data
    ):
        totp.disable(user)
        audit.record("totp.disabled", actor=user, target=user)
        db.session.commit()
        flash("Two-step verification is off.", "success")
        return redirect(url_for(".index"))
    flash("Your current password is not right: two-step verification is still on.", "error")
    return redirect(url_for(".two_factor"))
