"""The admin pages of identity providers: add, change (the secret never shown), test, remove."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from induction.accounts import identity_providers
from induction.accounts.models import IdentityProvider, Organisation
from induction.extensions import db
from tests.oidc_server import ForgingProvider

SECRET = "admin-page-secret-987654321"  # noqa: S105


@pytest.fixture
def forger():
    forging = ForgingProvider().start()
    yield forging
    forging.stop()


def _form(org_id=None, **changes):
    data = {
        "issuer": "https://login.example.org/tenant/v2.0",
        "client_id": "client-abc",
        "client_secret": SECRET,
        "domains": "brent.gov.uk",
        "audience": "councillor",
        "new_people": "create",
    }
    if org_id is not None:
        data["organisation"] = str(org_id)
    return {**data, **changes}


def test_an_admin_adds_a_provider_and_never_sees_the_secret_again(app, login_as, make_org):
    org = make_org("Brent Council")
    admin = login_as(role="admin")
    page = admin.get("/admin/identity-providers").get_data(as_text=True)
    assert "No organisation has a provider yet" in page
    assert "/login/provider/callback" in page

    response = admin.post("/admin/identity-providers/new", data=_form(org.id))
    assert response.status_code == 302
    edit = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "The provider was added" in edit
    assert "Test this provider" in edit
    assert SECRET not in edit
    assert "client-abc" in edit
    with app.app_context():
        provider = db.session.scalar(select(IdentityProvider))
        assert provider.organisation_id == org.id and provider.is_creating_accounts
        assert identity_providers.client_secret_of(provider) == SECRET


def test_saving_without_a_secret_keeps_the_saved_one(app, login_as, make_org):
    org = make_org("Brent Council")
    admin = login_as(role="admin")
    admin.post("/admin/identity-providers/new", data=_form(org.id))
    with app.app_context():
        provider_id = db.session.scalar(select(IdentityProvider.id))
    response = admin.post(
        f"/admin/identity-providers/{provider_id}",
        data=_form(client_secret="", new_people="invite", trust_mfa="y"),
    )
    assert response.status_code == 302
    with app.app_context():
        provider = db.session.get(IdentityProvider, provider_id)
        assert identity_providers.client_secret_of(provider) == SECRET
        assert not provider.is_creating_accounts and provider.is_mfa_claim_trusted


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"issuer": "http://login.example.org"}, "must start with https://"),
        ({"domains": "@"}, "at least one email domain"),
        ({"client_secret": ""}, "Enter the client secret"),
        ({"client_id": ""}, "Enter the client ID"),
    ],
)
def test_bad_settings_are_shown_beside_their_field(app, login_as, make_org, changes, message):
    org = make_org("Brent Council")
    admin = login_as(role="admin")
    response = admin.post("/admin/identity-providers/new", data=_form(org.id, **changes))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert SECRET not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(IdentityProvider)) is None


def test_the_test_button_says_in_plain_words_whether_the_provider_works(
    app, login_as, make_org, forger
):
    working, down = make_org("Brent Council"), make_org("Camden Council")
    admin = login_as(role="admin")
    admin.post("/admin/identity-providers/new", data=_form(working.id, issuer=forger.issuer))
    admin.post(
        "/admin/identity-providers/new",
        data=_form(down.id, issuer="http://127.0.0.1:9", domains="camden.gov.uk"),
    )
    with app.app_context():
        rows = db.session.execute(select(IdentityProvider.organisation_id, IdentityProvider.id))
        ids = {org_id: provider_id for org_id, provider_id in rows}
    good = admin.post(f"/admin/identity-providers/{ids[working.id]}/test", follow_redirects=True)
    assert "can be used for signing in" in good.get_data(as_text=True)
    bad = admin.post(f"/admin/identity-providers/{ids[down.id]}/test", follow_redirects=True)
    assert "cannot be used yet" in bad.get_data(as_text=True)
    assert "could not be reached" in bad.get_data(as_text=True)


def test_removing_a_provider_keeps_the_accounts(app, login_as, make_org, make_user):
    org = make_org("Brent Council")
    person = make_user(organisation=org)
    admin = login_as(role="admin")
    admin.post("/admin/identity-providers/new", data=_form(org.id))
    with app.app_context():
        provider_id = db.session.scalar(select(IdentityProvider.id))
    response = admin.post(f"/admin/identity-providers/{provider_id}/remove", follow_redirects=True)
    assert "was removed" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(IdentityProvider)) is None
        assert db.session.get(type(person), person.id) is not None


def test_an_admin_turns_sign_in_links_on_and_off_for_an_organisation(app, login_as, make_org):
    org = make_org("Linkshire Council")
    admin = login_as(role="admin")
    page = admin.get(f"/admin/organisations/{org.id}").get_data(as_text=True)
    assert "Turn sign-in links on" in page
    response = admin.post(
        f"/admin/organisations/{org.id}/sign-in-links", data={"action": "on"}, follow_redirects=True
    )
    assert "Sign-in links by email are on" in response.get_data(as_text=True)
    assert "Turn sign-in links off" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Organisation, org.id).has_sign_in_links
    assert admin.post(f"/admin/organisations/{org.id}/sign-in-links", data={}).status_code == 400
    admin.post(f"/admin/organisations/{org.id}/sign-in-links", data={"action": "off"})
    with app.app_context():
        assert not db.session.get(Organisation, org.id).has_sign_in_links
