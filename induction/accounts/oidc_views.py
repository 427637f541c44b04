"""Signing in with an organisation's own account (OpenID Connect): to the provider and back.

Every refusal is shown in plain words on the sign-in page, where the password (and a
sign-in link, where allowed) still works, and recorded in the audit log as
"auth.login_failed" with the reason.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from induction.accounts import audit, identity_providers, oidc_signin
from induction.accounts.links import home_url, safe_next
from induction.accounts.models import IdentityProvider
from induction.accounts.oidc_signin import SignInRefused
from induction.accounts.views import PROVIDER_SIGN_OUT, finish_sign_in
from induction.extensions import db

bp = Blueprint("oidc", __name__)

PENDING = "oidc_pending"


def _refuse(
    refusal: SignInRefused, provider: IdentityProvider | None, claims: dict[str, Any] | None = None
) -> Response:
    """Roll back, record the refusal, and show it on the sign-in page."""
    db.session.rollback()
    details: dict[str, Any] = {"method": "identity provider", "reason": refusal.reason[:300]}
    email = (claims or {}).get("email") or (claims or {}).get("login_hint")
    if isinstance(email, str):
        details["email"] = email[:254]
    if provider is not None:
        details["issuer"] = provider.issuer
    audit.record(
        "auth.login_failed",
        organisation_id=provider.organisation_id if provider is not None else None,
        details=details,
    )
    db.session.commit()
    flash(refusal.message, "error")
    if isinstance(email, str):
        return redirect(url_for("accounts.login", email=email))
    return redirect(url_for("accounts.login"))


@bp.get("/login/provider/<int:provider_id>")
def start(provider_id: int) -> Response:
    """Send the browser to the organisation's sign-in page (a link: CSP form-action allows it)."""
    if current_user.is_authenticated:
        return redirect(home_url())
    provider = db.session.get(IdentityProvider, provider_id)
    if provider is None:
        abort(404)
    hint = request.args.get("email", "")[:254] or None
    try:
        begun = oidc_signin.begin(
            provider,
            redirect_uri=identity_providers.redirect_uri(),
            login_hint=hint,
            target=safe_next(request.args.get("next")),
        )
    except SignInRefused as refusal:
        return _refuse(refusal, provider, {"email": hint} if hint else None)
    session[PENDING] = {**begun.pending, "email": hint}
    return redirect(begun.url)


@bp.get("/login/provider/callback")
def callback() -> Response:
    """Back from the provider: check everything, then sign the person in (or ask for a code)."""
    pending = session.pop(PENDING, None)
    provider = None
    if isinstance(pending, dict):
        provider = db.session.get(IdentityProvider, pending.get("provider_id") or 0)
    if request.args.get("error"):
        error = request.args["error"][:100]
        message = (
            "You did not finish signing in at your council's sign-in service. "
            "Try again, or sign in with your password."
        )
        return _refuse(SignInRefused(message, f"provider said {error}"), provider)
    if provider is None or not oidc_signin.pending_is_current(pending, request.args.get("state")):
        return _refuse(
            SignInRefused(oidc_signin.START_AGAIN, "unknown, expired or replayed state"), provider
        )
    assert isinstance(pending, dict)
    code = request.args.get("code", "")
    if not code or len(code) > 2000:
        return _refuse(SignInRefused(oidc_signin.START_AGAIN, "no code"), provider)
    claims: dict[str, Any] = {"login_hint": pending.get("email")}
    try:
        verified = oidc_signin.finish(
            provider, pending, code=code, redirect_uri=identity_providers.redirect_uri()
        )
        claims = verified.claims
        user = oidc_signin.person_for(provider, claims)
    except SignInRefused as refusal:
        return _refuse(refusal, provider, claims)
    trusted_mfa = provider.is_mfa_claim_trusted and verified.has_mfa
    short = len(verified.id_token) <= oidc_signin.MAX_KEPT_ID_TOKEN
    kept_token = verified.id_token if short else None
    return finish_sign_in(
        user,
        pending.get("next"),
        details={
            "method": "identity provider",
            "issuer": provider.issuer,
            "provider_mfa": verified.has_mfa,
        },
        ask_code=user.has_totp and not trusted_mfa,
        keep={PROVIDER_SIGN_OUT: {"provider_id": provider.id, "id_token": kept_token}},
    )
