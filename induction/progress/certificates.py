"""Certificates of completion: issuing one per person and course, finding, checking and printing it.

A certificate keeps the name, course title and organisation as printed, so later
edits to the person or the course never change it. Its code carries 80 random bits,
written as four groups of four characters from Crockford's base 32 alphabet (no I, L,
O or U), so it is easy to read out and type; typing is forgiving about case, spaces,
hyphens and the look-alikes O/0 and I/L/1.

Services add to the session and flush; the caller commits.
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from induction.accounts import audit, permissions
from induction.accounts.models import User
from induction.content.model import Course
from induction.extensions import db
from induction.identity.contrast import rgb
from induction.identity.current import current as current_identity
from induction.identity.current import logo as identity_logo
from induction.progress.certificate_pdf import CertificateData, render_certificate
from induction.progress.models import Certificate
from induction.progress.status import CourseProgress
from induction.web.templating import local_time

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
CODE_LENGTH = 16  # characters: 16 x 5 = 80 bits
GROUP = 4
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_ISSUE_TRIES = 3


def new_code() -> str:
    """Return a fresh random certificate code such as "7KQ2-M9XD-4TRB-0WZH" (80 bits)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return _grouped(chars)


def normalise_code(text: str) -> str | None:
    """Return a typed code in its stored form, or None when it cannot be a certificate code.

    Case, spaces and hyphens are ignored; O reads as 0 and I or L as 1.
    """
    if not isinstance(text, str) or len(text) > 64:
        return None
    chars = "".join(text.split()).replace("-", "").upper().translate(_LOOK_ALIKES)
    if len(chars) != CODE_LENGTH or any(c not in ALPHABET for c in chars):
        return None
    return _grouped(chars)


def _grouped(chars: str) -> str:
    return "-".join(chars[i : i + GROUP] for i in range(0, len(chars), GROUP))


def completion_date(completed_at: dt.datetime) -> dt.date:
    """Return the calendar day of `completed_at` where the platform's people are (TIMEZONE)."""
    return local_time(completed_at).date()


def certificate_for(user_id: int, course_id: str) -> Certificate | None:
    """Return the person's certificate for the course, or None."""
    return db.session.scalar(
        select(Certificate).where(
            Certificate.user_id == user_id, Certificate.course_id == course_id
        )
    )


def certificates_of(user_id: int) -> dict[str, Certificate]:
    """Return the person's valid certificates keyed by course id (one query)."""
    rows = db.session.scalars(
        select(Certificate).where(Certificate.user_id == user_id, Certificate.revoked_at.is_(None))
    )
    return {row.course_id: row for row in rows}


def versions_text(progress: CourseProgress) -> str:
    """Return the lesson versions `progress` completed, as a certificate states them:
    "welcome 1, rules 2" (each lesson's id and the highest version read), in course order."""
    return ", ".join(
        f"{lesson.lesson.id} {lesson.completed_version}"
        for module in progress.modules
        for lesson in module.lessons
        if lesson.completed_version is not None
    )


def versions_in_words(stored: str, course: Course | None) -> str:
    """Return a certificate's lesson versions ("welcome 1, rules 2", see versions_text) with
    each lesson's title instead of its id when the course still has it: "“Welcome”
    (version 1), “The rules” (version 2)"."""
    titles = {
        lesson.id: lesson.title
        for module in (course.modules if course is not None else ())
        for lesson in module.lessons
    }
    words = []
    for entry in stored.split(", "):
        lesson_id, _, version = entry.rpartition(" ")
        if not lesson_id or not version.isdigit():
            words.append(entry)  # not as written by versions_text: shown as stored
            continue
        name = f"“{titles[lesson_id]}”" if lesson_id in titles else lesson_id
        words.append(f"{name} (version {version})")
    return ", ".join(words)


def issue_certificate(
    user: User, course: Course, completed_at: dt.datetime, *, lesson_versions: str | None = None
) -> Certificate:
    """Return the person's certificate for `course`, creating it the first time.

    The first call records the name, organisation and course title as they are now,
    the completion date, the lesson versions it was earned on and a new code, and
    writes `certificate.issued` to the audit log; later calls (or a call racing
    another) return the existing certificate unchanged. Raises RuntimeError if no
    unused code could be drawn (which 80 random bits make practically impossible).
    """
    existing = certificate_for(user.id, course.id)
    if existing is not None:
        return existing
    organisation = user.organisation.name if user.organisation is not None else None
    for _ in range(_ISSUE_TRIES):
        certificate = Certificate(
            code=new_code(),
            user_id=user.id,
            course_id=course.id,
            course_title=course.title,
            learner_name=user.name,
            organisation_name=organisation,
            completed_on=completion_date(completed_at),
            lesson_versions=lesson_versions,
        )
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
        except IntegrityError:
            # Either another request issued it first, or (never in practice) the code was taken.
            existing = certificate_for(user.id, course.id)
            if existing is not None:
                return existing
            continue
        audit.record(
            "certificate.issued",
            actor=user,
            target=certificate,
            details={"course_id": course.id, "code": certificate.code},
        )
        return certificate
    raise RuntimeError("could not draw an unused certificate code")


def find_certificate(code: str) -> Certificate | None:
    """Return the certificate with this code as typed (see normalise_code), withdrawn or not."""
    normalised = normalise_code(code)
    if normalised is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == normalised))


def verify(code: str) -> Certificate | None:
    """Return the certificate with this code if it is valid; None when unknown or withdrawn."""
    certificate = find_certificate(code)
    return certificate if certificate is not None and certificate.is_valid else None


def may_download(viewer: User, certificate: Certificate, owner: User | None) -> bool:
    """Return True when `viewer` may download `certificate`, whose holder is `owner`.

    Whoever may see the holder's records may (the holder, admins, managers of the
    holder's organisation: see accounts.permissions); nobody may download a withdrawn
    certificate.
    """
    if not certificate.is_valid:
        return False
    if owner is None:
        return viewer.is_admin
    return permissions.can_see_person(viewer, owner)


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    """Return the certificate as a PDF, from what the record says (not the current course).

    Fonts come from CERTIFICATE_FONT and CERTIFICATE_BOLD_FONT; raises
    FileNotFoundError naming the setting when a font file is missing.
    """
    config = current_app.config
    identity = current_identity()
    bold = config.get("CERTIFICATE_BOLD_FONT")
    data = CertificateData(
        learner_name=certificate.learner_name,
        course_title=certificate.course_title,
        organisation_name=certificate.organisation_name,
        completed_on=certificate.completed_on,
        code=certificate.code,
        verify_url=verify_url,
        issuer=identity.name,
        accent=rgb(identity.brand_colour),
        logo=found[0] if (found := identity_logo()) is not None else None,
        logo_alt=identity.logo_alt,
    )
    return render_certificate(data, Path(config["CERTIFICATE_FONT"]), Path(bold) if bold else None)
