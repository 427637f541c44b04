"""The pure rules of the identity: brand colour contrast, footer links, and logos made safe."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from induction.identity.contrast import brand_colour_problem, contrast_ratio, format_ratio
from induction.identity.footer import FooterLinksError, parse_footer_links
from induction.identity.logo import MAX_PNG_SIDE, LogoError, clean_logo, sanitise_svg

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">%s</svg>'


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#ffffff", "21.0:1"),
        ("#ffffff", "#ffffff", "1.0:1"),
        ("#767676", "#fff", "4.5:1"),
    ],
)
def test_contrast_follows_wcag(first, second, ratio):
    assert format_ratio(contrast_ratio(first, second.ljust(7, "f"))) == ratio


def test_a_brand_colour_too_light_for_white_text_is_refused_with_its_ratio():
    assert brand_colour_problem("#f47738") == (
        "White text on #f47738 has a contrast of 2.7:1, needs 4.5:1 (WCAG AA): "
        "choose a darker colour"
    )
    # Just under the line is refused, and shown rounded down, never as 4.5.
    assert "4.4:1, needs 4.5:1" in brand_colour_problem("#777777")
    assert brand_colour_problem("#767676") is None
    assert brand_colour_problem("1D4F91") is None
    assert brand_colour_problem("blue") == (
        "Enter the colour as 6 hexadecimal digits after #, for example #1d4f91"
    )


def test_footer_links_are_read_one_a_line_and_a_bad_line_is_named():
    assert parse_footer_links(
        "About us https://councils.coop/about-us\n\nPrivacy mailto:a@b.org"
    ) == [
        {"label": "About us", "url": "https://councils.coop/about-us"},
        {"label": "Privacy", "url": "mailto:a@b.org"},
    ]
    with pytest.raises(FooterLinksError, match="^Line 2: end the line with a web address"):
        parse_footer_links("Fine https://a.example\nNo address here")
    with pytest.raises(FooterLinksError, match="^Line 1: end the line"):
        parse_footer_links("Evil javascript:alert(1)")
    with pytest.raises(FooterLinksError, match="^Line 1: write the words"):
        parse_footer_links("https://a.example")
    with pytest.raises(FooterLinksError, match="at most 6"):
        parse_footer_links("\n".join(f"Link {n} https://a.example/{n}" for n in range(7)))


@pytest.mark.parametrize(
    "hostile",
    [
        b'<script>alert(1)</script><rect width="5" height="5"/>',
        b'<rect width="5" height="5" onload="alert(1)" onclick="alert(2)"/>',
        b'<a href="https://evil.example/"><rect width="5" height="5"/></a>',
        b'<image href="https://evil.example/track.png" width="5" height="5"/><rect width="5"/>',
        b'<use href="https://evil.example/sprite.svg#x"/><rect width="5"/>',
        b'<rect width="5" fill="url(https://evil.example/x.svg#g)"/>',
        b'<style>@import url(https://evil.example/x.css);</style><rect width="5"/>',
        b'<rect width="5" style="fill: url(https://evil.example/a)"/>',
        b'<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example/"/>'
        b'</foreignObject><rect width="5"/>',
        b'<rect width="5"><set attributeName="href" to="javascript:alert(1)"/></rect>',
    ],
)
def test_an_svg_logo_loses_scripts_event_handlers_and_references_to_other_addresses(hostile):
    clean = sanitise_svg(SVG % hostile).decode()
    for bad in (
        "script",
        "onload",
        "onclick",
        "evil.example",
        "javascript",
        "<a ",
        "style>",
        "foreignObject",
        "iframe",
        "<set",
        "<image",
    ):
        assert bad not in clean
    assert "<rect" in clean  # the drawing itself stays


def test_an_svg_keeps_its_drawing_and_references_inside_itself():
    source = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        b'viewBox="0 0 20 10"><title>CCIN</title><defs><linearGradient id="g"><stop offset="0" '
        b'stop-color="#1d4f91"/></linearGradient></defs><path d="M0 0h20v10z" fill="url(#g)"/>'
        b'<use xlink:href="#g"/><text x="1" y="9">CCIN <tspan>logo</tspan></text></svg>'
    )
    clean = sanitise_svg(source).decode()
    for kept in (
        'fill="url(#g)"',
        'xlink:href="#g"',
        "<title>CCIN</title>",
        'd="M0 0h20v10z"',
        "<tspan>logo</tspan>",
        'stop-color="#1d4f91"',
    ):
        assert kept in clean


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<!DOCTYPE svg [<!ENTITY x "boom">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
            "entities",
        ),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>", "could not be read"),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"><svg/></html>', "not an SVG drawing"),
        (SVG % b"<script>alert(1)</script>", "draws nothing"),
    ],
)
def test_an_svg_that_cannot_be_made_safe_is_refused_with_a_reason(data, message):
    with pytest.raises(LogoError, match=message):
        sanitise_svg(data)


def _png(width: int, height: int, **info) -> bytes:
    out = io.BytesIO()
    from PIL import PngImagePlugin

    meta = PngImagePlugin.PngInfo()
    for key, value in info.items():
        meta.add_text(key, value)
    Image.new("RGB", (width, height), (29, 79, 145)).save(out, format="PNG", pnginfo=meta)
    return out.getvalue()


def test_a_png_logo_is_written_afresh_without_its_metadata():
    logo = clean_logo(_png(40, 20, Comment="<script>alert(1)</script>"), "logo.png")
    assert logo.content_type == "image/png"
    assert b"script" not in logo.data
    with Image.open(io.BytesIO(logo.data)) as image:
        assert image.size == (40, 20)


def test_a_huge_png_or_another_kind_of_file_is_refused():
    with pytest.raises(LogoError, match=f"at most {MAX_PNG_SIDE} pixels"):
        clean_logo(_png(MAX_PNG_SIDE + 1, 10), "wide.png")
    jpeg = io.BytesIO()
    Image.new("RGB", (10, 10)).save(jpeg, format="JPEG")
    with pytest.raises(LogoError, match="must be an SVG or a PNG"):
        clean_logo(jpeg.getvalue(), "photo.jpg")
    with pytest.raises(LogoError, match="must be an SVG or a PNG"):
        clean_logo(b"%PDF-1.4 not a picture", "logo.png")
