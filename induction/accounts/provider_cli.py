"""`flask --app induction identity-providers add|list|test|remove`: scripted set-up of
organisations' own sign-in services, over the same services as the admin pages.

The client secret is read from standard input (one line), never from an option, so it
stays out of the shell's history and the process list.
"""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from induction.accounts import identity_providers, organisations
from induction.accounts.errors import AccountError
from induction.accounts.links import external_url
from induction.accounts.models import Audience, IdentityProvider
from induction.accounts.oidc_discovery import ProviderProblem, check_provider
from induction.extensions import db

providers_cli = AppGroup(
    "identity-providers", help="Organisations' own sign-in services (OpenID Connect)."
)


def _read_secret() -> str:
    """Read the client secret: one line of standard input, or a hidden prompt at a terminal."""
    if sys.stdin.isatty():
        return str(click.prompt("Client secret", hide_input=True))
    return sys.stdin.readline().rstrip("\r\n")


def _provider_named(organisation: str) -> IdentityProvider:
    org = organisations.find_by_name(organisation)
    if org is None:
        raise click.ClickException(f"No organisation is called {organisation!r}.")
    provider = identity_providers.provider_of(org)
    if provider is None:
        raise click.ClickException(f"{org.name} has no identity provider.")
    return provider


def _echo_addresses() -> None:
    click.echo("Register these addresses at the provider:")
    click.echo(f"  Redirect URI:                 {identity_providers.redirect_uri()}")
    click.echo(f"  Sign-out redirect URI:        {external_url('accounts.login')}")


@providers_cli.command("add")
@click.option("--organisation", required=True, help="The organisation's name.")
@click.option("--issuer", required=True, help="The provider's issuer URL (https://...).")
@click.option("--client-id", required=True, help="The client (application) ID it gave you.")
@click.option("--domains", required=True, help="Email domains it vouches for, e.g. 'brent.gov.uk'.")
@click.option(
    "--audience",
    type=click.Choice([a.value for a in Audience]),
    default=Audience.OFFICER.value,
    show_default=True,
    help="The audience of people whose account a first sign-in creates.",
)
@click.option(
    "--create-accounts/--invitation-only",
    default=False,
    show_default=True,
    help="Whether a first sign-in may create an account.",
)
@click.option(
    "--trust-mfa-claim",
    is_flag=True,
    help="Let the provider's multi-factor claim (amr) stand in for the local second factor.",
)
def add_command(
    organisation: str,
    issuer: str,
    client_id: str,
    domains: str,
    audience: str,
    create_accounts: bool,
    trust_mfa_claim: bool,
) -> None:
    """Add an organisation's identity provider; the client secret is read from standard input."""
    org = organisations.find_by_name(organisation)
    if org is None:
        raise click.ClickException(f"No organisation is called {organisation!r}.")
    secret = _read_secret()
    try:
        identity_providers.add_provider(
            org,
            issuer=issuer,
            client_id=client_id,
            client_secret=secret,
            domains=domains,
            audience=audience,
            is_creating_accounts=create_accounts,
            is_mfa_claim_trusted=trust_mfa_claim,
        )
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Added the identity provider of {org.name}. The client secret is stored encrypted.")
    _echo_addresses()
    click.echo(f"Check it with: flask --app induction identity-providers test {org.name!r}")


@providers_cli.command("list")
def list_command() -> None:
    """List the identity providers (never their secrets)."""
    providers = identity_providers.all_providers()
    if not providers:
        click.echo("No identity providers. Add one with: identity-providers add --help")
        return
    for provider in providers:
        click.echo(f"{provider.organisation.name}")
        click.echo(f"  issuer:    {provider.issuer}")
        click.echo(f"  client id: {provider.client_id}")
        click.echo(f"  domains:   {', '.join(provider.domain_list)}")
        new_people = (
            f"created as {provider.audience}"
            if provider.is_creating_accounts
            else "by invitation only"
        )
        click.echo(f"  new people: {new_people}")
        trusted = "yes" if provider.is_mfa_claim_trusted else "no"
        click.echo(f"  trusts its MFA claim for the second factor: {trusted}")
    _echo_addresses()


@providers_cli.command("test")
@click.argument("organisation")
def test_command(organisation: str) -> None:
    """Fetch the provider's discovery document and keys; say what is wrong, if anything."""
    provider = _provider_named(organisation)
    try:
        discovery = check_provider(provider.issuer)
    except ProviderProblem as problem:
        raise click.ClickException(problem.message) from None
    click.echo(f"The provider at {provider.issuer} answers and can be used for signing in.")
    for warning in discovery.warnings:
        click.echo(f"Note: {warning}")


@providers_cli.command("remove")
@click.argument("organisation")
def remove_command(organisation: str) -> None:
    """Remove an organisation's identity provider (its people sign in with a password again)."""
    provider = _provider_named(organisation)
    name = provider.organisation.name
    identity_providers.remove_provider(provider)
    db.session.commit()
    click.echo(f"Removed the identity provider of {name}.")
