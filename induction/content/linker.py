"""What a link or image in a course file points to, and the URL it becomes.

Relative links to `*.md` files resolve against the folder of the file they are
written in: a lesson becomes `Links.lesson(...)`, a quiz.md `Links.quiz(...)`;
files under the course's `media/` folder become `Links.media(...)`. External
http, https and mailto links are left alone; other schemes are removed by the
sanitizer (a warning). Images must be files in `media/`.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from induction.content.mdscan import url_scheme
from induction.content.render import Resolver
from induction.content.sanitize import URL_SCHEMES
from induction.content.tree import MEDIA_DIR
from induction.content.urls import Links

_MAX_ANCHORS_SHOWN = 12
# A link that is a web address written without https:// ("www.example.gov.uk",
# "councils.coop/about"): the message offers the address with it.
_WEB_ADDRESS = re.compile(
    r"(?:www\.[^/\s]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:uk|com|org|net|coop|gov|eu|info|io))"
    r"(?:[/?#]|$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FileTarget:
    """A course file that links may point to: kind is lesson, quiz, module or course."""

    kind: str
    id: str  # the lesson id; for a quiz or module.md, the module id


@dataclass(frozen=True)
class Resolution:
    """Where a link goes. `url` None means the link is kept as written."""

    url: str | None = None
    lesson_id: str | None = None  # set when the link points to a lesson
    quiz_module_id: str | None = None  # set when the link points to a quiz: its module's id
    anchor: str | None = None  # the anchor of a lesson link, or of a same-page link
    same_page: bool = False  # a link such as '#eoc'
    error: str | None = None
    warning: str | None = None


def _outside(path: str) -> bool:
    return path == ".." or path.startswith(("../", "/"))


class CourseLinker:
    """Resolves the links of one course's files."""

    def __init__(
        self,
        course_id: str,
        files: Mapping[str, FileTarget],
        media: frozenset[str],
        links: Links,
    ) -> None:
        self.course_id = course_id
        self.files = files
        self.media = media
        self.links = links

    def resolver(self, from_dir: str) -> Resolver:
        """Return the render-time rewriter for links written in a file in `from_dir`."""

        def resolve(url: str, is_image: bool) -> str | None:
            return self.resolve(url, is_image, from_dir).url

        return resolve

    def resolve(self, url: str, is_image: bool, from_dir: str) -> Resolution:
        """Return where `url`, written in a file in `from_dir` (relative to the course), goes.

        Never raises: problems are in `Resolution.error` / `Resolution.warning`.
        """
        if not url.strip():
            what = "image" if is_image else "link"
            return Resolution(error=f"this {what} has no URL: write one between the parentheses")
        if is_image:
            return self._image(url, from_dir)
        scheme = url_scheme(url)
        if scheme is not None:
            if scheme in URL_SCHEMES:
                return Resolution()
            return Resolution(
                warning=f"link to '{url}' will be removed: only http, https and mailto links "
                "are allowed"
            )
        if url.startswith("//"):
            return Resolution()
        path_part, _, anchor = url.partition("#")
        path_part = path_part.split("?", 1)[0]
        if url.startswith("/"):
            return Resolution(
                warning=f"link to '{url}' depends on where the platform runs: "
                "link to the lesson's file instead, like 02-governance.md"
            )
        if not path_part:
            return Resolution(anchor=anchor or None, same_page=True)
        target = posixpath.normpath(posixpath.join(from_dir, unquote(path_part)))
        if _outside(target):
            return Resolution(
                error=f"link to '{url}' points outside this course: link to a lesson, quiz or "
                "media file of this course"
            )
        if target.startswith(MEDIA_DIR + "/"):
            return self._media_link(url, target, anchor, from_dir)
        found = self.files.get(target)
        if found is None:
            return Resolution(error=self._missing_message(url, target, from_dir))
        if found.kind == "lesson":
            return Resolution(
                url=self.links.lesson(self.course_id, found.id, anchor or None),
                lesson_id=found.id,
                anchor=anchor or None,
            )
        if found.kind == "quiz":
            if anchor:
                return Resolution(
                    error=f"link to '{url}': a link to a quiz cannot point inside it: "
                    f"remove '#{anchor}'"
                )
            return Resolution(
                url=self.links.quiz(self.course_id, found.id), quiz_module_id=found.id
            )
        return Resolution(
            error=f"link to '{url}': {posixpath.basename(target)} is not a page of its own: "
            "link to a lesson or a quiz instead"
        )

    def _media_link(self, url: str, target: str, anchor: str, from_dir: str) -> Resolution:
        name = target[len(MEDIA_DIR) + 1 :]
        if name not in self.media:
            return Resolution(error=self._missing_media_message(url, name))
        new = self.links.media(self.course_id, name)
        return Resolution(url=f"{new}#{anchor}" if anchor else new)

    def _image(self, url: str, from_dir: str) -> Resolution:
        example = posixpath.relpath(f"{MEDIA_DIR}/name.png", from_dir or ".")
        if url_scheme(url) is not None or url.startswith("//"):
            return Resolution(
                error=f"image '{url}' is not a file of this course: pages must not load "
                f"anything from another host, put the image in media/ and write {example}"
            )
        path_part = url.split("#", 1)[0].split("?", 1)[0]
        target = posixpath.normpath(posixpath.join(from_dir, unquote(path_part)))
        if url.startswith("/") or _outside(target) or not target.startswith(MEDIA_DIR + "/"):
            return Resolution(
                error=f"image '{url}' is not in the course's media/ folder: move it there "
                f"and write {example}"
            )
        name = target[len(MEDIA_DIR) + 1 :]
        if name not in self.media:
            return Resolution(error=self._missing_media_message(url, name, image=True))
        return Resolution(url=self.links.media(self.course_id, name))

    def _missing_media_message(self, url: str, name: str, image: bool = False) -> str:
        what = "image" if image else "link to"
        close = difflib.get_close_matches(name, sorted(self.media), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"{what} '{url}': there is no file '{name}' in media/{hint}"

    def _missing_message(self, url: str, target: str, from_dir: str) -> str:
        if _WEB_ADDRESS.match(url):
            return (
                f"link to '{url}': a web address must start with https:// "
                f"(did you mean 'https://{url}'?)"
            )
        if not target.endswith(".md"):
            return (
                f"link to '{url}': only lessons, quizzes and files in media/ can be linked: "
                "move the file into media/ and link to it there"
            )
        folder = posixpath.dirname(target)
        siblings = sorted(
            posixpath.basename(path)
            for path, found in self.files.items()
            if posixpath.dirname(path) == folder and found.kind in ("lesson", "quiz")
        )
        close = difflib.get_close_matches(posixpath.basename(target), siblings, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        where = "in this module" if folder == from_dir else "in this course"
        return f"link to '{url}': no such lesson {where}{hint}"


def anchor_message(url: str, anchor: str, owner: str, anchors: Sequence[str]) -> str | None:
    """Return an error when `anchor` is not among `anchors` (None when it is).

    `owner` names where the anchor was looked for, like "lesson 'benefits'".
    """
    if anchor in anchors:
        return None
    if not anchors:
        listing = "it has no headings"
    else:
        shown = list(anchors[:_MAX_ANCHORS_SHOWN])
        more = ", ..." if len(anchors) > _MAX_ANCHORS_SHOWN else ""
        listing = "anchors: " + ", ".join(shown) + more
    return f"link to '{url}': {owner} has no heading with anchor '{anchor}' ({listing})"
