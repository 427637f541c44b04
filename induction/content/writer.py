"""Writing front matter and quizzes back as text, in the canonical form.

The canonical form (what `flask --app induction courses fmt` writes):

- Front matter keys in a fixed order: `id` first, then the order of the key
  table in the authoring guide. Full-line comments stay above the key they were
  above (comments at the end stay at the end); a comment beside a value stays
  beside it. Blank lines inside the front matter are dropped.
- Text is written plain when YAML reads it back as the same text, otherwise in
  double quotes (`title: "No"`, `title: "1.0"`, `summary: "Costs: what we pay"`).
- Integers as plain numbers, booleans as `true` / `false`.
- A list key is always written as a flow list in the standard order, even with
  one value (`audiences: [officer]`, `audiences: [councillor, officer]`).
- Quizzes are rewritten whole: front matter (left out when it has nothing in
  it), a blank line, then each question as `## prompt {#id}` (with `type=T`
  when the type was declared or cannot be inferred, then `audiences=a,b` in
  the standard order when the question is for some audiences), a blank line, the stem and
  a blank line when there is one, the options (`- [x] text` / `- [ ] text`,
  feedback as `  > ` lines) or `Answer: ` lines, then a blank line and the
  explanation as `> ` lines when there is one. One blank line between
  questions; the file ends with one line end.
- Lesson, module and course bodies are kept exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from induction.content.frontmatter import FENCE, FrontMatter
from induction.content.model import AUDIENCES, Question
from induction.content.question_types import must_declare
from induction.content.schema import SCHEMAS

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
# What PyYAML refuses in a stream, plus the characters YAML treats as line breaks.
_MUST_ESCAPE = re.compile(
    "[^\x09\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]"
)
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _plain_is_safe(text: str) -> bool:
    """Return True when `text` written plain after `key: ` reads back as the same text."""
    if not text or text != text.strip() or _MUST_ESCAPE.search(text) or "\n" in text:
        return False
    if _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) != _STR_TAG:  # type: ignore[no-untyped-call]
        return False
    try:
        node = yaml.compose(f"key: {text}", Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return False
    if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
        return False
    value = node.value[0][1]
    return isinstance(value, yaml.ScalarNode) and value.style is None and value.value == text


def _double_quoted(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _MUST_ESCAPE.match(char):
            code = ord(char)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def format_scalar(value: Any) -> str:
    """Return the canonical YAML for one front matter value.

    Raises `TypeError` for a value of a type front matter never holds.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value if _plain_is_safe(value) else _double_quoted(value)
    if isinstance(value, frozenset | set | tuple | list):
        items = sorted(value, key=lambda a: (AUDIENCES.index(a) if a in AUDIENCES else 99, a))
        return "[" + ", ".join(format_scalar(item) for item in items) + "]"
    raise TypeError(f"cannot write {type(value).__name__} in front matter")


def write_front_matter(
    kind: str, values: Mapping[str, Any], front: FrontMatter | None = None
) -> str:
    """Return the canonical front matter block (ending with a line end), or "" when empty.

    Comments are taken from `front` (the block as read), keyed by key name.
    Raises `KeyError` for an unknown kind or key.
    """
    order = [spec.name for spec in SCHEMAS[kind]]
    unknown = set(values) - set(order)
    if unknown:
        raise KeyError(f"unknown {kind} front matter keys: {sorted(unknown)}")
    entries = {entry.key: entry for entry in front.entries} if front is not None else {}
    lines: list[str] = []
    for key in order:
        if key not in values:
            continue
        entry = entries.get(key)
        before = list(entry.comments_before) if entry else []
        inline = list(entry.inline_comments) if entry else []
        if len(inline) > 1:
            # Several comments (from a value written over several lines) go above the key.
            before.extend(inline)
            inline = []
        lines.extend(before)
        line = f"{key}: {format_scalar(values[key])}"
        lines.append(f"{line}  {inline[0]}" if inline else line)
    if front is not None:
        lines.extend(front.trailing_comments)
    if not lines:
        return ""
    return "\n".join([FENCE, *lines, FENCE]) + "\n"


def _check_line(text: str, what: str) -> None:
    if "\n" in text:
        raise ValueError(f"{what} must be one line: {text!r}")


def _quoted_lines(text: str, prefix: str) -> Iterable[str]:
    for line in text.split("\n"):
        yield f"{prefix} {line}" if line else prefix


def write_question(question: Question) -> str:
    """Return the canonical Markdown of one question, ending with a line end.

    Raises `ValueError` when a prompt, option or answer spans several lines
    (the format has no way to write that).
    """
    _check_line(question.prompt, "a prompt")
    declare = question.type_declared or must_declare(question.type, question.options)
    attrs = f"#{question.id} type={question.type}" if declare else f"#{question.id}"
    if question.audiences is not None:
        attrs += f" audiences={','.join(a for a in AUDIENCES if a in question.audiences)}"
    lines = [f"## {question.prompt} {{{attrs}}}", ""]
    if question.stem.strip():
        lines.extend([question.stem, ""])
    for option in question.options:
        _check_line(option.text, "an option")
        lines.append(f"- [{'x' if option.is_correct else ' '}] {option.text}")
        if option.feedback:
            lines.extend(_quoted_lines(option.feedback, "  >"))
    for answer in question.answers:
        _check_line(answer, "an answer")
        lines.append(f"Answer: {answer}")
    if question.explanation:
        lines.extend(["", *_quoted_lines(question.explanation, ">")])
    return "\n".join(lines) + "\n"


def write_quiz(
    questions: Iterable[Question], values: Mapping[str, Any], front: FrontMatter | None = None
) -> str:
    """Return the canonical text of a quiz.md (LF line ends, no byte-order mark).

    Raises what `write_front_matter` and `write_question` raise.
    """
    head = write_front_matter("quiz", values, front)
    body = "\n".join(write_question(question) for question in questions)
    return f"{head}\n{body}" if head else body
