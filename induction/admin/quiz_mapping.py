"""How the quiz builder's form maps to and from a quiz file. Pure: no Flask.

The form's state (`induction.admin.quiz_state.QuizState`) is read from a parsed
quiz.md (`state_from_document`) and turned back into questions and front matter
values for the writer (`build_quiz`), with errors an author understands, each
naming the form field to fix.

Rules kept here:

- A question's id is made from its prompt when it is first saved (unique in the
  course, and never one the quiz used before) and kept from then on, whatever the
  prompt becomes, so attempts and reports stay joined to it.
- The lesson section that teaches a question (see `induction.admin.quiz_sections`)
  is written back as it was written when the choice did not change.
- A question's text and an option's text are one line in the file: line breaks
  typed in their boxes (which wrap on a phone) become spaces.
- Nothing is lost: a question whose type was written (`type=...`) keeps it; front
  matter keys absent from the file stay absent unless the author sets them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from induction.admin.quiz_sections import Section, join_review, split_review
from induction.admin.quiz_state import (
    OptionState,
    QuestionState,
    QuizState,
    fit_to_type,
    has_one_right_answer,
    question_field,
    right_answer_field,
)
from induction.admin.quiz_summary import several_marked_right
from induction.content.document import Document, question_meaning, structure
from induction.content.ids import is_valid_id, suggest_id
from induction.content.model import AUDIENCES, Option, Question
from induction.content.question_types import QUESTION_TYPES, get_type, must_declare
from induction.content.quizbuild import DEFAULT_QUIZ_TITLE
from induction.inputs import control_character_problem

MAX_ID_CHARS = 48  # a question id made from a long prompt is cut at a hyphen before this


@dataclass(frozen=True)
class FieldError:
    """An error on the form: the id of the field to fix and what to do."""

    field: str
    message: str


@dataclass(frozen=True)
class Built:
    """The quiz the form makes: questions and front matter values, or the errors to fix."""

    questions: tuple[Question, ...]
    values: dict[str, object]
    errors: tuple[FieldError, ...]


# -- file -> form ---------------------------------------------------------------------------------


def state_from_questions(
    questions: Sequence[Question], values: dict[str, object], sections: Sequence[Section]
) -> QuizState:
    """Return the form's state for a quiz with these questions and front matter values."""
    targets = [section.target for section in sections]
    state = QuizState(
        title=str(values.get("title", "")),
        pass_mark=str(values["pass_mark"]) if "pass_mark" in values else "",
        max_attempts=str(values["max_attempts"]) if "max_attempts" in values else "",
        shuffle=bool(values.get("shuffle", False)),
    )
    for question in questions:
        explanation, section = split_review(question.explanation or "", targets)
        state.questions.append(
            QuestionState(
                id=question.id,
                type=question.type,
                prompt=question.prompt,
                stem=question.stem,
                options=[
                    OptionState(option.text, option.is_correct, option.feedback or "")
                    for option in question.options
                ],
                answers="\n".join(question.answers),
                explanation=explanation,
                section=section,
                audiences=[a for a in AUDIENCES if question.audiences and a in question.audiences],
            )
        )
    return state


def state_from_document(document: Document, sections: Sequence[Section]) -> QuizState:
    """Return the form's state for a parsed quiz.md (one without errors)."""
    questions = [parsed.question for parsed in document.questions]
    return state_from_questions(questions, document.values, sections)


# -- form -> file ---------------------------------------------------------------------------------


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _one_line(text: str) -> str:
    """Return text typed in a box as the one line the file holds: its lines joined by spaces."""
    return " ".join(line.strip() for line in _lines(text).split("\n") if line.strip())


def _block(text: str) -> str:
    """Return multi-line text as the parser reads it back: blank lines at either end removed."""
    lines = _lines(text).split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _control(
    value: str, where: str, name: str, errors: list[FieldError], *, multiline: bool
) -> None:
    problem = control_character_problem(value, multiline=multiline)
    if problem:
        errors.append(FieldError(name, f"{where}: {problem[:1].lower()}{problem[1:]}"))


def new_id(prompt: str, taken: set[str]) -> str:
    """Return an id made from `prompt` that is not in `taken` (a number added when needed)."""
    base = suggest_id(prompt)
    if len(base) > MAX_ID_CHARS:
        base = base[:MAX_ID_CHARS].rsplit("-", 1)[0] or base[:MAX_ID_CHARS]
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _settings(
    state: QuizState, original: dict[str, object], errors: list[FieldError]
) -> dict[str, object]:
    values: dict[str, object] = {k: v for k, v in original.items() if k == "id"}
    title = state.title.strip()
    _control(title, "Quiz title", "title", errors, multiline=False)
    if title and ("title" in original or title != DEFAULT_QUIZ_TITLE):
        values["title"] = title
    for key, label, top in (
        ("pass_mark", "Pass mark", 100),
        ("max_attempts", "Attempts allowed", None),
    ):
        raw = getattr(state, key).strip().rstrip("%").strip()
        if not raw:
            continue
        if not raw.isdigit() or len(raw) > 6 or (top is not None and int(raw) > top):
            rule = "from 0 to 100" if top is not None else "0 or more"
            errors.append(
                FieldError(key, f"{label}: write a whole number {rule}, or leave it empty")
            )
            continue
        values[key] = int(raw)
    if state.shuffle:
        values["shuffle"] = True
    elif "shuffle" in original:
        values["shuffle"] = False
    return values


