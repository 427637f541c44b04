"""Checks on one piece of Markdown in a course: links, images, anchors and raw HTML.

Each check returns its problems (with lines) instead of raising, so the loader
can report everything in one run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from induction.content import mdscan
from induction.content.linker import CourseLinker, anchor_message
from induction.content.model import Problem, Severity

_EXPLICIT_ANCHOR = re.compile(
    r"^ {0,3}#{1,6}[ \t].*\{:?[^{}]*?#(?P<anchor>[^\s{}]+)[^{}]*\}[ \t]*$"
)


@dataclass(frozen=True)
class LinkContext:
    """What link checks need from the course: how to resolve links, every lesson's anchors."""

    linker: CourseLinker
    lesson_anchors: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class PageLink:
    """A working link to a page of the course: a lesson or a module's quiz."""

    line: int
    url: str  # as written
    kind: str  # "lesson" or "quiz"
    id: str  # the lesson's id, or the id of the quiz's module


@dataclass
class Checked:
    """The result of checking one piece of Markdown."""

    problems: list[Problem] = field(default_factory=list)
    lessons_linked: list[str] = field(default_factory=list)  # "lesson-id" or "lesson-id#anchor"
    page_links: list[PageLink] = field(default_factory=list)  # in the order written


def check_markdown(
    path: str,
    markdown: str,
    first_line: int,
    from_dir: str,
    context: LinkContext,
    own_anchors: tuple[str, ...],
    own_name: str,
) -> Checked:
    """Return the problems of `markdown` (first line `first_line` of `path`) and the lessons it
    links to. `own_anchors` are the anchors of the page it is on, named `own_name` in messages."""
    checked = Checked()
    scan = mdscan.scan(markdown, first_line)
    for warning_line, warning in scan.warnings:
        checked.problems.append(Problem(path, warning_line, warning, Severity.WARNING))
    for ref in scan.links:
        resolution = context.linker.resolve(ref.url, ref.is_image, from_dir)
        if ref.is_image and not ref.text.strip():
            checked.problems.append(
                Problem(
                    path,
                    ref.line,
                    f"image '{ref.url}' has no alt text: describe the image between the "
                    f"brackets, like ![What the image shows]({ref.url})",
                )
            )
        if resolution.error:
            checked.problems.append(Problem(path, ref.line, resolution.error))
        if resolution.warning:
            checked.problems.append(Problem(path, ref.line, resolution.warning, Severity.WARNING))
        message = None
        if resolution.lesson_id is not None:
            target = resolution.lesson_id
            if resolution.anchor:
                anchors = context.lesson_anchors.get(target, ())
                owner = f"lesson '{target}'"
                message = anchor_message(ref.url, resolution.anchor, owner, anchors)
            if message is None:
                anchor = resolution.anchor
                checked.lessons_linked.append(f"{target}#{anchor}" if anchor else target)
                checked.page_links.append(PageLink(ref.line, ref.url, "lesson", target))
        elif resolution.quiz_module_id is not None:
            checked.page_links.append(
                PageLink(ref.line, ref.url, "quiz", resolution.quiz_module_id)
            )
        elif resolution.same_page and resolution.anchor:
            message = anchor_message(ref.url, resolution.anchor, own_name, own_anchors)
        if message:
            checked.problems.append(Problem(path, ref.line, message))
    return checked


def duplicate_anchor_problems(
    path: str, body: str, body_line: int, anchors: tuple[str, ...]
) -> list[Problem]:
    """Return an error for each anchor that more than one heading of the page has."""
    repeated = {anchor for anchor in anchors if anchors.count(anchor) > 1}
    if not repeated:
        return []
    lines: dict[str, list[int]] = defaultdict(list)
    for index, text in enumerate(mdscan.clean_text(body).split("\n")):
        match = _EXPLICIT_ANCHOR.match(text)
        if match and match.group("anchor") in repeated:
            lines[match.group("anchor")].append(body_line + index)
    problems = []
    for anchor in sorted(repeated):
        found = lines.get(anchor, [])
        line = found[1] if len(found) > 1 else 0
        where = f" (also on line {found[0]})" if len(found) > 1 else ""
        problems.append(
            Problem(
                path,
                line,
                f"two headings have the anchor '{anchor}'{where}: anchors must be unique "
                "in a page, so change one {#anchor}",
            )
        )
    return problems
