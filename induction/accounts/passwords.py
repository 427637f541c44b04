"""Password hashing (Argon2id) and the password rules.

The rules follow NIST SP 800-63B and OWASP ASVS: at least 8 characters, long
passphrases and any Unicode welcome, no composition rules, and common or guessable
passwords refused by zxcvbn (which knows the email address and name it is given).
"""

from __future__ import annotations

import contextlib
import functools
import unicodedata
from collections.abc import Iterable
from typing import TypedDict

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn import zxcvbn

MIN_LENGTH = 8
MAX_LENGTH = 1000
MIN_SCORE = 3  # zxcvbn's "safely unguessable"
ZXCVBN_MAX_LENGTH = 72  # zxcvbn's own limit; a longer password is judged by its start


# OWASP's Argon2id recommendation (m=19 MiB, t=2, p=1); "test" only keeps the suite fast.
class HashProfile(TypedDict):
    """Argon2id cost settings."""

    time_cost: int
    memory_cost: int
    parallelism: int


PROFILES: dict[str, HashProfile] = {
    "strong": {"time_cost": 2, "memory_cost": 19456, "parallelism": 1},
    "test": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
}


@functools.cache
def _hasher_for(profile: str) -> PasswordHasher:
    try:
        parameters = PROFILES[profile]
    except KeyError:
        raise RuntimeError(
            f"PASSWORD_HASH_PROFILE must be one of {', '.join(PROFILES)}, not {profile!r}"
        ) from None
    return PasswordHasher(type=Type.ID, **parameters)


def _hasher() -> PasswordHasher:
    return _hasher_for(current_app.config["PASSWORD_HASH_PROFILE"])


@functools.cache
def _dummy_hash(profile: str) -> str:
    return _hasher_for(profile).hash("not a real password: equalises timing")


def normalise(password: str) -> str:
    """Return the password in Unicode NFKC form, so the same characters always match."""
    return unicodedata.normalize("NFKC", password)


def hash_password(password: str) -> str:
    """Return the Argon2id hash of a password with the configured parameters."""
    return _hasher().hash(normalise(password))


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Return True when `password` matches `stored_hash`.

    With no stored hash it still verifies against a dummy one, so an unknown address
    takes as long as a wrong password (no account enumeration by timing).
    """
    if not stored_hash:
        with contextlib.suppress(VerificationError):
            _hasher().verify(_dummy_hash(current_app.config["PASSWORD_HASH_PROFILE"]), password)
        return False
    try:
        return _hasher().verify(stored_hash, normalise(password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Return True when a hash was made with other parameters than the configured ones."""
    try:
        return _hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def password_problem(password: str, user_inputs: Iterable[str] = ()) -> str | None:
    """Return what is wrong with a new password, or None when it is acceptable.

    `user_inputs` are words zxcvbn should treat as guessable (email, name, site name).
    """
    password = normalise(password)
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    words: list[str] = []
    for value in user_inputs:
        if value:
            words.append(value)
            words.extend(part for part in value.replace("@", " ").replace(".", " ").split() if part)
    result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=words)
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result.get("feedback") or {}
    parts = [feedback.get("warning") or "", *(feedback.get("suggestions") or [])]
    advice = " ".join(part.rstrip(".") + "." for part in parts if part)
    return f"Choose a password that is harder to guess. {advice} A few unrelated words work well."
