"""A file's changes as an author reads them: each changed place, with the words that changed.

`compare(before, after)` returns the places where two versions of a text differ, for
the draft page and the history pages to show instead of a unified diff: each place says
at which line of the new text it is, holds a line or two of unchanged text around it,
and gives every removed and added line. A line that was edited (rather than replaced by
another) is shown twice, before and after, with the words that changed marked, so a
quiz answer ticked as right (`- [x]`) and then not (`- [ ]`) shows as that one change.

The text stays as written (Markdown source); escaping it is the template's job. Pure:
no Flask, no database.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

CONTEXT = 2  # unchanged lines shown before and after each changed place
MAX_ROWS = 400  # rows shown in all, so a long new file does not make a page of thousands
MAX_PAIRING = 60  # lines on either side beyond which edited lines are not looked for
SIMILAR = 0.5  # how alike two lines must be to be shown as one edited line
SHORT = 3  # unchanged text this short between two changed words is marked with them

# A word, a run of spaces, one other character; a quiz option's box ("[x]", "[ ]") is one.
_TOKEN = re.compile(r"\[[ xX]\]|\w+|\s+|[^\w\s]")
_OPTION = re.compile(r"\s*[-*+] \[([ xX])\]")  # a quiz option, ticked as right or not

PieceKind = Literal["same", "removed", "added"]
# "same": unchanged, shown around a change; "removed" and "added": a whole line gone or
# new; "before" and "after": one line edited, as it was and as it is.
RowKind = Literal["same", "removed", "added", "before", "after"]


@dataclass(frozen=True)
class Piece:
    """Part of a line: unchanged, or the words removed or added."""

    kind: PieceKind
    text: str


@dataclass(frozen=True)
class Row:
    """One line as shown: what it is and its text in pieces (none for an empty line)."""

    kind: RowKind
    pieces: tuple[Piece, ...]
    note: str = ""  # what an edit means, in words: "Now marked as a right answer."

    @property
    def is_empty(self) -> bool:
        """True for an empty (or blank) line."""
        return not "".join(piece.text for piece in self.pieces).strip()


@dataclass(frozen=True)
class Place:
    """One changed place: where it is in the new text, and its rows in order."""

    line: int  # the first changed line, numbered in the new text (from 1)
    last_line: int  # the last changed line of the new text (== line when one or none)
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Changes:
    """Every changed place of a file, in order, and whether some were left out."""

    places: tuple[Place, ...]
    is_cut: bool = False  # True: more changed than MAX_ROWS rows; the rest is not shown
    is_new: bool = False  # the file had no text before
    is_gone: bool = False  # the file has no text after


def _tokens(line: str) -> list[str]:
    return _TOKEN.findall(line)


def _marked(before: str, after: str) -> tuple[tuple[Piece, ...], tuple[Piece, ...]]:
    """Return both versions of an edited line in pieces, the changed words marked.

    Spaces or a short word alone between two changes count in the change, so "at the
    town hall" to "in the council chamber" marks one run of words, not two around "the".
    """
    old, new = _tokens(before), _tokens(after)
    codes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    spans: list[tuple[bool, int, int, int, int]] = []  # (unchanged?, i1, i2, j1, j2)
    for index, (tag, i1, i2, j1, j2) in enumerate(codes):
        between = 0 < index < len(codes) - 1
        short = len("".join(old[i1:i2]).strip()) <= SHORT
        same = tag == "equal" and not (between and short)
        if spans and not same and not spans[-1][0]:
            spans[-1] = (False, spans[-1][1], i2, spans[-1][3], j2)
            continue
        spans.append((same, i1, i2, j1, j2))
    was: list[Piece] = []
    now: list[Piece] = []
    for same, i1, i2, j1, j2 in spans:
        old_text, new_text = "".join(old[i1:i2]), "".join(new[j1:j2])
        if same:
            was.append(Piece("same", old_text))
            now.append(Piece("same", new_text))
            continue
        was += _edged("removed", old_text)
        now += _edged("added", new_text)
    return tuple(was), tuple(now)


def _edged(kind: PieceKind, text: str) -> list[Piece]:
    """Return the pieces of changed `text`, its spaces at either end unmarked (an underline
    running on past a word reads as a mistake) unless it is nothing but spaces."""
    core = text.strip()
    if not core:
        return [Piece(kind, text)] if text else []
    start = text.index(core)
    edges = (text[:start], text[start + len(core) :])
    pieces = [Piece("same", edges[0]), Piece(kind, core), Piece("same", edges[1])]
    return [piece for piece in pieces if piece.text]


def _similar(before: str, after: str) -> bool:
    matcher = difflib.SequenceMatcher(None, _tokens(before), _tokens(after), autojunk=False)
    return bool(before.strip() and after.strip()) and matcher.ratio() >= SIMILAR


def _pairs(removed: list[str], added: list[str]) -> list[tuple[int, int]]:
    """Return (removed index, added index) of the lines that are one line edited, in order."""
    if len(removed) > MAX_PAIRING or len(added) > MAX_PAIRING:
        return []
    pairs: list[tuple[int, int]] = []
    start = 0
    for i, line in enumerate(removed):
        for j in range(start, len(added)):
            if _similar(line, added[j]):
                pairs.append((i, j))
                start = j + 1
                break
    return pairs


def _tick_note(before: str, after: str) -> str:
    """Return what an edit of a quiz option's tick means ("" when its tick is the same)."""
    old, new = _OPTION.match(before), _OPTION.match(after)
    if old is None or new is None or (old[1] == " ") == (new[1] == " "):
        return ""
    return (
        "No longer marked as a right answer." if new[1] == " " else "Now marked as a right answer."
    )


