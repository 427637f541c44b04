"""How wide a picture in a course's media/ folder is, read from the start of its file.

A lesson draws a picture no wider than its column, so a picture wider than the
narrowest column it may be shown in is shrunk on some screen, and the words inside a
diagram can become too small to read: such a picture is made a link to a page that
shows it at full size (`Links.picture`; see `render`). Only the first bytes of a file are read; no
image library and no XML parser is involved (an SVG is never parsed, only searched).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Mapping
from pathlib import Path

from induction.content.render import PictureRule
from induction.content.tree import MEDIA_DIR, inside_course

# The narrowest column a lesson is shown in: a 320 px wide screen less the page's 1rem
# margins on each side. A picture wider than this is drawn smaller on some screen.
NARROWEST_COLUMN_PX = 288

_HEAD_BYTES = 64 * 1024
_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
_SVG_WIDTH = re.compile(rb"""\swidth\s*=\s*["']\s*([0-9]+(?:\.[0-9]+)?)\s*(px)?\s*["']""")
_SVG_VIEWBOX = re.compile(
    rb"""\sviewBox\s*=\s*["']\s*[-0-9.eE]+[\s,]+[-0-9.eE]+[\s,]+([0-9.eE]+)[\s,]+[0-9.eE]+\s*["']"""
)
# JPEG start-of-frame markers (they carry the size); C4, C8 and CC are other markers.
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


# A media file's name -> the address of the page that shows it at full size.
PicturePage = Callable[[str], str]


def picture_rule(
    course_dir: Path, files: Mapping[str, str]
) -> Callable[[PicturePage], PictureRule]:
    """Return a maker of the rules (see `render.PictureRule`) for the lessons of the
    course in `course_dir`: given where one lesson's pictures open (`page`, from a file's
    name in media/), the rule links a picture there when it is wider than the narrowest
    column, or when its width cannot be told. `files` maps each media URL to its file's
    name in media/. Widths are read once for the whole course.
    """
    widths: dict[str, int | None] = {}
    media = course_dir / MEDIA_DIR

    def wider_than_shown(name: str) -> bool:
        if not inside_course(course_dir, media / name):
            return False
        if name not in widths:
            widths[name] = natural_width(media / name)
        width = widths[name]
        return width is None or width > NARROWEST_COLUMN_PX

    def rule_for(page: PicturePage) -> PictureRule:
        def opens_at(url: str) -> str | None:
            name = files.get(url)
            return page(name) if name is not None and wider_than_shown(name) else None

        return opens_at

    return rule_for


def natural_width(path: Path) -> int | None:
    """Return the width in CSS pixels at which a browser draws the picture at `path`
    before any shrinking, or None when it cannot be told (an unknown kind of file, a
    damaged one, an SVG sized in % or em). Never raises."""
    try:
        with path.open("rb") as file:
            head = file.read(_HEAD_BYTES)
    except OSError:
        return None
    try:
        return _width(head)
    except (struct.error, ValueError, IndexError):
        return None


def _width(head: bytes) -> int | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return int(struct.unpack(">I", head[16:20])[0])
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return int(struct.unpack("<H", head[6:8])[0])
    if head.startswith(b"\xff\xd8"):
        return _jpeg_width(head)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _webp_width(head)
    return _svg_width(head)


def _jpeg_width(head: bytes) -> int | None:
    position = 2
    while position + 9 <= len(head):
        if head[position] != 0xFF:
            return None
        marker = head[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _JPEG_FRAMES:
            return int(struct.unpack(">H", head[position + 7 : position + 9])[0])
        length = struct.unpack(">H", head[position + 2 : position + 4])[0]
        position += 2 + length
    return None


def _webp_width(head: bytes) -> int | None:
    chunk = head[12:16]
    if chunk == b"VP8 ":
        return int(struct.unpack("<H", head[26:28])[0] & 0x3FFF)
    if chunk == b"VP8L":
        bits = struct.unpack("<I", head[21:25])[0]
        return int((bits & 0x3FFF) + 1)
    if chunk == b"VP8X":
        return int.from_bytes(head[24:27], "little") + 1
    return None


def _svg_width(head: bytes) -> int | None:
    tag = _SVG_TAG.search(head)
    if tag is None:
        return None
    width = _SVG_WIDTH.search(tag.group(0))
    if width is not None:
        return round(float(width.group(1)))
    if re.search(rb"""\swidth\s*=""", tag.group(0)):
        return None  # a width in %, em or another unit: its size depends on the page
    view_box = _SVG_VIEWBOX.search(tag.group(0))
    return round(float(view_box.group(1))) if view_box is not None else None
