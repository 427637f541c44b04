"""A small browser for the reliability tests: cookies, forms and CSRF tokens over plain HTTP.

Built on `http.client` from the standard library, one connection per request (gunicorn's
sync workers close every connection anyway). The servers run in production mode behind
a pretend reverse proxy: each request says it came over HTTPS for a client address of
its own (X-Forwarded-Proto, X-Forwarded-For), and form posts carry a same-origin
Referer, as a browser's do. Cookies are kept whatever their Secure flag, since the
"proxy" is the test itself.
"""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any


@dataclass(frozen=True)
class Reply:
    """One HTTP response: status, headers (lower-case names) and body text."""

    status: int
    headers: dict[str, str]
    body: str

    @property
    def location(self) -> str:
        """Return the path (and query) a redirect points to ('' when it is not a redirect)."""
        target = self.headers.get("location", "")
        parts = urllib.parse.urlsplit(target)
        return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Form:
    """A form on a page: where it posts and the values a browser would send untouched."""

    action: str
    hidden: list[tuple[str, str]] = field(default_factory=list)


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(Form(action=values.get("action", "")))
        elif tag == "input" and self.forms and values.get("type") == "hidden":
            self.forms[-1].hidden.append((values.get("name", ""), values.get("value", "")))


def forms_of(page: str) -> list[Form]:
    """Return the forms of a page in order."""
    reader = _FormReader()
    reader.feed(page)
    return reader.forms


def form_posting_to(page: str, action: str, *, here: str = "") -> Form:
    """Return the form of `page` that posts to `action`; raise LookupError if there is none.

    A form without an action posts to the page itself, whose path is `here`.
    """
    for form in forms_of(page):
        if urllib.parse.urlsplit(form.action or here).path == action:
            return form
    raise LookupError(f"no form posts to {action}")


class Visitor:
    """One browser: its cookies and its own client address, talking to one or more servers."""

    def __init__(self, base_url: str, *, ip: str = "127.0.0.1", timeout: float = 30.0) -> None:
        self.base_url = base_url
        self.ip = ip
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, path: str, *, base_url: str | None = None) -> Reply:
        """Send a GET and return the reply (redirects are not followed)."""
        return self.request("GET", path, base_url=base_url)

    def post(
        self,
        path: str,
        fields: list[tuple[str, str]] | dict[str, Any],
        *,
        base_url: str | None = None,
    ) -> Reply:
        """Send a form post (fields URL-encoded) and return the reply."""
        pairs = list(fields.items()) if isinstance(fields, dict) else fields
        body = urllib.parse.urlencode(pairs, doseq=True).encode()
        return self.request("POST", path, body=body, base_url=base_url)

    def request(
        self, method: str, path: str, *, body: bytes | None = None, base_url: str | None = None
    ) -> Reply:
        """Send one request with this browser's cookies; keep the cookies it sets."""
        base = urllib.parse.urlsplit(base_url or self.base_url)
        host = base.netloc
        headers = {
            "Host": host,
            "User-Agent": "induction-reliability-tests",
            "X-Forwarded-For": self.ip,
            "X-Forwarded-Proto": "https",
            "Connection": "close",
        }
        with self._lock:
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Flask-WTF checks that an HTTPS form post comes from the same site.
            headers["Referer"] = f"https://{host}{path}"
        connection = http.client.HTTPConnection(base.hostname, base.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
            return Reply(
                status=response.status,
                headers={k.lower(): v for k, v in response.getheaders()},
                body=text,
            )
        finally:
            connection.close()

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        with self._lock:
            for line in set_cookies:
                jar = SimpleCookie()
                jar.load(line)
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value

    def sign_in(self, email: str, password: str, *, code: str | None = None) -> None:
        """Sign in through the login form (and the second-factor step with `code`);
        raise AssertionError when it is refused."""
        page = self.get("/login")
        assert page.status == 200, f"login page answered {page.status}"
        form = form_posting_to(page.body, "/login", here="/login")
        reply = self.post("/login", [*form.hidden, ("email", email), ("password", password)])
        if code is not None:
            step = "/login/two-factor"
            assert reply.status == 302 and reply.location == step, f"{email}: no code asked"
            form = form_posting_to(self.get(step).body, step, here=step)
            reply = self.post(step, [*form.hidden, ("code", code)])
        assert reply.status == 302, f"sign-in of {email} answered {reply.status}"
        assert not reply.location.startswith("/login"), f"sign-in of {email} went back to login"
