"""The CSV helper: RFC 4180, UTF-8 with a byte-order mark, formula injection neutralised."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from decimal import Decimal

import pytest

from induction.csv_export import BOM, csv_bytes, iter_csv, neutralise


def parse(data: bytes) -> list[list[str]]:
    """Read CSV bytes back as Excel would: strip the mark, keep embedded newlines."""
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_round_trip_with_quotes_commas_and_newlines() -> None:
    rows = [
        ["Siân Jones", 'She said "hello"', "Oldham, Greater Manchester"],
        ["Line one\nline two", "carriage\r\nreturn", ""],
        ["Llŷr Ãlvarez-Ó'Brien", "  padded  ", "semi;colon"],
    ]
    data = csv_bytes(["Name", "Quote", "Place"], rows)
    assert parse(data) == [["Name", "Quote", "Place"], *rows]


def test_byte_order_mark_once_at_the_start() -> None:
    data = csv_bytes(["Name"], [["Siân"]] * 3)
    assert BOM == b"\xef\xbb\xbf"
    assert data.startswith(BOM)
    assert data.count(BOM) == 1
    assert data.decode("utf-8-sig") == "Name\r\nSiân\r\nSiân\r\nSiân\r\n"


def test_only_the_header_when_there_are_no_rows() -> None:
    assert csv_bytes(["Name", "Email"], []) == BOM + b"Name,Email\r\n"


def test_crlf_line_ends_and_quoting_only_when_needed() -> None:
    data = csv_bytes(["a", "b"], [["plain", "with,comma"], ["multi\nline", 'q"uote']])
    assert data == BOM + b'a,b\r\nplain,"with,comma"\r\n"multi\nline","q""uote"\r\n'


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_every_dangerous_prefix_is_neutralised(prefix: str) -> None:
    hostile = prefix + 'HYPERLINK("https://evil.example","x")'
    assert neutralise(hostile) == "'" + hostile
    header, row = parse(csv_bytes([hostile, "ok"], [[hostile, "ok"]]))
    assert header == ["'" + hostile, "ok"]
    assert row == ["'" + hostile, "ok"]


@pytest.mark.parametrize(
    "safe", ["", "plain", " =1+1 leading space", "a=b", "1-2", "'already quoted", "Ô=", "é@"]
)
def test_harmless_text_is_left_alone(safe: str) -> None:
    assert neutralise(safe) == safe


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "yes"),
        (False, "no"),
        (0, "0"),
        (-5, "-5"),  # a negative number stays a number
        (-2.5, "-2.5"),
        (Decimal("-1.50"), "-1.50"),
        (80, "80"),
        (datetime.date(2026, 11, 28), "2026-11-28"),
        (
            datetime.datetime(2026, 11, 28, 9, 30, tzinfo=datetime.UTC),
            "2026-11-28 09:30:00+00:00",
        ),
        # Whole seconds: spreadsheets read this as a date and time.
        (datetime.datetime(2026, 7, 28, 15, 5, 9, 123456), "2026-07-28 15:05:09"),
        ("-5", "'-5"),  # the same text as a string is neutralised
    ],
)
def test_values_become_text(value: object, text: str) -> None:
    assert neutralise(value) == text


def test_negative_number_cell_is_written_unquoted() -> None:
    data = csv_bytes(["score"], [[-3], ["-3"]])
    assert data == BOM + b"score\r\n-3\r\n'-3\r\n"


def test_other_objects_are_text_and_neutralised() -> None:
    class Formula:
        def __str__(self) -> str:
            return "=cmd|' /C calc'!A0"

    assert neutralise(Formula()) == "'=cmd|' /C calc'!A0"


def test_streams_many_rows_in_chunks_without_reading_ahead() -> None:
    consumed = 0

    def rows() -> Iterator[list[object]]:
        nonlocal consumed
        for i in range(100_000):
            consumed += 1
            yield [i, f"learner{i}@example.org", "Oldham Council", i % 2 == 0]

    chunks = iter_csv(["id", "email", "organisation", "passed"], rows())
    first = next(chunks)
    assert first.startswith(BOM)
    # The first chunk went out long before the rows ran out.
    assert consumed < 10_000
    sizes = [len(first)]
    total_rows = first.count(b"\r\n")
    for chunk in chunks:
        assert not chunk.startswith(BOM)
        sizes.append(len(chunk))
        total_rows += chunk.count(b"\r\n")
    assert consumed == 100_000
    assert total_rows == 100_001  # header and every row
    assert len(sizes) > 20
    assert max(sizes) < 200_000  # no chunk is the whole file


def test_streamed_chunks_join_to_the_same_file() -> None:
    rows = [[i, "x" * (i % 50), "-" if i % 3 else None] for i in range(5000)]
    joined = b"".join(iter_csv(["n", "text", "flag"], rows))
    assert joined == csv_bytes(["n", "text", "flag"], rows)
    parsed = parse(joined)
    assert len(parsed) == 5001
    assert parsed[2] == ["1", "x", "'-"]
    assert parsed[4] == ["3", "xxx", ""]


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -5,
        Decimal("-1.50"),
        datetime.date(2026, 11, 28),
        datetime.datetime(2026, 11, 28, 9, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 7, 28, 15, 5, 9, 123456),
        "",
        "Complete",
        "-5",
        "=1+1",
        "@SUM(A1)",
        "\tTab",
        'a, "quoted" cell',
    ],
)
def test_a_file_writes_every_cell_as_neutralise_says(value: object) -> None:
    """The writer passes common cells (numbers, None, dates, harmless text) straight to the
    `csv` module; the file is the same as if every cell had gone through `neutralise`."""
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\r\n").writerow([neutralise(value)])
    assert csv_bytes(["h"], [[value]]) == BOM + b"h\r\n" + expected.getvalue().encode()