def _options(index: int, question: QuestionState, errors: list[FieldError]) -> tuple[Option, ...]:
    where = f"Question {index + 1}"
    kind = question.type
    kept: list[tuple[int, OptionState]] = [
        (number, option) for number, option in enumerate(question.options) if not option.is_empty
    ]
    seen: dict[str, int] = {}
    options: list[Option] = []
    for number, option in kept:
        text = _one_line(option.text)
        label = f"{where}, option {number + 1}"
        _control(text, label, question_field(index, "text", number), errors, multiline=False)
        _control(
            option.feedback,
            f"{label} feedback",
            question_field(index, "feedback", number),
            errors,
            multiline=True,
        )
        if not text:
            errors.append(
                FieldError(
                    question_field(index, "text", number), f"{label}: write the option's text"
                )
            )
        elif text in seen:
            errors.append(
                FieldError(
                    question_field(index, "text", number),
                    f"{label}: it is the same as option {seen[text] + 1}: change or remove one",
                )
            )
        else:
            seen[text] = number
        feedback = _block(option.feedback)
        if kind == "scenario" and text and not feedback:
            errors.append(
                FieldError(
                    question_field(index, "feedback", number),
                    f"{label}: write what happens after this choice "
                    "(a scenario shows it for every choice)",
                )
            )
        options.append(Option(text, "", option.is_correct, feedback or None, None))
    first = question_field(index, "text", kept[0][0] if kept else 0)
    ticks = sum(option.is_correct for option in options)
    if kind == "scenario" and not 3 <= len(options) <= 4:
        errors.append(
            FieldError(first, f"{where}: a scenario needs 3 or 4 choices (it has {len(options)})")
        )
    elif len(options) < 2:
        errors.append(FieldError(first, f"{where}: write at least two options"))
    if not has_one_right_answer(kind):
        if ticks == 0:
            errors.append(
                FieldError(
                    question_field(index, "is_correct", kept[0][0] if kept else 0),
                    f"{where}: tick at least one right answer",
                )
            )
        return tuple(options)
    # One right answer: the builder asks for it as a choice of one (radio buttons).
    if ticks == 0:
        what = {
            "truefalse": "choose True or False, whichever is right",
            "scenario": "choose the best choice",
        }.get(kind, "choose the right answer")
        errors.append(FieldError(right_answer_field(index), f"{where}: {what}"))
    elif ticks > 1:
        several = several_marked_right(question) or "choose only one right answer"
        errors.append(
            FieldError(right_answer_field(index), f"{where}: {several[:1].lower()}{several[1:]}")
        )
    return tuple(options)


def _question(
    index: int,
    question: QuestionState,
    original: dict[str, Question],
    sections: dict[str, Section],
    errors: list[FieldError],
) -> Question:
    where = f"Question {index + 1}"
    prompt = _one_line(question.prompt)
    _control(prompt, where, question_field(index, "prompt"), errors, multiline=False)
    if not prompt:
        errors.append(FieldError(question_field(index, "prompt"), f"{where}: write the question"))
    if question.type not in QUESTION_TYPES:
        errors.append(
            FieldError(question_field(index, "type"), f"{where}: choose a type of question")
        )
        kind_name = "single"
    else:
        kind_name = question.type
    kind = get_type(kind_name)
    fitted = (
        fit_to_type(replace(question, type=kind_name)) if kind_name == "truefalse" else question
    )
    options: tuple[Option, ...] = ()
    answers: tuple[str, ...] = ()
    if kind.takes_options:
        options = _options(index, replace(fitted, type=kind_name), errors)
    else:
        _control(
            question.answers,
            f"{where}, accepted answers",
            question_field(index, "answers"),
            errors,
            multiline=True,
        )
        answers = tuple(a.strip() for a in _lines(question.answers).split("\n") if a.strip())
        if not answers:
            errors.append(
                FieldError(
                    question_field(index, "answers"), f"{where}: write at least one accepted answer"
                )
            )
    stem = _block(question.stem)
    _control(stem, f"{where}, more detail", question_field(index, "stem"), errors, multiline=True)
    if any(line.startswith("##") for line in stem.split("\n")):
        errors.append(
            FieldError(
                question_field(index, "stem"),
                f"{where}, more detail: a line starting with ## would start a new question: "
                "remove the ## or use ### for a heading",
            )
        )
    text = _block(question.explanation)
    _control(
        text, f"{where}, explanation", question_field(index, "explanation"), errors, multiline=True
    )
    section = sections.get(question.section) if question.section else None
    if question.section and section is None:
        errors.append(
            FieldError(
                question_field(index, "section"),
                f"{where}: choose the lesson section from the list",
            )
        )
    before = original.get(question.id)
    explanation = join_review(text, section)
    if before is not None and before.explanation is not None:
        old_text, old_target = split_review(before.explanation, sections)
        if _block(old_text) == text and old_target == question.section:
            explanation = before.explanation
    audiences = frozenset(a for a in question.audiences if a in AUDIENCES) or None
    declared = (
        before is not None and before.type == kind_name and before.type_declared
    ) or must_declare(kind_name, options)
    return Question(
        id=question.id,
        type=kind_name,
        type_declared=declared,
        prompt=prompt,
        prompt_html="",
        stem=stem,
        stem_html="",
        options=options,
        answers=answers,
        explanation=explanation or None,
        explanation_html=None,
        review_links=(),
        line=0,
        audiences=audiences,
    )


