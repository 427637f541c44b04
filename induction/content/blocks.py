"""Blocks in a lesson body: reflection prompts and council notes slots. Pure: no Flask, no database.

A block is fenced by lines of its own:

    ::: reflection {#reflect-values}
    How does your council put these values into practice?
    :::

`reflection` asks the learner a question they answer in a private text box;
`council-notes` is a slot each organisation's lead officer fills in, whose text
(the default, shown when the organisation has written nothing) may be empty.
Ids are unique within a lesson. Fenced code is not read, so a block can be shown
as an example inside a code fence.

`find_blocks` reads the blocks of a body and reports what is wrong with their
lines; `render_lesson` renders the body with each block cut out and returns the
parts in order, so the lesson page can put a form or the council's text where
each block was.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from induction.content.ids import is_valid_id, suggest_id
from induction.content.mdscan import code_lines
from induction.content.model import Heading, LessonPart, Problem

REFLECTION = "reflection"
COUNCIL_NOTES = "council-notes"
BLOCK_KINDS: tuple[str, ...] = (REFLECTION, COUNCIL_NOTES)

_OPEN = re.compile(r":::[ \t]*(?P<rest>\S.*?)[ \t]*$")
_CLOSE = re.compile(r":::[ \t]*$")
_HEAD = re.compile(r"(?P<kind>[A-Za-z][\w-]*)[ \t]*(?:\{(?P<attrs>[^{}]*)\})?$")
# What stands for a block while the body is rendered; its own paragraph, so easy to find.
_MARK = "INDUCTIONBLOCK{}MARK"
_MARK_HTML = re.compile(r"<p>INDUCTIONBLOCK(\d+)MARK</p>")


@dataclass(frozen=True)
class Block:
    """One block as written: its kind, id, the Markdown inside and the lines it spans."""

    kind: str
    id: str
    text: str
    line: int  # the opening line
    end_line: int  # the closing line


@dataclass(frozen=True)
class _Span:
    start: int  # index of the opening line in the body
    end: int  # index of the closing line
    block: Block | None  # None when the block is not usable (its problem was reported)


def find_blocks(body: str, first_line: int, path: str) -> tuple[tuple[Block, ...], list[Problem]]:
    """Return the usable blocks of a lesson body whose first line is line `first_line` of `path`.

    Never raises: each problem (an unknown kind, a missing, invalid or repeated id, a
    block never closed, a closing line with no block open, a block inside a block) is
    in the returned list at its line.
    """
    blocks, _, problems = _scan(body, first_line, path)
    return blocks, problems


def _scan(
    body: str, first_line: int, path: str
) -> tuple[tuple[Block, ...], list[_Span], list[Problem]]:
    lines = body.split("\n")
    in_code = code_lines(lines)
    problems: list[Problem] = []
    spans: list[_Span] = []
    seen: dict[str, int] = {}
    opened: tuple[int, str, str | None] | None = None  # (index, kind, id)
    for index, text in enumerate(lines):
        if in_code[index]:
            continue
        number = first_line + index
        if _CLOSE.fullmatch(text):
            if opened is None:
                problems.append(
                    Problem(
                        path,
                        number,
                        "this ':::' closes no block: remove it, or open a block above it with "
                        "'::: reflection {#an-id}' or '::: council-notes {#an-id}'",
                    )
                )
                continue
            start, kind, block_id = opened
            block = None
            if block_id is not None:
                inner = "\n".join(lines[start + 1 : index]).strip("\n")
                block = Block(kind, block_id, inner, first_line + start, number)
            spans.append(_Span(start, index, block))
            opened = None
            continue
        match = _OPEN.fullmatch(text)
        if match is None:
            continue
        if opened is not None:
            problems.append(
                Problem(
                    path,
                    number,
                    f"a block starts inside the block opened on line {first_line + opened[0]}: "
                    "close that one first with a line ':::'",
                )
            )
            continue
        kind, block_id = _read_head(match.group("rest"), number, path, problems)
        if block_id is not None:
            if block_id in seen:
                problems.append(
                    Problem(
                        path,
                        number,
                        f"the id '{block_id}' is already used by the block on line "
                        f"{seen[block_id]}: give each block of a lesson its own id",
                    )
                )
                block_id = None
            else:
                seen[block_id] = number
        opened = (index, kind, block_id)
    if opened is not None:
        problems.append(
            Problem(
                path,
                first_line + opened[0],
                f"this {opened[1]} block is never closed: add a line ':::' where it ends",
            )
        )
    return tuple(span.block for span in spans if span.block is not None), spans, problems


def _read_head(
    rest: str, number: int, path: str, problems: list[Problem]
) -> tuple[str, str | None]:
    """Return the kind and id of an opening line (id None when unusable, with its problem)."""
    known = " or ".join(BLOCK_KINDS)
    match = _HEAD.fullmatch(rest)
    kind = match.group("kind") if match else rest.split()[0]
    if kind not in BLOCK_KINDS:
        problems.append(
            Problem(
                path,
                number,
                f"unknown kind of block '{kind}': use {known}, like "
                "'::: reflection {#reflect-values}'",
            )
        )
        return kind, None
    attrs = (match.group("attrs") or "").split() if match else []
    if not attrs or not attrs[0].startswith("#"):
        problems.append(
            Problem(
                path,
                number,
                f"a {kind} block needs an id: write '::: {kind} {{#{kind}-1}}' "
                "(lowercase letters and digits joined by hyphens)",
            )
        )
        return kind, None
    block_id = attrs[0][1:]
    if len(attrs) > 1:
        problems.append(
            Problem(
                path,
                number,
                f"a block's braces hold only its id: remove '{' '.join(attrs[1:])}'",
            )
        )
    if not is_valid_id(block_id):
        problems.append(
            Problem(
                path,
                number,
                f"block id '{block_id}' must be lowercase letters and digits joined by single "
                f"hyphens: try {{#{suggest_id(block_id)}}}",
            )
        )
        return kind, None
    return kind, block_id


RenderBlock = Callable[[str], tuple[str, tuple[Heading, ...]]]


def render_lesson(
    body: str, render: RenderBlock
) -> tuple[str, tuple[Heading, ...], tuple[LessonPart, ...]]:
    """Return a lesson body's HTML, its headings and its parts in order.

    `render` turns Markdown into sanitized HTML and headings. Each usable block is
    cut out while the body is rendered (a block with problems stays as written) and
    its text rendered on its own; the parts are the HTML between blocks and one part
    per block. The HTML is the parts joined, each block shown as it reads without a
    learner or an organisation: a reflection's question, the notes' default text.
    """
    _, spans, _ = _scan(body, 1, "")
    usable = [span for span in spans if span.block is not None]
    if not usable:
        page, headings = render(body)
        return page, headings, (LessonPart("html", page),)
    lines = body.split("\n")
    kept: list[str] = []
    previous = 0
    for number, span in enumerate(usable):
        kept.extend(lines[previous : span.start])
        kept.extend(["", _MARK.format(number), ""])
        previous = span.end + 1
    kept.extend(lines[previous:])
    page, headings = render("\n".join(kept))
    parts: list[LessonPart] = []
    position = 0
    for match in _MARK_HTML.finditer(page):
        before = page[position : match.start()].strip()
        if before:
            parts.append(LessonPart("html", before))
        block = usable[int(match.group(1))].block
        assert block is not None
        inner = render(block.text)[0] if block.text.strip() else ""
        parts.append(LessonPart(block.kind, inner, block.id))
        position = match.end()
    after = page[position:].strip()
    if after:
        parts.append(LessonPart("html", after))
    page = "\n".join(shown for shown in map(static_html, parts) if shown)
    return page, headings, tuple(parts)


def static_html(part: LessonPart) -> str:
    """Return a part as shown where no learner or organisation fills it in."""
    if part.kind == REFLECTION:
        return (
            f'<aside class="reflection" id="{anchor(part)}">'
            f'<p class="reflection__title">Reflect</p>{part.html}</aside>'
        )
    if part.kind == COUNCIL_NOTES:
        if not part.html:
            return ""
        return (
            f'<aside class="council-notes" id="{anchor(part)}">'
            f'<p class="council-notes__title">Your council</p>{part.html}</aside>'
        )
    return part.html


def anchor(part: LessonPart) -> str:
    """Return the HTML id of a block on the page ("reflection-<id>"), apart from heading anchors."""
    return html.escape(f"{part.kind}-{part.id}")
