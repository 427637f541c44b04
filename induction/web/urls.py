"""Numbers in URLs: record ids in paths and page numbers in query strings.

A number too large for the database (an id of 2**31, a page of 10**20) is a page that
does not exist: 404, never an overflow in the database driver.
"""

from __future__ import annotations

from flask import abort, request
from werkzeug.routing import IntegerConverter

from induction.inputs import MAX_ID, MAX_PAGE


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a whole number from 0 to MAX_ID, else no match (404)."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's own name
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def page_number(name: str = "page") -> int:
    """Return the page asked for in the query string (1 when absent); 404 unless it is a
    whole number from 1 to MAX_PAGE."""
    text = request.args.get(name, "")
    if not text:
        return 1
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_PAGE)):
        abort(404)
    number = int(text)
    if not 1 <= number <= MAX_PAGE:
        abort(404)
    return number
