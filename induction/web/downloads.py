"""Downloads: the one way pages answer with a file (CSV, JSON, PDF) to save."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from flask import Response, stream_with_context

from induction.csv_export import iter_csv


def attachment(filename: str) -> dict[str, str]:
    """Return the headers that make the browser save the answer as `filename`."""
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Response:
    """Return a CSV download made by the project's one CSV helper, streamed row by row.

    `rows` may read the database as it goes (a query streamed with `yield_per`): the
    request's context stays open until the last row is sent, and its database session
    is a fresh one after the view's own has ended (and been committed or rolled back).
    A database error after the first chunk ends the download early; the view's checks
    and audit entry all happen before.
    """
    return Response(
        stream_with_context(iter_csv(header, rows)),
        mimetype="text/csv; charset=utf-8",
        headers=attachment(filename),
    )


def filename_slug(text: str, fallback: str, max_length: int | None = None) -> str:
    """Return `text` as a file-name part: lower case, runs of other characters as one '-'."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:max_length]
    return slug or fallback
