"""OpenID Connect providers for the tests.

`RealProvider`: the `oidc-provider` package for Node.js (tests/oidc/provider.mjs), a real
provider started on 127.0.0.1 and a free port; its packages are installed from
tests/oidc/package-lock.json with `npm ci` when they are missing. `sign_in_at` drives its
sign-in page without a browser, with a cookie jar, up to the redirect back to the app.

`ForgingProvider`: a small discovery endpoint of our own, for what a real provider will
not produce (a wrong issuer or audience, an expired token, a bad nonce). It serves a
discovery document, its own key pair and a token endpoint that answers with the ID token
a test sets.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

OIDC_DIR = Path(__file__).resolve().parent / "oidc"
CLIENT_ID = "induction-tests"
CLIENT_SECRET = "a client secret for the tests only"  # noqa: S105


def node_available() -> bool:
    """True when node and npm are installed (CI must have them: a skip there is a failure)."""
    found = shutil.which("node") is not None and shutil.which("npm") is not None
    if not found and os.environ.get("CI"):
        pytest.fail("node and npm are needed for the identity provider tests")
    return found


def install_provider_packages() -> None:
    """Install the provider's packages (locked in package-lock.json) when they are missing."""
    if (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    subprocess.run(  # noqa: S603
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],  # noqa: S607
        cwd=OIDC_DIR,
        check=True,
        timeout=300,
    )


@dataclass
class RealProvider:
    """A running oidc-provider; `issuer` is its address."""

    process: subprocess.Popen[str]
    issuer: str

    @classmethod
    def start(cls, redirect_uri: str, post_logout_uri: str) -> RealProvider:
        if not node_available():
            pytest.skip("node and npm are not installed")
        install_provider_packages()
        client = {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [redirect_uri],
            "post_logout_redirect_uris": [post_logout_uri],
        }
        env = {**os.environ, "OIDC_TEST_CONFIG": json.dumps({"clients": [client]})}
        process = subprocess.Popen(  # noqa: S603
            ["node", str(OIDC_DIR / "provider.mjs")],  # noqa: S607
            cwd=OIDC_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdout is not None
        line = process.stdout.readline().strip()  # blocks until it listens (or dies)
        if not line.startswith("listening "):
            process.kill()
            raise RuntimeError(f"the test identity provider did not start: {line!r}")
        return cls(process, line.split(" ", 1)[1])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


class _StopAt(urllib.request.HTTPRedirectHandler):
    """Follow the provider's redirects, but stop at the first one back to the app."""

    def __init__(self, app_base: str) -> None:
        self.app_base = app_base

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201
        if newurl.startswith(self.app_base):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def browser_for(app_base: str) -> urllib.request.OpenerDirector:
    """Return an HTTP client with a cookie jar that stops at redirects back to `app_base`."""
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _StopAt(app_base)
    )


def _back_to_app(opener: urllib.request.OpenerDirector, request: Any) -> str:
    try:
        with opener.open(request, timeout=10) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            if error.code in (302, 303) and error.headers.get("Location"):
                raise _Redirected(error.headers["Location"]) from None
            raise


class _Redirected(Exception):
    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def sign_in_at(
    authorisation_url: str, login: str, *, app_base: str = "http://localhost:5000"
) -> str:
    """Sign in as `login` on the real provider's page; return the redirect back to the app."""
    opener = browser_for(app_base)
    try:
        page = _back_to_app(opener, authorisation_url)
        action = unescape(re.search(r'<form[^>]*action="([^"]+)"', page).group(1))
        form = urllib.parse.urlencode({"prompt": "login", "login": login, "password": "any"})
        target = urllib.parse.urljoin(authorisation_url, action)
        _back_to_app(opener, urllib.request.Request(target, data=form.encode()))
    except _Redirected as redirected:
        return redirected.location
    raise AssertionError("the provider did not send the browser back")


@dataclass
class ForgingProvider:
    """A discovery endpoint of our own that signs whatever ID token a test asks for."""

    issuer: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    next_claims: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    sign_with: RSAKey | None = None
    server: ThreadingHTTPServer | None = None
    last_authorisation: dict[str, str] = field(default_factory=dict)

    def start(self) -> ForgingProvider:
        forger = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def _json(self, body: dict[str, Any], status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/.well-known/openid-configuration":
                    self._json(forger.discovery())
                elif self.path == "/jwks":
                    self._json({"keys": [forger.key.as_dict(private=False)]})
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self._json(
                    {"access_token": "x", "token_type": "Bearer", "id_token": forger.token()}
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/auth",
            "token_endpoint": self.issuer + "/token",
            "jwks_uri": self.issuer + "/jwks",
            "end_session_endpoint": self.issuer + "/session/end",
            "response_types_supported": ["code"],
            "code_challenge_methods_supported": ["S256"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        }

    def claims_for(self, nonce: str, email: str) -> dict[str, Any]:
        """The claims of a good ID token for this provider and client."""
        now = int(time.time())
        return {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": email,
            "email": email,
            "email_verified": True,
            "name": "Forged Person",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
        }

    def token(self) -> str:
        nonce = self.last_authorisation.get("nonce", "")
        email = self.last_authorisation.get("login_hint", "person@example.org")
        claims = self.claims_for(nonce, email)
        if self.next_claims is not None:
            claims = self.next_claims(claims)
        key = self.sign_with or self.key
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)
