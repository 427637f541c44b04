"""Markdown to sanitized HTML, with links rewritten and results cached.

Two conventions keep authors' material off learners' pages: notes for authors (an
HTML comment, or an `!!! authors` block) are removed, and a final `## Sources`
section is folded into a "Sources" disclosure (`<details>`) closed by default.

One `Renderer` is meant to live as long as the app: reloading a courses folder
re-reads the files but renders only what changed. A result is cached under
(content hash, `Links.key`, kind) together with every link rewrite it made;
it is reused only while the same links still rewrite the same way, so
renaming a lesson that another lesson links to re-renders the linking lesson.

A picture the caller's `PictureRule` says is shrunk on some screen becomes a link to
the address the rule gives (the app's page that shows it at full size), so a reader can
open it; the rule's answers are kept with the result too, so replacing a picture with a
wider one, or the same text in another lesson, renders the page again.
"""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import markdown
from markdown.treeprocessors import Treeprocessor

from induction.content import budget, sanitize
from induction.content.limits import Limits, shape_problems
from induction.content.model import Heading
from induction.content.source import text_hash
from induction.content.urls import DefaultLinks, Links

# (url as written, is_image) -> the URL to use instead, or None to keep it as written.
Resolver = Callable[[str, bool], str | None]
# A picture's URL (as resolved) -> the address its link opens (a page that shows it at full
# size) when it is wider than it may be shown, or None to leave it as it is.
PictureRule = Callable[[str], str | None]

PICTURE_LINK_CLASS = "picture-link"
PICTURE_LINK_TEXT = "Open the picture full size"

EXTENSIONS = (
    "tables",
    "fenced_code",
    "attr_list",
    "admonition",
    "toc",
    "sane_lists",
    "footnotes",
    "def_list",
    "abbr",
)
# Alignment as an attribute, not a style: the app's Content-Security-Policy forbids inline styles.
EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}

BLOCK = "block"
INLINE = "inline"
# Text longer than this is timed in a child process before it is rendered here, unless it
# already was (the loader times every file at once); shorter text within the limits is quick.
TIMED_ABOVE_CHARS = 2_000

# What would start a block (heading, quote, list, admonition, rule) at the start of inline
# text; escaping its first character keeps an option such as "1. None of these" plain text.
_BLOCK_START = re.compile(
    r"(?P<char>#{1,6}|>|[-+*]|!!!)(?=\s|$)|>|\d+(?P<num>[.)])(?=\s|$)|(?P<rule>[-*_])(?=[-*_ ]*$)"
)


@dataclass(frozen=True)
class Rendered:
    """The HTML of one piece of Markdown and the headings it contains (in document order)."""

    html: str
    headings: tuple[Heading, ...]


@dataclass(frozen=True)
class _Entry:
    rendered: Rendered
    rewrites: tuple[tuple[str, bool, str | None], ...]
    pictures: tuple[tuple[str, str | None], ...] = ()  # (resolved URL, what its link opens)


