"""The text rules of Moodle's GIFT format, shared by the GIFT import and the question types.

Escapes, text formats (`[markdown]`, `[plain]`, `[html]`, `[moodle]`), answer
weights and the kind of question an answer block holds. The import
(`induction.content.gift`) splits a file into questions; each question type
(`induction.content.question_types`) reads the answer blocks of the GIFT kind
it takes, with the helpers here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from induction.content.model import Option

# Escaped characters stand aside (as private-use characters) while the text is split.
_ESCAPES = {
    ":": "\ue000",
    "#": "\ue001",
    "=": "\ue002",
    "{": "\ue003",
    "}": "\ue004",
    "~": "\ue005",
}
_NEWLINE = "\ue006"
_BACKSLASH = "\ue007"
_RESTORE = {value: key for key, value in _ESCAPES.items()} | {_NEWLINE: "\n", _BACKSLASH: "\\"}
_WEIGHT = re.compile(r"%(-?[0-9]+(?:\.[0-9]*)?)%")
_FORMATS = ("moodle", "html", "plain", "markdown")
_FORMAT_PREFIX = re.compile(r"\[(?P<name>[a-z]+)\]")
_PLAIN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|{}])")
_SIMPLE_TAGS = (
    (re.compile(r"<br\s*/?>", re.IGNORECASE), "\n"),
    (re.compile(r"</?p\s*>", re.IGNORECASE), "\n"),
    (re.compile(r"</?(?:strong|b)\s*>", re.IGNORECASE), "**"),
    (re.compile(r"</?(?:em|i)\s*>", re.IGNORECASE), "*"),
)
_ANY_TAG = re.compile(r"</?[A-Za-z][^<>]*>")

TRUE_FALSE = {"t": True, "true": True, "f": False, "false": False}

# Moodle's kinds of question, told apart by the answer block; the message says why a kind
# that no question type reads is left out.
UNREAD_KINDS = {
    "essay": "it is an essay question ({}): our quizzes mark every answer automatically",
    "numerical": "it is a numerical question: our quizzes have no numbers with ranges",
    "matching": "it is a matching question: our quizzes have no matching",
}


class GiftSkip(Exception):
    """A question cannot be expressed in our format; the message says why."""


@dataclass(frozen=True)
class GiftNote:
    """Something of the GIFT file that the quiz.md does not keep as written.

    `question` names the question (its title, or the start of its text), None for
    the file as a whole; `is_skipped` is True when the question was left out.
    """

    line: int
    question: str | None
    message: str
    is_skipped: bool = False

    def format(self, prefix: str = "") -> str:
        """Return the note as one `file:line: ...` line."""
        what = f"question '{self.question}': " if self.question else ""
        skipped = "not imported: " if self.is_skipped else ""
        return f"{prefix}{self.line}: {what}{skipped}{self.message}"


@dataclass(frozen=True)
class GiftBody:
    """What a question type made of an answer block: options, or accepted answers."""

    options: tuple[Option, ...] = ()
    answers: tuple[str, ...] = ()


@dataclass
class GiftQuestion:
    """One question being converted: where it is, what it is called, its format, its notes."""

    line: int
    label: str
    notes: list[GiftNote] = field(default_factory=list)
    format: str = "moodle"

    def note(self, message: str) -> None:
        """Record something about this question that changes in the conversion."""
        self.notes.append(GiftNote(self.line, self.label, message))

    def markdown(self, text: str, what: str) -> str:
        """Return the Markdown for a piece of GIFT text in its format (escapes restored)."""
        body, text_format = split_format(text.strip(), self.format)
        body = restore(body)
        if text_format == "plain":
            return _PLAIN_SPECIAL.sub(r"\\\1", body).strip()
        if text_format == "html":
            for pattern, replacement in _SIMPLE_TAGS:
                body = pattern.sub(replacement, body)
            body = body.replace("&nbsp;", " ")
            if _ANY_TAG.search(body):
                self.note(
                    f"HTML in the {what} kept as written: learners see only the tags the "
                    "platform allows, so check the preview"
                )
            body = re.sub(r"\n{3,}", "\n\n", body)
        return body.strip()

    def option(self, piece: str) -> tuple[str, str | None]:
        """Return the text and feedback of an answer `text#feedback`; raise GiftSkip when empty."""
        answer, _, feedback = piece.partition("#")
        text = one_line(self.markdown(answer, "answer"))
        if not text:
            raise GiftSkip("one of its answers is empty")
        note = self.markdown(feedback, "feedback") if feedback.strip() else None
        return text, note or None

    def choices(self, answers: str) -> list[tuple[float, str, str | None]]:
        """Return (weight, text, feedback) of each answer of a multiple choice block.

        `=` answers weigh 100, `~` answers their `%n%` weight or 0. Raises GiftSkip
        when an answer is empty or there are fewer than two.
        """
        weighted: list[tuple[float, str, str | None]] = []
        for piece in pieces(answers.replace("=", "~="), "~"):
            if piece.startswith("="):
                value, rest = 100.0, piece[1:]
            else:
                found, rest = weight(piece)
                value = 0.0 if found is None else found
            text, feedback = self.option(rest)
            weighted.append((value, text, feedback))
        if len(weighted) < 2:
            raise GiftSkip("it has fewer than two answers")
        return weighted


def protect(text: str) -> str:
    """Return `text` with its escapes (`\\=`, `\\~`, `\\n`, ...) set aside until `restore`."""
    text = text.replace("\\\\", _BACKSLASH).replace("\\n", _NEWLINE)
    for char, placeholder in _ESCAPES.items():
        text = text.replace("\\" + char, placeholder)
    return text


def restore(text: str) -> str:
    """Return `text` with the escapes set aside by `protect` as the characters they stand for."""
    return "".join(_RESTORE.get(char, char) for char in text)


def split_format(text: str, default: str) -> tuple[str, str]:
    """Return `text` without a leading `[format]` and the format that applies to it."""
    match = _FORMAT_PREFIX.match(text)
    if match and match.group("name") in _FORMATS:
        return text[match.end() :].strip(), match.group("name")
    return text, default


def one_line(text: str) -> str:
    """Return `text` with every run of white space, line ends included, as one space."""
    return " ".join(text.split())


def short(text: str, limit: int = 40) -> str:
    """Return `text` on one line, cut to `limit` characters with "..." when longer."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."


def pieces(answers: str, marker: str) -> list[str]:
    """Return the answers of a block split at `marker`, trimmed, without an empty first one."""
    found = answers.split(marker)
    if found and not found[0].strip():
        found.pop(0)
    return [piece.strip() for piece in found]


def weight(piece: str) -> tuple[float | None, str]:
    """Return the `%n%` weight at the start of an answer (None when it has none) and the rest."""
    match = _WEIGHT.match(piece)
    if match is None:
        return None, piece
    return float(match.group(1)), piece[match.end() :]


def gift_kind(answers: str) -> str:
    """Return Moodle's kind of question for an answer block (the text between the braces).

    One of essay, numerical, multichoice, matching, truefalse and shortanswer.
    """
    if not answers:
        return "essay"
    if answers.startswith("#"):
        return "numerical"
    if "~" in answers:
        return "multichoice"
    if "=" in answers and "->" in answers:
        return "matching"
    if answers.split("#", 1)[0].strip().lower() in TRUE_FALSE:
        return "truefalse"
    return "shortanswer"
