"""Admin pages for organisations' identity providers: add, change, test and remove.

Thin views over accounts.identity_providers; the client secret is never shown again.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from induction.accounts import identity_providers, organisations
from induction.accounts.forms import EmptyForm, choices
from induction.accounts.links import external_url
from induction.accounts.models import IdentityProvider, Organisation
from induction.accounts.oidc_discovery import ProviderProblem, check_provider
from induction.accounts.permissions import admin_required, current_person
from induction.accounts.views import has_errors
from induction.admin.provider_forms import ProviderForm
from induction.extensions import db
from induction.web.boundary import service_call

bp = Blueprint("admin_providers", __name__, url_prefix="/admin/identity-providers")


def _provider_or_404(provider_id: int) -> IdentityProvider:
    provider = db.session.get(IdentityProvider, provider_id)
    if provider is None:
        abort(404)
    return provider


def _addresses() -> dict[str, str]:
    return {
        "redirect_uri": identity_providers.redirect_uri(),
        "sign_out_uri": external_url("accounts.login"),
    }


def _settings(form: ProviderForm) -> dict[str, object]:
    return {
        "issuer": form.issuer.data or "",
        "client_id": form.client_id.data or "",
        "domains": form.domains.data or "",
        "audience": form.audience.data,
        "is_creating_accounts": form.new_people.data == "create",
        "is_mfa_claim_trusted": bool(form.trust_mfa.data),
    }


@bp.get("")
@admin_required
def index() -> str:
    """Every identity provider, with the addresses to register at a provider."""
    return render_template(
        "admin/providers.html", providers=identity_providers.all_providers(), **_addresses()
    )


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new() -> str | Response:
    """Add an organisation's identity provider."""
    form = ProviderForm()
    taken = {p.organisation_id for p in identity_providers.all_providers()}
    form.organisation.choices = choices(
        (org.id, org.name) for org in organisations.all_organisations() if org.id not in taken
    )
    if form.validate_on_submit():
        org = db.session.get(Organisation, form.organisation.data)
        with service_call(form) as call:
            if org is None:
                abort(404)
            provider = identity_providers.add_provider(
                org,
                client_secret=form.client_secret.data or "",
                actor=current_person(),
                **_settings(form),  # type: ignore[arg-type]
            )
        if call.ok:
            flash("The provider was added. Test it below.", "success")
            return redirect(url_for(".edit", provider_id=provider.id))
    return render_template(
        "admin/provider.html",
        form=form,
        provider=None,
        form_has_errors=has_errors(form),
        **_addresses(),
    )


@bp.route("/<int:provider_id>", methods=["GET", "POST"])
@admin_required
def edit(provider_id: int) -> str | Response:
    """Change a provider's settings (an empty client secret keeps the saved one)."""
    provider = _provider_or_404(provider_id)
    form = ProviderForm(
        data={
            "issuer": provider.issuer,
            "client_id": provider.client_id,
            "domains": " ".join(provider.domain_list),
            "audience": provider.audience,
            "new_people": "create" if provider.is_creating_accounts else "invite",
            "trust_mfa": provider.is_mfa_claim_trusted,
        }
    )
    form.organisation.choices = choices([(provider.organisation_id, provider.organisation.name)])
    form.organisation.data = provider.organisation_id
    if form.validate_on_submit():
        with service_call(form) as call:
            identity_providers.update_provider(
                provider,
                client_secret=form.client_secret.data or None,
                actor=current_person(),
                **_settings(form),  # type: ignore[arg-type]
            )
        if call.ok:
            flash("Saved.", "success")
            return redirect(url_for(".edit", provider_id=provider.id))
    return render_template(
        "admin/provider.html",
        form=form,
        provider=provider,
        form_has_errors=has_errors(form),
        **_addresses(),
    )


@bp.post("/<int:provider_id>/test")
@admin_required
def test(provider_id: int) -> Response:
    """Fetch the provider's discovery document and keys; say in plain words what is wrong."""
    provider = _provider_or_404(provider_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        discovery = check_provider(provider.issuer)
    except ProviderProblem as problem:
        flash(f"This provider cannot be used yet. {problem.message}", "error")
    else:
        notes = " ".join(discovery.warnings)
        flash(f"The provider answers and can be used for signing in. {notes}".strip(), "success")
    return redirect(url_for(".edit", provider_id=provider.id))


@bp.post("/<int:provider_id>/remove")
@admin_required
def remove(provider_id: int) -> Response:
    """Remove a provider: its organisation's people sign in with a password (or a link) again."""
    provider = _provider_or_404(provider_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    name = provider.organisation.name
    identity_providers.remove_provider(provider, actor=current_person())
    db.session.commit()
    flash(f"The identity provider of {name} was removed.", "success")
    return redirect(url_for(".index"))
