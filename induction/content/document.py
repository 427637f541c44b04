"""One file on its own: front matter read and typed, quiz body read, file-level problems found.

Everything here depends on the file's text alone (not on other files), which
is what formatting needs. Cross-file rules (ids, links, audiences) are the
loader's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from induction.content import blocks, frontmatter, quizparse, schema
from induction.content.frontmatter import FrontMatter
from induction.content.model import Problem, Question, Severity
from induction.content.quizparse import ParsedQuestion
from induction.content.source import Source


@dataclass(frozen=True)
class Document:
    """A parsed file: `kind` is course, module, lesson or quiz."""

    kind: str
    path: str
    source: Source
    front: FrontMatter
    values: dict[str, Any]  # typed front matter values (keys with problems left out)
    questions: tuple[ParsedQuestion, ...]  # quiz only
    problems: tuple[Problem, ...]

    @property
    def body(self) -> str:
        return self.front.body

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    def key_line(self, key: str) -> int:
        """Return the line of `key` in the front matter, or 1 when it is not there."""
        return next((entry.line for entry in self.front.entries if entry.key == key), 1)


def parse_source(source: Source, kind: str, path: str) -> Document:
    """Return the `Document` of a file of `kind` (course, module, lesson, quiz).

    Never raises for bad content (problems are in `Document.problems`); raises
    `KeyError` for an unknown kind.
    """
    if kind not in schema.SCHEMAS:
        raise KeyError(f"unknown kind of file {kind!r}")
    front = frontmatter.split(source.text, path)
    values, problems = schema.read_values(front, kind, path)
    all_problems = [*front.problems, *problems]
    questions: tuple[ParsedQuestion, ...] = ()
    if kind == "quiz":
        questions, quiz_problems = quizparse.parse_questions(front.body, front.body_line, path)
        all_problems.extend(quiz_problems)
    if kind == "lesson":
        all_problems.extend(blocks.find_blocks(front.body, front.body_line, path)[1])
    return Document(kind, path, source, front, values, questions, tuple(all_problems))


def structure(document: Document) -> tuple[Any, ...]:
    """Return what a file means, for comparing a file with its rewritten form.

    Line numbers, comments, quoting and key order are not part of it; the body
    (for a quiz, every question's content) is.
    """
    values = tuple(sorted(document.values.items()))
    if document.kind != "quiz":
        return (document.kind, values, document.body)
    questions = tuple(question_meaning(parsed.question) for parsed in document.questions)
    return (document.kind, values, questions)


def question_meaning(q: Question) -> tuple[Any, ...]:
    """Return what a question means: its content, without where or how it was written."""
    return (
        q.id,
        q.type,
        q.type_declared,
        q.prompt,
        q.stem,
        tuple((o.text, o.is_correct, o.feedback) for o in q.options),
        q.answers,
        q.explanation,
        q.audiences,
    )
