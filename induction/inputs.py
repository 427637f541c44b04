"""The limits on what people type, in one place: dates, ids and page numbers, characters;
and reading back a time kept as text (in a record's JSON details).

Pure functions (no Flask, no database), used by the forms, the CSV imports, the
command line and the URL rules alike.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# Every date typed in (start dates, filters, imports, commands) lies in this range.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
DATE_RANGE_TEXT = "1 January 2000 and 31 December 2100"

# The largest id a path or a form may name: PostgreSQL's `integer`, as the tables use.
MAX_ID = 2**31 - 1

# The largest page number a list accepts (50 a page: far more rows than any list holds).
MAX_PAGE = 1_000_000

# Characters a text may hold although they are control characters: in multi-line text.
_LINE_BREAKS = frozenset("\t\n\r")


def date_problem(day: dt.date) -> str | None:
    """Return what is wrong with a typed date (outside the supported range), or None."""
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return f"Enter a date between {DATE_RANGE_TEXT} (you entered {day.isoformat()})"


# Day, month and year in figures, UK order: 07/05/2027, 7/5/27, 7-5-2027.
_UK_DATE = re.compile(r"\A(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})\Z")
_ISO_DATE = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")
# 7 May 2026, 7 Sep 2026, and with a two-figure year (7 May 26) as spreadsheets save them;
# "7-May-26" (Excel's UK date in a CSV file) is read with its dashes as spaces.
_WRITTEN_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%d %B %y", "%d %b %y")
_WRITTEN_DASHES = re.compile(r"\A(\d{1,2})-([A-Za-z]+)-(\d{2}|\d{4})\Z")

TYPED_DATE_EXAMPLES = "7 May 2027, 07/05/2027 or 2027-05-07"


_ORDINAL = re.compile(r"\A(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)


def typed_date(text: str) -> dt.date:
    """Return a date as people write it: "7 May 2027", "7th May 2027", "7 Sep 2027", UK
    style "07/05/2027" (also 7/5/27 and 7-5-2027), Excel's "7-May-27" or "2027-05-07".
    A two-figure year is 2000 to 2068, or 1969 to 1999, as Python reads one. Raises
    ValueError for anything else (see TYPED_DATE_EXAMPLES)."""
    text = _ORDINAL.sub(r"\1", " ".join(text.split()))
    text = _WRITTEN_DASHES.sub(r"\1 \2 \3", text)
    match = _UK_DATE.match(text)
    if match:
        day, month, year = int(match[1]), int(match[3]), int(match[4])
        if len(match[4]) == 2:
            year += 2000 if year < 69 else 1900
        return dt.date(year, month, day)
    if _ISO_DATE.match(text):
        return dt.date.fromisoformat(text)
    for written in _WRITTEN_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, written).date()  # noqa: DTZ007 - a day, no time
        except ValueError:
            continue
    raise ValueError(text)


def stored_time(value: object) -> dt.datetime | None:
    """Return a time kept as ISO 8601 text as an aware datetime (one without a zone is UTC,
    as every stored time is); None when it is missing or not a time."""
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def add_days(day: dt.date, days: int) -> dt.date:
    """Return `day` plus `days` (negative: minus), held within the calendar's first and
    last day instead of overflowing, for dates stored before the range was enforced."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def id_number(value: object) -> int:
    """Return `value` as a record id (0 means none), or raise ValueError when out of range."""
    number: int = int(value)  # type: ignore[call-overload]
    if not 0 <= number <= MAX_ID:
        raise ValueError(f"{value!r} is out of range")
    return number


def control_character_problem(text: str, *, multiline: bool = False) -> str | None:
    """Return what to fix when `text` holds a control character (NUL, escape...), or None.

    Tabs and line breaks are allowed in multi-line text only.
    """
    for position, char in enumerate(text, start=1):
        if unicodedata.category(char) != "Cc" or (multiline and char in _LINE_BREAKS):
            continue
        name = "a line break" if char in "\n\r" else f"an invisible character (code {ord(char)})"
        return (
            f"Remove {name} at character {position}: it cannot be stored. "
            "Type the text again rather than pasting it."
        )
    return None
