"""WCAG 2.2 contrast between colours, and the check every brand colour must pass.

Pure: no Flask, no database. The brand colour is the background of the header's white
text, the colour of the certificate's heading on a white page and of the borders of
notices and cards, so it must reach 4.5:1 against white (WCAG 1.4.3, level AA).
"""

from __future__ import annotations

import re

WHITE = "#ffffff"
AA_NORMAL_TEXT = 4.5

_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def parse_colour(value: str) -> str | None:
    """Return a colour written '#1d4f91', '1d4f91' or '#14a' as '#1d4f91', or None when
    it is not a hexadecimal colour."""
    found = _HEX.fullmatch(value.strip())
    if found is None:
        return None
    digits = found.group(1).lower()
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return f"#{digits}"


def rgb(colour: str) -> tuple[int, int, int]:
    """Return the red, green and blue (0-255) of a colour '#rrggbb'."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """Return the WCAG relative luminance (0 black to 1 white) of a colour '#rrggbb'."""
    r, g, b = (_channel(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """Return the WCAG contrast ratio (1 to 21) between two colours '#rrggbb'."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def format_ratio(ratio: float) -> str:
    """Return a ratio as people read it, '2.9:1', rounded down so 4.49 never shows as 4.5."""
    return f"{int(ratio * 10) / 10:.1f}:1"


def brand_colour_problem(value: str) -> str | None:
    """Return why `value` cannot be the brand colour, or None when it can.

    It must be a hexadecimal colour with at least 4.5:1 contrast against white; the
    message gives the ratio it has ("2.9:1, needs 4.5:1").
    """
    colour = parse_colour(value)
    if colour is None:
        return "Enter the colour as 6 hexadecimal digits after #, for example #1d4f91"
    ratio = contrast_ratio(colour, WHITE)
    if ratio < AA_NORMAL_TEXT:
        return (
            f"White text on {colour} has a contrast of {format_ratio(ratio)}, needs "
            f"{AA_NORMAL_TEXT}:1 (WCAG AA): choose a darker colour"
        )
    return None
