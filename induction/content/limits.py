"""Limits on course files: shapes of Markdown that would make rendering slow are refused.

Python-Markdown reads some inputs in quadratic time or recurses once per level
(a long run of `[`, lists nested hundreds deep). Every course file is scanned
here first, in one pass over its lines, before it is parsed or rendered; a file
that breaks a limit is reported at its line and never reaches Python-Markdown.
What the scan cannot foresee is caught by the render time budget (`budget`).

The file size and the render budget are settings (`Limits`); the shape limits
are fixed, far above what a lesson needs.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from induction.content.model import Problem
from induction.content.source import DecodeError, Source, decode
from induction.content.tree import LINK_REFUSED

DEFAULT_MAX_FILE_BYTES = 200 * 1024
DEFAULT_RENDER_SECONDS = 2.0

MAX_LINE_CHARS = 5_000
MAX_NESTING = 10  # lists, block quotes and indented blocks inside one another
MAX_DELIMITER_RUN = 50  # the same emphasis character (* _ ~) in a row
MAX_BRACKET_WORK = 200_000  # characters Markdown reads to match every [ and ( in a paragraph
MAX_TABLE_ROWS = 1_000
MAX_TABLE_COLUMNS = 64
MAX_HEADINGS = 300
MAX_DEFINITIONS = 300  # definition-list entries (": ...") in a file
MAX_ABBREVIATIONS = 100  # abbreviation definitions ("*[HTML]: ...") in a file
MAX_FENCES = 500  # lines that open or close a fenced code block (``` or ~~~) in a file
MAX_HTML_TAGS = 500  # raw HTML tags ("<b", "</b", "<!--") in one paragraph
MAX_FRONT_MATTER_DEPTH = 20  # [ and { nested in the front matter

_CONTAINER = re.compile(r" {0,3}(?:>|[-+*](?=\s)|\d{1,9}[.)](?=\s))[ \t]?")
_DELIMITER_RUN = re.compile("|".join(f"{c}{{{MAX_DELIMITER_RUN + 1},}}" for c in (r"\*", "_", "~")))
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*$")
_DEFINITION = re.compile(r" {0,3}:[ \t]")
_ABBREVIATION = re.compile(r"\*\[[^\]]*\]:")
_TABLE_DIVIDER = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_ESCAPED = re.compile(r"\\.")
_TAG_START = re.compile(r"<[A-Za-z/!?]")


@dataclass(frozen=True)
class Limits:
    """The settings: the largest course file, in bytes, and the time to render one file."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    render_seconds: float = DEFAULT_RENDER_SECONDS


def kilobytes(size: int) -> str:
    """Return a size in bytes as whole kilobytes, like `200 KB`."""
    return f"{max(1, round(size / 1024))} KB"


def size_problem(path: str, size: int, limits: Limits) -> Problem | None:
    """Return an error when a file of `size` bytes is larger than `limits` allow, else None."""
    if size <= limits.max_file_bytes:
        return None
    return Problem(
        path,
        0,
        f"this file is {kilobytes(size)}, more than the {kilobytes(limits.max_file_bytes)} "
        "a course file may be (setting COURSE_FILE_MAX_BYTES): split it into smaller lessons",
    )


def shape_problems(text: str, path: str, *, front_matter: bool = True) -> list[Problem]:
    """Return an error, at its line, for each limit that `text` breaks.

    `text` is a whole file (with `front_matter`) or a piece of Markdown. Each
    limit is reported once, at its first line. Linear in the length of `text`.
    """
    scanner = _Scanner(path)
    lines = text.split("\n")
    body_start = _front_matter_end(lines, scanner) if front_matter else 0
    scanner.scan_body(lines, body_start)
    return scanner.problems


