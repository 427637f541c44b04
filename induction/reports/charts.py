"""Accessible bar charts as inline SVG, drawn on the server (no JavaScript).

The SVG is a self-contained string: role="img" named by its <title> and
described by its <desc> (which also lists every bar's value, so screen reader
users get the data), every label and value printed as text rather than told
by colour, colours with enough contrast on white, and a viewBox with
width="100%" so it fits its column. A drawing scales its text with it, so a page
shows a chart drawn WIDE (600 units) on a screen of 40rem and more and one drawn
NARROW (300 units) below that, each close to the size it is shown at: the words stay
between 12 and 20 CSS px from a 320 px phone up. It holds no script, no style
element, no event handler and no external reference, so it passes a strict
Content-Security-Policy. The same input always gives the same string.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from induction.progress.status import whole_percent

# Geometry in user units. Text widths are estimated (the browser picks the
# font), so the estimate is deliberately generous: 0.62 em per character.
WIDE = 600
NARROW = 300
_FONT = 14
_NOTE_FONT = 13
_CHAR_EM = 0.62
_LABEL_LINE = 18
_MAX_LABEL_LINES = 3
_BAR_HEIGHT = 22
_NOTE_LINE = 17
_ROW_GAP = 16
_TOP = 6
_VALUE_GAP = 8
_MIN_BAR = 2  # a non-zero value always shows at least a sliver

# Against white: text 19.8:1 and 7.0:1 (WCAG asks 4.5:1), bars 5.2:1 (asks 3:1).
TEXT_COLOUR = "#0b0c0c"
MUTED_COLOUR = "#505a5f"
BAR_COLOUR = "#1d70b8"
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# Characters XML 1.0 does not allow at all; a label holding one would make the
# whole page's SVG unparseable, so they become U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Bar:
    """One bar: a label and a value, out of `total` when given, with an optional note."""

    label: str
    value: float
    total: float | None = None
    note: str | None = None


def bar_chart_svg(
    title: str,
    description: str,
    bars: Sequence[Bar],
    *,
    unit: str = "%",
    max_value: float | None = None,
    chart_id: str = "chart",
    width: float = WIDE,
    css_class: str | None = None,
) -> str:
    """Return a horizontal bar chart as an inline SVG string, drawn `width` units wide.

    A bar with a `total` is drawn as a share of it (its exact fraction) and labelled
    "7 of 15 (47%)", the percentage by the reports' one rule (whole_percent). Other
    bars are drawn against `max_value`, which defaults to 100 when `unit` is "%" and to
    the largest value otherwise, and labelled with the value and `unit`. No bars gives a
    small chart saying "No data yet". Labels wrap to `width`; `css_class` goes on the
    <svg>. Raises ValueError when `chart_id` is not a simple id (a letter, then letters,
    digits, "-" or "_"), a value, total or max_value is not a finite number, or max_value
    is not positive.
    """
    if not _CHART_ID.fullmatch(chart_id):
        raise ValueError(
            f"chart id {chart_id!r} must be a letter followed by letters, digits, - or _"
        )
    if max_value is not None and not (math.isfinite(max_value) and max_value > 0):
        raise ValueError(f"max_value must be a positive number, not {max_value!r}")
    for bar in bars:
        if not math.isfinite(bar.value) or (bar.total is not None and not math.isfinite(bar.total)):
            raise ValueError(f"bar {bar.label!r} has a value or total that is not a finite number")

    texts = [_value_text(bar, unit) for bar in bars]
    summary = " ".join(
        f"{_one_line(bar.label)}: {text}{f', {_one_line(bar.note)}' if bar.note else ''}."
        for bar, text in zip(bars, texts, strict=True)
    )
    desc = " ".join(part for part in (_one_line(description), summary) if part)
    if not bars:
        desc = " ".join(part for part in (_one_line(description), "No data yet.") if part)
        return _svg(chart_id, title, desc, width, 48, [_empty_text()], css_class)

    scale = max_value if max_value is not None else _default_scale(bars, unit)
    value_width = max(_text_width(text, _FONT) for text in texts) + _VALUE_GAP
    bar_area = max(width * 0.4, width - value_width)

    parts: list[str] = []
    y: float = _TOP
    for index, (bar, text) in enumerate(zip(bars, texts, strict=True)):
        length = _fraction(bar, scale) * bar_area
        row, y = _row(chart_id, index, bar, text, y, length, width)
        parts.append(row)
        y += _ROW_GAP
    # An unusually long value text widens the drawing rather than being clipped.
    drawn = max(width, bar_area + value_width)
    return _svg(chart_id, title, desc, drawn, y - _ROW_GAP + _TOP, parts, css_class)


def _row(
    chart_id: str, index: int, bar: Bar, value_text: str, y: float, length: float, width: float
) -> tuple[str, float]:
    """Return the SVG group of one bar (label lines, bar, value, note) and the y below it."""
    lines, cut = _wrap(_one_line(bar.label), _FONT, width, _MAX_LABEL_LINES)
    out = [f'<g id="{chart_id}-bar-{index}">']
    if cut:  # the whole label stays available as a tooltip and to assistive technology
        out.append(f"<title>{_xml(_one_line(bar.label))}</title>")
    for line in lines:
        y += _LABEL_LINE
        out.append(
            f'<text x="0" y="{_n(y - 4)}" font-size="{_FONT}" fill="{TEXT_COLOUR}">'
            f"{_xml(line)}</text>"
        )
    y += 4
    if bar.value > 0:
        length = max(length, _MIN_BAR)
    if length > 0:
        out.append(
            f'<rect x="0" y="{_n(y)}" width="{_n(length)}" height="{_BAR_HEIGHT}" '
            f'fill="{BAR_COLOUR}"/>'
        )
    out.append(
        f'<text x="{_n(length + _VALUE_GAP)}" y="{_n(y + _BAR_HEIGHT / 2 + _FONT * 0.35)}" '
        f'font-size="{_FONT}" font-weight="bold" fill="{TEXT_COLOUR}">{_xml(value_text)}</text>'
    )
    y += _BAR_HEIGHT
    if bar.note:
        note_lines, _ = _wrap(_one_line(bar.note), _NOTE_FONT, width, 2)
        for line in note_lines:
            y += _NOTE_LINE
            out.append(
                f'<text x="0" y="{_n(y - 4)}" font-size="{_NOTE_FONT}" '
                f'fill="{MUTED_COLOUR}">{_xml(line)}</text>'
            )
    out.append("</g>")
    return "".join(out), y


def _svg(
    chart_id: str,
    title: str,
    desc: str,
    width: float,
    height: float,
    parts: list[str],
    css_class: str | None = None,
) -> str:
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    class_attribute = f' class="{_xml(css_class)}"' if css_class else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}"{class_attribute} role="img" '
        f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="100%" font-family="{_xml(FONT_FAMILY)}">'
        f'<title id="{title_id}">{_xml(_one_line(title))}</title>'
        f'<desc id="{desc_id}">{_xml(desc)}</desc>'
        f"{''.join(parts)}</svg>"
    )


def _empty_text() -> str:
    return f'<text x="0" y="30" font-size="{_FONT}" fill="{TEXT_COLOUR}">No data yet</text>'


def _default_scale(bars: Sequence[Bar], unit: str) -> float:
    if unit == "%":
        return 100.0
    return max((bar.value for bar in bars), default=0.0)


def _fraction(bar: Bar, scale: float) -> float:
    """Return how much of the bar area this bar fills, between 0 and 1."""
    whole = bar.total if bar.total is not None else scale
    if whole <= 0:
        return 0.0
    return min(1.0, max(0.0, bar.value / whole))


def _value_text(bar: Bar, unit: str) -> str:
    """Return the printed value: "7 of 10 (70%)" with a total, else the value and unit."""
    if bar.total is not None:
        text = f"{_number(bar.value)} of {_number(bar.total)}"
        if bar.total > 0:
            text += f" ({whole_percent(bar.value, bar.total)}%)"
        return text
    if unit in ("", "%"):
        return f"{_number(bar.value)}{unit}"
    return f"{_number(bar.value)} {unit}"


def _number(value: float) -> str:
    """Return a value for people: whole numbers with thousands commas, else one decimal place."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _n(value: float) -> str:
    """Return a coordinate with at most one decimal place, so output is short and stable."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text_width(text: str, font_size: float) -> float:
    return len(text) * font_size * _CHAR_EM


def _wrap(text: str, font_size: float, width: float, max_lines: int) -> tuple[list[str], bool]:
    """Return `text` broken at spaces into lines that fit `width`, and whether it had to be cut.

    A word longer than a line is split; text beyond `max_lines` is dropped and
    the last line ends with an ellipsis.
    """
    per_line = max(1, int(width / (font_size * _CHAR_EM)))
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        while len(word) > per_line:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:per_line])
            word = word[per_line:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= per_line:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines, False
    kept = lines[:max_lines]
    kept[-1] = kept[-1][: per_line - 1].rstrip() + "…"
    return kept, True


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _xml(text: str) -> str:
    """Return text safe inside an XML element or a double-quoted attribute."""
    return escape(_NOT_XML.sub("\ufffd", text), {'"': "&quot;"})
