"""Reading the body of a quiz.md line by line (not through a Markdown renderer).

A question is a `## prompt {#id}` or `## prompt {#id type=T}` heading, an
optional stem (any Markdown), then either options (`- [x]` / `- [ ]` lines,
each optionally followed by feedback: `>` lines indented 2 to 4 spaces) or
`Answer:` lines, then optionally, after a blank line, one explanation
blockquote. Anything else is an error at its line. The result is a list of
`ParsedQuestion`s (model `Question`s without HTML, plus where each part was
written, so links inside them can be reported at the right line).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from induction.content.ids import is_valid_id, suggest_id
from induction.content.mdscan import code_lines
from induction.content.model import AUDIENCES, Option, Problem, Question
from induction.content.question_types import (
    QUESTION_TYPES,
    DraftOption,
    QuestionDraft,
    get_type,
    infer_type,
)

_HEADING = re.compile(r"##(?!#)(?P<rest>.*)$")
_ATTR_BLOCK = re.compile(r"(?P<prompt>.*?)[ \t]*\{(?P<attrs>[^{}]*)\}[ \t]*$")
_OPTION = re.compile(r"-[ \t]+\[(?P<tick>[ xX])\](?:[ \t]+(?P<text>.*?))?[ \t]*$")
_NEAR_OPTION = re.compile(r"[ \t]*(?:[-*+]|\d+[.)])[ \t]+\[[ xX]?\]")
_FEEDBACK = re.compile(r"(?P<indent>[ \t]+)>(?: ?)(?P<text>.*)$")
_QUOTE = re.compile(r">(?: ?)(?P<text>.*)$")
_ANSWER = re.compile(r"(?i:answer):(?P<text>.*)$")


@dataclass
class _DraftOption:
    """An option being read."""

    text: str
    is_correct: bool
    line: int
    feedback: list[str] = field(default_factory=list)
    feedback_line: int | None = None


@dataclass(frozen=True)
class ParsedQuestion:
    """A question as read, with the lines where its parts start (for messages about links)."""

    question: Question  # html fields empty; the loader renders them
    stem_line: int | None
    option_lines: tuple[int, ...]
    feedback_lines: tuple[int | None, ...]
    explanation_line: int | None


@dataclass
class _Draft:
    """A question being read."""

    line: int
    id: str | None
    prompt: str
    declared: str | None
    audiences: frozenset[str] | None = None
    stem: list[str] = field(default_factory=list)
    stem_line: int | None = None
    options: list[_DraftOption] = field(default_factory=list)
    answers: list[tuple[str, int]] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    explanation_line: int | None = None

    @property
    def name(self) -> str:
        return f"question '{self.id}'" if self.id else f"the question on line {self.line}"


class _Reader:
    """The line-by-line state machine for one quiz body."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self._last_error_line = -10

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def unexpected(self, line: int, message: str) -> None:
        # One message per run of unexpected lines, not one per line of a paragraph.
        if line != self._last_error_line + 1:
            self.error(line, message)
        self._last_error_line = line

    def read_question(self, lines: list[tuple[int, str, bool]], draft: _Draft) -> None:
        """Read the lines after a heading: stem, then options or answers, then an explanation."""
        state = "stem"
        blank_line: int | None = None  # first blank line after the options or answers
        for number, text, in_code in lines:
            blank = not text.strip()
            if state == "stem":
                if in_code or not self._starts_body(number, text, draft):
                    if not blank and draft.stem_line is None:
                        draft.stem_line = number
                    if draft.stem_line is not None:
                        draft.stem.append(text)
                    continue
                state = "options" if draft.options else "answers"
                continue
            if blank:
                if state in ("options", "answers"):
                    blank_line = number
                    state = "after"
                elif state == "explanation":
                    state = "done"
                continue
            if in_code:
                self.unexpected(number, self._after_message(draft))
                continue
            state = self._next_state(state, number, text, draft, blank_line)

    def _starts_body(self, number: int, text: str, draft: _Draft) -> bool:
        """Start the options or answers when `text` is the first option or Answer: line."""
        option = _OPTION.match(text)
        if option:
            self._add_option(number, option, draft)
            return True
        answer = _ANSWER.match(text)
        if answer:
            draft.answers.append((answer.group("text").strip(), number))
            return True
        if _NEAR_OPTION.match(text):
            self.error(number, _near_option_message())
        return False

    def _add_option(self, number: int, match: re.Match[str], draft: _Draft) -> None:
        draft.options.append(
            _DraftOption(
                text=(match.group("text") or "").strip(),
                is_correct=match.group("tick") != " ",
                line=number,
            )
        )

    def _next_state(
        self, state: str, number: int, text: str, draft: _Draft, blank_line: int | None
    ) -> str:
        option = _OPTION.match(text)
        answer = _ANSWER.match(text)
        feedback = _FEEDBACK.match(text)
        quote = _QUOTE.match(text)
        if state in ("options", "answers"):
            return self._in_list(state, number, text, draft, option, answer, feedback, quote)
        if state == "after":
            if option or answer:
                what = "options" if option else "'Answer:' lines"
                self.error(
                    blank_line or number,
                    f"blank line between the {what} of {draft.name}: remove it "
                    f"({what} must be on consecutive lines)",
                )
                return self._in_list("options", number, text, draft, option, answer, None, None)
            if quote:
                draft.explanation_line = number
                draft.explanation.append(quote.group("text"))
                return "explanation"
            if feedback:
                self.error(
                    number,
                    "option feedback must sit directly under its option, with no blank line "
                    "in between: remove the blank line above",
                )
                return "after"
            self.unexpected(number, self._after_message(draft))
            return "after"
        if state == "explanation":
            if quote:
                draft.explanation.append(quote.group("text"))
                return "explanation"
            self.unexpected(
                number,
                f"every line of the explanation of {draft.name} must start with '>': "
                "add '>' or leave a blank line before this text",
            )
            return "explanation"
        # state == "done": after the explanation only blank lines may follow.
        if quote:
            self.unexpected(
                number,
                f"{draft.name} already has an explanation: a question has one, so join the "
                "two blockquotes with a '>' line",
            )
        else:
            self.unexpected(number, self._after_message(draft))
        return "done"

    def _in_list(
        self,
        state: str,
        number: int,
        text: str,
        draft: _Draft,
        option: re.Match[str] | None,
        answer: re.Match[str] | None,
        feedback: re.Match[str] | None,
        quote: re.Match[str] | None,
    ) -> str:
        if option:
            self._add_option(number, option, draft)
            return "options"
        if answer:
            draft.answers.append((answer.group("text").strip(), number))
            return "answers"
        if feedback and state == "options" and draft.options:
            indent = len(feedback.group("indent").expandtabs(4))
            if "\t" in feedback.group("indent") or not 2 <= indent <= 4:
                self.error(
                    number,
                    f"option feedback must be indented by 2 to 4 spaces (this line has {indent}): "
                    "start it with '  > '",
                )
            current = draft.options[-1]
            if current.feedback_line is None:
                current.feedback_line = number
            current.feedback.append(feedback.group("text"))
            return "options"
        if quote:
            self.error(
                number,
                "this '>' line touches the options: indent it by 2 spaces to make it feedback "
                "for the option above, or leave a blank line before it to make it the explanation",
            )
            return state
        if _NEAR_OPTION.match(text):
            self.error(number, _near_option_message())
            return state
        self.unexpected(
            number,
            f"unexpected text among the options of {draft.name}: each option is one line "
            "starting with '- [ ]' or '- [x]', optionally followed by '  > ' feedback lines",
        )
        return state

    @staticmethod
    def _after_message(draft: _Draft) -> str:
        return (
            f"unexpected text after the options of {draft.name}: move it above the options "
            "(into the question's stem) or into the explanation ('> ' lines after a blank line)"
        )


