"""Ids and ordering: what a file or folder name means.

A name may start with a numeric prefix (`NN-`, one or more digits and a hyphen)
that orders it among its siblings and is stripped once to give the id:
`01-02-x.md` has the id `02-x`. Names without a prefix come after the
prefixed ones, in name order.
"""

from __future__ import annotations

import re
import unicodedata

ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_ID_RE = re.compile(ID_PATTERN)
_PREFIX_RE = re.compile(r"(\d+)-(.+)", re.DOTALL)


def is_valid_id(value: str) -> bool:
    """Return True when `value` is an id: like `module-one`."""
    return _ID_RE.fullmatch(value) is not None


def split_prefix(name: str) -> tuple[int | None, str]:
    """Return `(order, rest)`: the numeric prefix of `name` (None when absent) and the rest.

    The prefix is stripped once only, so `01-02-x` gives `(1, "02-x")`.
    """
    match = _PREFIX_RE.fullmatch(name)
    if match is None:
        return None, name
    return int(match.group(1)), match.group(2)


def order_key(name: str) -> tuple[int, int, str]:
    """Return a sort key: prefixed names first (by number, then name), then the others by name."""
    order, _ = split_prefix(name)
    if order is None:
        return (1, 0, name)
    return (0, order, name)


def id_from_name(name: str) -> str:
    """Return the id a file or folder name gives: the name without its prefix and without `.md`.

    The result is not checked; see `is_valid_id`.
    """
    stem = name[:-3] if name.endswith(".md") else name
    return split_prefix(stem)[1]


def suggest_id(text: str) -> str:
    """Return a valid id close to `text` (accents dropped, lowercased, other characters as hyphens).

    Always returns a valid id, `some-id` when nothing usable is left.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "some-id"
