"""Talking to an OpenID Connect provider: its discovery document, its keys, its token endpoint.

Every request has a short timeout and a size limit, and every failure becomes a
`ProviderProblem` whose message says in plain words what is wrong, for the person
signing in, the admin testing the provider and the audit log alike.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from induction.accounts.identity_providers import LOOPBACK_HOSTS

TIMEOUT_SECONDS = 8
MAX_BYTES = 512 * 1024
DISCOVERY_PATH = "/.well-known/openid-configuration"


class ProviderProblem(Exception):
    """The provider cannot be used as it is; `message` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Discovery:
    """The parts of a provider's discovery document that signing in uses."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None
    token_auth_methods: tuple[str, ...]
    signing_algorithms: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())


def _checked_endpoint(document: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    value = document.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise ProviderProblem(f"The provider's discovery document has no {name}.")
    parts = urlsplit(value)
    secure = parts.scheme == "https" or (
        parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
    )
    if not secure:
        raise ProviderProblem(f"The provider's {name} does not start with https://.")
    return value


def request_json(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """GET (or POST `data` to) `url` and return the JSON object it answers.

    Raises ProviderProblem when it cannot be reached, answers an error, or is not JSON.
    """
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked by the callers
        url, data=data, headers={"Accept": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        with error:
            detail = _error_detail(error)
        raise ProviderProblem(
            f"The provider answered {url} with an error ({error.code}{detail})."
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ProviderProblem(
            f"The provider could not be reached at {url} ({reason}). Check the address, "
            "or try again later if the provider is down."
        ) from None
    if len(body) > MAX_BYTES:
        raise ProviderProblem(f"The provider's answer from {url} is too large.")
    try:
        document = json.loads(body)
    except ValueError:
        raise ProviderProblem(
            f"The provider's answer from {url} is not JSON: is this the right address?"
        ) from None
    if not isinstance(document, dict):
        raise ProviderProblem(f"The provider's answer from {url} is not a JSON object.")
    return document


def _error_detail(error: urllib.error.HTTPError) -> str:
    """Return the OAuth error code of an error answer, if it has one (never its whole body)."""
    try:
        body = json.loads(error.read(4096) or b"{}")
    except (ValueError, OSError):
        return ""
    code = body.get("error") if isinstance(body, dict) else None
    return f": {code}" if isinstance(code, str) and len(code) < 100 else ""


def discover(issuer: str) -> Discovery:
    """Fetch and check the discovery document of `issuer`; return what signing in needs.

    Raises ProviderProblem, in plain words, when the document cannot be fetched or does
    not fit: another issuer, a missing endpoint, no authorisation code flow.
    """
    document = request_json(issuer + DISCOVERY_PATH)
    found = document.get("issuer")
    if found != issuer:
        raise ProviderProblem(
            f"The provider says its issuer is {found!r}, not {issuer!r}. Copy the issuer "
            "exactly as the provider's discovery document gives it."
        )
    response_types = document.get("response_types_supported") or ["code"]
    if "code" not in response_types:
        raise ProviderProblem("The provider does not offer the authorisation code flow.")
    warnings: list[str] = []
    pkce = document.get("code_challenge_methods_supported")
    if pkce is not None and "S256" not in pkce:
        raise ProviderProblem("The provider does not support PKCE with S256.")
    if pkce is None:
        warnings.append(
            "The provider does not say whether it supports PKCE; sign-in sends it anyway."
        )
    end_session = _checked_endpoint(document, "end_session_endpoint", required=False)
    if end_session is None:
        warnings.append(
            "The provider has no sign-out address: signing out ends the session here only."
        )
    return Discovery(
        issuer=issuer,
        authorization_endpoint=str(_checked_endpoint(document, "authorization_endpoint")),
        token_endpoint=str(_checked_endpoint(document, "token_endpoint")),
        jwks_uri=str(_checked_endpoint(document, "jwks_uri")),
        end_session_endpoint=end_session,
        token_auth_methods=tuple(
            document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        ),
        signing_algorithms=tuple(
            document.get("id_token_signing_alg_values_supported") or ["RS256"]
        ),
        warnings=tuple(warnings),
    )


def fetch_keys(discovery: Discovery) -> dict[str, Any]:
    """Return the provider's public keys (a JWK set); raise ProviderProblem when there are none."""
    keys = request_json(discovery.jwks_uri)
    if not isinstance(keys.get("keys"), list) or not keys["keys"]:
        raise ProviderProblem("The provider publishes no keys to check its sign-ins with.")
    return keys


def check_provider(issuer: str) -> Discovery:
    """Fetch the discovery document and the keys of `issuer`, as signing in would.

    Returns the discovery (with its warnings); raises ProviderProblem with what is wrong.
    """
    discovery = discover(issuer)
    fetch_keys(discovery)
    return discovery
