"""Keeping an uploaded file between its preview and its confirmation, on the server.

The confirmation names the stored file by a random id and its digest, so what is
imported is exactly what was previewed, by the same person, into the same
organisation; a file is never taken from a second upload.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app


def digest_of(data: bytes) -> str:
    """Return the SHA-256 of an uploaded file, in hex."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class StoredUpload:
    """A previewed file kept on the server until it is confirmed (or a day has passed)."""

    data: bytes
    actor_id: int
    organisation_id: int
    digest: str
    plan: str
    filename: str


class UploadStore:
    """Uploaded files kept in the instance folder under random ids, never re-uploaded.

    The confirmation names the stored file by its id and digest, so what is imported is
    exactly what was previewed, by the same person, into the same organisation.
    """

    MAX_AGE_SECONDS = 24 * 3600

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _paths(self, upload_id: str) -> tuple[Path, Path]:
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", upload_id):
            raise ValueError("not an upload id")
        return self.folder / f"{upload_id}.csv", self.folder / f"{upload_id}.json"

    def save(
        self, data: bytes, *, actor_id: int, organisation_id: int, plan: str, filename: str
    ) -> str:
        """Keep `data` and who may confirm it; return its new id. Old uploads are removed."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._purge()
        upload_id = secrets.token_urlsafe(24)
        data_path, meta_path = self._paths(upload_id)
        meta = {
            "actor_id": actor_id,
            "organisation_id": organisation_id,
            "digest": digest_of(data),
            "plan": plan,
            "filename": filename[:200],
        }
        for path, content in ((data_path, data), (meta_path, json.dumps(meta).encode())):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
        return upload_id

    def load(self, upload_id: str) -> StoredUpload | None:
        """Return the stored upload, or None when the id is unknown, malformed or expired."""
        try:
            data_path, meta_path = self._paths(upload_id)
            meta = json.loads(meta_path.read_text())
            data = data_path.read_bytes()
        except (ValueError, OSError):
            return None
        if time.time() - meta_path.stat().st_mtime > self.MAX_AGE_SECONDS:
            return None
        if digest_of(data) != meta.get("digest"):
            return None
        return StoredUpload(
            data=data,
            actor_id=int(meta["actor_id"]),
            organisation_id=int(meta["organisation_id"]),
            digest=meta["digest"],
            plan=meta["plan"],
            filename=meta.get("filename", ""),
        )

    def update_plan(self, upload_id: str, plan: str) -> None:
        """Record the plan of a new preview of the same file (after something changed)."""
        _, meta_path = self._paths(upload_id)
        meta = json.loads(meta_path.read_text())
        meta["plan"] = plan
        meta_path.write_text(json.dumps(meta))

    def delete(self, upload_id: str) -> None:
        """Remove a stored upload (after it was imported)."""
        for path in self._paths(upload_id):
            path.unlink(missing_ok=True)

    def _purge(self) -> None:
        limit = time.time() - self.MAX_AGE_SECONDS
        for path in self.folder.glob("*.json"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink(missing_ok=True)
                    path.with_suffix(".csv").unlink(missing_ok=True)
            except OSError:
                continue


def upload_store() -> UploadStore:
    """Return the store of the current app: the `imports` folder of the instance."""
    return UploadStore(Path(current_app.instance_path) / "imports")
