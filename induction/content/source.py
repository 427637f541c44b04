"""Reading a file's bytes as text: encoding, byte-order mark, line ends and the content hash.

Files are UTF-8 with or without a byte-order mark, with LF or CRLF line ends.
Everything downstream works on the normalised text (no mark, LF only); the
mark and the line-end style are remembered so a rewritten file keeps them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

BOM = "\ufeff"


@dataclass(frozen=True)
class Source:
    """A file's text, normalised, with what is needed to write it back the same way."""

    text: str  # without the byte-order mark, line ends as LF
    has_bom: bool
    newline: str  # "\n" or "\r\n": the style of the file's first line end

    @property
    def content_hash(self) -> str:
        """Return the sha256 hex digest of the normalised text."""
        return text_hash(self.text)

    def denormalise(self, text: str) -> str:
        """Return `text` (LF line ends) with this file's byte-order mark and line-end style."""
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return (BOM if self.has_bom else "") + text


class DecodeError(ValueError):
    """The bytes are not valid UTF-8; `line` is the 1-based line of the first bad byte."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def text_hash(text: str) -> str:
    """Return the sha256 hex digest of `text` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def from_text(raw: str) -> Source:
    """Return the normalised `Source` of a decoded string (a mark and CR/CRLF line ends allowed)."""
    has_bom = raw.startswith(BOM)
    if has_bom:
        raw = raw[1:]
    first_cr = raw.find("\r")
    first_lf = raw.find("\n")
    newline = "\n"
    if first_cr != -1 and (first_lf == -1 or first_cr < first_lf):
        newline = "\r\n" if raw.startswith("\r\n", first_cr) else "\r"
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return Source(text=text, has_bom=has_bom, newline=newline)


def decode(data: bytes) -> Source:
    """Return the normalised `Source` of a file's bytes.

    Raises `DecodeError` (with the line of the first bad byte) when `data` is not UTF-8.
    """
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DecodeError(
            line,
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} on this line): "
            "save it as UTF-8 in your editor",
        ) from None
    return from_text(raw)


def decoded(data: bytes | None) -> Source | None:
    """Return the `Source` of a file's bytes, None when there are none or they are not
    UTF-8 (for callers that pass over such a file instead of reporting it)."""
    if data is None:
        return None
    try:
        return decode(data)
    except DecodeError:
        return None
