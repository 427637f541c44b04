"""Signing in and out, first-run setup, joining (invitations, registration) and password reset."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from induction.accounts import (
    audit,
    identity_providers,
    invitations,
    joining,
    oidc_signin,
    people,
    sessions,
    setup,
    sign_in_links,
    tokens,
    totp,
)
from induction.accounts.forms import (
    EmailStepForm,
    EmptyForm,
    InvitationForm,
    LoginForm,
    RegisterFinishForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
    SetupForm,
    SignInLinkForm,
    TwoFactorForm,
)
from induction.accounts.links import external_url, home_url, safe_next
from induction.accounts.models import IdentityProvider, TokenPurpose, User, normalise_email
from induction.accounts.permissions import current_person
from induction.extensions import db, limiter
from induction.web.boundary import after_response, service_call

bp = Blueprint("accounts", __name__)

PENDING_USER = "pending_user_id"
PENDING_AT = "pending_at"
PENDING_NEXT = "pending_next"
PENDING_KEEP = "pending_keep"
# How to sign out at the identity provider the person signed in with (see oidc_views).
PROVIDER_SIGN_OUT = "provider_sign_out"


# Rate-limit keys and values. Limits are read from the config at each request.
F = TypeVar("F", bound=Callable[..., Any])


def _ip_key() -> str:
    return f"ip:{request.remote_addr or 'unknown'}"


def _account_key() -> str:
    return "account:" + normalise_email(request.form.get("email", ""))[:254]


def _pending_key() -> str:
    return f"pending:{session.get(PENDING_USER, '')}"


def _config_value(name: str):  # noqa: ANN202 - a limit provider for Flask-Limiter
    return lambda: current_app.config[name]


def _not_signed_in(response: Response) -> bool:
    """Count an attempt against the limits unless it signed someone in (a redirect)."""
    return response.status_code != 302


def sign_in_limits(account_key: Callable[[], str]) -> Callable[[F], F]:
    """Return the decorator of a sign-in step: failed posts limited per IP and per account."""

    def decorate(view: F) -> F:
        limited: Callable[..., Any] = view
        for limit, key in (
            ("LOGIN_LIMIT_PER_ACCOUNT", account_key),
            ("LOGIN_LIMIT_PER_IP", _ip_key),
        ):
            limited = limiter.limit(
                _config_value(limit), key_func=key, methods=["POST"], deduct_when=_not_signed_in
            )(limited)
        return cast(F, limited)

    return decorate


def has_errors(*forms: FlaskForm) -> bool:
    """Return True when any field of these forms has an error (for the "Error:" title)."""
    return any(field.errors for form in forms for field in form)


def link_gone(message: str = joining.LINK_GONE) -> tuple[str, int]:
    """The page for a link that is unknown, used or expired (404)."""
    return render_template("accounts/link_invalid.html", message=message), 404


def _after_sign_in(user: User, target: str | None) -> Response:
    if user.is_admin and not user.has_totp:
        return redirect(url_for("profile.two_factor"))
    return redirect(safe_next(target) or home_url())


def finish_sign_in(
    user: User,
    target: str | None,
    *,
    details: dict[str, Any] | None = None,
    ask_code: bool | None = None,
    keep: dict[str, Any] | None = None,
) -> Response:
    """Sign `user` in, or ask for their second-factor code first; commit and redirect.

    `ask_code` defaults to "the person has a second factor". `keep` is put in the new
    session once the person is signed in (for example how to sign out at their provider).
    """
    if user.has_totp if ask_code is None else ask_code:
        session.clear()
        session[PENDING_USER] = user.id
        session[PENDING_AT] = int(time.time())
        session[PENDING_NEXT] = safe_next(target)
        session[PENDING_KEEP] = keep or {}
        db.session.commit()
        return redirect(url_for("accounts.login_two_factor"))
    sessions.sign_in(user)
    session.update(keep or {})
    audit.record("auth.login", actor=user, target=user, details=details)
    db.session.commit()
    return _after_sign_in(user, target)


def _login_page(form: FlaskForm, *, email: str | None = None, status: int = 200):
    """The sign-in page with the password form, and the other ways to sign in that apply."""
    provider = identity_providers.provider_for_email(email) if email else None
    return render_template(
        "accounts/login.html",
        form=form,
        provider=provider,
        links_offered=sign_in_links.links_offered(),
        link_form=SignInLinkForm(formdata=None, data={"email": email or ""}),
        form_has_errors=has_errors(form),
    ), status


def _choices_exist() -> bool:
    """True when some people may sign in otherwise than by password: ask the address first."""
    return bool(identity_providers.all_providers()) or sign_in_links.links_offered()


@bp.route("/login", methods=["GET", "POST"])
@sign_in_limits(_account_key)
def login():
    """Sign in with an email address and password (then a code, for those with a second factor)."""
    target = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(safe_next(target) or home_url())
    form = LoginForm()
    if request.method == "GET" and _choices_exist() and not request.args.get("email"):
        return render_template(
            "accounts/login_email.html", form=EmailStepForm(), form_has_errors=False
        )
    if request.method == "GET" and request.args.get("email"):
        form.email.data = request.args["email"][:254]
    if form.validate_on_submit():
        check = people.check_credentials(form.email.data, form.password.data)
        if check.user is not None:
            return finish_sign_in(check.user, target)
        db.session.commit()  # keeps the failed attempt in the audit log
        form.email.errors = ["Your email address or password is not right"]
    return _login_page(form, email=form.email.data)


@bp.post("/login/email")
@limiter.limit(_config_value("LOGIN_EMAIL_LIMIT_PER_IP"), key_func=_ip_key)
def login_email():
    """The address first: offer the council's own sign-in when its domain has one."""
    if current_user.is_authenticated:
        return redirect(home_url())
    form = EmailStepForm()
    if not form.validate_on_submit():
        return render_template(
            "accounts/login_email.html", form=form, form_has_errors=has_errors(form)
        )
    password_form = LoginForm(formdata=None, data={"email": form.email.data})
    return _login_page(password_form, email=form.email.data)


