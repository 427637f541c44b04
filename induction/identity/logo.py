"""The network's logo: an SVG made safe, or a PNG checked and written afresh.

Pure: no Flask, no database. An SVG is parsed with defusedxml (no entities, no external
documents) and rebuilt from an allowlist of drawing elements and attributes, so scripts,
event handlers, links, styles sheets, embedded or external images and any reference to
another address are left behind. A PNG is opened with Pillow, its size checked, and saved
again, which drops any text or metadata it carried.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET  # noqa: S405 - only to build and write the clean tree
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from PIL import Image, UnidentifiedImageError

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
MAX_PNG_SIDE = 2000  # pixels; a logo needs far fewer, and a huge image is a memory bomb

SVG_TYPE = "image/svg+xml"
PNG_TYPE = "image/png"

_ELEMENTS = frozenset(
    [
        "svg",
        "g",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "title",
        "desc",
        "defs",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "mask",
        "symbol",
        "use",
    ]
)
_ATTRIBUTES = frozenset(
    [
        "id",
        "class",
        "viewBox",
        "width",
        "height",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "d",
        "points",
        "transform",
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-dasharray",
        "stroke-dashoffset",
        "opacity",
        "clip-path",
        "clip-rule",
        "mask",
        "offset",
        "stop-color",
        "stop-opacity",
        "gradientUnits",
        "gradientTransform",
        "spreadMethod",
        "fx",
        "fy",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "dominant-baseline",
        "letter-spacing",
        "preserveAspectRatio",
        "clipPathUnits",
        "maskUnits",
        "maskContentUnits",
        "dx",
        "dy",
        "role",
        "aria-label",
        "style",
        "version",
    ]
)
# A url() may only point inside the document ("url(#gradient)").
_OUTSIDE_URL = re.compile(r"url\s*\(\s*(?!['\"]?#)", re.I)
_UNSAFE_STYLE = re.compile(r"[\\@<>]|expression|javascript", re.I)


class LogoError(ValueError):
    """The file cannot be a logo; the message says why, in plain words."""


@dataclass(frozen=True)
class Logo:
    """A logo ready to store and serve."""

    content_type: str
    data: bytes


def clean_logo(data: bytes, filename: str) -> Logo:
    """Return the uploaded file as a safe logo (SVG cleaned, PNG written afresh).

    Raises LogoError when it is neither a well-formed SVG nor a PNG.
    """
    if filename.lower().endswith(".svg") or data.lstrip()[:5] in (b"<?xml", b"<svg ", b"<svg>"):
        return Logo(SVG_TYPE, sanitise_svg(data))
    return Logo(PNG_TYPE, clean_png(data))


def sanitise_svg(data: bytes) -> bytes:
    """Return the SVG rebuilt from its allowed elements and attributes only.

    Raises LogoError when the file is not well-formed XML, uses entities or external
    documents, or is not an SVG drawing.
    """
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise LogoError(
            "The SVG file uses entities or external documents; save it again as plain SVG"
        ) from None
    except ET.ParseError as error:
        raise LogoError(
            f"The SVG file could not be read ({error}); save it again as plain SVG"
        ) from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise LogoError("The file is not an SVG drawing: its first element must be <svg>")
    clean = _copy(root)
    assert clean is not None  # the root is an <svg> element, which is allowed
    if not len(clean):
        raise LogoError("The SVG file draws nothing once made safe: choose another file")
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(clean, encoding="utf-8", xml_declaration=True)


def _copy(element: ET.Element) -> ET.Element | None:
    """Return a clean copy of `element` and its allowed children, or None when not allowed."""
    namespace, _, name = element.tag.rpartition("}")
    if namespace == f"{{{SVG_NS}" and name == "a":
        # A link's drawing stays, as a plain group; the link goes.
        copy = ET.Element(f"{{{SVG_NS}}}g")
    elif namespace != f"{{{SVG_NS}" or name not in _ELEMENTS:
        return None
    else:
        copy = ET.Element(element.tag)
        for key, value in element.attrib.items():
            if _allowed_attribute(key, value):
                copy.set(key, value)
    copy.text = element.text if name in ("text", "tspan", "title", "desc") else None
    for child in element:
        clean = _copy(child)
        if clean is not None:
            clean.tail = child.tail if name in ("text", "tspan") else None
            copy.append(clean)
    return copy


def _allowed_attribute(key: str, value: str) -> bool:
    if key in ("href", f"{{{XLINK_NS}}}href"):
        return value.strip().startswith("#")  # a reference inside the drawing only
    if key not in _ATTRIBUTES or _OUTSIDE_URL.search(value):
        return False
    return not (key == "style" and _UNSAFE_STYLE.search(value))


def clean_png(data: bytes) -> bytes:
    """Return the PNG saved again without its metadata.

    Raises LogoError when it is not a PNG or is larger than MAX_PNG_SIDE pixels a side.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise LogoError("The logo must be an SVG or a PNG file")
            width, height = image.size
            if width > MAX_PNG_SIDE or height > MAX_PNG_SIDE:
                raise LogoError(
                    f"The PNG is {width} × {height} pixels: make it at most {MAX_PNG_SIDE} "
                    "pixels on each side (a logo needs far fewer)"
                )
            image.load()
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise LogoError(
            "The logo must be an SVG or a PNG file that opens: this one does not"
        ) from None
    return out.getvalue()