def _near_option_message() -> str:
    return "an option must start at the beginning of the line with '- [ ] ' or '- [x] '"


def parse_questions(
    body: str, first_line: int, path: str
) -> tuple[tuple[ParsedQuestion, ...], list[Problem]]:
    """Return the questions of a quiz body whose first line is line `first_line` of `path`.

    Never raises: every problem (with its line) is in the returned list; questions
    with problems are still returned when they have an id, so that later checks
    (duplicate ids, links) can run.
    """
    raw_lines = body.split("\n")
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()
    reader = _Reader(path)
    in_code = code_lines(raw_lines)
    _report_unclosed_fences(raw_lines, in_code, first_line, reader)
    groups: list[tuple[int, str, list[tuple[int, str, bool]]]] = []
    preamble_reported = False
    for index, text in enumerate(raw_lines):
        number = first_line + index
        heading = None if in_code[index] else _HEADING.match(text)
        if heading is not None:
            groups.append((number, (heading.group("rest") or "").strip(), []))
        elif groups:
            groups[-1][2].append((number, text, in_code[index]))
        elif text.strip() and not preamble_reported:
            preamble_reported = True
            hint = (
                "put the quiz title in the front matter ('title: ...')"
                if text.startswith("#")
                else "move it into a question's stem or remove it"
            )
            reader.error(
                number,
                "a quiz holds only questions, each starting with '## prompt {#question-id}': "
                f"this text comes before the first question, {hint}",
            )
    if not groups:
        reader.error(
            first_line,
            "the quiz has no questions: add one starting with a line like "
            "'## Which body oversees the budget? {#budget-owner}'",
        )
    questions: list[ParsedQuestion] = []
    for number, heading_text, lines in groups:
        draft = _read_heading(number, heading_text, reader)
        reader.read_question(lines, draft)
        parsed = _finish(draft, reader)
        if parsed is not None:
            questions.append(parsed)
    return tuple(questions), reader.problems


