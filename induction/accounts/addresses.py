"""The one rule for an email address, used by the command line, every form, the imports
and the invitations, so an address that is accepted anywhere can also sign in.

An address is checked for its format only (nothing is looked up on the network) by
the email-validator library, which also refuses the special-use domains that can never
receive mail, such as `.test`, `.invalid` and `.localhost`.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

MAX_LENGTH = 254
EMAIL_FORMAT = "Enter an email address in the right format, like name@example.org"


def email_problem(address: str) -> str | None:
    """Return what is wrong with `address` in plain words, or None when it is a valid address."""
    address = address.strip()
    if not address:
        return "Enter an email address"
    if len(address) > MAX_LENGTH:
        return f"Email address must be {MAX_LENGTH} characters or fewer"
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return EMAIL_FORMAT
    return None
