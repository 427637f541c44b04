"""The certificate of completion as a one-page PDF (A4 landscape), with a QR code to check it.

Pure: takes plain data and font files, returns bytes. Text is set in a Unicode
TrueType font so names such as "Llŷr" or "Siân" print as written, and every
block of text is fitted into a fixed box (wrapped, then shrunk, then cut with
an ellipsis as a last resort) so the page never overflows whatever the length
of a name or title.
"""

from __future__ import annotations

import contextlib
import datetime
import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

import segno
from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, XPos, YPos

DEFAULT_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEFAULT_BOLD_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Page geometry in millimetres (A4 landscape).
_PAGE_W, _PAGE_H = 297.0, 210.0
_MARGIN = 28.0
_TEXT_W = _PAGE_W - 2 * _MARGIN
_QR_SIZE = 32.0
_FOOTER_TOP = _PAGE_H - _MARGIN - _QR_SIZE  # the QR code and verification text sit below this
_BODY_TOP = _MARGIN + 2.0
_BODY_BOTTOM = _FOOTER_TOP - 6.0

# Colours (RGB): near-black text and a deep teal for the frame and headings,
# both far above 4.5:1 against the white page.
_INK = (11, 12, 12)
_ACCENT = (0, 84, 97)
_MUTED = (80, 90, 95)
# The logo's box (top left, inside the frame, above the first line of text).
_LOGO_X, _LOGO_Y, _LOGO_W, _LOGO_H = 18.0, 17.0, 40.0, 12.0

_FAMILY = "CertificateSans"
_LINE_SPACING = 1.25  # line height as a multiple of the font size
_PT = 25.4 / 72  # millimetres per point
# The smallest scale makes the longest possible stack fit; see _draw_body.
_SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)


@dataclass(frozen=True)
class CertificateData:
    """What a certificate says. `organisation_name` is left out when None.

    The lesson versions a certificate was earned on are not printed: they are ids kept
    as evidence, not words for the people it is shown to. The check page, which its QR
    code opens, states them.
    """

    learner_name: str
    course_title: str
    organisation_name: str | None
    completed_on: datetime.date
    code: str
    verify_url: str
    issuer: str
    # The network's brand colour for the frame and heading (at least 4.5:1 on white), and
    # its logo (PNG or SVG bytes) with the words that describe it.
    accent: tuple[int, int, int] = _ACCENT
    logo: bytes | None = None
    logo_alt: str | None = None