@bp.post("/login/link")
@sign_in_limits(_account_key)
def request_sign_in_link():
    """Ask for a sign-in link by email; the answer is the same whether the address may use one."""
    form = SignInLinkForm()
    if not form.validate_on_submit():
        return _login_page(LoginForm(formdata=None), status=400)
    # After the answer: a known address must not take longer than an unknown one.
    after_response(sign_in_links.send_sign_in_link, form.email.data)
    return render_template(
        "accounts/sign_in_link_sent.html",
        email=normalise_email(form.email.data),
        minutes=current_app.config["SIGN_IN_LINK_MINUTES"],
    )


@bp.route("/login/link/<token>", methods=["GET", "POST"])
def sign_in_link(token: str):
    """Open a sign-in link: a button signs in (a mail scanner opening the link does not)."""
    if not sign_in_links.link_is_live(token):
        return link_gone(sign_in_links.LINK_GONE)
    form = EmptyForm()
    if form.validate_on_submit():
        with service_call(show=False) as call:
            user = sign_in_links.redeem_sign_in_link(token)
        if not call.ok:
            return link_gone(sign_in_links.LINK_GONE)
        return finish_sign_in(user, None, details={"method": "sign-in link"})
    return render_template("accounts/sign_in_link.html", form=form)


def _pending_user() -> User | None:
    """Return the person half-way through signing in, while the step has not expired."""
    user_id = session.get(PENDING_USER)
    started = session.get(PENDING_AT)
    if not isinstance(user_id, int) or not isinstance(started, int):
        return None
    limit = float(current_app.config["TWO_FACTOR_PENDING_MINUTES"]) * 60
    if time.time() - started > limit:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active and user.has_totp else None


@bp.route("/login/two-factor", methods=["GET", "POST"])
@sign_in_limits(_pending_key)
def login_two_factor():
    """The second step of signing in: a code from the authenticator app or a recovery code."""
    user = _pending_user()
    if user is None:
        for key in (PENDING_USER, PENDING_AT, PENDING_NEXT, PENDING_KEEP):
            session.pop(key, None)
        flash("Sign in again: the time to enter your code ran out.", "info")
        return redirect(url_for(".login"))
    form = TwoFactorForm()
    if form.validate_on_submit():
        code = totp.clean_code(form.code.data)
        method = "totp" if code.isdigit() else "recovery_code"
        accepted = (
            totp.verify_code(user, code) if code.isdigit() else totp.use_recovery_code(user, code)
        )
        if accepted:
            target = session.get(PENDING_NEXT)
            keep = session.get(PENDING_KEEP) or {}
            sessions.sign_in(user)
            session.update(keep)
            audit.record("auth.login", actor=user, target=user, details={"second_factor": method})
            if method == "recovery_code":
                left = totp.recovery_codes_left(user)
                flash(f"You used a recovery code. You have {left} left.", "warning")
            db.session.commit()
            return _after_sign_in(user, target)
        audit.record(
            "auth.login_failed", target=user, details={"reason": "wrong second-factor code"}
        )
        db.session.commit()
        form.code.errors = [
            "The code is not right. Codes change every 30 seconds: try the newest one."
        ]
    return render_template(
        "accounts/login_two_factor.html", form=form, form_has_errors=has_errors(form)
    )


