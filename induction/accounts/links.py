"""Absolute links for emails and printed output."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request


def external_url(endpoint: str, **values: Any) -> str:
    """Return the absolute URL of `endpoint` (a full name, "blueprint.view") under BASE_URL.

    Every link that leaves the site (email, PDF, QR code) is built here, from BASE_URL
    alone: never from the Host header of the request that caused it, so a forged Host
    cannot point a reset link or a certificate at another site. Works in a request, a
    command or after a response alike.
    """
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


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
