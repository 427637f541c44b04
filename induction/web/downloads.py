"""Downloads: the one way pages answer with a file (CSV, JSON, PDF) to save."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from flask import Response, current_app

from induction.csv_export import iter_csv

T = TypeVar("T")


def attachment(filename: str) -> dict[str, str]:
    """Return the headers that make the browser save the answer as `filename`."""
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Response:
    """Return a CSV download made by the project's one CSV helper, streamed row by row.

    The header leaves first; `rows` are read as they are sent, after the view has
    returned (its checks and audit entry come before). Rows that read the database
    then must come from `deferred`.
    """
    return Response(
        iter_csv(header, rows), mimetype="text/csv; charset=utf-8", headers=attachment(filename)
    )


def deferred(make_rows: Callable[[], Iterable[T]]) -> Iterator[T]:
    """Return the rows of `make_rows()`, made only when the first is asked for.

    For a streamed download: the view returns at once (the header leaves before any
    report query runs), and `make_rows` runs while the response is sent, in an app
    context (and database session) of its own that ends with the last row. It may use
    only what the view had already loaded (plain attributes of its objects).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def rows() -> Iterator[T]:
        with app.app_context():
            yield from make_rows()

    return rows()


def filename_slug(text: str, fallback: str, max_length: int | None = None) -> str:
    """Return `text` as a file-name part: lower case, runs of other characters as one '-'."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:max_length]
    return slug or fallback
