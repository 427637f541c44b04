"""Identity providers: settings checked, the client secret encrypted at rest and never shown,
and `flask --app induction identity-providers add|list|test|remove`.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from induction.accounts import identity_providers, secret_box
from induction.accounts.audit import AuditEvent
from induction.accounts.errors import AccountError
from induction.accounts.models import IdentityProvider, Organisation
from induction.extensions import db
from tests.oidc_server import ForgingProvider

SECRET = "the-client-secret-0123456789"  # noqa: S105


@pytest.fixture
def forger():
    forging = ForgingProvider().start()
    yield forging
    forging.stop()


def add(
    runner,
    organisation="Brent Council",
    issuer="https://login.example.org/tenant/v2.0",
    domains="brent.gov.uk",
    *extra,
):
    return runner.invoke(
        args=[
            "identity-providers",
            "add",
            "--organisation",
            organisation,
            "--issuer",
            issuer,
            "--client-id",
            "client-123",
            "--domains",
            domains,
            *extra,
        ],
        input=SECRET + "\n",
    )


def test_add_reads_the_secret_from_standard_input_and_prints_the_redirect_uri(
    app, runner, make_org
):
    make_org("Brent Council")
    result = add(
        runner,
        "Brent Council",
        "https://login.example.org/tenant/v2.0/",
        "Brent.gov.uk, @brent.org.uk",
        "--create-accounts",
        "--audience",
        "councillor",
    )
    assert result.exit_code == 0, result.output
    assert "http://localhost:5000/login/provider/callback" in result.output
    assert SECRET not in result.output
    with app.app_context():
        provider = db.session.scalar(select(IdentityProvider))
        assert provider.issuer == "https://login.example.org/tenant/v2.0"
        assert provider.domain_list == ["brent.gov.uk", "brent.org.uk"]
        assert provider.audience == "councillor" and provider.is_creating_accounts
        assert not provider.is_mfa_claim_trusted


def test_the_secret_is_stored_encrypted_and_never_shown_again(app, runner, make_org):
    make_org("Brent Council")
    add(runner)
    listing = runner.invoke(args=["identity-providers", "list"])
    assert "client-123" in listing.output and "brent.gov.uk" in listing.output
    assert SECRET not in listing.output
    with app.app_context():
        stored = db.session.execute(
            text("SELECT client_secret_encrypted FROM identity_provider")
        ).scalar_one()
        assert SECRET not in stored
        assert secret_box.unseal(stored) == SECRET
        provider = db.session.scalar(select(IdentityProvider))
        assert identity_providers.client_secret_of(provider) == SECRET
        events = db.session.scalars(select(AuditEvent)).all()
        assert events and all(SECRET not in json.dumps(e.details) for e in events)


def test_a_changed_secret_key_makes_the_stored_secret_unreadable_with_a_plain_message(
    app_factory, make_org
):
    first = app_factory()
    org = make_org("Brent Council")
    with first.app_context():
        sealed = secret_box.seal(SECRET)
    other = app_factory(SECRET_KEY="another-secret-key-for-this-test")
    with other.app_context(), pytest.raises(secret_box.SecretUnreadable, match="again"):
        secret_box.unseal(sealed)
    assert org.id


@pytest.mark.parametrize(
    ("issuer", "domains", "message"),
    [
        ("login.example.org", "brent.gov.uk", "full address starting with https://"),
        ("http://login.example.org", "brent.gov.uk", "must start with https://"),
        ("https://login.example.org", "not a domain!", "is not an email domain"),
        ("https://login.example.org", " ", "at least one email domain"),
    ],
)
def test_bad_settings_get_a_plain_message_and_nothing_is_saved(
    app, runner, make_org, issuer, domains, message
):
    make_org("Brent Council")
    result = add(runner, "Brent Council", issuer, domains)
    assert result.exit_code == 1
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(select(IdentityProvider)) is None


def test_a_domain_belongs_to_one_provider_only(app, runner, make_org):
    make_org("Brent Council")
    make_org("Camden Council")
    assert add(runner).exit_code == 0
    result = add(
        runner, "Camden Council", "https://other.example.org", "camden.gov.uk brent.gov.uk"
    )
    assert result.exit_code == 1
    assert "brent.gov.uk is already vouched for by the provider of Brent Council" in result.output
    with app.app_context():
        assert identity_providers.provider_for_email("x@BRENT.gov.uk").organisation.name == (
            "Brent Council"
        )
        assert identity_providers.provider_for_email("x@camden.gov.uk") is None


def test_update_keeps_the_secret_when_none_is_given(app, runner, make_org, make_user):
    make_org("Brent Council")
    add(runner)
    with app.app_context():
        provider = db.session.scalar(select(IdentityProvider))
        before = provider.client_secret_encrypted
        identity_providers.update_provider(
            provider,
            issuer=provider.issuer,
            client_id="client-456",
            client_secret="",
            domains="brent.gov.uk",
            audience="officer",
            is_creating_accounts=False,
            is_mfa_claim_trusted=True,
        )
        db.session.commit()
        assert provider.client_secret_encrypted == before
        assert provider.client_id == "client-456" and provider.is_mfa_claim_trusted
    with app.app_context(), pytest.raises(AccountError, match="Enter the client ID"):
        identity_providers.update_provider(
            db.session.scalar(select(IdentityProvider)),
            issuer="https://x.example.org",
            client_id=" ",
            client_secret=None,
            domains="brent.gov.uk",
            audience="officer",
            is_creating_accounts=False,
            is_mfa_claim_trusted=False,
        )


def test_test_says_the_provider_works(app, runner, make_org, forger):
    make_org("Brent Council")
    add(runner, "Brent Council", forger.issuer)
    result = runner.invoke(args=["identity-providers", "test", "Brent Council"])
    assert result.exit_code == 0, result.output
    assert "can be used for signing in" in result.output


def test_test_says_in_plain_words_what_is_wrong(app, runner, make_org, forger):
    make_org("Brent Council")
    make_org("Camden Council")
    add(runner, "Brent Council", "http://127.0.0.1:9")
    result = runner.invoke(args=["identity-providers", "test", "Brent Council"])
    assert result.exit_code == 1
    assert "could not be reached" in result.output

    add(runner, "Camden Council", forger.issuer + "/wrong", "camden.gov.uk")
    result = runner.invoke(args=["identity-providers", "test", "Camden Council"])
    assert result.exit_code == 1
    assert "answered" in result.output and "404" in result.output


def test_test_names_an_issuer_that_differs_from_the_discovery_document(app, make_org, forger):
    with app.app_context():
        from induction.accounts.oidc_discovery import ProviderProblem, check_provider

        with pytest.raises(ProviderProblem, match="says its issuer is"):
            check_provider(forger.issuer.replace("127.0.0.1", "localhost"))


def test_remove(app, runner, make_org):
    make_org("Brent Council")
    add(runner)
    result = runner.invoke(args=["identity-providers", "remove", "Brent Council"])
    assert result.exit_code == 0
    assert "Removed" in result.output
    with app.app_context():
        assert db.session.scalar(select(IdentityProvider)) is None
    again = runner.invoke(args=["identity-providers", "remove", "Brent Council"])
    assert again.exit_code == 1 and "has no identity provider" in again.output


def test_orgs_sign_in_links_turns_links_on_and_off(app, runner, make_org):
    org = make_org("Brent Council")
    result = runner.invoke(args=["orgs", "sign-in-links", "Brent Council", "on"])
    assert result.exit_code == 0
    with app.app_context():
        assert db.session.get(Organisation, org.id).has_sign_in_links
    runner.invoke(args=["orgs", "sign-in-links", "Brent Council", "off"])
    with app.app_context():
        assert not db.session.get(Organisation, org.id).has_sign_in_links
