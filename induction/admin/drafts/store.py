"""Reading and writing a course folder's draft rows, with optimistic locking.

Services flush and never commit; the view commits.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from induction.accounts.models import User
from induction.admin.drafts.models import DraftFile
from induction.database import rows_changed, utcnow
from induction.extensions import db


class DraftConflict(Exception):
    """Someone else saved this file's draft (or published or discarded it) meanwhile."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def content_hash(data: bytes | None) -> str:
    """Return the sha256 of a file's bytes ("" for a file that does not exist)."""
    return "" if data is None else hashlib.sha256(data).hexdigest()


def draft_rows(folder: str, paths: set[str] | None = None) -> list[DraftFile]:
    """Return the draft rows of a course folder (only `paths` when given), by path."""
    stmt = select(DraftFile).where(DraftFile.folder == folder).order_by(DraftFile.path)
    rows = list(db.session.scalars(stmt))
    return rows if paths is None else [r for r in rows if r.path in paths]


def save_file(
    folder: str,
    path: str,
    content: bytes | None,
    *,
    found: str | None,
    live: bytes | None,
    author: User | None,
) -> None:
    """Make the draft of `path` hold `content` (None: delete the file when published).

    `found` is the draft row's content hash when the author's page was made (None:
    there was no row). A draft equal to the live file is no draft: its row goes.
    Raises DraftConflict when the row is no longer as it was found.
    """
    new_hash = content_hash(content)
    live_hash = content_hash(live)
    where = (DraftFile.folder == folder, DraftFile.path == path, DraftFile.content_hash == found)
    if found is None:
        if new_hash == live_hash:
            return
        try:
            with db.session.begin_nested():
                db.session.add(
                    DraftFile(
                        folder=folder,
                        path=path,
                        content=content,
                        content_hash=new_hash,
                        base_hash=live_hash,
                        author_id=author.id if author else None,
                    )
                )
        except IntegrityError:
            raise DraftConflict(path) from None
        return
    if new_hash == live_hash:
        changed = rows_changed(db.session.execute(delete(DraftFile).where(*where)))
    else:
        changed = rows_changed(
            db.session.execute(
                update(DraftFile)
                .where(*where)
                .values(
                    content=content,
                    content_hash=new_hash,
                    author_id=author.id if author else None,
                    updated_at=utcnow(),
                )
            )
        )
    if changed != 1:
        raise DraftConflict(path)


def discard(folder: str, paths: set[str] | None = None) -> list[str]:
    """Delete the draft rows of `paths` (every row when None); return the paths discarded."""
    rows = draft_rows(folder, paths)
    for row in rows:
        db.session.delete(row)
    db.session.flush()
    return [row.path for row in rows]
