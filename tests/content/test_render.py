"""Rendering: Markdown extensions, the sanitizer, link rewriting and the cache."""

from __future__ import annotations

import pytest

from induction.content import DefaultLinks, Renderer
from induction.content.model import Heading
from induction.content.render import INLINE


def media(url: str, is_image: bool) -> str | None:
    """A resolver that knows one image and one lesson."""
    if url == "../media/chart.png":
        return "/m/chart.png"
    if url == "02-next.md#part":
        return "/lessons/next#part"
    return None


@pytest.fixture
def renderer() -> Renderer:
    return Renderer()


@pytest.mark.parametrize(
    ("source", "removed"),
    [
        ("<script>alert('x')</script>", ["<script", "alert("]),
        ('<img src="x.png" onerror="alert(1)">', ["onerror", "alert("]),
        ('<span onclick="steal()">hi</span>', ["onclick", "steal"]),
        ("[click](javascript:alert(1))", ["javascript:"]),
        ('<a href="javascript:alert(1)">x</a>', ["javascript:"]),
        ('<iframe src="https://evil.example"></iframe>', ["<iframe", "evil.example"]),
        ("<style>body { display: none }</style>", ["<style", "display"]),
        ('<p style="position: fixed">x</p>', ["style=", "fixed"]),
        ('<form action="/x"><input name="a"></form>', ["<form", "<input"]),
        ("<!-- a secret note -->", ["secret"]),
        ("![tracker](https://evil.example/pixel.gif)", ["evil.example"]),
        ('<div class="admonition evil-class">x</div>', ["evil-class"]),
    ],
)
def test_dangerous_content_never_reaches_the_html(
    renderer: Renderer, source: str, removed: list[str]
) -> None:
    html = renderer.render(f"Text.\n\n{source}\n\nMore.").html
    for fragment in removed:
        assert fragment not in html
    assert "<p>Text.</p>" in html


def test_the_markdown_extensions_all_work(renderer: Renderer) -> None:
    source = (
        "## Title {#anchor}\n\n"
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n"
        '!!! warning "Careful"\n    Watch out.\n\n'
        "```python\nprint(1)\n```\n\n"
        "Term\n:   Definition.\n\n"
        "A note[^1] about HTML.\n\n"
        "*[HTML]: HyperText Markup Language\n"
        "[^1]: The note.\n"
    )
    html = renderer.render(source).html
    assert '<h2 id="anchor">Title</h2>' in html
    assert '<th align="left">a</th>' in html
    assert '<td align="right">2</td>' in html
    assert "style=" not in html  # alignment without inline styles (strict CSP)
    assert '<div class="admonition warning">' in html
    assert '<p class="admonition-title">Careful</p>' in html
    assert '<code class="language-python">' in html
    assert "<dt>Term</dt>" in html
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1"' in html
    assert '<li id="fn:1">' in html
    assert '<abbr title="HyperText Markup Language">HTML</abbr>' in html


def test_safe_raw_html_is_kept(renderer: Renderer) -> None:
    html = renderer.render(
        "Press <kbd>Tab</kbd>.\n\n<details><summary>More</summary>Hidden</details>"
    ).html
    assert "<kbd>Tab</kbd>" in html
    assert "<details><summary>More</summary>Hidden</details>" in html


def test_links_get_rel_noopener(renderer: Renderer) -> None:
    html = renderer.render("[CCIN](https://example.org/ccin)").html
    assert '<a href="https://example.org/ccin" rel="noopener noreferrer">CCIN</a>' in html


def test_links_and_images_are_rewritten_by_the_resolver(renderer: Renderer) -> None:
    html = renderer.render(
        "[Next](02-next.md#part) ![A chart](../media/chart.png)", resolve=media
    ).html
    assert 'href="/lessons/next#part"' in html
    assert '<img alt="A chart" src="/m/chart.png">' in html


def test_images_the_resolver_does_not_know_lose_their_source(renderer: Renderer) -> None:
    html = renderer.render("![Elsewhere](https://example.org/a.png)", resolve=media).html
    assert "example.org" not in html
    assert 'alt="Elsewhere"' in html


def test_headings_come_with_their_anchors_in_document_order(renderer: Renderer) -> None:
    rendered = renderer.render("# One\n\n## Two & *three* {#two}\n\n### One\n")
    assert rendered.headings == (
        Heading(1, "One", "one"),
        Heading(2, "Two & three", "two"),
        Heading(3, "One", "one_1"),
    )


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("Plain", "Plain"),
        ("*Yes*, `code`", "<em>Yes</em>, <code>code</code>"),
        ("1. None of these", "1. None of these"),
        ("- dash", "- dash"),
        ("# hash", "# hash"),
        ("> quote", "&gt; quote"),
        ("-5 degrees", "-5 degrees"),
    ],
)
def test_inline_rendering_has_no_wrapping_paragraph(
    renderer: Renderer, source: str, html: str
) -> None:
    assert renderer.render_inline(source) == html


