"""Dates as people type them, read the same way by the invitation form and the CSV import."""

from __future__ import annotations

import datetime as dt

import pytest

from induction.inputs import typed_date


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("7 May 2027", dt.date(2027, 5, 7)),
        ("07 may 2027", dt.date(2027, 5, 7)),
        ("7 Sep 2027", dt.date(2027, 9, 7)),
        ("26th November 2026", dt.date(2026, 11, 26)),
        ("1st Sep 2027", dt.date(2027, 9, 1)),
        (" 7  September   2027 ", dt.date(2027, 9, 7)),
        ("07/05/2027", dt.date(2027, 5, 7)),  # UK order: day, month, year
        ("7/5/2027", dt.date(2027, 5, 7)),
        ("2027-05-07", dt.date(2027, 5, 7)),
        # As spreadsheets save UK dates in a CSV file: a two-figure year, dashes.
        ("7/5/27", dt.date(2027, 5, 7)),
        ("07-05-2027", dt.date(2027, 5, 7)),
        ("7-May-26", dt.date(2026, 5, 7)),
        ("07-Sep-2027", dt.date(2027, 9, 7)),
        ("7 May 26", dt.date(2026, 5, 7)),
        ("1/1/99", dt.date(1999, 1, 1)),
    ],
)
def test_the_ways_people_write_a_date_are_read(text, day):
    assert typed_date(text) == day


@pytest.mark.parametrize(
    "text",
    [
        "",
        "next Tuesday",
        "31/02/2027",
        "7 Mayo 2027",
        "2027-5-7",
        "May 7, 2027",
        "7.5.2027",
        "7/5-2027",
        "7/5/202",
        "7-May",
    ],
)
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError):  # noqa: PT011 - the one error the rule raises
        typed_date(text)
