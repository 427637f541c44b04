"""Server-rendered SVG bar charts: valid, labelled, escaped, self-contained and readable."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from induction.reports.charts import NARROW, WIDE, Bar, bar_chart_svg

SVG = "{http://www.w3.org/2000/svg}"

BARS = [
    Bar("What is our Co-operative Difference?", 7, total=10),
    Bar("How does the CCIN operate?", 3, total=12, note="2 overdue"),
    Bar("Benefits of membership", 0, total=0),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def chart(bars: list[Bar] | None = None, **options: object) -> str:
    return bar_chart_svg(
        "Completion by module",
        "Learners who passed each module.",
        BARS if bars is None else bars,
        **options,  # type: ignore[arg-type]
    )


def test_parses_and_is_a_labelled_image() -> None:
    root = parse(chart(chart_id="modules"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert re.fullmatch(r"0 0 \d+(\.\d)? \d+(\.\d)?", root.get("viewBox", ""))
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert title.text == "Completion by module"
    assert (desc.text or "").startswith("Learners who passed each module.")
    assert root.get("aria-labelledby") == "modules-title modules-desc"
    assert title.get("id") == "modules-title"
    assert desc.get("id") == "modules-desc"


def test_ids_are_unique_and_prefixed_so_two_charts_can_share_a_page() -> None:
    page = f"<div>{chart(chart_id='first')}{chart(chart_id='second')}</div>"
    ids = [el.get("id") for el in ET.fromstring(page).iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(("first", "second")) for i in ids)


def test_each_bar_prints_its_label_and_numbers() -> None:
    root = parse(chart())
    printed = texts(root)
    assert printed.count("What is our Co-operative Difference?") == 1
    assert printed.count("7 of 10 (70%)") == 1
    assert printed.count("3 of 12 (25%)") == 1
    assert printed.count("0 of 0") == 1
    assert "2 overdue" in printed
    assert len(root.findall(f".//{SVG}rect")) == 2  # a zero value draws no bar
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    # The data is in the description too: role="img" hides the inner text from screen readers.
    assert "What is our Co-operative Difference?: 7 of 10 (70%)." in (desc.text or "")
    assert "How does the CCIN operate?: 3 of 12 (25%), 2 overdue." in (desc.text or "")


def test_bar_lengths_follow_the_values() -> None:
    root = parse(
        chart([Bar("a", 100, total=100), Bar("b", 50, total=100), Bar("c", 1, total=1000)])
    )
    widths = [float(r.get("width", "0")) for r in root.iter(f"{SVG}rect")]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.1)
    assert 0 < widths[2] < 3  # tiny but visible


@pytest.mark.parametrize(
    ("bars", "options", "printed"),
    [
        ([Bar("a", 70)], {}, ["70%"]),
        ([Bar("a", 12.5)], {}, ["12.5%"]),
        ([Bar("a", 1234)], {"unit": "learners"}, ["1,234 learners"]),
        ([Bar("a", 5)], {"unit": ""}, ["5"]),
        # To the nearest, as every report's percentage (whole_percent); never 0 or 100
        # short of the ends.
        ([Bar("a", 2, total=3)], {}, ["2 of 3 (67%)"]),
        ([Bar("a", 1, total=15)], {}, ["1 of 15 (7%)"]),
        ([Bar("a", 199, total=200)], {}, ["199 of 200 (99%)"]),
        ([Bar("a", 1, total=300)], {}, ["1 of 300 (1%)"]),
    ],
)
def test_value_texts(bars: list[Bar], options: dict[str, object], printed: list[str]) -> None:
    assert texts(parse(chart(bars, **options)))[1:] == printed


def test_percent_bars_scale_to_100_and_counts_to_the_largest() -> None:
    def widths(svg: str) -> list[float]:
        return [float(r.get("width", "0")) for r in parse(svg).iter(f"{SVG}rect")]

    half, full = widths(chart([Bar("a", 50), Bar("b", 100)]))
    assert half == pytest.approx(full / 2, abs=0.1)
    # Alone, 50% still fills only half the room: percentages are out of 100, not the largest.
    alone = parse(chart([Bar("a", 50), Bar("b", 25)]))
    view_width = float(alone.get("viewBox", "").split()[2])
    assert widths(ET.tostring(alone, encoding="unicode"))[0] < 0.55 * view_width
    counts = widths(chart([Bar("a", 4), Bar("b", 8)], unit="people"))
    assert counts[0] == pytest.approx(counts[1] / 2, abs=0.1)
    assert widths(chart([Bar("a", 4)], unit="people", max_value=16))[0] == pytest.approx(
        counts[1] / 4, abs=0.1
    )


def test_hostile_labels_come_out_as_text() -> None:
    hostile = [
        Bar('<script>alert("x")</script>', 1, total=2),
        Bar("]]><img src=x onerror=alert(1)> & \"quotes\" 'apos'", 2, total=2),
        Bar("control \x00\x1b\x07 chars", 0, total=2, note="<b>note</b>"),
    ]
    svg = bar_chart_svg("<title>", "a & b </desc>", hostile, chart_id="evil")
    root = parse(svg)
    printed = texts(root)
    assert '<script>alert("x")</script>' in printed
    assert "]]><img src=x onerror=alert(1)> & \"quotes\" 'apos'" in printed
    assert "<b>note</b>" in printed
    assert "control \ufffd\ufffd\ufffd chars" in printed
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == "<title>"
    assert "<script" not in svg
    assert "<img" not in svg
    assert_self_contained(root)


def assert_self_contained(root: ET.Element) -> None:
    """No scripts, styles, event handlers, links or external references anywhere."""
    allowed = {"svg", "title", "desc", "g", "text", "rect"}
    for el in root.iter():
        assert el.tag.removeprefix(SVG) in allowed
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on")
            assert "href" not in name.lower()
            assert name != "style"
            assert "url(" not in value
            assert "javascript:" not in value.lower()


def test_self_contained_and_font_sizes_readable() -> None:
    root = parse(chart())
    assert_self_contained(root)
    sizes = [float(t.get("font-size", "0")) for t in root.iter(f"{SVG}text")]
    assert sizes
    assert min(sizes) >= 12


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(colour: str) -> float:
    return 1.05 / (relative_luminance(colour) + 0.05)


def test_colours_have_enough_contrast_against_white() -> None:
    root = parse(chart())
    text_fills = {t.get("fill") for t in root.iter(f"{SVG}text")}
    bar_fills = {r.get("fill") for r in root.iter(f"{SVG}rect")}
    assert text_fills
    assert bar_fills
    for fill in text_fills:
        assert fill is not None
        assert contrast_with_white(fill) >= 4.5, fill
    for fill in bar_fills:
        assert fill is not None
        assert contrast_with_white(fill) >= 3, fill


def test_contrast_helper_matches_known_values() -> None:
    assert contrast_with_white("#000000") == pytest.approx(21)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)


def test_output_is_deterministic() -> None:
    assert chart() == chart()


def test_long_labels_wrap_and_keep_the_full_text() -> None:
    label = "A module about the values and principles of co-operative councils " * 4
    root = parse(chart([Bar(label, 10)]))
    printed = texts(root)
    label_lines = printed[:-1]
    assert 1 < len(label_lines) <= 3
    assert printed[-1] == "10%"
    assert label_lines[-1].endswith("…")
    group_title = root.find(f"{SVG}g/{SVG}title")
    assert group_title is not None
    assert group_title.text == label.strip()


def test_no_bars_says_no_data_yet() -> None:
    svg = bar_chart_svg("Completion by module", "Nothing to show.", [], chart_id="empty")
    root = parse(svg)
    assert texts(root) == ["No data yet"]
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "empty-title empty-desc"
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert desc.text == "Nothing to show. No data yet."
    assert root.find(f".//{SVG}rect") is None
    assert len(svg) < 600


@pytest.mark.parametrize("chart_id", ["", "1chart", 'x" onload="alert(1)', "a b"])
def test_unsafe_chart_ids_are_refused(chart_id: str) -> None:
    with pytest.raises(ValueError, match="chart id"):
        chart(chart_id=chart_id)


@pytest.mark.parametrize(
    ("bars", "options"),
    [
        ([Bar("a", float("nan"))], {}),
        ([Bar("a", 1, total=float("inf"))], {}),
        ([Bar("a", 1)], {"max_value": 0}),
        ([Bar("a", 1)], {"max_value": float("nan")}),
    ],
)
def test_impossible_numbers_are_refused(bars: list[Bar], options: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="finite|positive"):
        chart(bars, **options)


def test_values_beyond_the_scale_are_clamped() -> None:
    root = parse(chart([Bar("over", 15, total=10), Bar("under", -3)]))
    widths = [float(r.get("width", "0")) for r in root.iter(f"{SVG}rect")]
    view_width = float(root.get("viewBox", "").split()[2])
    assert len(widths) == 1  # the negative value draws no bar
    assert widths[0] <= view_width
    assert "15 of 10 (150%)" in texts(root)
    assert "-3%" in texts(root)


def test_a_narrow_drawing_wraps_its_labels_to_its_own_width() -> None:
    label = "Quizzes, certificates and your team: what the platform keeps for you"
    wide = parse(chart([Bar(label, 3, total=19)], chart_id="wide"))
    narrow = parse(chart([Bar(label, 3, total=19)], chart_id="narrow", width=NARROW))
    assert float(wide.get("viewBox", "").split()[2]) == WIDE
    assert float(narrow.get("viewBox", "").split()[2]) == NARROW
    # The same words, in more lines; no line longer than the narrow drawing holds.
    wide_lines, narrow_lines = texts(wide)[:-1], texts(narrow)[:-1]
    assert len(wide_lines) == 1 and len(narrow_lines) > 1
    assert " ".join(narrow_lines) == label
    assert all(len(line) * 14 * 0.62 <= NARROW for line in narrow_lines)
    # The bar and its value fit inside the narrow drawing.
    bar = next(narrow.iter(f"{SVG}rect"))
    assert float(bar.get("width", "0")) <= NARROW * 0.6
    assert texts(narrow)[-1] == "3 of 19 (16%)"  # 15.8%, to the nearest


def test_a_class_for_the_stylesheet_goes_on_the_svg_alone() -> None:
    root = parse(chart(chart_id="modules", css_class="chart__narrow"))
    assert root.get("class") == "chart__narrow"
    assert parse(chart()).get("class") is None
    assert 'class="x&quot; onload' in chart(css_class='x" onload')  # escaped, never markup


def test_each_report_chart_comes_wide_and_narrow_with_ids_of_its_own() -> None:
    from induction.reports.page_charts import _drawn_twice

    both = ET.fromstring(f"<div>{_drawn_twice('Title', 'What it shows.', BARS, 'modules')}</div>")
    drawings = list(both)
    assert [d.get("class") for d in drawings] == ["chart__wide", "chart__narrow"]
    assert [d.get("id") for d in drawings] == ["modules", "modules-narrow"]
    assert [float(d.get("viewBox", "").split()[2]) for d in drawings] == [WIDE, NARROW]
    ids = [el.get("id") for el in both.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    # The same words for assistive technology in both: whichever the screen shows.
    assert [texts(d) for d in drawings][0][-1] == texts(drawings[1])[-1]
    descs = [d.find(f"{SVG}desc") for d in drawings]
    assert descs[0] is not None and descs[1] is not None
    assert descs[0].text == descs[1].text
