"""A lesson's settings as form fields, and back into its front matter (pure: no Flask).

The lesson editor shows the front matter as fields (title, audiences, minutes,
acknowledgement, "read again") and the Markdown after it as the body. Rules kept here:

- A file saved with nothing changed is the same text, byte for byte: when the values
  read from the fields equal those in the file, the file's own front matter text is
  kept as written (its order, quotes, blank lines and comments).
- Otherwise the front matter is written by the canonical writer
  (`induction.content.writer.write_front_matter`), which keeps comments and key order.
- Keys left unset are not written: an empty "minutes" or "acknowledge", audiences
  the same as the module's (when the file had none), version 1 (when the file had none).
- Keys the form does not show (`id`) are kept as they are.
- "People must read this again" raises the version by one from the version learners
  have now (the published one); unticking it puts that version back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from induction.content.frontmatter import FrontMatter, split
from induction.content.model import Problem
from induction.content.schema import read_values
from induction.content.writer import write_front_matter

KIND = "lesson"
# The keys the form shows; every other lesson key (`id`) is kept as it is.
FORM_KEYS = ("title", "minutes", "audiences", "version", "acknowledge")


class FieldsUnreadable(ValueError):
    """The front matter has a mistake the form cannot show; `problems` say what and where."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__(problems[0].message if problems else "the front matter cannot be read")
        self.problems = problems


@dataclass(frozen=True)
class LessonFields:
    """What the form holds: the settings as an author sees them, and the body."""

    title: str
    audiences: frozenset[str]  # ticked boxes
    minutes: int | None
    acknowledge: str
    read_again: bool
    body: str


@dataclass(frozen=True)
class LessonFile:
    """A lesson's text as read: its typed front matter values, the front matter and body."""

    text: str
    values: dict[str, Any]
    front: FrontMatter


def read_lesson(text: str, path: str = "") -> LessonFile:
    """Return the lesson text's values and parts.

    Raises FieldsUnreadable when the front matter does not parse or has an unknown key
    or a value of the wrong type (the form could not show it faithfully). A missing
    title is not a reason: the form shows it empty, to be filled in.
    """
    front = split(text, path)
    values, problems = read_values(front, KIND, path)
    serious = [p for p in (*front.problems, *problems) if not _is_missing_title(p)]
    if serious:
        raise FieldsUnreadable(tuple(serious))
    return LessonFile(text, values, front)


def _is_missing_title(problem: Problem) -> bool:
    return "has no 'title'" in problem.message or "has no front matter" in problem.message


def fields_of(lesson: LessonFile, inherited: frozenset[str], published: int | None) -> LessonFields:
    """Return the form's fields for a lesson file.

    `inherited` is the module's audiences (shown ticked when the file names none);
    `published` is the version learners have now (None for a lesson not yet published).
    """
    values = lesson.values
    return LessonFields(
        title=values.get("title", ""),
        audiences=frozenset(values.get("audiences", inherited)),
        minutes=values.get("minutes"),
        acknowledge=values.get("acknowledge", ""),
        read_again=published is not None and values.get("version", 1) > published,
        body=lesson.front.body,
    )


def values_from(
    lesson: LessonFile | None,
    fields: LessonFields,
    inherited: frozenset[str],
    published: int | None,
) -> dict[str, Any]:
    """Return the front matter values the fields give, for `lesson` (None: a new lesson)."""
    before = lesson.values if lesson is not None else {}
    values: dict[str, Any] = {key: value for key, value in before.items() if key not in FORM_KEYS}
    values["title"] = fields.title.strip()
    if fields.minutes is not None:
        values["minutes"] = fields.minutes
    ticked = frozenset(fields.audiences)
    if "audiences" in before or ticked != inherited:
        values["audiences"] = ticked
    version = _version(before.get("version"), fields.read_again, lesson, inherited, published)
    if version is not None:
        values["version"] = version
    if fields.acknowledge.strip():
        values["acknowledge"] = fields.acknowledge.strip()
    return values


def _version(
    current: int | None,
    read_again: bool,
    lesson: LessonFile | None,
    inherited: frozenset[str],
    published: int | None,
) -> int | None:
    """Return the version to write (None: leave the key out)."""
    was_ticked = (
        lesson is not None and fields_of(lesson, inherited, published).read_again
        if published is not None
        else False
    )
    if published is None or read_again == was_ticked:
        return current
    target = published + 1 if read_again else published
    return None if target == 1 else target  # 1 is the default: not written


def compose(lesson: LessonFile | None, values: dict[str, Any], body: str) -> str:
    """Return the lesson's text with these front matter values and this body.

    The file's own front matter text is kept when the values are unchanged, so a file
    saved unchanged is the same text. Raises KeyError for a key lessons do not have.
    """
    if lesson is not None and values == lesson.values:
        if body == lesson.front.body:
            return lesson.text
        if lesson.front.present:
            head_lines = lesson.front.body_line - 1
            head = "\n".join(lesson.text.split("\n")[:head_lines])
            return f"{head}\n{body}"
    head = write_front_matter(KIND, values, lesson.front if lesson is not None else None)
    if lesson is None or not lesson.front.present:
        # A new front matter block: a blank line between it and the text reads better.
        return head + ("" if body.startswith("\n") else "\n") + body
    return head + body


def key_lines(text: str) -> tuple[dict[int, str], int]:
    """Return the front matter key on each line of `text`, and the line the body starts on."""
    front = split(text, "")
    lines = {entry.line: entry.key for entry in front.entries}
    start = front.body_line if front.present else 1
    return lines, start


__all__ = [
    "FORM_KEYS",
    "FieldsUnreadable",
    "LessonFields",
    "LessonFile",
    "compose",
    "fields_of",
    "key_lines",
    "read_lesson",
    "values_from",
]
