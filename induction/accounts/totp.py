"""The second factor: TOTP codes from any authenticator app, and one-time recovery codes.

Codes are 6 digits for 30-second steps, accepted one step either side for clock drift.
The step of the last accepted code is stored, so an observed code cannot be replayed.
Recovery codes carry 80 bits each and are stored as SHA-256 hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import delete, func, select, update

from induction.accounts.models import RecoveryCode, User
from induction.database import rows_changed, utcnow
from induction.extensions import db

STEP_SECONDS = 30
DIGITS = 6
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_RECOVERY_LENGTH = 16  # 16 symbols of 31: just over 79 bits


def new_secret() -> str:
    """Return a new random base32 TOTP secret (160 bits)."""
    return pyotp.random_base32(length=32)


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """Return the otpauth:// URI an authenticator app reads from the QR code."""
    return _totp(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_svg(uri: str, title: str) -> Markup:
    """Return the QR code of `uri` as inline SVG (no script, no other host).

    The SVG has a viewBox and no fixed size, so the stylesheet scales it whole to
    the box it sits in (a fixed width wider than the box would clip the code).
    """
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, border=4, title=title, dark="#000", light="#fff", omitsize=True
    )
    # segno writes only path data and attributes made from our own title: safe to embed.
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704


def grouped_secret(secret: str) -> str:
    """Return a secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def clean_code(code: str) -> str:
    """Return a typed code without spaces or dashes."""
    return re.sub(r"[\s-]", "", code or "")


def current_step(now: float | None = None) -> int:
    """Return the 30-second step number of `now` (or of the current time)."""
    return int((time.time() if now is None else now) // STEP_SECONDS)


def matching_step(
    secret: str, code: str, *, after: int | None, now: float | None = None
) -> int | None:
    """Return the step whose code `code` is, within the drift window and later than `after`.

    None when the code is wrong, outside the window, or already used.
    """
    code = clean_code(code)
    if not re.fullmatch(rf"\d{{{DIGITS}}}", code):
        return None
    totp = _totp(secret)
    step = current_step(now)
    for candidate in range(step - VALID_WINDOW, step + VALID_WINDOW + 1):
        if after is not None and candidate <= after:
            continue
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def verify_code(user: User, code: str, *, secret: str | None = None) -> bool:
    """Check a TOTP code for `user` and, when right, remember its step so it is not reused.

    `secret` checks a secret being set up instead of the confirmed one.
    """
    secret = secret or user.totp_secret
    if not secret:
        return False
    step = matching_step(secret, code, after=user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    return True


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(clean_code(code).lower().encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the person's recovery codes with ten new ones and return them (shown once)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        code = "-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash_recovery(code)))
        codes.append(code)
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Use up one of the person's recovery codes; return False when it is wrong or used."""
    cleaned = clean_code(code)
    if len(cleaned) != _RECOVERY_LENGTH:
        return False
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_recovery(cleaned),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result) == 1


def recovery_codes_left(user: User) -> int:
    """Return how many unused recovery codes the person has."""
    count = db.session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )
    return int(count or 0)


def enable(user: User, code: str) -> list[str] | None:
    """Confirm the secret being set up with a code from the app; return new recovery codes.

    None when the code is wrong (nothing changes then).
    """
    if not user.totp_secret or not verify_code(user, code):
        return None
    user.totp_enabled_at = utcnow()
    return new_recovery_codes(user)


def start_setup(user: User) -> str:
    """Return the secret being set up, making one when there is none yet."""
    if user.totp_secret is None:
        user.totp_secret = new_secret()
        user.totp_last_step = None
    return user.totp_secret


def disable(user: User) -> None:
    """Turn the second factor off and delete its secret and recovery codes."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
