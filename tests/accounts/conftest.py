"""Helpers for the account tests: the email that was queued, and the links inside it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import select

from induction.accounts.audit import AuditEvent
from induction.extensions import db
from induction.mail import QueuedEmail


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str

    @property
    def link_path(self) -> str:
        """The path of the first link to this site in the message."""
        match = re.search(r"https?://[^/\s]+(/\S+)", self.text)
        assert match, f"no link in: {self.text}"
        return match.group(1)


@pytest.fixture
def mailbox(app: Flask) -> Callable[..., list[Mail]]:
    """Return a function listing queued email (oldest first), optionally only to one address."""

    def read(to: str | None = None) -> list[Mail]:
        with app.app_context():
            rows = db.session.scalars(select(QueuedEmail).order_by(QueuedEmail.id)).all()
            mails = [Mail(r.to_address, r.subject, r.text_body) for r in rows]
        return [m for m in mails if to is None or m.to == to]

    return read


@pytest.fixture
def audit_actions(app: Flask) -> Callable[[], list[str]]:
    """Return a function listing the audit log's actions, oldest first."""

    def read() -> list[str]:
        with app.app_context():
            return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))

    return read
