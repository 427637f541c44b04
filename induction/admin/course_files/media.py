"""Checks on a file uploaded to a course's media folder: name, type, size and SVG safety.

Only images (png, jpg/jpeg, gif, webp, svg) and PDF files are taken. Names are
made safe (lowercase, `[a-z0-9._-]`, no leading dot, one extension); the first
bytes must match the extension; SVG files are parsed and refused when they hold
anything that could run or fetch something (scripts, event handlers,
foreignObject, links other than to the file itself). The media route serves
every file with a fixed type and a sandboxing Content-Security-Policy as well.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET  # noqa: S405 - DOCTYPE and ENTITY are refused before parsing
from dataclasses import dataclass

ALLOWED = {
    "png": "PNG image",
    "jpg": "JPEG image",
    "jpeg": "JPEG image",
    "gif": "GIF image",
    "webp": "WebP image",
    "svg": "SVG image",
    "pdf": "PDF document",
}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_MAGIC: dict[str, tuple[bytes, ...]] = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "pdf": (b"%PDF-",),
}
_HREF_NAMES = ("href", "{http://www.w3.org/1999/xlink}href")
_BAD_ELEMENTS = ("script", "foreignobject", "iframe", "embed", "object", "handler", "listener")
_URL_IN_STYLE = re.compile(r"url\(\s*['\"]?\s*(?P<target>[^'\")\s]*)", re.IGNORECASE)
_DANGEROUS_VALUE = re.compile(r"^\s*(?:javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)


class MediaRefused(ValueError):
    """The upload is refused; the message says why and what to do."""


@dataclass(frozen=True)
class MediaFile:
    """An upload that passed every check, with its safe name."""

    name: str  # the safe name, as it will be stored under media/
    data: bytes
    kind: str  # the extension, lowercase


def _allowed_list() -> str:
    return "PNG, JPEG, GIF, WebP, SVG or PDF"


def safe_name(filename: str) -> str:
    """Return a safe media name for an uploaded file's name.

    Lowercase ASCII letters, digits, '.', '_' and '-' only; no leading dot,
    hyphen or underscore; dots inside the name become hyphens so only the real
    extension remains (`x.svg.png` becomes `x-svg.png`). Raises MediaRefused when
    the extension is not one of the allowed kinds.
    """
    base = re.split(r"[\\/]", filename or "")[-1]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    ascii_name = ascii_name.lower().strip()
    stem, dot, extension = ascii_name.rpartition(".")
    if not dot or extension not in ALLOWED:
        shown = f"'.{extension}'" if dot and extension else "no extension"
        raise MediaRefused(
            f"only {_allowed_list()} files can be uploaded, and this file has {shown}"
        )
    stem = re.sub(r"[^a-z0-9_-]+", "-", stem).strip("-_.")
    stem = re.sub(r"-{2,}", "-", stem)[:80] or "file"
    return f"{stem}.{extension}"


def check_upload(filename: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> MediaFile:
    """Return the upload as a MediaFile with a safe name once every check passes.

    Raises MediaRefused (with a message saying what to fix) for a wrong type, an
    empty or oversized file, content that does not match the extension, or an
    unsafe SVG.
    """
    name = safe_name(filename)
    kind = name.rsplit(".", 1)[1]
    if not data:
        raise MediaRefused("the file is empty: choose the file again")
    if len(data) > max_bytes:
        raise MediaRefused(
            f"the file is {_megabytes(len(data))}, more than the limit of {_megabytes(max_bytes)}: "
            "make it smaller (for an image, save it at a lower resolution) and upload it again"
        )
    if kind == "svg":
        check_svg(data)
    elif kind == "webp":
        if not (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
            raise _mismatch(kind)
    elif not data.startswith(_MAGIC[kind]):
        raise _mismatch(kind)
    return MediaFile(name, data, kind)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _mismatch(kind: str) -> MediaRefused:
    return MediaRefused(
        f"the file's content is not a {ALLOWED[kind]}, although its name ends in '.{kind}': "
        "save it again in that format, or give it the right extension"
    )


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def check_svg(data: bytes) -> None:
    """Refuse an SVG that could run script or load anything; return None when it is safe.

    Raises MediaRefused naming the first problem found.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MediaRefused("the SVG file is not UTF-8 text: save it again as UTF-8") from None
    lowered = text.lower()
    # The standard parser would expand entities: DOCTYPE and ENTITY are refused first.
    if "<!doctype" in lowered or "<!entity" in lowered:
        raise MediaRefused("the SVG file has a DOCTYPE or ENTITY declaration: remove it")
    if "<?xml-stylesheet" in lowered:
        raise MediaRefused("the SVG file loads a stylesheet: remove the xml-stylesheet line")
    try:
        root = ET.fromstring(text)  # noqa: S314 - DOCTYPE and ENTITY were refused above
    except ET.ParseError as exc:
        raise MediaRefused(f"the SVG file is not valid XML ({exc})") from None
    if _local(root.tag) != "svg":
        raise MediaRefused("the file is not an SVG image: its outer element is not <svg>")
    for element in root.iter():
        _check_element(element)


def _check_element(element: ET.Element) -> None:
    tag = _local(element.tag)
    if tag in _BAD_ELEMENTS:
        raise MediaRefused(f"the SVG file has a <{tag}> element, which could run code: remove it")
    if tag == "style" and element.text:
        _check_style(element.text)
    for name, value in element.attrib.items():
        local = _local(name)
        if local.startswith("on"):
            raise MediaRefused(
                f"the SVG file has an event handler ({local}), which could run code: remove it"
            )
        if (name in _HREF_NAMES or local == "href") and not value.strip().startswith("#"):
            raise MediaRefused(
                f"the SVG file links to '{value[:60]}': an SVG may only refer to parts of "
                "itself ('#id'), so embed the image or remove the link"
            )
        if tag in ("set", "animate") and local == "attributename" and "href" in value.lower():
            raise MediaRefused("the SVG file animates a link, which could run code: remove it")
        if _DANGEROUS_VALUE.match(value):
            raise MediaRefused("the SVG file holds a 'javascript:' address: remove it")
        if local == "style":
            _check_style(value)


def _check_style(css: str) -> None:
    if "@import" in css.lower():
        raise MediaRefused("the SVG file imports a stylesheet (@import): remove it")
    for match in _URL_IN_STYLE.finditer(css):
        if not match.group("target").startswith("#"):
            raise MediaRefused(
                "the SVG file's styles load another file (url(...)): an SVG may only refer "
                "to parts of itself"
            )
