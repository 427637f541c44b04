"""Finding links, images, raw HTML and heading attributes in Markdown source, with their lines.

The renderer knows what a link becomes but not where it was written; this
scanner reads the source the way Python-Markdown does closely enough to give
every link and image its line, and skips what Markdown does not read as
Markdown: fenced and indented code, code spans, backslash escapes and HTML
comments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from induction.content import sanitize


@dataclass(frozen=True)
class LinkRef:
    """A link or image as written: `[text](url)`, `![alt](url)` or their reference forms."""

    line: int
    url: str
    is_image: bool
    text: str  # the link text, or the image's alt text


@dataclass(frozen=True)
class Scan:
    links: tuple[LinkRef, ...]
    warnings: tuple[tuple[int, str], ...]  # (line, message) about HTML that will be removed


_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})")
_CONTAINER = re.compile(r" {0,3}(?:[-+*]|\d+[.)])\s|!!!|\[\^[^\]]+\]:|:\s")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()#+\-.!<>:|\"']")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_REF_DEF = re.compile(
    r"^ {0,3}\[(?!\^)(?P<label>[^\]]+)\]:[ \t]*(?:<(?P<angled>[^>\n]*)>|(?P<url>\S+))[^\n]*$",
    re.MULTILINE,
)
_TEXT = r"(?:[^\[\]\n]|\n(?![ \t]*\n)|\[(?:[^\[\]\n]|\n(?![ \t]*\n))*\])*"
_INLINE = re.compile(
    r"(?P<bang>!?)\[(?P<text>" + _TEXT + r")\]\("
    r"[ \t]*\n?[ \t]*(?P<url><[^<>\n]*>|(?:[^\s()]|\([^\s()]*\))*)"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"
)
_REFERENCE = re.compile(
    r"(?P<bang>!?)\[(?P<text>" + _TEXT + r")\](?:[ ]?\[(?P<label>[^\[\]\n]*)\])?"
)
_HEADING_ATTRS = re.compile(r"^ {0,3}#{1,6}[ \t].*?\{:?(?P<attrs>[^{}]*)\}[ \t]*$", re.MULTILINE)
_TAG = re.compile(
    r"<(?P<close>/?)(?P<tag>[A-Za-z][A-Za-z0-9-]*)"
    r"(?P<attrs>(?:\s+[^\s\"'<>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*/?>"
)
_ATTR = re.compile(
    r"(?P<name>[^\s\"'<>/=]+)(?:\s*=\s*(?P<value>\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?"
)
_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.-]*):")


def url_scheme(url: str) -> str | None:
    """Return the lowercase scheme of `url` (`https`, `javascript`...), or None when it has none."""
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


def _blank(text: str) -> str:
    """Return `text` with every character but newlines replaced by a space (keeps line numbers)."""
    return re.sub(r"[^\n]", " ", text)


def code_lines(lines: list[str]) -> list[bool]:
    """Return, for each line, whether Markdown reads it as code (fenced or indented) or a fence."""
    code = [False] * len(lines)
    index = 0
    while index < len(lines):
        match = _FENCE_OPEN.match(lines[index])
        if match:
            fence = match.group(1)
            closing = next(
                (j for j in range(index + 1, len(lines)) if lines[j].rstrip() == fence), None
            )
            if closing is not None:
                # Python-Markdown only reads a fence that is closed by the same fence.
                for j in range(index, closing + 1):
                    code[j] = True
                index = closing + 1
                continue
        index += 1
    previous_blank = True
    in_container = False
    in_code = False
    for index, line in enumerate(lines):
        if code[index]:
            previous_blank, in_container, in_code = True, False, False
            continue
        if not line.strip():
            previous_blank = True
            continue
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
        if indent >= 4:
            if in_code or (previous_blank and not in_container):
                in_code = True
                code[index] = True
        else:
            in_code = False
            starts_container = _CONTAINER.match(line) is not None
            in_container = starts_container or (in_container and not previous_blank)
        previous_blank = False
    return code


def _clean_line(line: str) -> str:
    line = line.replace("\\\\", "  ").replace("\\`", "  ")
    line = _CODE_SPAN.sub(lambda m: _blank(m.group(0)), line)
    return _ESCAPE.sub("  ", line)


def clean_text(markdown: str) -> str:
    """Return `markdown` with code, code spans, escapes and HTML comments blanked out.

    The result has the same lines as the input, so match positions give line numbers.
    """
    lines = markdown.split("\n")
    mask = code_lines(lines)
    cleaned = "\n".join(
        "" if is_code else _clean_line(line) for line, is_code in zip(lines, mask, strict=True)
    )
    return _COMMENT.sub(lambda m: _blank(m.group(0)), cleaned)


def _normalise_label(label: str) -> str:
    return " ".join(label.split()).casefold()


def scan(markdown: str, first_line: int = 1) -> Scan:
    """Return the links, images and HTML warnings of `markdown`, first line `first_line`."""
    text = clean_text(markdown)
    warnings: list[tuple[int, str]] = []

    def line_of(position: int) -> int:
        return first_line + text.count("\n", 0, position)

    warnings.extend((line_of(pos), message) for pos, message in _html_warnings(text))
    warnings.extend((line_of(pos), message) for pos, message in _heading_warnings(text))

    definitions: dict[str, tuple[str, int]] = {}
    for match in _REF_DEF.finditer(text):
        url = match.group("angled") if match.group("angled") is not None else match.group("url")
        definitions.setdefault(_normalise_label(match.group("label")), (url, match.start()))
    text = _REF_DEF.sub(lambda m: _blank(m.group(0)), text)

    found: list[tuple[int, LinkRef]] = []
    _find_inline(text, 0, found, line_of)
    without_inline = _INLINE.sub(lambda m: _blank(m.group(0)), text)
    for match in _REFERENCE.finditer(without_inline):
        label = match.group("label")
        key = _normalise_label(label or match.group("text"))
        if key.startswith("^") or key not in definitions:
            continue
        url, _ = definitions[key]
        ref = LinkRef(line_of(match.start()), url, bool(match.group("bang")), match.group("text"))
        found.append((match.start(), ref))
    found.sort(key=lambda item: item[0])
    return Scan(tuple(ref for _, ref in found), tuple(sorted(warnings)))


def _find_inline(
    text: str,
    offset: int,
    found: list[tuple[int, LinkRef]],
    line_of: Callable[[int], int],
) -> None:
    """Append every inline link and image in `text` (recursing into link texts) to `found`."""
    for match in _INLINE.finditer(text):
        url = match.group("url")
        if url.startswith("<") and url.endswith(">"):
            url = url[1:-1]
        position = offset + match.start("url")
        ref = LinkRef(line_of(position), url, bool(match.group("bang")), match.group("text"))
        found.append((offset + match.start(), ref))
        # An image inside a link's text: [![alt](../media/x.png)](https://example.org)
        _find_inline(match.group("text"), offset + match.start("text"), found, line_of)


def _html_warnings(text: str) -> list[tuple[int, str]]:
    """Return (position, message) for raw HTML that the sanitizer will remove or change."""
    warnings: list[tuple[int, str]] = []
    for match in _TAG.finditer(text):
        if match.group("close"):
            continue
        tag = match.group("tag").lower()
        where = match.start()
        if tag in sanitize.REMOVED_WITH_CONTENT:
            warnings.append(
                (where, f"raw HTML <{tag}> will be removed with its content: delete it")
            )
            continue
        if tag not in sanitize.ALLOWED_TAGS:
            warnings.append(
                (where, f"raw HTML <{tag}> will be removed (its text stays): use Markdown instead")
            )
            continue
        if tag == "img":
            warnings.append(
                (where, "raw HTML <img> is not checked and loses its source: "
                 "write ![alt text](../media/file.png) instead")
            )  # fmt: skip
            continue
        for attr in _ATTR.finditer(match.group("attrs")):
            message = _attribute_warning(tag, attr.group("name").lower(), attr.group("value"))
            if message:
                warnings.append((where, message))
    return warnings


def _attribute_warning(tag: str, name: str, value: str | None) -> str | None:
    if name.startswith("on"):
        return (
            f"event handler '{name}' on raw HTML <{tag}> will be removed: "
            "course pages run no scripts, delete it"
        )
    if name == "style":
        return (
            f"the style attribute on raw HTML <{tag}> will be removed: "
            "inline styles are not allowed"
        )
    if not sanitize.is_allowed_attribute(tag, name):
        return f"attribute '{name}' on raw HTML <{tag}> will be removed: delete it"
    url = (value or "").strip("\"'")
    if name in ("href", "src"):
        scheme = url_scheme(url)
        if scheme is not None and scheme not in sanitize.URL_SCHEMES:
            return (
                f"the URL '{url}' on raw HTML <{tag}> will be removed: "
                "only http, https and mailto links are allowed"
            )
        if tag == "a" and scheme is None and not url.startswith("#"):
            return (
                f"raw HTML link to '{url}' is not checked or rewritten: "
                f"write it in Markdown, [text]({url})"
            )
    return None


def _heading_warnings(text: str) -> list[tuple[int, str]]:
    warnings: list[tuple[int, str]] = []
    for match in _HEADING_ATTRS.finditer(text):
        for token in match.group("attrs").split():
            if not token.startswith("#"):
                warnings.append(
                    (
                        match.start(),
                        f"heading attribute '{token}' will be removed: a heading takes only "
                        "an anchor, like {#eoc}",
                    )
                )
    return warnings
