"""Signing in with the council's own account, through a real OpenID Connect provider.

The happy paths and most refusals go through the `oidc-provider` package for Node.js
running on 127.0.0.1 (see tests/oidc_server.py). The refusals a real provider will not
produce (a wrong issuer or audience, an expired token, a foreign signature) go through a
discovery endpoint of our own that signs the ID token a test asks for.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc.jwk import RSAKey
from sqlalchemy import select

from induction.accounts import identity_providers
from induction.accounts.audit import AuditEvent
from induction.accounts.models import IdentityProvider, Organisation, User
from induction.extensions import db
from tests.factories import TEST_PASSWORD, form_data
from tests.oidc_server import (
    CLIENT_ID,
    CLIENT_SECRET,
    ForgingProvider,
    RealProvider,
    sign_in_at,
)

APP = "http://localhost:5000"
DOMAIN = "brent.gov.uk"


@pytest.fixture(scope="module")
def real_provider():
    provider = RealProvider.start(f"{APP}/login/provider/callback", f"{APP}/login")
    yield provider
    provider.stop()


@pytest.fixture
def forger():
    forging = ForgingProvider().start()
    yield forging
    forging.stop()


@pytest.fixture
def add_provider(app, make_org):
    """Return a function that gives an organisation an identity provider; returns its id."""

    def add(issuer: str, *, org: Organisation | None = None, **settings) -> int:
        org = org or make_org("Brent Council")
        with app.app_context():
            provider = identity_providers.add_provider(
                db.session.merge(org),
                issuer=issuer,
                client_id=CLIENT_ID,
                client_secret=CLIENT_SECRET,
                domains=settings.pop("domains", DOMAIN),
                **{"audience": "councillor", "is_creating_accounts": True, **settings},
            )
            db.session.commit()
            return provider.id

    return add


def start(client, provider_id: int, email: str) -> str:
    """Press "Continue with your council account"; return where the browser is sent."""
    response = client.get(f"/login/provider/{provider_id}?email={email}")
    assert response.status_code == 302
    return response.headers["Location"]


def come_back(client, location: str):
    """Follow the provider's redirect back to the app's callback."""
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}" == APP
    return client.get(f"{parts.path}?{parts.query}")


def last_failure(app) -> AuditEvent:
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "auth.login_failed")
            .order_by(AuditEvent.id.desc())
        ).first()
        assert event is not None, "no audit entry for the refusal"
        return event


def refused_with(client, response, app, *, words: str, reason: str) -> None:
    """The refusal sends the person to the sign-in page with `words`, and is in the audit log."""
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert words in page
    assert 'name="email"' in page  # signing in otherwise is still offered
    event = last_failure(app)
    assert reason in event.details["reason"]
    assert event.details["method"] == "identity provider"


def test_first_sign_in_creates_the_account_in_the_provider_organisation(
    app, client, real_provider, add_provider
):
    provider_id = add_provider(real_provider.issuer)
    email = f"cllr.jones@{DOMAIN}"

    back = sign_in_at(start(client, provider_id, email), email)
    response = come_back(client, back)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == email))
        assert person is not None
        assert person.organisation.name == "Brent Council"
        assert person.audience == "councillor"
        assert person.role == "learner"
        assert person.password_hash is None
        actions = [e.action for e in db.session.scalars(select(AuditEvent))]
        assert "user.created_by_provider" in actions and "auth.login" in actions
    assert client.get("/account").status_code == 200

    # Signing out ends the session here and offers the provider's sign-out.
    page = client.post("/logout", data=form_data(client, "/account", {}))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Sign out of your council account too" in text
    assert f"{real_provider.issuer}/session/end?id_token_hint=" in text
    assert client.get("/account").status_code == 302


def test_an_existing_account_is_linked_and_an_admin_still_meets_the_second_factor(
    app, client, real_provider, add_provider, make_org, make_user
):
    org = make_org("Brent Council")
    admin = make_user(role="admin", organisation=org, email=f"admin@{DOMAIN}")
    provider_id = add_provider(real_provider.issuer, org=org)

    response = come_back(client, sign_in_at(start(client, provider_id, admin.email), admin.email))

    assert response.status_code == 302
    assert response.headers["Location"] == "/login/two-factor"
    assert client.get("/admin/").status_code == 302  # not signed in yet
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == admin.email)).id == admin.id


def test_a_person_with_no_account_needs_an_invitation_when_the_provider_creates_none(
    app, client, real_provider, add_provider
):
    provider_id = add_provider(real_provider.issuer, is_creating_accounts=False)
    email = f"new.officer@{DOMAIN}"
    response = come_back(client, sign_in_at(start(client, provider_id, email), email))
    refused_with(client, response, app, words="to invite you", reason="invitation only")
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == email)) is None


def test_an_account_is_never_linked_across_organisations(
    app, client, real_provider, add_provider, make_org, make_user
):
    elsewhere = make_user(organisation=make_org("Other Council"), email=f"moved@{DOMAIN}")
    provider_id = add_provider(real_provider.issuer)
    response = come_back(
        client, sign_in_at(start(client, provider_id, elsewhere.email), elsewhere.email)
    )
    refused_with(
        client, response, app, words="belongs to another organisation", reason="another org"
    )


def test_an_unverified_email_address_is_refused(app, client, real_provider, add_provider):
    provider_id = add_provider(real_provider.issuer)
    email = f"unverified.person@{DOMAIN}"
    response = come_back(client, sign_in_at(start(client, provider_id, email), email))
    refused_with(client, response, app, words="has not confirmed your email", reason="not verified")


def test_a_domain_the_provider_does_not_vouch_for_is_refused(
    app, client, real_provider, add_provider
):
    provider_id = add_provider(real_provider.issuer)
    response = come_back(
        client, sign_in_at(start(client, provider_id, f"x@{DOMAIN}"), "someone@elsewhere.org.uk")
    )
    refused_with(
        client,
        response,
        app,
        words="does not vouch for addresses ending @elsewhere.org.uk",
        reason="domain not vouched",
    )


def test_a_replayed_state_is_refused(app, client, real_provider, add_provider):
    provider_id = add_provider(real_provider.issuer)
    email = f"cllr.replay@{DOMAIN}"
    back = sign_in_at(start(client, provider_id, email), email)
    assert come_back(client, back).headers["Location"] == "/"
    client.post("/logout", data=form_data(client, "/account", {}))

    response = come_back(client, back)  # the same answer again
    refused_with(client, response, app, words="already used", reason="replayed state")


def test_a_bad_nonce_is_refused(app, client, real_provider, add_provider):
    provider_id = add_provider(real_provider.issuer)
    email = f"cllr.nonce@{DOMAIN}"
    authorisation = start(client, provider_id, email)
    with client.session_transaction() as session:
        session["oidc_pending"] = {**session["oidc_pending"], "nonce": "not the one sent"}
    response = come_back(client, sign_in_at(authorisation, email))
    refused_with(client, response, app, words="cannot trust", reason="wrong nonce")


def test_a_provider_that_is_down_is_refused_and_the_password_still_works(
    app, client, add_provider, make_user
):
    provider_id = add_provider("http://127.0.0.1:9")  # nothing listens on the discard port
    with app.app_context():
        org = db.session.get(IdentityProvider, provider_id).organisation
        person = make_user(organisation=org, email=f"steady@{DOMAIN}")

    response = client.get(f"/login/provider/{provider_id}?email={person.email}")
    refused_with(client, response, app, words="could not reach", reason="provider unavailable")

    signed_in = client.post(
        "/login",
        data=form_data(client, "/login", {"email": person.email, "password": TEST_PASSWORD}),
    )
    assert signed_in.status_code == 302
    assert client.get("/account").status_code == 200


# Tokens a real provider will not make: from our own discovery endpoint and key pair.


def forged_round_trip(client, forger, provider_id: int, email: str, change=None):
    forger.next_claims = change
    location = start(client, provider_id, email)
    query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    assert query["code_challenge_method"] == "S256" and query["code_challenge"]
    forger.last_authorisation = query
    return client.get(f"/login/provider/callback?code=forged&state={query['state']}")


@pytest.mark.parametrize(
    ("change", "words", "reason"),
    [
        (lambda c: {**c, "iss": "https://attacker.example.org"}, "cannot trust", "wrong issuer"),
        (lambda c: {**c, "aud": "another-client"}, "cannot trust", "wrong audience"),
        (
            lambda c: {**c, "aud": [CLIENT_ID, "another-client"]},
            "cannot trust",
            "wrong authorised party",
        ),
        (
            lambda c: {**c, "iat": c["iat"] - 3600, "exp": c["exp"] - 3600},
            "has expired",
            "ID token expired",
        ),
        (lambda c: {**c, "nonce": "guessed"}, "cannot trust", "wrong nonce"),
    ],
    ids=["wrong-issuer", "wrong-audience", "other-authorised-party", "expired", "bad-nonce"],
)
def test_an_id_token_that_does_not_hold_is_refused(
    app, client, forger, add_provider, change, words, reason
):
    provider_id = add_provider(forger.issuer)
    response = forged_round_trip(client, forger, provider_id, f"cllr.forged@{DOMAIN}", change)
    refused_with(client, response, app, words=words, reason=reason)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == f"cllr.forged@{DOMAIN}")) is None


def test_an_id_token_signed_with_another_key_is_refused(app, client, forger, add_provider):
    provider_id = add_provider(forger.issuer)
    forger.sign_with = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    response = forged_round_trip(client, forger, provider_id, f"cllr.key@{DOMAIN}")
    refused_with(client, response, app, words="cannot trust", reason="signature not valid")


def test_a_good_forged_token_signs_in(app, client, forger, add_provider):
    """The control for the refusals above: the same round trip with nothing changed."""
    provider_id = add_provider(forger.issuer)
    response = forged_round_trip(client, forger, provider_id, f"cllr.control@{DOMAIN}")
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("trusted", "amr", "asks_code"),
    [(True, ["pwd", "mfa"], False), (True, ["pwd"], True), (False, ["pwd", "mfa"], True)],
)
def test_an_admin_skips_the_local_code_only_when_the_mfa_claim_is_trusted_and_says_so(
    app, client, forger, add_provider, make_org, make_user, trusted, amr, asks_code
):
    org = make_org("Brent Council")
    admin = make_user(role="admin", organisation=org, email=f"lead@{DOMAIN}")
    provider_id = add_provider(forger.issuer, org=org, is_mfa_claim_trusted=trusted)
    response = forged_round_trip(
        client, forger, provider_id, admin.email, lambda c: {**c, "amr": amr}
    )
    assert (response.headers["Location"] == "/login/two-factor") is asks_code


@pytest.mark.parametrize(
    ("change", "signs_in"),
    [
        (lambda c: {k: v for k, v in c.items() if k != "email_verified"}, False),
        (lambda c: {**c, "email_verified": "true"}, False),  # a string is not a yes
        (
            lambda c: {**{k: v for k, v in c.items() if k != "email_verified"}, "xms_edov": True},
            True,
        ),
    ],
    ids=["no-email-verified", "email-verified-as-text", "entra-xms-edov"],
)
def test_the_address_must_be_verified_by_the_provider(
    app, client, forger, add_provider, change, signs_in
):
    provider_id = add_provider(forger.issuer)
    response = forged_round_trip(client, forger, provider_id, f"cllr.check@{DOMAIN}", change)
    if signs_in:
        assert response.headers["Location"] == "/"
    else:
        refused_with(client, response, app, words="has not confirmed", reason="not verified")


def test_a_long_id_token_is_not_kept_and_sign_out_names_the_client(
    app, client, forger, add_provider
):
    provider_id = add_provider(forger.issuer)
    padded = lambda c: {**c, "groups": ["group-" + "x" * 40] * 60}  # noqa: E731
    response = forged_round_trip(client, forger, provider_id, f"cllr.long@{DOMAIN}", padded)
    assert response.headers["Location"] == "/"
    page = client.post("/logout", data=form_data(client, "/account", {}))
    text = page.get_data(as_text=True)
    assert f"{forger.issuer}/session/end?post_logout_redirect_uri=" in text
    assert "id_token_hint" not in text
    assert f"client_id={CLIENT_ID}" in text