def test_unknown_kind_is_refused(renderer: Renderer) -> None:
    with pytest.raises(ValueError, match="unknown render kind"):
        renderer.render("x", "page")


def test_the_same_text_is_rendered_once(renderer: Renderer) -> None:
    first = renderer.render("# Hello", resolve=media)
    again = renderer.render("# Hello", resolve=media)
    assert again is first
    assert renderer.conversions == 1
    renderer.render("# Hello", INLINE)
    assert renderer.conversions == 2  # the kind is part of the key


def test_a_link_that_now_resolves_differently_is_rendered_again(renderer: Renderer) -> None:
    renderer.render("[Next](02-next.md#part)", resolve=media)
    renamed = renderer.render(
        "[Next](02-next.md#part)", resolve=lambda url, img: "/lessons/renamed"
    )
    assert renderer.conversions == 2
    assert 'href="/lessons/renamed"' in renamed.html


def test_the_cache_is_bounded(renderer: Renderer) -> None:
    small = Renderer(max_entries=2)
    for text in ("a", "b", "c"):
        small.render(text)
    small.render("c")
    assert small.conversions == 3
    small.render("a")  # evicted as the least recently used
    assert small.conversions == 4


def test_clear_forgets_everything(renderer: Renderer) -> None:
    renderer.render("a")
    renderer.clear()
    renderer.render("a")
    assert renderer.conversions == 2


class OtherLinks:
    key = "other"

    def lesson(self, course_id: str, lesson_id: str, anchor: str | None = None) -> str:
        return f"/l/{course_id}/{lesson_id}" + (f"#{anchor}" if anchor else "")

    def quiz(self, course_id: str, module_id: str) -> str:
        return f"/q/{course_id}/{module_id}"

    def media(self, course_id: str, filename: str) -> str:
        return f"/m/{course_id}/{filename}"

    def picture(self, course_id: str, lesson_id: str, filename: str) -> str:
        return f"/p/{course_id}/{lesson_id}/{filename}"


def test_default_links() -> None:
    links = DefaultLinks()
    assert links.lesson("c", "l") == "/courses/c/lessons/l"
    assert links.lesson("c", "l", "sec") == "/courses/c/lessons/l#sec"
    assert links.quiz("c", "m") == "/courses/c/modules/m/quiz"
    assert links.media("c", "docs/a b.pdf") == "/courses/c/media/docs/a%20b.pdf"
    assert links.picture("c", "l", "docs/a b.svg") == "/courses/c/lessons/l/pictures/docs/a%20b.svg"


def test_a_renderer_keeps_the_links_it_was_given() -> None:
    assert isinstance(Renderer().links, DefaultLinks)
    assert isinstance(Renderer(OtherLinks()).links, OtherLinks)


def test_notes_for_authors_never_reach_the_html(renderer: Renderer) -> None:
    source = (
        "Before. <!-- inline note: lines 45 to 51 -->After.\n\n"
        "<!--\nA block note: Ask comms@example.org.\n-->\n\n"
        "!!! authors\n    Check this figure against the 2021 report.\n\n"
        "- An item. <!-- For\n  authors: text version -->\n- Another.\n\n"
        "!!! note\n    Learners see this.\n"
    )
    html = renderer.render(source).html
    for secret in ("lines 45", "comms@", "2021 report", "text version", "<!--", "authors"):
        assert secret not in html
    assert "Before. After." in html
    assert "<li>An item. </li>" in html  # the list stays tight: the comment is inline
    assert "Learners see this." in html  # other admonitions are kept


def test_a_final_sources_section_is_folded_into_a_disclosure(renderer: Renderer) -> None:
    source = (
        "Text.[^a]\n\n## Sources {#sources}\n\n- A report.\n- A page: <https://example.org>\n\n"
        "Checked in 2024.\n\n[^a]: A footnote.\n"
    )
    html = renderer.render(source).html
    before, details, after = html.partition('<details class="sources" id="sources">')
    assert details, html
    assert "<h2" not in html
    inside, _, rest = after.partition("</details>")
    assert inside.startswith("<summary>Sources</summary>")
    assert "A report." in inside and "Checked in 2024." in inside
    assert "A footnote." in rest and "A footnote." not in inside
    assert "Text." in before
    # The anchor still works as a link target and is still listed with the headings.
    assert [h.anchor for h in renderer.render(source).headings] == ["sources"]


@pytest.mark.parametrize(
    "source",
    [
        "## Sources\n\nx\n\n## After the sources\n\ny\n",  # not the last section
        "### Sources\n\nx\n",  # not a level-2 heading
        "## Sources of funding\n\nx\n",  # another title
    ],
)
def test_only_a_final_sources_heading_is_folded(renderer: Renderer, source: str) -> None:
    html = renderer.render(source).html
    assert "<details" not in html
    assert "Sources" in html