def _report_unclosed_fences(
    lines: list[str], in_code: list[bool], first_line: int, reader: _Reader
) -> None:
    for index, text in enumerate(lines):
        fence = re.match(r"(`{3,}|~{3,})", text)
        if fence and not in_code[index]:
            reader.error(
                first_line + index,
                f"this code block is never closed: add a line '{fence.group(1)}' where it ends",
            )


def _read_heading(number: int, heading_text: str, reader: _Reader) -> _Draft:
    match = _ATTR_BLOCK.match(heading_text)
    if match is None:
        reader.error(
            number,
            "a question heading must end with its id in braces: "
            f"'## {heading_text or 'prompt'} {{#{suggest_id(heading_text)}}}'",
        )
        return _Draft(number, None, heading_text, None)
    prompt = match.group("prompt").strip()
    # "audiences=officer, affiliate" reads as one list, as an author would expect.
    tokens = re.sub(r"[ \t]*,[ \t]*", ",", match.group("attrs")).split()
    question_id: str | None = None
    declared: str | None = None
    if not tokens or not tokens[0].startswith("#"):
        reader.error(
            number,
            "the attribute block of a question must start with its id, like "
            f"{{#{suggest_id(prompt)}}}",
        )
    else:
        question_id = tokens[0][1:]
        if not is_valid_id(question_id):
            reader.error(
                number,
                f"question id '{question_id}' must be lowercase letters and digits joined by "
                f"single hyphens: try {{#{suggest_id(question_id)}}}",
            )
            question_id = None
        tokens = tokens[1:]
    audiences: frozenset[str] | None = None
    for token in tokens:
        key, _, value = token.partition("=")
        value = value.strip("\"'")
        if key == "audiences":
            if audiences is not None:
                reader.error(
                    number, "the question's audiences are given twice: keep one 'audiences='"
                )
            audiences = _read_audiences(number, value, reader)
        elif key != "type" or not value:
            reader.error(
                number,
                "a question's attribute block holds only its id, a type and audiences, like "
                f"{{#{question_id or 'question-id'} type=multiple audiences=councillor}}: "
                f"remove '{token}'",
            )
        elif declared is not None:
            reader.error(number, "the question's type is given twice: keep one 'type='")
        elif value not in QUESTION_TYPES:
            names = list(QUESTION_TYPES)
            close = difflib.get_close_matches(value, names, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            known = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
            reader.error(number, f"unknown question type '{value}'{hint}: use {known}")
            declared = ""
        else:
            declared = value
    draft = _Draft(number, question_id, prompt, declared or None, audiences or None)
    if not prompt:
        reader.error(number, f"{draft.name} has no prompt: write the question after '## '")
    return draft


def _read_audiences(number: int, value: str, reader: _Reader) -> frozenset[str]:
    """Return the audiences of `audiences=a,b`; report empty or unknown names (and drop them)."""
    known = ", ".join(AUDIENCES[:-1]) + " or " + AUDIENCES[-1]
    names = [name.strip() for name in value.split(",")]
    if not any(names):
        reader.error(
            number,
            f"'audiences=' is empty: name who is asked this question ({known}), "
            "comma separated, or remove it",
        )
        return frozenset()
    found: set[str] = set()
    for name in names:
        if name in AUDIENCES:
            found.add(name)
            continue
        close = difflib.get_close_matches(name, AUDIENCES, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        reader.error(number, f"unknown audience '{name}'{hint}: use {known}")
    return frozenset(found)


def _strip_blank_edges(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _joined(lines: list[str]) -> str | None:
    kept = _strip_blank_edges(lines)
    return "\n".join(kept) if kept else None


def _finish(draft: _Draft, reader: _Reader) -> ParsedQuestion | None:
    """Check the question's type rules and return it (None when it has no usable id)."""
    question_type = _check_type(draft, reader)
    _check_options(draft, reader)
    if draft.id is None:
        return None
    options = tuple(
        Option(
            text=option.text,
            html="",
            is_correct=option.is_correct,
            feedback=_joined(option.feedback),
            feedback_html=None,
        )
        for option in draft.options
    )
    explanation = _joined(draft.explanation)
    stem = "\n".join(_strip_blank_edges(draft.stem))
    question = Question(
        id=draft.id,
        type=question_type,
        type_declared=draft.declared is not None,
        prompt=draft.prompt,
        prompt_html="",
        stem=stem,
        stem_html="",
        options=options,
        answers=tuple(answer for answer, _ in draft.answers),
        explanation=explanation,
        explanation_html=None,
        review_links=(),
        line=draft.line,
        audiences=draft.audiences,
    )
    return ParsedQuestion(
        question=question,
        stem_line=draft.stem_line if stem else None,
        option_lines=tuple(option.line for option in draft.options),
        feedback_lines=tuple(
            option.feedback_line if option.feedback else None for option in draft.options
        ),
        explanation_line=draft.explanation_line if explanation is not None else None,
    )


def _check_type(draft: _Draft, reader: _Reader) -> str:
    """Report what the body lacks for its type (the type's own checks included); return the type."""
    name = draft.name
    declared = get_type(draft.declared) if draft.declared else None
    if declared is not None and not declared.takes_options:
        if draft.options:
            reader.error(
                draft.options[0].line,
                f"{name} is type={declared.name}, so it takes 'Answer:' lines, not options: "
                "remove the options",
            )
        _report(declared.check(_view(draft)), reader)
        return declared.name
    # The type that 'Answer:' lines suggest: the first registered one whose body holds them.
    typed = next((t.name for t in QUESTION_TYPES.values() if not t.takes_options), None)
    if draft.answers:
        first = draft.answers[0][1]
        if draft.options:
            reader.error(
                first,
                f"{name} has options, so 'Answer:' lines do not belong: remove them "
                f"(or remove the options and add type={typed} to the heading)",
            )
        elif typed is not None:
            reader.error(
                first,
                f"'Answer:' lines need a {typed} question: end the heading with "
                f"{{#{draft.id or 'question-id'} type={typed}}}",
            )
            return typed
    if not draft.options:
        if not draft.answers:
            reader.error(
                draft.line,
                f"{name} has no options: add '- [x] right answer' and '- [ ] wrong answer' lines "
                f"(or type={typed} with 'Answer:' lines)",
            )
        return declared.name if declared else infer_type(0)
    ticks = sum(option.is_correct for option in draft.options)
    question_type = declared or get_type(infer_type(ticks))
    _report(question_type.check(_view(draft)), reader)
    return question_type.name


def _view(draft: _Draft) -> QuestionDraft:
    return QuestionDraft(
        name=draft.name,
        id=draft.id,
        line=draft.line,
        options=tuple(
            DraftOption(o.text, o.is_correct, o.line, _joined(o.feedback) is not None)
            for o in draft.options
        ),
        answers=tuple(draft.answers),
    )


def _report(problems: Iterable[tuple[int, str]], reader: _Reader) -> None:
    for line, message in problems:
        reader.error(line, message)


def _check_options(draft: _Draft, reader: _Reader) -> None:
    seen: dict[str, int] = {}
    for option in draft.options:
        if not option.text:
            reader.error(option.line, "this option has no text: write it after '- [ ] '")
            continue
        if option.text in seen:
            reader.error(
                option.line,
                f"option '{option.text}' appears twice in {draft.name} "
                f"(also on line {seen[option.text]}): remove one",
            )
        else:
            seen[option.text] = option.line
