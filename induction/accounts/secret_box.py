"""Secrets kept at rest encrypted: identity providers' client secrets.

A client secret must be sent to the provider, so it cannot be hashed; it is encrypted
with Fernet (AES-128-CBC and HMAC-SHA256) under a key derived from SECRET_KEY with HKDF.
A copy of the database, a backup or an export therefore holds only ciphertext. Changing
SECRET_KEY makes the stored secrets unreadable: enter them again after a change.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

_INFO = b"induction: identity provider client secrets"


class SecretUnreadable(Exception):
    """A stored secret cannot be decrypted (SECRET_KEY changed, or the value was altered)."""


def _fernet() -> Fernet:
    secret_key = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret_key)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    """Return `secret` encrypted for storage (text, different each time)."""
    return _fernet().encrypt(secret.encode("utf-8")).decode("ascii")


def unseal(sealed: str) -> str:
    """Return the secret stored as `sealed`; raise SecretUnreadable when it cannot be read."""
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError, UnicodeError):
        raise SecretUnreadable(
            "The stored client secret cannot be read: SECRET_KEY has changed since it was "
            "saved. Enter the client secret again."
        ) from None