class _LinkRewriter(Treeprocessor):
    """Rewrites every link and image URL through the current resolver, recording each rewrite."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.resolve: Resolver | None = None
        self.pictures: PictureRule | None = None
        self.rewrites: list[tuple[str, bool, str | None]] = []
        self.image_sources: set[str] = set()
        self.picture_links: list[tuple[str, str | None]] = []

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and "href" in element.attrib:
                self._rewrite(element, "href", is_image=False)
            elif element.tag == "img" and "src" in element.attrib:
                self._rewrite(element, "src", is_image=True)
        if self.pictures is not None:
            self._link_pictures(root, self.pictures)

    def _link_pictures(self, root: ET.Element, rule: PictureRule) -> None:
        """Put each picture the rule picks inside a link to the address the rule gives, with
        words that say what the link does: `<a class="picture-link" href=PAGE><img ...>
        <span>Open the picture full size</span></a>`. Only the course's own files (sources
        the resolver gave) are asked about: never another host, never a `javascript:` URL.
        A picture that is already a link is left alone."""
        in_links = {id(inner) for link in root.iter("a") for inner in link.iter()}
        for parent in list(root.iter()):
            if id(parent) in in_links:
                continue
            for index, child in enumerate(list(parent)):
                source = child.get("src", "")
                if child.tag != "img" or source not in self.image_sources:
                    continue
                page = rule(source)
                self.picture_links.append((source, page))
                if page is None:
                    continue
                link = ET.Element("a", {"class": PICTURE_LINK_CLASS, "href": page})
                link.tail, child.tail = child.tail, None
                parent.remove(child)
                link.append(child)
                ET.SubElement(link, "span").text = PICTURE_LINK_TEXT
                parent.insert(index, link)

    def _rewrite(self, element: ET.Element, attribute: str, is_image: bool) -> None:
        url = element.attrib[attribute]
        new = self.resolve(url, is_image) if self.resolve is not None else None
        self.rewrites.append((url, is_image, new))
        if new is not None:
            element.attrib[attribute] = new
            if is_image:
                self.image_sources.add(new)


AUTHORS_BLOCK = "authors"  # `!!! authors`: a note for authors, never shown to learners
SOURCES_TITLE = "sources"  # a final level-2 heading with this text (any case) is folded


class _AuthorsAndSources(Treeprocessor):
    """Removes `!!! authors` blocks and folds a final "Sources" section into a <details>.

    (HTML comments need no step here: the sanitizer strips every comment.)
    """

    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "div" and AUTHORS_BLOCK in child.get("class", "").split():
                    parent.remove(child)
        _fold_sources(root)


def _fold_sources(root: ET.Element) -> None:
    children = list(root)
    headings = [i for i, child in enumerate(children) if child.tag == "h2"]
    if not headings:
        return
    start = headings[-1]
    heading = children[start]
    title = " ".join("".join(heading.itertext()).split())
    if title.lower() != SOURCES_TITLE:
        return
    end = start + 1
    # Footnotes stay outside: they belong to the whole lesson.
    while end < len(children) and "footnote" not in children[end].get("class", "").split():
        end += 1
    details = ET.Element("details", {"class": "sources"})
    if heading.get("id"):
        details.set("id", heading.get("id", ""))
    summary = ET.SubElement(details, "summary")
    summary.text = title
    for child in children[start + 1 : end]:
        root.remove(child)
        details.append(child)
    index = list(root).index(heading)
    root.remove(heading)
    root.insert(index, details)


class Renderer:
    """Renders Markdown to sanitized HTML through a `Links` scheme, with a bounded cache.

    Thread-safe: one Markdown instance is shared under a lock. Text that breaks the
    `limits` (see `induction.content.limits`) or does not render within their time
    budget is never given to Markdown: it is shown as plain, escaped text.
    """

    def __init__(
        self, links: Links | None = None, max_entries: int = 5000, limits: Limits | None = None
    ) -> None:
        self.links: Links = links if links is not None else DefaultLinks()
        self.limits = limits if limits is not None else Limits()
        self.max_entries = max_entries
        self.conversions = 0  # Markdown conversions done, for tests and benchmarks
        self._cache: OrderedDict[tuple[str, str, str, bool], _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._md = markdown.Markdown(
            extensions=list(EXTENSIONS), extension_configs=EXTENSION_CONFIGS, output_format="html"
        )
        self._rewriter = _LinkRewriter(self._md)
        # After inline patterns (20) and the table of contents (5): every link exists by then.
        self._md.treeprocessors.register(self._rewriter, "induction_links", 1)
        # After the table of contents (5) and footnotes (50), before links are rewritten.
        self._md.treeprocessors.register(_AuthorsAndSources(self._md), "induction_authors", 3)

    def render(
        self,
        text: str,
        kind: str = BLOCK,
        resolve: Resolver | None = None,
        pictures: PictureRule | None = None,
    ) -> Rendered:
        """Return the sanitized HTML of `text` and its headings.

        `kind` is `"block"` (paragraphs, lists, headings) or `"inline"` (one line of
        text, no wrapping paragraph, no headings). `resolve` rewrites link and image
        URLs (see `Resolver`); an image whose URL it does not rewrite loses its source.
        `pictures` picks the pictures to link to a page of their own and gives its
        address (see `PictureRule`); None links none. Raises `ValueError` for an unknown kind.
        """
        if kind not in (BLOCK, INLINE):
            raise ValueError(f"unknown render kind {kind!r}")
        key = (text_hash(text), self.links.key, kind, pictures is not None)
        with self._lock:
            entry = self._cache.get(key)
            if entry is not None and _still_valid(entry, resolve, pictures):
                self._cache.move_to_end(key)
                return entry.rendered
            entry = self._convert(text, kind, resolve, pictures)
            self._cache[key] = entry
            self._cache.move_to_end(key)
            while len(self._cache) > self.max_entries:
                self._cache.popitem(last=False)
            return entry.rendered

    def slow(self, texts: list[str]) -> set[int]:
        """Return the indexes of the `texts` that Markdown does not render within the budget.

        Only text longer than TIMED_ABOVE_CHARS is timed (in a child process, see
        `budget`): shorter text within the limits renders in well under a second.
        """
        timed = [index for index, text in enumerate(texts) if len(text) > TIMED_ABOVE_CHARS]
        if not timed:
            return set()
        slow = budget.slow_texts(
            [texts[i] for i in timed], self.limits.render_seconds, EXTENSIONS, EXTENSION_CONFIGS
        )
        return {timed[i] for i in slow}

    def is_safe(self, text: str) -> bool:
        """Return True when `text` may be given to Markdown: within the limits and the budget."""
        if shape_problems(text, "", front_matter=False):
            return False
        return not self.slow([text])

    def render_inline(self, text: str, resolve: Resolver | None = None) -> str:
        """Return the sanitized inline HTML of one line of Markdown (no wrapping <p>)."""
        return self.render(text, INLINE, resolve).html

    def clear(self) -> None:
        """Forget every cached result."""
        with self._lock:
            self._cache.clear()

    def _convert(
        self, text: str, kind: str, resolve: Resolver | None, pictures: PictureRule | None
    ) -> _Entry:
        if not self.is_safe(text):
            escaped = html.escape(text.strip())
            return _Entry(Rendered(escaped if kind == INLINE else f"<p>{escaped}</p>", ()), ())
        self.conversions += 1
        md = self._md
        md.reset()
        rewriter = self._rewriter
        rewriter.resolve = resolve
        rewriter.pictures = pictures
        rewriter.rewrites = []
        rewriter.image_sources = set()
        rewriter.picture_links = []
        try:
            source = _escape_block_start(text.strip()) if kind == INLINE else text
            raw_html = md.convert(source)
            headings = _flatten(getattr(md, "toc_tokens", [])) if kind == BLOCK else ()
        finally:
            rewriter.resolve = None
            rewriter.pictures = None
        if kind == INLINE:
            raw_html = _unwrap_paragraph(raw_html)
        cleaned = sanitize.clean(raw_html, frozenset(rewriter.image_sources))
        return _Entry(
            Rendered(cleaned, headings), tuple(rewriter.rewrites), tuple(rewriter.picture_links)
        )


def _still_valid(entry: _Entry, resolve: Resolver | None, pictures: PictureRule | None) -> bool:
    for url, is_image, result in entry.rewrites:
        current = resolve(url, is_image) if resolve is not None else None
        if current != result:
            return False
    if pictures is not None:
        return all(pictures(source) == page for source, page in entry.pictures)
    return True


def _escape_block_start(text: str) -> str:
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    position = match.start("num") if match.group("num") else 0
    return text[:position] + "\\" + text[position:]


def _unwrap_paragraph(raw_html: str) -> str:
    stripped = raw_html.strip()
    if stripped.startswith("<p>") and stripped.endswith("</p>") and stripped.count("<p>") == 1:
        return stripped[3:-4]
    return stripped


def _flatten(tokens: list[dict[str, Any]]) -> tuple[Heading, ...]:
    headings: list[Heading] = []
    for token in tokens:
        text = html.unescape(token["name"])
        headings.append(Heading(level=int(token["level"]), text=text, anchor=token["id"]))
        headings.extend(_flatten(token.get("children", [])))
    return tuple(headings)
