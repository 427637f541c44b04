"""Review (a course setting, off by default): a second admin approves a draft before it
can be published, and nobody approves a draft holding their own changes.

An approval names the exact draft it approved (a digest of every file's path and
content), so any change saved afterwards needs a new approval. Services flush; the
view commits.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from induction.accounts import audit
from induction.accounts.models import User
from induction.admin.drafts import store
from induction.admin.drafts.models import DraftApproval, DraftFile, DraftSetting
from induction.extensions import db


class ApprovalRefused(ValueError):
    """The approval cannot be given; the message says why."""


def needs_review(folder: str) -> bool:
    """Return True when the course folder's drafts need a second admin's approval."""
    setting = db.session.get(DraftSetting, folder)
    return bool(setting and setting.needs_review)


def set_needs_review(folder: str, value: bool, actor: User) -> None:
    """Turn review on or off for a course folder (audited)."""
    setting = db.session.get(DraftSetting, folder) or DraftSetting(folder=folder)
    setting.needs_review = value
    db.session.add(setting)
    audit.record(
        "course.review_turned_on" if value else "course.review_turned_off",
        actor=actor,
        target=("course", folder),
        details={"folder": folder},
    )
    db.session.flush()


def digest(rows: list[DraftFile]) -> str:
    """Return a digest naming exactly this draft set (paths and contents)."""
    hashed = hashlib.sha256()
    for row in sorted(rows, key=lambda r: r.path):
        hashed.update(f"{row.path}\n{row.content_hash}\n".encode())
    return hashed.hexdigest()


def _authors(rows: list[DraftFile]) -> set[int]:
    return {row.author_id for row in rows if row.author_id is not None}


def approve(folder: str, actor: User) -> DraftApproval:
    """Record `actor`'s approval of the course's draft as it is now.

    Raises ApprovalRefused when there is nothing to approve or the draft holds a
    change of `actor`'s own.
    """
    rows = store.draft_rows(folder)
    if not rows:
        raise ApprovalRefused("there are no draft changes to approve")
    if actor.id in _authors(rows):
        raise ApprovalRefused("this draft holds changes of your own: another admin must approve it")
    approval = DraftApproval(folder=folder, digest=digest(rows), approver_id=actor.id)
    db.session.add(approval)
    audit.record(
        "course.draft_approved",
        actor=actor,
        target=("course", folder),
        details={"folder": folder, "paths": [row.path for row in rows]},
    )
    db.session.flush()
    return approval


def approval_of(folder: str) -> DraftApproval | None:
    """Return a valid approval of the course's draft as it is now, or None."""
    rows = store.draft_rows(folder)
    authors = _authors(rows)
    stmt = (
        select(DraftApproval)
        .where(DraftApproval.folder == folder, DraftApproval.digest == digest(rows))
        .order_by(DraftApproval.approved_at.desc())
    )
    for approval in db.session.scalars(stmt):
        if approval.approver_id is not None and approval.approver_id not in authors:
            return approval
    return None


def refusal(folder: str) -> str | None:
    """Return why the course's draft may not be published yet under review (None: it may)."""
    if not needs_review(folder) or approval_of(folder) is not None:
        return None
    return (
        "this course needs a second admin's approval before publishing: ask an admin who "
        "made none of these changes to approve the draft (a change saved after an "
        "approval needs a new one)"
    )
