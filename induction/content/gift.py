"""Converting a Moodle GIFT file into a quiz.md in our format, saying what could not be kept.

GIFT keeps one question per block of lines (blocks are separated by blank lines):
an optional `::title::`, an optional `[format]`, the question text and an answer
block in braces. Moodle's kind of question follows from the answer block
(`giftsyntax.gift_kind`), and the question type that reads that kind
(`question_types`) makes our question of it: multiple choice and multiple answer
become `single` or `multiple`, true/false `truefalse`, short answer `text`.
Beside that:

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

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from induction.content.fmt import write_atomically
from induction.content.giftsyntax import (
    UNREAD_KINDS,
    GiftBody,
    GiftNote,
    GiftQuestion,
    GiftSkip,
    gift_kind,
    protect,
    restore,
    short,
    split_format,
)
from induction.content.ids import suggest_id
from induction.content.model import Question
from induction.content.question_types import QUESTION_TYPES, must_declare
from induction.content.quizparse import parse_questions
from induction.content.source import decode, from_text
from induction.content.tree import MODULE_FILE, QUIZ_FILE, is_ignored
from induction.content.writer import write_question, write_quiz

MAX_ID_LENGTH = 50


class GiftImportError(ValueError):
    """The GIFT file cannot be imported at all (not UTF-8, nothing to import, quiz exists)."""


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


def _convert_block(block: _Block, used: set[str]) -> tuple[Question | None, list[GiftNote]]:
    """Return the question of one block (None when there is none or it was left out), and notes."""
    raw = "\n".join(text for _, text in block.lines).strip()
    if not raw:
        return None, [_comment_note(line, text, None) for line, text in block.comments]
    line = block.lines[0][0]
    text = protect(raw)
    if text.startswith("$CATEGORY:"):
        category = restore(text[len("$CATEGORY:") :]).strip()
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
            title = restore(text[2:end]).strip()
            text = text[end + 2 :].strip()
        else:
            text = text[2:]
    state = GiftQuestion(line, title or short(restore(text.split("{", 1)[0])))
    state.notes.extend(_comment_note(n, t, state.label) for n, t in block.comments)
    try:
        question = _convert_question(text, title, state, used)
    except GiftSkip as skip:
        state.notes.append(GiftNote(line, state.label, str(skip), is_skipped=True))
        return None, state.notes
    return question, state.notes


def _comment_note(line: int, text: str, label: str | None) -> GiftNote:
    return GiftNote(
        line, label, f"comment dropped ({short(text, 60)}): a quiz.md has no place for comments"
    )


def _convert_question(
    text: str, title: str | None, state: GiftQuestion, used: set[str]
) -> Question:
    start, finish = text.find("{"), text.find("}")
    if start == -1 and finish == -1:
        raise GiftSkip("it has no answer block in braces, so it is a description, not a question")
    if start == -1 or finish == -1 or finish < start:
        raise GiftSkip("its braces do not match: write the answers as {=right ~wrong}")
    after = text[finish + 1 :].strip()
    if after:
        raise GiftSkip(
            "the answers sit inside the text (a missing-word question): our questions "
            "cannot show a gap; move the answers to the end"
        )
    question_text, state.format = split_format(text[:start].strip(), "moodle")
    answers = text[start + 1 : finish].strip()
    explanation: str | None = None
    general = answers.rfind("####")
    if general != -1:
        explanation = state.markdown(answers[general + 4 :], "general feedback")
        answers = answers[:general].strip()
    prompt, stem = _prompt_and_stem(state.markdown(question_text, "question"))
    if not prompt:
        raise GiftSkip("it has no question text")
    type_name, body = _answers(answers, state)
    question = Question(
        id=_unique_id(title or prompt, used),
        type=type_name,
        type_declared=must_declare(type_name, body.options),
        prompt=prompt,
        prompt_html="",
        stem=stem,
        stem_html="",
        options=body.options,
        answers=body.answers,
        explanation=explanation or None,
        explanation_html=None,
        review_links=(),
        line=state.line,
    )
    _check_written(question)
    return question


def _check_written(question: Question) -> None:
    """Refuse a question whose written form our own parser would not read back cleanly."""
    try:
        written = write_question(question)
    except ValueError as exc:
        raise GiftSkip(f"it cannot be written in our format ({exc})") from None
    _, problems = parse_questions(written, 1, "")
    if problems:
        raise GiftSkip(f"the converted question is not valid: {problems[0].message}")


def _prompt_and_stem(text: str) -> tuple[str, str]:
    """Return the first line as the prompt (a heading is one line) and the rest as the stem."""
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return "", ""
    return lines[0].strip(), "\n".join(lines[1:]).strip()


def _unique_id(text: str, used: set[str]) -> str:
    base = suggest_id(text)
    if len(base) > MAX_ID_LENGTH:
        base = base[:MAX_ID_LENGTH].rsplit("-", 1)[0] or base[:MAX_ID_LENGTH]
    candidate, number = base, 2
    while candidate in used:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def _answers(answers: str, state: GiftQuestion) -> tuple[str, GiftBody]:
    """Return the type that reads the answer block and its body; raise GiftSkip if none does."""
    kind = gift_kind(answers)
    for question_type in QUESTION_TYPES.values():
        if question_type.gift_kind == kind:
            body = question_type.read_gift(answers, state)
            if body is not None:
                return question_type.name, body
    raise GiftSkip(UNREAD_KINDS.get(kind, f"it is a {kind} question: our quizzes have none"))


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
