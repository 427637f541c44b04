"""First run: a one-time link to create the first admin, printed by the start command."""

from __future__ import annotations


def first_run_link(base_url: str) -> str | None:
    """Return a one-time setup link while no admin exists, otherwise None."""
    return None
