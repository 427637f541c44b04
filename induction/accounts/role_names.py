"""What the pages call each role: a `manager` is their organisation's lead officer.

Pure: no Flask, no database (the audit log's sentences use it too).
"""

from __future__ import annotations

# Each role (accounts.models.Role's values) as the pages name it.
ROLE_NAMES = {
    "learner": "Learner",
    "manager": "Lead officer",
    "admin": "Admin",
}


def role_name(role: str) -> str:
    """Return a role as the pages name it ("Lead officer" for "manager")."""
    return ROLE_NAMES.get(role, role.capitalize())