def _whole(kind: Literal["removed", "added"], line: str) -> Row:
    return Row(kind, (Piece(kind, line),) if line else ())


def _changed_rows(removed: list[str], added: list[str]) -> list[Row]:
    """Return the rows of lines replaced by others: each edited line as before and after,
    the others as removed or added, in the order of the text."""
    rows: list[Row] = []
    i = j = 0
    for pair_i, pair_j in [*_pairs(removed, added), (len(removed), len(added))]:
        rows += [_whole("removed", line) for line in removed[i:pair_i]]
        rows += [_whole("added", line) for line in added[j:pair_j]]
        if pair_i < len(removed) and pair_j < len(added):
            was, now = _marked(removed[pair_i], added[pair_j])
            note = _tick_note(removed[pair_i], added[pair_j])
            rows += [Row("before", was), Row("after", now, note)]
        i, j = pair_i + 1, pair_j + 1
    return rows


def _same(line: str) -> Row:
    return Row("same", (Piece("same", line),) if line else ())


def _trimmed(rows: list[Row]) -> list[Row]:
    """Drop empty unchanged lines at either end of a place: they show nothing."""
    while rows and rows[0].kind == "same" and rows[0].is_empty:
        rows.pop(0)
    while rows and rows[-1].kind == "same" and rows[-1].is_empty:
        rows.pop()
    return rows


def compare(before: str, after: str, context: int = CONTEXT) -> Changes:
    """Return the changed places from `before` to `after` (texts with LF line ends).

    No places when the texts are the same. Places stop once MAX_ROWS rows are shown
    (`is_cut` then says so).
    """
    old, new = before.splitlines(), after.splitlines()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    places: list[Place] = []
    shown = 0
    is_cut = False
    for group in matcher.get_grouped_opcodes(context):
        rows: list[Row] = []
        first = last = 0
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [_same(line) for line in old[i1:i2]]
                continue
            rows += _changed_rows(old[i1:i2], new[j1:j2])
            first = first or j1 + 1
            last = max(j2, j1 + 1)
        if not first:
            continue
        rows = _trimmed(rows)
        if places and shown + len(rows) > MAX_ROWS:
            is_cut = True
            break
        top = max(len(new), 1)
        places.append(Place(min(first, top), min(last, top), tuple(rows[:MAX_ROWS])))
        shown += len(rows)
        if shown > MAX_ROWS:
            is_cut = True
            break
    return Changes(tuple(places), is_cut, bool(new) and not old, bool(old) and not new)
