"""Splitting a file into YAML front matter and body, keeping each key's line and the comments.

Front matter starts on line 1 with `---` and ends at the next `---` line. The
YAML is composed (not constructed) so that every key keeps its line for
messages and every value keeps the text exactly as written: typing is the job
of `induction.content.schema`. Comments are kept with the key they sit above
(or beside) so that a rewritten file loses nothing an author wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from induction.content.model import Problem

FENCE = "---"


@dataclass(frozen=True)
class Entry:
    """One `key: value` of the front matter."""

    key: str
    line: int  # line of the key in the file, 1-based
    node: yaml.Node  # the composed value, as written
    comments_before: tuple[str, ...] = ()  # full-line comments above the key
    inline_comments: tuple[str, ...] = ()  # comments on the key's own lines


@dataclass(frozen=True)
class FrontMatter:
    """The front matter of a file (possibly absent) and the body after it."""

    present: bool
    entries: tuple[Entry, ...]
    trailing_comments: tuple[str, ...]
    body: str
    body_line: int  # line of the body's first line in the file
    problems: tuple[Problem, ...] = field(default=())


def _is_fence(line: str) -> bool:
    return line.rstrip() == FENCE


def split(text: str, path: str) -> FrontMatter:
    """Return the front matter and body of `text` (normalised: no BOM, LF line ends).

    Never raises: an unclosed block, invalid YAML or a block that is not a mapping
    is reported in `FrontMatter.problems` with its line.
    """
    lines = text.split("\n")
    if not lines or not _is_fence(lines[0]):
        return FrontMatter(present=False, entries=(), trailing_comments=(), body=text, body_line=1)
    closing = next((i for i in range(1, len(lines)) if _is_fence(lines[i])), None)
    if closing is None:
        problem = Problem(
            path, 1, "the front matter that starts here is never closed: add a '---' line after it"
        )
        return FrontMatter(True, (), (), body="", body_line=len(lines) + 1, problems=(problem,))
    block_lines = lines[1:closing]
    body = "\n".join(lines[closing + 1 :])
    entries, trailing, problems = _compose(block_lines, path)
    return FrontMatter(
        present=True,
        entries=entries,
        trailing_comments=trailing,
        body=body,
        body_line=closing + 2,
        problems=problems,
    )


_Composed = tuple[tuple[Entry, ...], tuple[str, ...], tuple[Problem, ...]]


def _failed(problem: Problem) -> _Composed:
    return (), (), (problem,)


def _compose(block_lines: list[str], path: str) -> _Composed:
    """Compose the YAML block; the block's first line is line 2 of the file."""
    offset = 2
    try:
        root = yaml.compose("\n".join(block_lines), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + offset if mark is not None else 1
        what = exc.problem or exc.context or "invalid syntax"
        return _failed(
            Problem(
                path,
                line,
                f"the front matter is not valid YAML ({what}): check this line; "
                "text containing ': ' or starting with a quote or bracket needs quotes",
            )
        )
    except yaml.YAMLError as exc:
        return _failed(Problem(path, 1, f"the front matter is not valid YAML ({exc}): fix it"))
    if root is None:
        return (), tuple(_full_line_comments(block_lines)), ()
    if not isinstance(root, yaml.MappingNode):
        line = root.start_mark.line + offset
        message = "the front matter must be 'key: value' lines, like 'title: Welcome'"
        return _failed(Problem(path, line, message))
    problems: list[Problem] = []
    spans: list[tuple[int, int]] = []
    raw: list[tuple[str, int, yaml.Node, tuple[str, ...]]] = []
    seen: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + offset
        if not isinstance(key_node, yaml.ScalarNode) or not key_node.value:
            problems.append(
                Problem(path, line, "front matter keys must be plain words, like 'title'")
            )
            continue
        key = str(key_node.value)
        if key in seen:
            problems.append(
                Problem(
                    path,
                    line,
                    f"front matter key '{key}' appears twice (also on line {seen[key]}): keep one",
                )
            )
            continue
        seen[key] = line
        start, end = _span(key_node, value_node)
        spans.append((start, end))
        raw.append((key, line, value_node, _inline_comments(block_lines, key_node, value_node)))
    covered = {i for start, end in spans for i in range(start, end + 1)}
    by_start: dict[int, list[tuple[str, int, yaml.Node, tuple[str, ...]]]] = {}
    for (start, _), item in zip(spans, raw, strict=True):
        by_start.setdefault(start, []).append(item)
    entries: list[Entry] = []
    pending: list[str] = []
    for index, line_text in enumerate(block_lines):
        if index in by_start:
            # Several keys share a line in a flow mapping such as {title: T, summary: S}.
            for key, line, node, inline in by_start[index]:
                entries.append(Entry(key, line, node, tuple(pending), inline))
                pending = []
        elif index not in covered and line_text.strip().startswith("#"):
            pending.append(line_text.strip())
    return tuple(entries), tuple(pending), tuple(problems)


def _span(key_node: yaml.Node, value_node: yaml.Node) -> tuple[int, int]:
    """Return the first and last block line (0-based) that a `key: value` pair occupies."""
    start = key_node.start_mark.line
    end_mark = value_node.end_mark
    end = end_mark.line if end_mark.column > 0 else end_mark.line - 1
    return start, max(start, end)


def _full_line_comments(block_lines: list[str]) -> list[str]:
    return [line.strip() for line in block_lines if line.strip().startswith("#")]


def _inline_comments(
    block_lines: list[str], key_node: yaml.Node, value_node: yaml.Node
) -> tuple[str, ...]:
    """Return the comments written after the key or the value's parts, in line order.

    YAML's own marks say where each part ends, so a '#' inside a value is never
    mistaken for a comment.
    """
    ends: dict[int, int] = {key_node.end_mark.line: key_node.end_mark.column}
    if isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">"):
        # The lines of a block scalar are text: only its header line can hold a comment.
        ends[value_node.start_mark.line] = value_node.start_mark.column
    else:
        for node in _walk(value_node):
            mark = node.end_mark
            if mark.column > 0:
                ends[mark.line] = max(ends.get(mark.line, 0), mark.column)
    comments: list[str] = []
    for line_index in sorted(ends):
        if line_index >= len(block_lines):
            continue
        rest = block_lines[line_index][ends[line_index] :]
        rest = rest.lstrip(" \t,]}:-|>+0123456789")
        if rest.startswith("#"):
            comments.append(rest.rstrip())
    return tuple(comments)


def _walk(node: yaml.Node) -> list[yaml.Node]:
    nodes = [node]
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            nodes.extend(_walk(child))
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            nodes.extend(_walk(key))
            nodes.extend(_walk(value))
    return nodes
