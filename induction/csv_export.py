"""The one CSV writer of the project: RFC 4180, UTF-8 for Excel, safe from formula injection.

Every export (reports, people lists) goes through here so the same rules hold
everywhere: CRLF line ends, quotes only where needed, a byte-order mark so
Excel reads UTF-8 names correctly, and text cells that a spreadsheet would run
as a formula turned back into plain text.
"""

from __future__ import annotations

import csv
import datetime
import io
import numbers
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

BOM = "\ufeff".encode()

# Cells starting with these are formulas (or become one) in Excel, LibreOffice
# and Google Sheets; OWASP's list for CSV injection.
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Rows are gathered into chunks of about this many characters before they are
# encoded and yielded: big enough to keep the overhead small, small enough that
# an export of any size never sits in memory as one string.
CHUNK_CHARS = 64 * 1024


def _text(value: str) -> str:
    return "'" + value if value.startswith(DANGEROUS_PREFIXES) else value


def _timestamp(value: datetime.datetime) -> str:
    return value.replace(microsecond=0).isoformat(sep=" ")


# The common types' cell text, found by a dictionary lookup (exports write millions of
# cells); any other type goes the long way in `neutralise`.
_BY_TYPE: dict[type, Callable[[Any], str]] = {
    str: _text,
    int: str,
    bool: lambda value: "yes" if value else "no",
    type(None): lambda _value: "",
    datetime.datetime: _timestamp,
    datetime.date: datetime.date.isoformat,
}


# Cells the `csv` writer turns into the same text as `neutralise` would, in C: whole
# numbers ("7"), None ("") and dates (str() of a date is its ISO 8601 form).
_AS_THEY_ARE = frozenset({int, type(None), datetime.date})


def neutralise(value: object) -> str:
    """Return the text of one CSV cell for `value`.

    None is empty; True and False are "yes" and "no"; numbers are their usual
    text (a negative number stays a number); dates and times are ISO 8601, a
    timestamp in whole seconds with a space before the time ("2026-07-28 15:05:00",
    which spreadsheets read as a date and time).
    Any other value is taken as text, and text that starts with a formula
    character (= + - @ tab carriage return) gets a leading single quote so a
    spreadsheet shows it rather than running it. Never raises for ordinary values.
    """
    convert = _BY_TYPE.get(type(value))
    if convert is not None:
        return convert(value)
    if isinstance(value, numbers.Number):  # bool cannot be subclassed: it is in _BY_TYPE
        return str(value)
    if isinstance(value, datetime.datetime):
        return _timestamp(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return _text(value if isinstance(value, str) else str(value))


def iter_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    """Yield a CSV file as UTF-8 byte chunks: the byte-order mark and header first, then the rows.

    The first chunk is the header alone; rows are read lazily and written in chunks,
    so a generator of any length can be streamed as a response in constant memory.
    Header cells are neutralised like any other text. Raises whatever iterating `rows`
    raises.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(cell) for cell in header])
    # The header goes out on its own before any row is read: a download starts at once,
    # however long the rows (or the query behind them) take.
    yield _take(buffer, True)
    for row in rows:
        # Whole numbers, None, dates and text that no spreadsheet would run go to the
        # writer as they are (it writes them as `neutralise` would), without a Python call
        # for each cell: an export writes hundreds of thousands.
        writer.writerow(
            [
                v
                if type(v) in _AS_THEY_ARE
                or (isinstance(v, str) and not v.startswith(DANGEROUS_PREFIXES))
                else neutralise(v)
                for v in row
            ]
        )
        if buffer.tell() >= CHUNK_CHARS:
            yield _take(buffer, False)
    if buffer.tell():
        yield _take(buffer, False)


def _take(buffer: io.StringIO, first: bool) -> bytes:
    """Return the buffer's text as UTF-8 (with the mark when `first`) and empty it."""
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return BOM + data if first else data


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """Return a whole CSV file as bytes (see `iter_csv`), for small exports and tests."""
    return b"".join(iter_csv(header, rows))
