"""Converting a Moodle GIFT file into a quiz.md in our format, saying what could not be kept.

GIFT keeps one question per block of lines (blocks are separated by blank lines):
an optional `::title::`, an optional `[format]`, the question text and an answer
block in braces. What we convert:

- multiple choice: `{=right ~wrong ~wrong}` becomes a single-answer question;
- multiple answer: `{~%50%a ~%50%b ~%-100%c}` becomes `type=multiple` when every
  positive weight is the same and the others are 0 or negative (the note says the
  partial weights were flattened: our questions are right or wrong as a whole);
- true/false: `{T}`, `{F}`, `{TRUE}`, `{FALSE}` (`{T#wrong#right}` feedback goes to
  the False and True options);
- short answer: `{=a =b}` (no `~`) becomes `type=text` with `Answer:` lines;
- `#feedback` after an answer becomes that option's feedback, `####general
  feedback` the question's explanation;
- `::title::` becomes the question id (slugified and made unique);
- escapes `\\=`, `\\~`, `\\#`, `\\{`, `\\}`, `\\:`, `\\n` and `\\\\`;
- `[markdown]` and `[moodle]` text is kept as written, `[plain]` text is escaped
  so Markdown shows it literally, and `[html]` loses its simple tags (`<p>`,
  `<br>`, bold, italics); other HTML is kept and noted.

Everything else (matching, numerical, essay, descriptions, missing-word
questions, percentage-weighted short answers, partial credit in single-answer
questions, `//` comments and `$CATEGORY:` lines) is reported with its line: a
quiz.md has no place for comments or categories, so those are reported as
dropped, and a question we cannot express is reported and left out. Nothing is
dropped without a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from induction.content.fmt import write_atomically
from induction.content.ids import suggest_id
from induction.content.model import Option, Question
from induction.content.quizparse import parse_questions
from induction.content.source import decode, from_text
from induction.content.tree import MODULE_FILE, QUIZ_FILE, is_ignored
from induction.content.writer import write_question, write_quiz

MAX_ID_LENGTH = 50

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
_TRUE_FALSE = {"t": True, "true": True, "f": False, "false": False}
_PLAIN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|{}])")
_SIMPLE_TAGS = (
    (re.compile(r"<br\s*/?>", re.IGNORECASE), "\n"),
    (re.compile(r"</?p\s*>", re.IGNORECASE), "\n"),
    (re.compile(r"</?(?:strong|b)\s*>", re.IGNORECASE), "**"),
    (re.compile(r"</?(?:em|i)\s*>", re.IGNORECASE), "*"),
)
_ANY_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


class GiftImportError(ValueError):
    """The GIFT file cannot be imported at all (not UTF-8, nothing to import, quiz exists)."""


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
class GiftResult:
    """The converted questions, the quiz.md text ("" when nothing converted) and the notes."""

    questions: tuple[Question, ...]
    text: str
    notes: tuple[GiftNote, ...]

    @property
    def skipped(self) -> tuple[GiftNote, ...]:
        """The notes of questions that were left out."""
        return tuple(note for note in self.notes if note.is_skipped)


@dataclass
class _Block:
    line: int  # first line of the block in the file
    lines: list[tuple[int, str]] = field(default_factory=list)  # (line, text) without comments
    comments: list[tuple[int, str]] = field(default_factory=list)


class _Skip(Exception):
    """The question cannot be expressed (the message says why); never leaves this module."""


@dataclass
class _Question:
    """One question being converted: where it is, what it is called, what has been noted."""

    line: int
    label: str
    notes: list[GiftNote] = field(default_factory=list)
    format: str = "moodle"

    def note(self, message: str) -> None:
        """Record something about this question that changes in the conversion."""
        self.notes.append(GiftNote(self.line, self.label, message))


def convert_gift(text: str, taken_ids: Iterable[str] = ()) -> GiftResult:
    """Return the quiz.md text for the GIFT `text`, the questions in it and the notes.

    `taken_ids` are question ids already used elsewhere in the course: new ids
    avoid them. Never raises for bad content: a question that cannot be converted
    is left out with a note that gives its line and why.
    """
    source = from_text(text)
    used = set(taken_ids)
    questions: list[Question] = []
    notes: list[GiftNote] = []
    for block in _blocks(source.text):
        converted, block_notes = _convert_block(block, used)
        notes.extend(block_notes)
        if converted is not None:
            used.add(converted.id)
            questions.append(converted)
    quiz_text = write_quiz(questions, {}) if questions else ""
    notes.sort(key=lambda note: note.line)
    return GiftResult(tuple(questions), quiz_text, tuple(notes))


def _blocks(text: str) -> list[_Block]:
    """Split the file into blocks at blank lines, taking `//` comment lines aside."""
    blocks: list[_Block] = []
    current: _Block | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            current = None
            continue
        if current is None:
            current = _Block(number)
            blocks.append(current)
        if line.strip().startswith("//"):
            current.comments.append((number, line.strip()))
        else:
            current.lines.append((number, line))
    return blocks


def _protect(text: str) -> str:
    text = text.replace("\\\\", _BACKSLASH).replace("\\n", _NEWLINE)
    for char, placeholder in _ESCAPES.items():
        text = text.replace("\\" + char, placeholder)
    return text


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(char, char) for char in text)


def _convert_block(block: _Block, used: set[str]) -> tuple[Question | None, list[GiftNote]]:
    """Return the question of one block (None when there is none or it was left out), and notes."""
    raw = "\n".join(text for _, text in block.lines).strip()
    if not raw:
        return None, [_comment_note(line, text, None) for line, text in block.comments]
    line = block.lines[0][0]
    text = _protect(raw)
    if text.startswith("$CATEGORY:"):
        category = _restore(text[len("$CATEGORY:") :]).strip()
        note = GiftNote(
            line,
            None,
            f"category '{category}' dropped: a quiz.md is one module's quiz and has no "
            "categories, and it cannot keep one as a comment either",
        )
        return None, [note, *(_comment_note(n, t, None) for n, t in block.comments)]
    title: str | None = None
    if text.startswith("::"):
        end = text.find("::", 2)
        if end != -1:
            title = _restore(text[2:end]).strip()
            text = text[end + 2 :].strip()
        else:
            text = text[2:]
    state = _Question(line, title or _short(_restore(text.split("{", 1)[0])))
    state.notes.extend(_comment_note(n, t, state.label) for n, t in block.comments)
    try:
        question = _convert_question(text, title, state, used)
    except _Skip as skip:
        state.notes.append(GiftNote(line, state.label, str(skip), is_skipped=True))
        return None, state.notes
    return question, state.notes


def _comment_note(line: int, text: str, label: str | None) -> GiftNote:
    return GiftNote(
        line, label, f"comment dropped ({_short(text, 60)}): a quiz.md has no place for comments"
    )


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."


def _convert_question(text: str, title: str | None, state: _Question, used: set[str]) -> Question:
    start, finish = text.find("{"), text.find("}")
    if start == -1 and finish == -1:
        raise _Skip("it has no answer block in braces, so it is a description, not a question")
    if start == -1 or finish == -1 or finish < start:
        raise _Skip("its braces do not match: write the answers as {=right ~wrong}")
    after = text[finish + 1 :].strip()
    if after:
        raise _Skip(
            "the answers sit inside the text (a missing-word question): our questions "
            "cannot show a gap; move the answers to the end"
        )
    question_text, state.format = _split_format(text[:start].strip(), "moodle")
    answers = text[start + 1 : finish].strip()
    explanation: str | None = None
    general = answers.rfind("####")
    if general != -1:
        explanation = _markdown(answers[general + 4 :], state.format, state, "general feedback")
        answers = answers[:general].strip()
    prompt, stem = _prompt_and_stem(_markdown(question_text, state.format, state, "question"))
    if not prompt:
        raise _Skip("it has no question text")
    kind, options, accepted = _answers(answers, state)
    question = Question(
        id=_unique_id(title or prompt, used),
        type=kind,
        type_declared=kind in ("truefalse", "text") or _needs_declared(kind, options),
        prompt=prompt,
        prompt_html="",
        stem=stem,
        stem_html="",
        options=tuple(options),
        answers=tuple(accepted),
        explanation=explanation or None,
        explanation_html=None,
        review_links=(),
        line=state.line,
    )
    _check_written(question)
    return question


def _needs_declared(kind: str, options: list[Option]) -> bool:
    return kind == "multiple" and sum(option.is_correct for option in options) < 2


def _check_written(question: Question) -> None:
    """Refuse a question whose written form our own parser would not read back cleanly."""
    try:
        written = write_question(question)
    except ValueError as exc:
        raise _Skip(f"it cannot be written in our format ({exc})") from None
    _, problems = parse_questions(written, 1, "")
    if problems:
        raise _Skip(f"the converted question is not valid: {problems[0].message}")


def _split_format(text: str, default: str) -> tuple[str, str]:
    """Return `text` without a leading `[format]` and the format that applies to it."""
    match = _FORMAT_PREFIX.match(text)
    if match and match.group("name") in _FORMATS:
        return text[match.end() :].strip(), match.group("name")
    return text, default


def _markdown(text: str, default_format: str, state: _Question, what: str) -> str:
    """Return the Markdown for a piece of GIFT text in its format (escapes restored)."""
    body, text_format = _split_format(text.strip(), default_format)
    body = _restore(body)
    if text_format == "plain":
        return _PLAIN_SPECIAL.sub(r"\\\1", body).strip()
    if text_format == "html":
        for pattern, replacement in _SIMPLE_TAGS:
            body = pattern.sub(replacement, body)
        body = body.replace("&nbsp;", " ")
        if _ANY_TAG.search(body):
            state.note(
                f"HTML in the {what} kept as written: learners see only the tags the "
                "platform allows, so check the preview"
            )
        body = re.sub(r"\n{3,}", "\n\n", body)
    return body.strip()


def _prompt_and_stem(text: str) -> tuple[str, str]:
    """Return the first line as the prompt (a heading is one line) and the rest as the stem."""
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return "", ""
    return lines[0].strip(), "\n".join(lines[1:]).strip()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _unique_id(text: str, used: set[str]) -> str:
    base = suggest_id(text)
    if len(base) > MAX_ID_LENGTH:
        base = base[:MAX_ID_LENGTH].rsplit("-", 1)[0] or base[:MAX_ID_LENGTH]
    candidate, number = base, 2
    while candidate in used:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def _answers(answers: str, state: _Question) -> tuple[str, list[Option], list[str]]:
    """Return the question type and its options or accepted answers; raise _Skip when we cannot."""
    if not answers:
        raise _Skip("it is an essay question ({}): our quizzes mark every answer automatically")
    if answers.startswith("#"):
        raise _Skip("it is a numerical question: our quizzes have no numbers with ranges")
    if "~" in answers:
        return _multiple_choice(answers, state)
    if "=" in answers and "->" in answers:
        raise _Skip("it is a matching question: our quizzes have no matching")
    check = answers.split("#", 1)[0].strip()
    if check.lower() in _TRUE_FALSE:
        return _true_false(answers, _TRUE_FALSE[check.lower()], state)
    return _short_answer(answers, state)


def _pieces(answers: str, marker: str) -> list[str]:
    pieces = answers.split(marker)
    if pieces and not pieces[0].strip():
        pieces.pop(0)
    return [piece.strip() for piece in pieces]


def _weight(piece: str) -> tuple[float | None, str]:
    match = _WEIGHT.match(piece)
    if match is None:
        return None, piece
    return float(match.group(1)), piece[match.end() :]


def _option_parts(piece: str, state: _Question) -> tuple[str, str | None]:
    answer, _, feedback = piece.partition("#")
    text = _one_line(_markdown(answer, state.format, state, "answer"))
    if not text:
        raise _Skip("one of its answers is empty")
    note = _markdown(feedback, state.format, state, "feedback") if feedback.strip() else None
    return text, note or None


def _multiple_choice(answers: str, state: _Question) -> tuple[str, list[Option], list[str]]:
    has_equals = "=" in answers
    weighted: list[tuple[float, str, str | None]] = []
    for piece in _pieces(answers.replace("=", "~="), "~"):
        if piece.startswith("="):
            weight, rest = 100.0, piece[1:]
        else:
            found, rest = _weight(piece)
            weight = 0.0 if found is None else found
        text, feedback = _option_parts(rest, state)
        weighted.append((weight, text, feedback))
    if len(weighted) < 2:
        raise _Skip("it has fewer than two answers")
    positive = [weight for weight, _, _ in weighted if weight > 0]
    negative = any(weight < 0 for weight, _, _ in weighted)
    if has_equals:
        right = sum(1 for weight, _, _ in weighted if weight == 100)
        if right > 1:
            raise _Skip(
                "it has several '=' answers, each fully right on its own: our single-answer "
                "questions have one right option (use ~%50% weights for 'pick all that apply')"
            )
        if len(positive) > right:
            raise _Skip("it gives partial credit to some answers (~%50%): our questions have none")
        if negative:
            state.note("negative weights dropped: a wrong answer scores 0, it takes nothing away")
        kind = "single"
    else:
        if not positive:
            raise _Skip("none of its answers is right: mark one with '=' or a positive weight")
        if len(set(positive)) != 1:
            raise _Skip(
                "its partial weights differ between right answers: our questions are right "
                "or wrong as a whole, so they cannot be flattened without changing the marks"
            )
        if positive != [100.0] or negative:
            state.note(
                "partial weights were flattened: the answer is right only when the learner "
                "picks exactly the right options, with no partial credit or penalty"
            )
        kind = "multiple"
    options = [Option(text, "", weight > 0, feedback, None) for weight, text, feedback in weighted]
    return kind, options, []


def _true_false(
    answers: str, is_true: bool, state: _Question
) -> tuple[str, list[Option], list[str]]:
    parts = answers.split("#", 2)
    wrong = _markdown(parts[1], state.format, state, "feedback") if len(parts) > 1 else ""
    right = _markdown(parts[2], state.format, state, "feedback") if len(parts) > 2 else ""
    true_feedback, false_feedback = (right, wrong) if is_true else (wrong, right)
    options = [
        Option("True", "", is_true, true_feedback or None, None),
        Option("False", "", not is_true, false_feedback or None, None),
    ]
    return "truefalse", options, []


def _short_answer(answers: str, state: _Question) -> tuple[str, list[Option], list[str]]:
    accepted: list[str] = []
    for piece in _pieces(answers, "="):
        weight, rest = _weight(piece)
        if weight is not None and weight != 100:
            raise _Skip(
                f"its answers carry percentage weights (%{weight:g}%): our text questions "
                "accept an answer fully or not at all"
            )
        answer, _, feedback = rest.partition("#")
        text = _one_line(_restore(answer))
        if not text:
            raise _Skip("one of its answers is empty")
        if feedback.strip():
            state.note(
                f"feedback for the answer '{_short(text)}' dropped: text questions have no "
                "feedback per answer (put it in the explanation, after '####')"
            )
        if "*" in text:
            state.note(f"'*' in the answer '{_short(text)}' is matched as a star, not a wildcard")
        accepted.append(text)
    if not accepted:
        raise _Skip("it has no accepted answer")
    return "text", [], accepted


# -- importing a file into a module folder ---------------------------------------------------


def course_question_ids(module_dir: Path) -> set[str]:
    """Return the question ids of the other quizzes of the course that `module_dir` belongs to.

    Reads every sibling module's quiz.md; unreadable or broken files are skipped
    (the checker reports them).
    """
    from induction.content.document import parse_source
    from induction.content.source import DecodeError

    taken: set[str] = set()
    for sibling in sorted(module_dir.parent.iterdir()):
        quiz = sibling / QUIZ_FILE
        if sibling == module_dir or is_ignored(sibling.name) or not quiz.is_file():
            continue
        try:
            source = decode(quiz.read_bytes())
        except (OSError, DecodeError):
            continue
        document = parse_source(source, "quiz", QUIZ_FILE)
        taken.update(parsed.question.id for parsed in document.questions)
    return taken


def import_gift_file(gift_file: Path, module_dir: Path, *, force: bool = False) -> GiftResult:
    """Convert `gift_file` and write it as `module_dir/quiz.md`; return the result and notes.

    Raises `GiftImportError` when the file is not UTF-8, when nothing in it could
    be converted, when `module_dir` is not a module folder, or when the module
    already has a quiz.md and `force` is False. Raises `OSError` when a file cannot
    be read or written.
    """
    from induction.content.source import DecodeError

    if not (module_dir / MODULE_FILE).is_file():
        raise GiftImportError(
            f"{module_dir} is not a module folder (it has no {MODULE_FILE}): give the folder "
            "of the module that the quiz belongs to"
        )
    target = module_dir / QUIZ_FILE
    if target.exists() and not force:
        raise GiftImportError(
            f"{target} already exists: use --force to replace it (attempts already made "
            "keep the questions as they were asked)"
        )
    try:
        source = decode(gift_file.read_bytes())
    except DecodeError as exc:
        raise GiftImportError(f"{gift_file}:{exc.line}: {exc.message}") from None
    result = convert_gift(source.text, course_question_ids(module_dir))
    if not result.questions:
        raise GiftImportError(nothing_imported_message(gift_file.name, result))
    write_atomically(target, result.text.encode("utf-8"))
    return result


def nothing_imported_message(name: str, result: GiftResult) -> str:
    """Return the message for a GIFT file of which no question could be converted."""
    if not result.notes:
        return f"{name} holds no questions: each question needs its answers in braces"
    reasons = "; ".join(note.format("line ") for note in (result.skipped or result.notes))
    return f"nothing in {name} could be imported: {reasons}"