@bp.post("/logout")
def logout():
    """Sign out: every session of the person ends, on every browser."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    at_provider = session.get(PROVIDER_SIGN_OUT)
    if current_user.is_authenticated:
        user = current_person()
        audit.record("auth.logout", actor=user, target=user)
        sessions.sign_out(user)
        db.session.commit()
    else:
        session.clear()
    provider_url = _provider_sign_out_url(at_provider)
    if provider_url:
        return render_template("accounts/signed_out.html", provider_url=provider_url)
    flash("You have signed out.", "success")
    return redirect(url_for(".login"))


def _provider_sign_out_url(kept: Any) -> str | None:
    """The address that ends the session at the provider the person signed in with, if any."""
    if not isinstance(kept, dict):
        return None
    provider = db.session.get(IdentityProvider, kept.get("provider_id") or 0)
    if provider is None:
        return None
    return oidc_signin.end_session_url(
        provider,
        id_token=kept.get("id_token") if isinstance(kept.get("id_token"), str) else None,
        after=external_url("accounts.login"),
    )


@bp.route("/setup/<token>", methods=["GET", "POST"], endpoint="setup")
def setup_admin(token: str):
    """First run: create the first admin from the one-time link the start command printed."""
    if not setup.setup_link_is_live(token):
        return link_gone(
            "This setup link has expired or has already been used. "
            "Run the start command again for a new one."
        )
    form = SetupForm()
    if form.validate_on_submit():
        with service_call(form) as call:
            user = setup.create_first_admin(
                token, email=form.email.data, name=form.name.data, password=form.password.data
            )
            sessions.sign_in(user)
        if call.ok:
            flash("Your admin account is ready. Now set up two-step verification.", "success")
            return redirect(url_for("profile.two_factor"))
    return render_template("accounts/setup.html", form=form, form_has_errors=has_errors(form))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_config_value("REGISTER_LIMIT_PER_IP"), key_func=_ip_key, methods=["POST"])
@limiter.limit(_config_value("RESET_LIMIT_PER_ACCOUNT"), key_func=_account_key, methods=["POST"])
def register():
    """Ask for an organisation's join code and an email address; send a link to finish."""
    if not joining.self_registration_enabled():
        abort(404)
    form = RegisterForm()
    if form.validate_on_submit():
        # After the answer: the same time whatever the code and the address.
        after_response(joining.request_registration, form.join_code.data, form.email.data)
        return render_template(
            "accounts/register_sent.html", email=normalise_email(form.email.data)
        )
    return render_template("accounts/register.html", form=form, form_has_errors=has_errors(form))


@bp.route("/register/<token>", methods=["GET", "POST"])
def register_finish(token: str):
    """Finish registering from the emailed link: name, audience and password."""
    record = joining.find_registration(token)
    if record is None:
        return link_gone()
    form = RegisterFinishForm()
    if form.validate_on_submit():
        with service_call(form) as call:
            user = joining.complete_registration(
                token, name=form.name.data, audience=form.audience.data, password=form.password.data
            )
            sessions.sign_in(user)
            audit.record("auth.login", actor=user, target=user)
        if call.ok:
            flash("Your account is ready. Welcome!", "success")
            return redirect(home_url())
    return render_template(
        "accounts/register_finish.html", form=form, record=record, form_has_errors=has_errors(form)
    )


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """Accept an invitation: choose your name and password."""
    found = joining.find_invitation(token)
    if found is None:
        return link_gone(
            "This invitation has expired, been withdrawn or already been used. "
            "Ask the person who invited you for a new one."
        )
    form = InvitationForm(data={"name": found.name} if request.method == "GET" else None)
    if form.validate_on_submit():
        with service_call(form) as call:
            user = joining.accept_invitation(
                token, name=form.name.data, password=form.password.data
            )
            sessions.sign_in(user)
            audit.record("auth.login", actor=user, target=user)
        if call.ok:
            flash("Your account is ready. Welcome!", "success")
            return _after_sign_in(user, None)
    return render_template(
        "accounts/invitation.html",
        form=form,
        invitation=found,
        invited_by=invitations.sender_words(found.invited_by, found.organisation),
        form_has_errors=has_errors(form),
    )


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_config_value("RESET_LIMIT_PER_IP"), key_func=_ip_key, methods=["POST"])
@limiter.limit(_config_value("RESET_LIMIT_PER_ACCOUNT"), key_func=_account_key, methods=["POST"])
def reset_request():
    """Forgot password: ask for the address; the answer is the same whether it has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        # After the answer: a known address must not take longer than an unknown one.
        after_response(people.request_password_reset, form.email.data)
        return render_template("accounts/reset_sent.html", email=normalise_email(form.email.data))
    return render_template(
        "accounts/reset_request.html", form=form, form_has_errors=has_errors(form)
    )


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password from a reset link; every session of the person ends."""
    record = tokens.find_live(TokenPurpose.RESET, token)
    if record is None or record.user is None or not record.user.is_active:
        return link_gone(
            "This reset link has expired or has already been used. You can ask for a new one."
        )
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with service_call(form, mail=True, default_field="password") as call:
            people.reset_password(token, form.password.data)
        if call.ok:
            session.clear()
            flash("Your password has been changed. Sign in with your new password.", "success")
            return redirect(url_for(".login"))
    return render_template("accounts/reset.html", form=form, form_has_errors=has_errors(form))