def build_quiz(
    state: QuizState,
    original: Document | None,
    sections: Sequence[Section],
    taken: Iterable[str] = (),
) -> Built:
    """Return the questions and front matter values the form makes, or the errors to fix.

    `original` is the quiz.md as it is now (None for a new quiz): questions keep
    what the form does not show (a written `type=`, a review link's words) by their
    id, and its front matter keys. `taken` holds question ids used elsewhere in the
    course; a new question gets an id from its prompt that is neither taken nor
    used by the quiz now.
    """
    errors: list[FieldError] = []
    before = (
        {parsed.question.id: parsed.question for parsed in original.questions} if original else {}
    )
    values = _settings(state, dict(original.values) if original else {}, errors)
    if not state.questions:
        errors.append(FieldError("add-question", "Add at least one question"))
    by_target = {section.target: section for section in sections}
    # An id may appear as often as the file has it (a duplicate is the checker's to report).
    allowed = (
        Counter(parsed.question.id for parsed in original.questions) if original else Counter()
    )
    kept: Counter[str] = Counter()
    for question in state.questions:
        if is_valid_id(question.id) and kept[question.id] < max(1, allowed[question.id]):
            kept[question.id] += 1
        else:
            question.id = ""
    kept_ids = set(kept)
    used = set(taken) | set(before) | kept_ids
    questions = []
    for index, question in enumerate(state.questions):
        built = _question(index, question, before, by_target, errors)
        if not built.id:
            built = replace(built, id=new_id(built.prompt or f"question {index + 1}", used))
            used.add(built.id)
        questions.append(built)
    return Built(tuple(questions), values, tuple(errors))


def assign_ids(state: QuizState, built: Built) -> None:
    """Give the form's new questions the ids `build_quiz` made for them."""
    for question, made in zip(state.questions, built.questions, strict=True):
        question.id = made.id


def question_at(document: Document, line: int) -> int:
    """Return the question (0-based) of a parsed quiz whose lines hold `line`: the last one
    starting on or before it (0, the first, for a line before every question)."""
    starts = [parsed.question.line for parsed in document.questions]
    return max((i for i, start in enumerate(starts) if start <= line), default=0)


def written_problems(document: Document, built: Built) -> tuple[FieldError, ...]:
    """Return errors for a written quiz that does not read back as the form made it.

    A safety net under the form's own checks: each problem of the written file is
    put on the question whose lines hold it.
    """
    errors = []
    for problem in document.problems:
        index = question_at(document, problem.line)
        errors.append(
            FieldError(
                question_field(index, "prompt"),
                f"Question {index + 1}: this cannot be saved as written ({problem.message})",
            )
        )
    if not errors and _meaning(document) != _meaning_of(built):
        errors.append(
            FieldError(
                "questions",
                "The quiz cannot be saved as written: some text reads back differently. "
                "Check lines that start with '- [', 'Answer:' or '>' in a question's detail",
            )
        )
    return tuple(errors)


def _meaning(document: Document) -> object:
    return structure(document)[2]


def _meaning_of(built: Built) -> object:
    return tuple(question_meaning(q) for q in built.questions)


def is_unchanged(document: Document, built: Built) -> bool:
    """Return True when the form makes exactly the quiz `document` holds (same meaning)."""
    values = tuple(sorted(built.values.items()))
    return structure(document)[1] == values and _meaning(document) == _meaning_of(built)
