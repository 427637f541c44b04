"""Organisations' own sign-in services (OpenID Connect): add, change, list, find, remove.

One provider per organisation. Each vouches for some email domains, and a domain is
vouched for by one provider at most, so an address leads to one organisation's provider
or to none. Services flush and never commit.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from induction.accounts import audit, secret_box
from induction.accounts.errors import AccountError
from induction.accounts.links import external_url
from induction.accounts.models import Audience, IdentityProvider, Organisation, User
from induction.database import utcnow
from induction.extensions import db
from induction.inputs import control_character_problem

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def redirect_uri() -> str:
    """Return the address to register at every provider as the sign-in redirect URI."""
    return external_url("oidc.callback")


def checked_issuer(issuer: str) -> str:
    """Return the issuer URL as stored (trimmed, without a trailing slash).

    Raises AccountError when it is not an https address (http only on this machine, for tests).
    """
    issuer = issuer.strip().rstrip("/")
    parts = urlsplit(issuer)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise AccountError(
            "Enter the issuer as a full address starting with https://, for example "
            "https://login.microsoftonline.com/<tenant id>/v2.0",
            field="issuer",
        )
    if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        raise AccountError("The issuer's address must start with https://", field="issuer")
    if parts.query or parts.fragment or len(issuer) > 500:
        raise AccountError(
            "The issuer's address must not have a ? or # part (and 500 characters at most)",
            field="issuer",
        )
    return issuer


def checked_domains(text: str, *, provider: IdentityProvider | None = None) -> str:
    """Return the vouched domains as stored: lower-cased, space-separated, no repeats.

    Raises AccountError when one is not a domain name, none is given, or another
    organisation's provider already vouches for one.
    """
    domains: list[str] = []
    for item in re.split(r"[\s,;]+", text.strip().lower()):
        item = item.lstrip("@").rstrip(".")
        if not item or item in domains:
            continue
        if not _DOMAIN.match(item):
            raise AccountError(
                f"{item!r} is not an email domain: write it like brent.gov.uk, without the "
                "part before the @",
                field="domains",
            )
        domains.append(item)
    if not domains:
        raise AccountError(
            "Enter at least one email domain this provider vouches for", field="domains"
        )
    for other in all_providers():
        if provider is not None and other.id == provider.id:
            continue
        shared = sorted(set(domains) & set(other.domain_list))
        if shared:
            raise AccountError(
                f"{', '.join(shared)} is already vouched for by the provider of "
                f"{other.organisation.name}: a domain can belong to one provider only",
                field="domains",
            )
    joined = " ".join(domains)
    if len(joined) > 1000:
        raise AccountError("That is too many domains (1000 characters at most)", field="domains")
    return joined


def _checked_text(value: str, field: str, label: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise AccountError(f"Enter the {label}", field=field)
    if len(value) > limit:
        raise AccountError(f"The {label} must be {limit} characters or fewer", field=field)
    if problem := control_character_problem(value):
        raise AccountError(problem, field=field)
    return value


def all_providers() -> list[IdentityProvider]:
    """Return every identity provider, by organisation name."""
    return list(
        db.session.scalars(
            select(IdentityProvider).join(IdentityProvider.organisation).order_by(Organisation.name)
        )
    )


def provider_of(organisation: Organisation) -> IdentityProvider | None:
    """Return the organisation's identity provider, or None."""
    return db.session.scalar(
        select(IdentityProvider).where(IdentityProvider.organisation_id == organisation.id)
    )


def domain_of(email: str) -> str:
    """Return the domain of an email address, lower-cased ("" when there is no @)."""
    return email.strip().lower().rpartition("@")[2] if "@" in email else ""


def provider_for_email(email: str) -> IdentityProvider | None:
    """Return the provider that vouches for this address's domain, or None."""
    domain = domain_of(email)
    if not domain:
        return None
    for provider in all_providers():
        if domain in provider.domain_list:
            return provider
    return None


