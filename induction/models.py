"""Imports every feature's models so the metadata (and Alembic) knows every table."""

from induction.accounts import models as accounts_models  # noqa: F401
