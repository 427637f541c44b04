"""Signing in at an organisation's identity provider (OpenID Connect, authorisation code + PKCE).

The steps, in order:
1. `begin`: a fresh state, nonce and PKCE verifier, kept by the caller in the browser's
   session, and the address of the provider's sign-in page.
2. `finish`: back from the provider, the state must be the one kept (so a replayed or
   forged answer is refused), the code is exchanged for tokens with the verifier and the
   client secret, and the ID token is checked: its signature against the provider's
   published keys, its issuer, its audience, its expiry and its nonce.
3. `person_for`: the verified email address (`email_verified` must be true) in a domain
   the provider vouches for; the account with that address is linked, in the provider's
   organisation only, or created when the provider may create accounts.
Every refusal is a `SignInRefused` with a message for the person and a short reason for
the audit log.
"""

from __future__ import annotations

import base64
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from induction.accounts import audit, identity_providers, people
from induction.accounts.errors import AccountError
from induction.accounts.models import IdentityProvider, Role, User
from induction.accounts.oidc_discovery import (
    Discovery,
    ProviderProblem,
    discover,
    fetch_keys,
    request_json,
)
from induction.accounts.secret_box import SecretUnreadable

# Asymmetric algorithms only: a token signed with the client secret (HS256) or unsigned is refused.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA")
LEEWAY_SECONDS = 60  # clocks of the provider and this server may differ a little
PENDING_LIFETIME_SECONDS = 15 * 60  # time allowed at the provider's sign-in page
# `amr` values (RFC 8176) that mean more than one factor was used.
MFA_METHODS = frozenset({"mfa", "otp", "hwk", "swk", "sc", "fpt", "face", "iris", "retina"})

UNAVAILABLE = (
    "We could not reach your council's sign-in service just now. Sign in with your "
    "password instead, or try again in a few minutes."
)
START_AGAIN = "Your sign-in did not finish in time or was already used. Start again below."


