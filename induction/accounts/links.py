"""Absolute links for emails and printed output."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for


def external_url(endpoint: str, **values: Any) -> str:
    """Return an absolute URL for `endpoint`.

    With BASE_URL set (recommended in production) links never depend on the Host header
    of the request that caused the email, so a forged Host cannot redirect a reset link.
    """
    base = current_app.config.get("BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    # A command line without BASE_URL: the links can only guess the address.
    with current_app.test_request_context(base_url="http://localhost:5000"):
        return url_for(endpoint, _external=True, **values)


def safe_next(target: str | None) -> str | None:
    """Return `target` when it is a path on this site, else None.

    Only a relative path starting with a single "/" is accepted: no scheme, no host,
    no "//" (another host to browsers), no backslash (read as "/" by some browsers)
    and no control characters.
    """
    if not target or len(target) > 2000:
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def home_url() -> str:
    """Return the address of the home page ("/" under whatever prefix the app is mounted at)."""
    return (request.script_root or "") + "/"
