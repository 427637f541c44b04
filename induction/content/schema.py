"""The front matter keys of each kind of file, their types and defaults, and reading them.

Values are read from the composed YAML text, not from YAML's own typing, so a
text key always gives the text as written (`title: No` is "No", `title: 1.0`
is "1.0"); an integer key takes a plain whole number only (not 1.5, "ten", a
quoted "10" or a boolean); a bool key takes true or false only; a list key
takes one value or a list.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

import yaml

from induction.content.frontmatter import FrontMatter
from induction.content.ids import is_valid_id, suggest_id
from induction.content.model import AUDIENCES, RENEW_EACH_TERM, Problem

KINDS: tuple[str, ...] = ("course", "module", "lesson", "quiz")
KIND_NAMES = {"course": "course.md", "module": "module.md", "lesson": "a lesson", "quiz": "quiz.md"}


@dataclass(frozen=True)
class KeySpec:
    name: str
    type: str  # text, id, int, bool, audiences, renew
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None


_ID = KeySpec("id", "id")
_TITLE = KeySpec("title", "text", required=True)
_SUMMARY = KeySpec("summary", "text", required=True)
_AUDIENCES = KeySpec("audiences", "audiences")
_PASS_MARK = KeySpec("pass_mark", "int", minimum=0, maximum=100)

# The order of each tuple is the order of keys in a formatted file.
SCHEMAS: dict[str, tuple[KeySpec, ...]] = {
    "course": (
        _ID,
        _TITLE,
        _SUMMARY,
        _AUDIENCES,
        _PASS_MARK,
        KeySpec("due_days", "int", minimum=1),
        KeySpec("renew", "renew"),
        KeySpec("certificate", "bool"),
        KeySpec("draft", "bool"),
        KeySpec("order", "int", minimum=1),
        KeySpec("public", "bool"),
    ),
    "module": (_ID, _TITLE, _SUMMARY, _AUDIENCES),
    "lesson": (
        _ID,
        _TITLE,
        KeySpec("minutes", "int", minimum=1),
        _AUDIENCES,
        KeySpec("version", "int", minimum=1),
        KeySpec("acknowledge", "text"),
    ),
    "quiz": (
        _ID,
        KeySpec("title", "text"),
        _PASS_MARK,
        KeySpec("max_attempts", "int", minimum=0),
        KeySpec("shuffle", "bool"),
    ),
}

_INT_RE = re.compile(r"[+-]?[0-9]+")
_EXAMPLES = {"pass_mark": 80, "due_days": 30, "minutes": 5, "version": 2, "max_attempts": 3}
_PLAIN_TAG_STR = "tag:yaml.org,2002:str"


def spec_for(kind: str, key: str) -> KeySpec | None:
    """Return the spec of `key` in files of `kind`, or None when the key is not allowed there."""
    return next((spec for spec in SCHEMAS[kind] if spec.name == key), None)


def read_values(front: FrontMatter, kind: str, path: str) -> tuple[dict[str, Any], list[Problem]]:
    """Return the typed values of the front matter of a `kind` file and the problems found.

    Values: text and id keys give `str`, integer keys `int`, bool keys `bool`,
    `audiences` a `frozenset[str]`, `renew` the text "each term" or an `int` of days.
    Keys with problems are left out. Missing required keys are problems (naming every
    missing key when there is no front matter at all). Raises `KeyError` for an unknown `kind`.
    """
    schema = SCHEMAS[kind]
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for entry in front.entries:
        spec = spec_for(kind, entry.key)
        if spec is None:
            problems.append(Problem(path, entry.line, _unknown_key_message(entry.key, kind)))
            continue
        value, message = _read(spec, entry.node)
        if message is not None:
            problems.append(Problem(path, entry.line, message))
        else:
            values[spec.name] = value
    given = {entry.key for entry in front.entries}
    missing = [spec.name for spec in schema if spec.required and spec.name not in given]
    if missing and not front.present and not front.problems:
        keys = " and ".join(f"'{name}: ...'" for name in missing)
        problems.append(
            Problem(
                path,
                1,
                f"the file has no front matter: start it with a '---' line, then {keys}, "
                "then another '---' line",
            )
        )
    elif not front.problems:
        problems.extend(
            Problem(
                path,
                1,
                f"the front matter has no '{name}': add a line '{name}: ...' "
                "between the '---' lines",
            )
            for name in missing
        )
    return values, problems


def _unknown_key_message(key: str, kind: str) -> str:
    owners = [KIND_NAMES[other] for other in KINDS if other != kind and spec_for(other, key)]
    if owners:
        return (
            f"front matter key '{key}' is not allowed in {KIND_NAMES[kind]} "
            f"(it belongs in {' or '.join(owners)}): remove it"
        )
    names = [spec.name for spec in SCHEMAS[kind]]
    close = difflib.get_close_matches(key, names, n=1)
    if close:
        return f"unknown front matter key '{key}' (did you mean '{close[0]}'?)"
    return f"unknown front matter key '{key}': remove it (allowed here: {', '.join(names)})"


def _shown(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "a mapping"


def _read(spec: KeySpec, node: yaml.Node) -> tuple[Any, str | None]:
    """Return `(value, None)`, or `(None, message)` saying what is wrong and how to fix it."""
    name = spec.name
    if spec.type == "audiences":
        return _read_audiences(node)
    if spec.type == "renew" and not isinstance(node, yaml.ScalarNode):
        return (
            None,
            f"{RENEW_MESSAGE}, not {_shown(node)}: {RENEW_EXAMPLE}",
        )
    if not isinstance(node, yaml.ScalarNode):
        return None, f"'{name}' must be a single value, not {_shown(node)}: write it on one line"
    text = str(node.value)
    plain = node.style is None
    if plain and node.tag != _PLAIN_TAG_STR and text.strip() in ("", "~", "null", "Null", "NULL"):
        return None, f"'{name}' has no value: write one after '{name}:' or remove the line"
    if spec.type in ("text", "id"):
        return _read_text(spec, text.strip())
    if spec.type == "int":
        return _read_int(spec, text, plain)
    if spec.type == "renew":
        return _read_renew(text.strip(), plain)
    return _read_bool(name, text, plain)


def _read_text(spec: KeySpec, text: str) -> tuple[Any, str | None]:
    if not text:
        return None, f"'{spec.name}' is empty: write it after '{spec.name}:' or remove the line"
    if spec.type == "id" and not is_valid_id(text):
        return None, (
            f"'id' must be lowercase letters and digits joined by single hyphens, "
            f"not '{text}': try 'id: {suggest_id(text)}'"
        )
    return text, None


def _range_words(spec: KeySpec) -> str:
    if spec.minimum is not None and spec.maximum is not None:
        return f"a whole number from {spec.minimum} to {spec.maximum}"
    if spec.minimum is not None:
        return f"a whole number, {spec.minimum} or more"
    return "a whole number"


def _read_int(spec: KeySpec, text: str, plain: bool) -> tuple[Any, str | None]:
    wanted = _range_words(spec)
    example = f"write it like '{spec.name}: {_EXAMPLES.get(spec.name, 1)}'"
    if not plain:
        return (
            None,
            f"'{spec.name}' must be {wanted}, not the quoted text '{text}': remove the quotes",
        )
    if _INT_RE.fullmatch(text) is None:
        return None, f"'{spec.name}' must be {wanted}, not '{text}': {example}"
    value = int(text)
    too_low = spec.minimum is not None and value < spec.minimum
    too_high = spec.maximum is not None and value > spec.maximum
    if too_low or too_high:
        return None, f"'{spec.name}' must be {wanted}, not {value}: {example}"
    return value, None


RENEW_MESSAGE = "'renew' must be 'each term' or a whole number of days"
RENEW_EXAMPLE = "write 'renew: 365' or 'renew: each term'"


def _read_renew(text: str, plain: bool) -> tuple[Any, str | None]:
    """Read `renew:`: the words "each term" (any case, any spacing) or a whole number of days."""
    if " ".join(text.lower().split()) == RENEW_EACH_TERM:
        return RENEW_EACH_TERM, None
    if plain and _INT_RE.fullmatch(text) is not None:
        days = int(text)
        if days >= 1:
            return days, None
        return (
            None,
            f"{RENEW_MESSAGE} (1 or more), not {days}: {RENEW_EXAMPLE}",
        )
    return None, f"{RENEW_MESSAGE}, not '{text}': {RENEW_EXAMPLE}"


def _read_bool(name: str, text: str, plain: bool) -> tuple[Any, str | None]:
    if plain and text.lower() in ("true", "false"):
        return text.lower() == "true", None
    return (
        None,
        f"'{name}' must be true or false, not '{text}': write '{name}: true' or '{name}: false'",
    )


def _read_audiences(node: yaml.Node) -> tuple[Any, str | None]:
    if isinstance(node, yaml.ScalarNode):
        items = [node]
    elif isinstance(node, yaml.SequenceNode):
        items = list(node.value)
    else:
        return None, "'audiences' must be one audience or a list, like [councillor, officer]"
    found: set[str] = set()
    for item in items:
        if not isinstance(item, yaml.ScalarNode):
            return None, "'audiences' must be a flat list of audiences, like [councillor, officer]"
        word = str(item.value).strip()
        if word not in AUDIENCES:
            close = difflib.get_close_matches(word, AUDIENCES, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            return None, (
                f"'audiences' has an unknown audience '{word}'{hint}: "
                f"use {', '.join(AUDIENCES[:-1])} or {AUDIENCES[-1]}"
            )
        found.add(word)
    if not found:
        return None, "'audiences' is empty: list at least one audience or remove the line"
    return frozenset(found), None


def audiences_subset_problem(
    child: frozenset[str], parent: frozenset[str], parent_file: str
) -> str | None:
    """Return a message when `child` audiences are not all in `parent` (None when they are)."""
    extra = sorted(child - parent, key=AUDIENCES.index)
    if not extra:
        return None
    names = ", ".join(repr(audience) for audience in extra)
    return (
        f"'audiences' includes {names}, which {parent_file} does not: "
        f"remove it here, or add it to the audiences of {parent_file}"
    )
