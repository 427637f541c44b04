"""The HTML allow-list: what may reach a browser from a course file, and the cleaning itself.

Rendered Markdown passes through nh3 with this allow-list whoever wrote the
file. The same lists tell the checker which raw HTML in a source file will be
removed, so it can warn at the right line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

import nh3

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
        "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
        "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip

# Removed together with everything inside them, not just the tags.
REMOVED_WITH_CONTENT: frozenset[str] = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
     "textarea", "select", "title"}
)  # fmt: skip

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")

ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title", "class"}),
    "abbr": frozenset({"title"}),
    "img": frozenset({"src", "alt", "title"}),
    "div": frozenset({"class"}),
    "p": frozenset({"class"}),
    "code": frozenset({"class"}),
    "li": frozenset({"id"}),
    "sup": frozenset({"id"}),
    "ol": frozenset({"start"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan"}),
    "details": frozenset({"open", "id", "class"}),
    **{tag: frozenset({"id"}) for tag in _HEADINGS},
}

# Attributes limited to a few values (kept out of ALLOWED_ATTRIBUTES, as nh3 requires).
ALLOWED_VALUES: dict[str, dict[str, set[str]]] = {
    "th": {"align": {"left", "center", "right"}},
    "td": {"align": {"left", "center", "right"}},
}

URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"

ADMONITION_TYPES: frozenset[str] = frozenset(
    {"note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error",
     "info", "example", "seealso"}
)  # fmt: skip
_CODE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")
_CLASS_RULES: dict[str, Callable[[str], bool]] = {
    "div": lambda c: c in ADMONITION_TYPES or c in ("admonition", "footnote"),
    "p": lambda c: c == "admonition-title",
    "a": lambda c: c in ("footnote-ref", "footnote-backref", "picture-link"),
    "code": lambda c: _CODE_CLASS.fullmatch(c) is not None,
    "details": lambda c: c == "sources",
}


def is_allowed_attribute(tag: str, attribute: str) -> bool:
    """Return True when `attribute` survives cleaning on `tag` (with some value)."""
    return attribute in ALLOWED_ATTRIBUTES.get(tag, ()) or attribute in ALLOWED_VALUES.get(tag, {})


def _filter_classes(tag: str, value: str) -> str | None:
    rule = _CLASS_RULES.get(tag)
    if rule is None:
        return None
    kept = [name for name in value.split() if rule(name)]
    return " ".join(kept) or None


def clean(html: str, image_sources: Collection[str] = ()) -> str:
    """Return `html` with everything outside the allow-list removed.

    Only the image sources in `image_sources` (the course's own media URLs) are
    kept, so a page never loads an image from another host. Never raises.
    """

    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        # nh3 calls this for every allowed attribute; it must never raise.
        if attribute == "class":
            return _filter_classes(tag, value)
        if tag == "img" and attribute == "src":
            return value if value in image_sources else None
        return value

    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        tag_attribute_values=ALLOWED_VALUES,
        attribute_filter=attribute_filter,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
