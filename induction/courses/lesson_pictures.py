"""The pictures a lesson shows, found in its rendered HTML, for the page that shows one full size.

The lesson's HTML is what decides: a picture is one of the lesson's when the lesson draws
it, so the picture page never shows a file the lesson does not (another lesson's, one
for another audience's lesson, a document), and its heading is the alt text the author
wrote for the lesson.

Pure: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True)
class LessonPicture:
    """A picture as the lesson draws it: its address and its alt text."""

    src: str
    alt: str


class _Pictures(HTMLParser):
    """Collects every `<img>` of a piece of HTML, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[LessonPicture] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            values = dict(attrs)
            self.found.append(LessonPicture(values.get("src") or "", values.get("alt") or ""))


def picture_in(html: str, src: str) -> LessonPicture | None:
    """Return the first picture of `html` (a lesson's sanitized HTML) drawn from `src`, or
    None when the lesson draws no picture from there."""
    parser = _Pictures()
    parser.feed(html)
    parser.close()
    return next((picture for picture in parser.found if src and picture.src == src), None)