def _front_matter_end(lines: list[str], scanner: _Scanner) -> int:
    """Check the front matter's nesting; return the index of the first body line."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    depth = 0
    for index in range(1, len(lines)):
        line = lines[index]
        if line.rstrip() == "---":
            return index + 1
        for char in line:
            if char in "[{":
                depth += 1
                if depth > MAX_FRONT_MATTER_DEPTH:
                    scanner.add(
                        "front-matter",
                        index + 1,
                        f"the front matter nests '[' or '{{' more than {MAX_FRONT_MATTER_DEPTH} "
                        "deep: write plain 'key: value' lines",
                    )
                    return index + 1
            elif char in "]}":
                depth = max(0, depth - 1)
    return 0


class _Scanner:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self._seen: set[str] = set()
        self.headings = 0
        self.definitions = 0
        self.abbreviations = 0
        self.fences = 0

    def add(self, rule: str, line: int, message: str) -> None:
        if rule not in self._seen:
            self._seen.add(rule)
            self.problems.append(Problem(self.path, line, message))

    def scan_body(self, lines: list[str], start: int) -> None:
        paragraph: list[tuple[int, str]] = []
        table_rows = tags = 0
        previous = ""
        for index in range(start, len(lines)):
            number, line = index + 1, lines[index]
            self._line(number, line, previous)
            if line.strip():
                paragraph.append((number, line))
                if "<" in line:
                    tags += len(_TAG_START.findall(line))
                    if tags > MAX_HTML_TAGS:
                        self.add(
                            "html",
                            number,
                            f"more than {MAX_HTML_TAGS} raw HTML tags in one paragraph: write "
                            "it in Markdown, or split it with blank lines",
                        )
                if "|" in line and (table_rows or _TABLE_DIVIDER.match(line)):
                    table_rows += 1
                    self._table(number, line, table_rows)
            else:
                self._brackets(paragraph)
                paragraph, table_rows, tags = [], 0, 0
            previous = line
        self._brackets(paragraph)

    def _line(self, number: int, line: str, previous: str) -> None:
        if len(line) > MAX_LINE_CHARS:
            self.add(
                "line",
                number,
                f"this line is {len(line):,} characters long, more than {MAX_LINE_CHARS:,}: "
                "break it into shorter lines or paragraphs",
            )
        if _nesting(line) > MAX_NESTING:
            self.add(
                "nesting",
                number,
                f"lists, quotes or indented blocks are nested more than {MAX_NESTING} deep "
                "here: use fewer levels",
            )
        run = _DELIMITER_RUN.search(line)
        if run is not None:
            self.add(
                "emphasis",
                number,
                f"{len(run.group(0))} '{run.group(0)[0]}' characters in a row, more than "
                f"{MAX_DELIMITER_RUN}: shorten the run, or write \\{run.group(0)[0]} for a "
                "character that is just text",
            )
        if _HEADING.match(line) or (previous.strip() and _SETEXT.match(line)):
            self.headings += 1
            if self.headings > MAX_HEADINGS:
                self.add(
                    "headings",
                    number,
                    f"more than {MAX_HEADINGS} headings in one file: split it into lessons",
                )
        if line.lstrip(" ").startswith(("```", "~~~")):
            self.fences += 1
            if self.fences > MAX_FENCES:
                self.add(
                    "fences",
                    number,
                    f"more than {MAX_FENCES} code fence lines ('```' or '~~~') in one file: "
                    "split it into smaller files",
                )
        if _DEFINITION.match(line):
            self.definitions += 1
            if self.definitions > MAX_DEFINITIONS:
                self.add(
                    "definitions",
                    number,
                    f"more than {MAX_DEFINITIONS} definition lines (starting with ':') in one "
                    "file: split it, or write the colons differently",
                )
        if _ABBREVIATION.match(line):
            self.abbreviations += 1
            if self.abbreviations > MAX_ABBREVIATIONS:
                self.add(
                    "abbreviations",
                    number,
                    f"more than {MAX_ABBREVIATIONS} abbreviation definitions ('*[...]:') in one "
                    "file: keep the ones the page needs",
                )

    def _table(self, number: int, line: str, rows: int) -> None:
        if rows > MAX_TABLE_ROWS:
            self.add(
                "table-rows",
                number,
                f"this table has more than {MAX_TABLE_ROWS:,} rows: split it into smaller "
                "tables, or link to a spreadsheet in media/",
            )
        columns = _ESCAPED.sub("", line).strip().strip("|").count("|") + 1
        if columns > MAX_TABLE_COLUMNS:
            self.add(
                "table-columns",
                number,
                f"this table row has {columns} columns, more than {MAX_TABLE_COLUMNS}: "
                "use fewer columns",
            )

    def _brackets(self, paragraph: list[tuple[int, str]]) -> None:
        """Report a paragraph whose [ and ( would take Markdown too long to match."""
        if not paragraph or "bracket" in self._seen:
            return
        work, line = bracket_work(paragraph)
        if work > MAX_BRACKET_WORK:
            self.add(
                "bracket",
                line,
                "this paragraph has too many '[' or '(' that are never closed, or are nested "
                "too deep, for Markdown to read in time: close each '[' with ']' (and each "
                "link's '(' with ')'), or write \\[ for a bracket that is just text",
            )


def _nesting(line: str) -> int:
    """Return how many lists, quotes and indented blocks `line` sits in (a close upper bound)."""
    depth = 0
    position = 0
    while True:
        spaces = len(line) - len(line.lstrip(" \t"))
        if spaces >= 4:
            indent = line[:spaces].expandtabs(4)
            depth += len(indent) // 4
            line = line[spaces:]
            position += spaces
            continue
        match = _CONTAINER.match(line)
        if match is None or match.end() == 0:
            return depth
        depth += 1
        line = line[match.end() :]
        position += match.end()
        if depth > MAX_NESTING:
            return depth


def bracket_work(paragraph: list[tuple[int, str]]) -> tuple[int, int]:
    """Return how many characters Markdown reads to match the brackets of a paragraph.

    For each `[` (and each `(` right after `]`) it is the distance to its closing
    bracket, or to the paragraph's end when it has none: Python-Markdown reads that
    far for every one of them. Escaped brackets do not count. Also returns the line
    of the first bracket that is never closed (else of the first one).
    """
    stack: list[tuple[str, int, int]] = []  # (opening, position, line)
    open_count = {"[": 0, "(": 0}
    open_starts = 0  # the sum of the positions of the brackets still open
    work = 0
    position = 0
    first_line = 0
    previous = ""
    for number, raw in paragraph:
        if not stack and "[" not in raw:
            position += len(raw) + 1
            previous = "\n"
            continue
        line = _ESCAPED.sub("  ", raw)
        for char in line:
            if char == "[" or (char == "(" and previous == "]"):
                stack.append((char, position, number))
                open_count[char] += 1
                open_starts += position
                first_line = first_line or number
            elif char in "])":
                wanted = "[" if char == "]" else "("
                if open_count[wanted]:
                    # Close the nearest opening of its kind; those above it are left open.
                    while True:
                        opening, start, _ = stack.pop()
                        open_count[opening] -= 1
                        open_starts -= start
                        work += position - start
                        if opening == wanted:
                            break
            previous = char
            position += 1
        position += 1
        previous = "\n"
        if work + len(stack) * position - open_starts > MAX_BRACKET_WORK:
            break  # already too much: no need to read on
    for _, start, _ in stack:
        work += position - start
    unclosed_line = stack[0][2] if stack else 0
    return work, unclosed_line or first_line


def read_limited(
    file: Path, path: str, limits: Limits, *, front_matter: bool = True
) -> tuple[Source | None, list[Problem]]:
    """Return a course file's text and the problems that stop it being read any further.

    The file is opened without following a symbolic link, refused when larger
    than `limits.max_file_bytes` (before it is read), decoded, and scanned for the
    shapes above. The text is None when there is any problem.
    """
    try:
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        if file.is_symlink():
            return None, [Problem(path, 0, LINK_REFUSED)]
        return None, [Problem(path, 0, f"cannot read the file ({exc.strerror})")]
    with os.fdopen(descriptor, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        too_big = size_problem(path, size, limits)
        if too_big is not None:
            return None, [too_big]
        data = handle.read(limits.max_file_bytes + 1)
    too_big = size_problem(path, len(data), limits)
    if too_big is not None:
        return None, [too_big]
    try:
        source = decode(data)
    except DecodeError as exc:
        return None, [Problem(path, exc.line, exc.message)]
    problems = shape_problems(source.text, path, front_matter=front_matter)
    return (None if problems else source), problems