def uk_date(day: datetime.date) -> str:
    """Return a date written out in UK style, such as "28 November 2026" (locale independent)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class _Block:
    """A run of text to centre on the page, fitted to at most `max_lines` lines."""

    text: str
    bold: bool
    size: float  # preferred size in points
    min_size: float
    max_lines: int
    colour: tuple[int, int, int] = _INK
    gap_before: float = 0.0  # millimetres


@dataclass(frozen=True)
class _Fitted:
    block: _Block
    size: float
    lines: tuple[str, ...]

    @property
    def line_height(self) -> float:
        return self.size * _PT * _LINE_SPACING

    @property
    def height(self) -> float:
        return self.block.gap_before + self.line_height * len(self.lines)


def render_certificate(
    data: CertificateData,
    font_path: Path = DEFAULT_FONT,
    bold_font_path: Path | None = DEFAULT_BOLD_FONT,
) -> bytes:
    """Return the certificate as the bytes of a one-page A4 landscape PDF.

    `bold_font_path` None sets headings in the regular font. Raises
    FileNotFoundError naming the setting to change (CERTIFICATE_FONT or
    CERTIFICATE_BOLD_FONT) when a font file is missing.
    """
    _check_font(font_path, "CERTIFICATE_FONT")
    if bold_font_path is not None:
        _check_font(bold_font_path, "CERTIFICATE_BOLD_FONT")

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.c_margin = 0  # boxes are sized exactly; no inner padding to account for
    pdf.add_font(_FAMILY, "", font_path)
    pdf.add_font(_FAMILY, "B", bold_font_path or font_path)
    name, title = _one_line(data.learner_name), _one_line(data.course_title)
    pdf.set_title(f"Certificate of completion: {title}")
    pdf.set_author(_one_line(data.issuer))
    pdf.set_subject(f"{name} completed {title} on {uk_date(data.completed_on)}")
    pdf.set_keywords(f"certificate {data.code}")
    pdf.set_creator("induction")
    pdf.set_lang("en-GB")
    pdf.add_page()

    _draw_frame(pdf, data.accent)
    _draw_logo(pdf, data)
    _draw_body(pdf, data)
    _draw_footer(pdf, data)
    return bytes(pdf.output())


def _one_line(text: str) -> str:
    """Return `text` with every run of white space (newlines included) as one space."""
    return " ".join(text.split())


def _check_font(path: Path, setting: str) -> None:
    if not Path(path).is_file():
        raise FileNotFoundError(
            f"certificate font not found: {path}. Install a Unicode TrueType font "
            f"(for example the fonts-dejavu-core package) or set {setting} "
            "to the path of a .ttf file."
        )


def _draw_frame(pdf: FPDF, accent: tuple[int, int, int]) -> None:
    pdf.set_draw_color(*accent)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, _PAGE_W - 20, _PAGE_H - 20)
    pdf.set_line_width(0.3)
    pdf.rect(14, 14, _PAGE_W - 28, _PAGE_H - 28)


def _draw_logo(pdf: FPDF, data: CertificateData) -> None:
    """Draw the logo in the top left corner, inside the frame and above the text.

    A logo the PDF library cannot draw (an SVG feature it does not know) is left out:
    the certificate still names the issuer in words.
    """
    if not data.logo:
        return
    # Any drawing failure only leaves the logo out.
    with contextlib.suppress(Exception):
        pdf.image(
            io.BytesIO(data.logo),
            x=_LOGO_X,
            y=_LOGO_Y,
            w=_LOGO_W,
            h=_LOGO_H,
            keep_aspect_ratio=True,
            alt_text=data.logo_alt or None,
        )


def _draw_body(pdf: FPDF, data: CertificateData) -> None:
    blocks = [
        _Block(data.issuer, bold=False, size=13, min_size=9, max_lines=2, colour=_MUTED),
        _Block(
            "Certificate of completion",
            bold=True,
            size=30,
            min_size=30,
            max_lines=1,
            colour=data.accent,
            gap_before=4,
        ),
        _Block("This certifies that", bold=False, size=13, min_size=13, max_lines=1, gap_before=7),
        _Block(data.learner_name, bold=True, size=32, min_size=16, max_lines=2, gap_before=3),
    ]
    if data.organisation_name:
        blocks.append(
            _Block(
                data.organisation_name,
                bold=False,
                size=14,
                min_size=10,
                max_lines=2,
                colour=_MUTED,
                gap_before=1,
            )
        )
    blocks += [
        _Block("has completed", bold=False, size=13, min_size=13, max_lines=1, gap_before=5),
        _Block(data.course_title, bold=True, size=22, min_size=12, max_lines=3, gap_before=2),
        _Block(
            f"on {uk_date(data.completed_on)}",
            bold=False,
            size=13,
            min_size=13,
            max_lines=1,
            gap_before=5,
        ),
    ]
    room = _BODY_BOTTOM - _BODY_TOP
    # Each block is capped on its own; when long texts together still need more
    # room than the page has, scale the whole stack down evenly.
    for scale in _SCALES:
        fitted = [_fit(pdf, _scaled(block, scale), _TEXT_W) for block in blocks]
        stack = sum(f.height for f in fitted)
        if stack <= room:
            break
    y = _BODY_TOP + max(0.0, (room - stack) / 2)
    for f in fitted:
        y += f.block.gap_before
        _set_font(pdf, f.block.bold, f.size)
        pdf.set_text_color(*f.block.colour)
        for line in f.lines:
            pdf.set_xy(_MARGIN, y)
            pdf.cell(_TEXT_W, f.line_height, line, align=Align.C)
            y += f.line_height


def _scaled(block: _Block, scale: float) -> _Block:
    return replace(
        block,
        size=block.size * scale,
        min_size=block.min_size * scale,
        gap_before=block.gap_before * scale,
    )


def _draw_footer(pdf: FPDF, data: CertificateData) -> None:
    qr_x = _PAGE_W - _MARGIN - _QR_SIZE
    text_w = qr_x - _MARGIN - 8
    pdf.image(
        _qr_png(data.verify_url),
        x=qr_x,
        y=_FOOTER_TOP,
        w=_QR_SIZE,
        h=_QR_SIZE,
        link=data.verify_url,
        alt_text=f"QR code linking to {data.verify_url}",
    )
    pdf.set_draw_color(*data.accent)
    pdf.set_line_width(0.3)
    pdf.line(_MARGIN, _FOOTER_TOP, _MARGIN + text_w, _FOOTER_TOP)

    code = _fit(
        pdf,
        _Block(f"Certificate code: {data.code}", bold=True, size=12, min_size=8, max_lines=2),
        text_w,
    )
    check = _fit(
        pdf,
        _Block(
            f"Check this certificate at {data.verify_url}",
            bold=False,
            size=11,
            min_size=8,
            max_lines=3,
        ),
        text_w,
    )
    blocks = [(code, None), (check, data.verify_url)]
    y = _FOOTER_TOP + 4
    pdf.set_text_color(*_INK)
    for fitted, link in blocks:
        _set_font(pdf, fitted.block.bold, fitted.size)
        for line in fitted.lines:
            pdf.set_xy(_MARGIN, y)
            pdf.cell(
                text_w,
                fitted.line_height,
                line,
                align=Align.L,
                link=link or "",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            y += fitted.line_height
        y += 1.5


def _qr_png(url: str) -> io.BytesIO:
    """Return a PNG of a QR code for `url`, with the standard four-module quiet zone."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=10, border=4)
    buffer.seek(0)
    return buffer


def _set_font(pdf: FPDF, bold: bool, size: float) -> None:
    pdf.set_font(_FAMILY, "B" if bold else "", size)


def _fit(pdf: FPDF, block: _Block, width: float) -> _Fitted:
    """Return the block at the largest size (down to its minimum) that fits `max_lines` lines.

    At the minimum size, text that still needs more lines is cut after the last
    allowed line with an ellipsis, so nothing ever leaves its box.
    """
    text = _one_line(block.text)  # a newline in a name must not add lines
    size = block.size
    while True:
        lines = _wrap(pdf, text, width, block.bold, size)
        if len(lines) <= block.max_lines:
            return _Fitted(block, size, lines)
        if size <= block.min_size:
            break
        size = max(block.min_size, size - 1)
    kept = list(lines[: block.max_lines])
    last = kept[-1].rstrip()
    while last and pdf.get_string_width(last + "…") > width:
        last = last[:-1].rstrip()
    kept[-1] = last + "…"
    return _Fitted(block, size, tuple(kept))


def _wrap(pdf: FPDF, text: str, width: float, bold: bool, size: float) -> tuple[str, ...]:
    """Return `text` broken into lines no wider than `width` at this font and size."""
    _set_font(pdf, bold, size)
    lines = pdf.multi_cell(
        width, size * _PT, text, align=Align.C, dry_run=True, output=MethodReturnValue.LINES
    )
    return tuple(cast("list[str]", lines)) or ("",)
