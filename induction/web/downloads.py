"""Downloads: the one way pages answer with a file (CSV, JSON, PDF) to save."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from flask import Response

from induction.csv_export import iter_csv


def attachment(filename: str) -> dict[str, str]:
    """Return the headers that make the browser save the answer as `filename`."""
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Response:
    """Return a CSV download made by the project's one CSV helper, streamed row by row.

    The header leaves first; `rows` are read as they are sent, after the view has
    returned (its checks and audit entry come before). Rows that read the database
    then need a session of their own (see reports.services.iter_dashboard_rows).
    """
    return Response(
        iter_csv(header, rows), mimetype="text/csv; charset=utf-8", headers=attachment(filename)
    )


def filename_slug(text: str, fallback: str, max_length: int | None = None) -> str:
    """Return `text` as a file-name part: lower case, runs of other characters as one '-'."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:max_length]
    return slug or fallback
