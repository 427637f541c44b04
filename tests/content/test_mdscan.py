"""Finding links, images and raw HTML in Markdown source, at the right lines."""

from __future__ import annotations

from induction.content.mdscan import LinkRef, scan


def links(markdown: str, first_line: int = 1) -> list[tuple[int, str, bool, str]]:
    return [(r.line, r.url, r.is_image, r.text) for r in scan(markdown, first_line).links]


def test_inline_links_and_images_with_their_lines() -> None:
    source = 'Intro.\n\nSee [the EOC](02-governance.md#eoc).\n![A chart](../media/c.png "Title")\n'
    assert links(source, first_line=7) == [
        (9, "02-governance.md#eoc", False, "the EOC"),
        (10, "../media/c.png", True, "A chart"),
    ]


def test_a_link_over_two_lines_is_found_at_its_url() -> None:
    assert links("A [long\nlink text](03-x.md) here.") == [(2, "03-x.md", False, "long\nlink text")]


def test_urls_with_angle_brackets_and_parentheses() -> None:
    assert links("[a](<my file.md>) [b](page_(1).md)") == [
        (1, "my file.md", False, "a"),
        (1, "page_(1).md", False, "b"),
    ]


def test_reference_links_and_images_resolve_through_their_definitions() -> None:
    source = (
        "[Full][ref], [Ref][], [ref] and ![Pic][img].\n\n"
        '[ref]: 04-x.md#y "T"\n[IMG]: <../media/p.png>\n'
    )
    assert links(source) == [
        (1, "04-x.md#y", False, "Full"),
        (1, "04-x.md#y", False, "Ref"),
        (1, "04-x.md#y", False, "ref"),
        (1, "../media/p.png", True, "Pic"),
    ]


def test_brackets_without_a_definition_and_footnotes_are_not_links() -> None:
    assert links("A [note] and a footnote[^1] and a task [x].\n\n[^1]: Text.\n") == []


def test_an_image_inside_a_link() -> None:
    assert links("[![Logo](../media/logo.png)](https://example.org)") == [
        (1, "https://example.org", False, "![Logo](../media/logo.png)"),
        (1, "../media/logo.png", True, "Logo"),
    ]


def test_code_escapes_and_comments_are_not_read() -> None:
    source = (
        "`[a](code-span.md)` and \\[b](escaped.md)\n\n"
        "```\n[c](fenced.md)\n```\n\n"
        "    [d](indented.md)\n\n"
        "<!-- [e](commented.md)\n<script> -->\n"
        "[f](real.md)\n"
    )
    assert links(source) == [(11, "real.md", False, "f")]
    assert scan(source).warnings == ()


def test_indented_lines_in_lists_and_admonitions_are_not_code() -> None:
    source = "- item\n\n    [a](in-list.md)\n\n!!! note\n    [b](in-note.md)\n"
    assert [line for line, *_ in links(source)] == [3, 6]


def test_an_unclosed_fence_is_not_code() -> None:
    assert links("```\n[a](a.md)\n") == [(2, "a.md", False, "a")]


def test_raw_html_warnings_name_the_tag_and_line() -> None:
    source = (
        "Fine <kbd>Tab</kbd> and <https://auto.link> and 1 < 2.\n"
        "<script>x()</script>\n"
        '<img src="x.png">\n'
        '<span onclick="x()" style="color: red" data-x="1">s</span>\n'
        '<a href="javascript:alert(1)">j</a> <a href="02-x.md">raw</a>\n'
        "<marquee>old</marquee>\n"
    )
    found = [(line, message.split(":")[0]) for line, message in scan(source).warnings]
    assert found == [
        (2, "raw HTML <script> will be removed with its content"),
        (3, "raw HTML <img> is not checked and loses its source"),
        (4, "attribute 'data-x' on raw HTML <span> will be removed"),
        (4, "event handler 'onclick' on raw HTML <span> will be removed"),
        (4, "the style attribute on raw HTML <span> will be removed"),
        (5, "raw HTML link to '02-x.md' is not checked or rewritten"),
        (5, "the URL 'javascript"),
        (6, "raw HTML <marquee> will be removed (its text stays)"),
    ]


def test_heading_attributes_other_than_an_anchor_are_warned_about() -> None:
    warnings = scan("## Fine {#fine}\n\n## Styled {#styled .big data-x=1}\n").warnings
    assert [(line, message.split(":")[0]) for line, message in warnings] == [
        (3, "heading attribute '.big' will be removed"),
        (3, "heading attribute 'data-x=1' will be removed"),
    ]


def test_link_refs_are_plain_values() -> None:
    assert scan("[a](b.md)").links == (LinkRef(1, "b.md", False, "a"),)