def add_provider(
    organisation: Organisation,
    *,
    issuer: str,
    client_id: str,
    client_secret: str,
    domains: str,
    audience: Audience | str = Audience.OFFICER,
    is_creating_accounts: bool = False,
    is_mfa_claim_trusted: bool = False,
    actor: User | None = None,
) -> IdentityProvider:
    """Add the organisation's identity provider and return it (flushed).

    Raises AccountError when the organisation has one already or a setting is not valid.
    """
    if provider_of(organisation) is not None:
        raise AccountError(
            f"{organisation.name} already has an identity provider: change or remove it",
            field="organisation",
        )
    provider = IdentityProvider(organisation=organisation)
    _apply(
        provider,
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        domains=domains,
        audience=audience,
        is_creating_accounts=is_creating_accounts,
        is_mfa_claim_trusted=is_mfa_claim_trusted,
    )
    db.session.add(provider)
    db.session.flush()
    audit.record(
        "identity_provider.added",
        actor=actor,
        target=provider,
        organisation_id=organisation.id,
        details=describe(provider),
    )
    return provider


def update_provider(
    provider: IdentityProvider,
    *,
    issuer: str,
    client_id: str,
    client_secret: str | None,
    domains: str,
    audience: Audience | str,
    is_creating_accounts: bool,
    is_mfa_claim_trusted: bool,
    actor: User | None = None,
) -> None:
    """Change a provider's settings; a None or empty `client_secret` keeps the stored one.

    Raises AccountError when a setting is not valid (then nothing changes).
    """
    _apply(
        provider,
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret or None,
        domains=domains,
        audience=audience,
        is_creating_accounts=is_creating_accounts,
        is_mfa_claim_trusted=is_mfa_claim_trusted,
    )
    provider.updated_at = utcnow()
    audit.record(
        "identity_provider.changed",
        actor=actor,
        target=provider,
        organisation_id=provider.organisation_id,
        details={**describe(provider), "secret_replaced": bool(client_secret)},
    )


def _apply(
    provider: IdentityProvider,
    *,
    issuer: str,
    client_id: str,
    client_secret: str | None,
    domains: str,
    audience: Audience | str,
    is_creating_accounts: bool,
    is_mfa_claim_trusted: bool,
) -> None:
    """Check every setting, then write them all (or none)."""
    values = {
        "issuer": checked_issuer(issuer),
        "client_id": _checked_text(client_id, "client_id", "client ID", 255),
        "domains": checked_domains(domains, provider=provider if provider.id else None),
    }
    try:
        values["audience"] = Audience(audience).value
    except ValueError:
        raise AccountError(
            f"Audience must be one of {', '.join(Audience)}", field="audience"
        ) from None
    if client_secret is not None:
        secret = _checked_text(client_secret, "client_secret", "client secret", 2000)
        values["client_secret_encrypted"] = secret_box.seal(secret)
    elif not provider.client_secret_encrypted:
        raise AccountError("Enter the client secret", field="client_secret")
    for name, value in values.items():
        setattr(provider, name, value)
    provider.is_creating_accounts = is_creating_accounts
    provider.is_mfa_claim_trusted = is_mfa_claim_trusted


def remove_provider(provider: IdentityProvider, *, actor: User | None = None) -> None:
    """Remove a provider: its organisation's people sign in with a password or a link again."""
    audit.record(
        "identity_provider.removed",
        actor=actor,
        target=provider,
        organisation_id=provider.organisation_id,
        details=describe(provider),
    )
    db.session.delete(provider)
    db.session.flush()


def client_secret_of(provider: IdentityProvider) -> str:
    """Return the provider's client secret in clear, for the token request only.

    Raises secret_box.SecretUnreadable when it cannot be decrypted.
    """
    return secret_box.unseal(provider.client_secret_encrypted)


def describe(provider: IdentityProvider) -> dict[str, object]:
    """Return the provider's settings for the audit log and listings: never the secret."""
    return {
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "domains": provider.domain_list,
        "audience": provider.audience,
        "creates_accounts": provider.is_creating_accounts,
        "trusts_mfa_claim": provider.is_mfa_claim_trusted,
    }