class SignInRefused(Exception):
    """Signing in at the provider is refused: `message` for the person, `reason` for the log."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class Begun:
    """Where to send the browser, and what to keep in its session until it comes back."""

    url: str
    pending: dict[str, Any]


@dataclass(frozen=True)
class Verified:
    """What a checked ID token says."""

    claims: dict[str, Any]
    id_token: str

    @property
    def has_mfa(self) -> bool:
        """True when the provider says more than one factor was used (`amr`)."""
        amr = self.claims.get("amr")
        return isinstance(amr, list) and bool(MFA_METHODS.intersection(map(str, amr)))


def _discovery(provider: IdentityProvider) -> Discovery:
    try:
        return discover(provider.issuer)
    except ProviderProblem as problem:
        raise SignInRefused(UNAVAILABLE, f"provider unavailable: {problem.message}") from None


def begin(
    provider: IdentityProvider, *, redirect_uri: str, login_hint: str | None, target: str | None
) -> Begun:
    """Start signing in at `provider`; return the address of its sign-in page and what to keep.

    Raises SignInRefused when the provider cannot be reached or its discovery is wrong.
    """
    discovery = _discovery(provider)
    pending = {
        "provider_id": provider.id,
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "verifier": secrets.token_urlsafe(48),
        "started": int(time.time()),
        "next": target,
    }
    url = prepare_grant_uri(
        discovery.authorization_endpoint,
        provider.client_id,
        "code",
        redirect_uri=redirect_uri,
        scope="openid email profile",
        state=pending["state"],
        nonce=pending["nonce"],
        code_challenge=create_s256_code_challenge(pending["verifier"]),
        code_challenge_method="S256",
        **({"login_hint": login_hint} if login_hint else {}),
    )
    return Begun(url, pending)


def pending_is_current(pending: Any, state: str | None) -> bool:
    """Return True when `pending` (from the session) is a live sign-in with this `state`."""
    if not isinstance(pending, dict) or not isinstance(state, str) or not state:
        return False
    kept = pending.get("state")
    started = pending.get("started")
    if not isinstance(kept, str) or not isinstance(started, int):
        return False
    if time.time() - started > PENDING_LIFETIME_SECONDS:
        return False
    return secrets.compare_digest(kept.encode(), state.encode())


def finish(
    provider: IdentityProvider, pending: dict[str, Any], *, code: str, redirect_uri: str
) -> Verified:
    """Exchange the code for tokens and check the ID token; return its claims.

    The caller has checked the state with `pending_is_current`. Raises SignInRefused.
    """
    discovery = _discovery(provider)
    try:
        secret = identity_providers.client_secret_of(provider)
    except SecretUnreadable:
        raise SignInRefused(UNAVAILABLE, "client secret unreadable") from None
    extra = {}
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if "client_secret_basic" in discovery.token_auth_methods:
        pair = f"{_form_quote(provider.client_id)}:{_form_quote(secret)}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    else:
        extra = {"client_id": provider.client_id, "client_secret": secret}
    body = prepare_token_request(
        "authorization_code",
        redirect_uri=redirect_uri,
        code=code,
        code_verifier=pending["verifier"],
        **extra,
    )
    try:
        tokens = request_json(discovery.token_endpoint, data=body.encode(), headers=headers)
        keys = fetch_keys(discovery)
    except ProviderProblem as problem:
        raise SignInRefused(UNAVAILABLE, f"token request failed: {problem.message}") from None
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise SignInRefused(UNAVAILABLE, "the provider sent no ID token")
    claims = check_id_token(
        id_token,
        keys,
        issuer=provider.issuer,
        client_id=provider.client_id,
        nonce=str(pending["nonce"]),
        algorithms=[a for a in discovery.signing_algorithms if a in ALGORITHMS],
    )
    return Verified(claims, id_token)


def _form_quote(value: str) -> str:
    """Encode a client id or secret for HTTP Basic as RFC 6749 section 2.3.1 asks."""
    return urlencode({"": value})[1:]


def check_id_token(
    id_token: str,
    keys: dict[str, Any],
    *,
    issuer: str,
    client_id: str,
    nonce: str,
    algorithms: list[str],
    now: float | None = None,
) -> dict[str, Any]:
    """Return the claims of `id_token` once its signature, issuer, audience, expiry and nonce hold.

    Raises SignInRefused naming the first check that failed.
    """
    refused = (
        "Your council's sign-in service sent an answer we cannot trust, so you are not signed in."
    )
    try:
        key_set = KeySet.import_key_set(keys)  # type: ignore[arg-type]
        token = jwt.decode(id_token, key_set, algorithms=algorithms or ["RS256"])
    except (JoseError, ValueError, TypeError) as error:
        reason = f"ID token signature not valid ({type(error).__name__})"
        raise SignInRefused(refused, reason) from None
    claims = dict(token.claims)
    now = time.time() if now is None else now
    if claims.get("iss") != issuer:
        raise SignInRefused(refused, f"wrong issuer: {str(claims.get('iss'))[:200]}")
    audiences = claims.get("aud")
    audiences = [audiences] if isinstance(audiences, str) else audiences
    if not isinstance(audiences, list) or client_id not in audiences:
        raise SignInRefused(refused, "wrong audience")
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise SignInRefused(refused, "wrong authorised party")
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or expires + LEEWAY_SECONDS < now:
        raise SignInRefused(
            "Your sign-in at your council took too long and has expired. Start again.",
            "ID token expired",
        )
    issued = claims.get("iat")
    if not isinstance(issued, int | float) or issued - LEEWAY_SECONDS > now:
        raise SignInRefused(refused, "ID token issued in the future")
    kept = claims.get("nonce")
    if not isinstance(kept, str) or not secrets.compare_digest(kept.encode(), nonce.encode()):
        raise SignInRefused(refused, "wrong nonce")
    if not isinstance(claims.get("sub"), str):
        raise SignInRefused(refused, "no subject")
    return claims


def person_for(provider: IdentityProvider, claims: dict[str, Any]) -> User:
    """Return the person the checked claims name: linked by email in the provider's organisation,
    or created there when the provider may create accounts (flushed).

    Raises SignInRefused when the address is not verified or not vouched for, belongs to
    another organisation or a deactivated account, or no account may be created.
    """
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise SignInRefused(
            "Your council's sign-in service did not tell us your email address. Ask its "
            "administrators to release the email claim, or sign in with your password.",
            "no email claim",
        )
    if not email_is_verified(claims):
        raise SignInRefused(
            "Your council's sign-in service has not confirmed your email address, so we cannot "
            "use it to sign you in. Sign in with your password, or ask your IT team.",
            "email not verified",
        )
    if identity_providers.domain_of(email) not in provider.domain_list:
        raise SignInRefused(
            f"Your council's sign-in service does not vouch for addresses ending "
            f"@{identity_providers.domain_of(email)}. Sign in with your password instead.",
            "domain not vouched",
        )
    user = people.find_by_email(email)
    if user is not None:
        if user.organisation_id != provider.organisation_id:
            raise SignInRefused(
                "Your account here belongs to another organisation, so this council's sign-in "
                "cannot be used for it. Sign in with your password.",
                "account in another organisation",
            )
        if not user.is_active:
            raise SignInRefused(
                "Your account has been closed. Ask your organisation's lead officer.",
                "deactivated",
            )
        return user
    if not provider.is_creating_accounts:
        raise SignInRefused(
            f"You do not have an account here yet. Ask the lead officer at "
            f"{provider.organisation.name} to invite you.",
            "no account (invitation only)",
        )
    name = _name_from(claims, email)
    try:
        user = people.create_user(
            email=email,
            name=name,
            password=None,
            role=Role.LEARNER,
            audience=provider.audience,
            organisation=provider.organisation,
        )
    except AccountError as error:
        raise SignInRefused(error.message, "account could not be created") from None
    audit.record("user.created_by_provider", target=user, details={"issuer": provider.issuer})
    return user


def email_is_verified(claims: dict[str, Any]) -> bool:
    """Return True when the provider vouches that the address is the person's.

    `email_verified` must be true. Microsoft Entra ID does not send it for work accounts;
    its optional claim `xms_edov` (the address's domain is verified by the tenant that
    owns it) says the same, and counts when it is true.
    """
    return claims.get("email_verified") is True or claims.get("xms_edov") in (True, "1", "true")


def _name_from(claims: dict[str, Any], email: str) -> str:
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        parts = [claims.get("given_name"), claims.get("family_name")]
        name = " ".join(p for p in parts if isinstance(p, str) and p.strip())
    return (name or email.partition("@")[0])[:200]


# An ID token longer than this is not kept in the session cookie (browsers cap cookies at
# 4 KB); sign-out at the provider then names the client alone.
MAX_KEPT_ID_TOKEN = 2000


def end_session_url(provider: IdentityProvider, *, id_token: str | None, after: str) -> str | None:
    """Return the provider's sign-out address for this sign-in, or None when it has none."""
    try:
        discovery = discover(provider.issuer)
    except ProviderProblem:
        return None
    if not discovery.end_session_endpoint:
        return None
    values = {"post_logout_redirect_uri": after, "client_id": provider.client_id}
    if id_token:
        values = {"id_token_hint": id_token, **values}
    query = urlencode(values)
    separator = "&" if "?" in discovery.end_session_endpoint else "?"
    return discovery.end_session_endpoint + separator + query
