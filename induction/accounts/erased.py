"""How an erased person is told apart: the name and address erasure gives them.

Erasure (admin.data_rights_service) replaces a person's name and email with these; every
feature that must not show an erased person as if they were someone (an invitation's note,
the invitation page, the data-rights pages) asks `is_erased` here.
"""

from __future__ import annotations

from induction.accounts.models import User

ERASED_DOMAIN = "erased.invalid"  # .invalid never resolves (RFC 2606): mail cannot go there


def erased_name(person_id: int) -> str:
    """Return the name an erased person is shown by."""
    return f"Erased person {person_id}"


def erased_email(person_id: int) -> str:
    """Return the unique address, which can receive nothing, that an erased person gets."""
    return f"erased-{person_id}@{ERASED_DOMAIN}"


def is_erased(person: User) -> bool:
    """Return True when the person's data has been erased."""
    return person.email == erased_email(person.id)
