"""The round trip: the canonical form, examples of formatting, and properties over many quizzes.

For every valid file, parsing its formatted form gives the same structure, and
formatting twice changes nothing more; a file already in canonical form is
written back byte for byte, byte-order mark and line ends included.
"""

from __future__ import annotations

import string
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from induction.content import FormatError, check_tree, format_text, writer
from induction.content.document import parse_source, question_meaning, structure
from induction.content.ids import ID_PATTERN
from induction.content.model import AUDIENCES, Option, Question
from induction.content.source import from_text
from induction.content.tree import course_files
from tests.content.helpers import SAMPLE_COURSE, VALID_TREE, MakeTree, formatted, lesson

CANONICAL_LESSON = """\
---
id: welcome
title: "No"
minutes: 5
audiences: [councillor, officer]
version: 2
acknowledge: "I have read this: all of it."
---

## Welcome {#welcome}

Body text is kept exactly as written.
"""

CANONICAL_QUIZ = """\
---
title: Check your understanding
pass_mark: 80
max_attempts: 3
shuffle: true
---

## Which body oversees the budget? {#budget-owner}

- [ ] The Values and Principles Board
  > The Board looks after values and principles, not money.
- [x] The Executive Oversight Committee

> The Executive Oversight Committee allocates spend.
> Review [how the EOC works](02-governance.md#eoc).

## Which of these does it do? {#eoc-duties type=multiple}

Pick every answer that applies.

- [x] Sets the scope of Policy Labs
- [ ] Invoices members

## The DPS runs until 2025. {#dps-end type=truefalse}

- [x] True
- [ ] False

## What is it called? {#dps-name type=text}

Answer: Dynamic Purchasing System
Answer: DPS
"""


def kind_of(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return {"course.md": "course", "module.md": "module", "quiz.md": "quiz"}.get(name, "lesson")


def parsed_structure(text: str, kind: str) -> tuple[Any, ...]:
    document = parse_source(from_text(text), kind, "x.md")
    assert formatted(document.problems) == []
    return structure(document)


# -- examples ----------------------------------------------------------------------------


@pytest.mark.parametrize("bom", ["", "\ufeff"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize(("text", "kind"), [(CANONICAL_LESSON, "lesson"), (CANONICAL_QUIZ, "quiz")])
def test_a_canonical_file_formats_to_itself_byte_for_byte(
    text: str, kind: str, bom: str, newline: str
) -> None:
    original = bom + text.replace("\n", newline)
    assert format_text(original, kind) == original


def test_front_matter_is_put_in_order_with_canonical_scalars() -> None:
    messy = (
        "---\nacknowledge: 'I have read this: all of it.'\nversion: 2\n"
        "audiences:\n  - officer\n  - councillor\ntitle: 'No'\n\nminutes: 05\nid: welcome\n---\n\n"
        "## Welcome {#welcome}\n\nBody text is kept exactly as written.\n"
    )
    assert format_text(messy, "lesson") == CANONICAL_LESSON


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("No", '"No"'),
        ("'yes'", '"yes"'),
        ("1.0", '"1.0"'),
        ("'2020-01-01'", '"2020-01-01"'),
        ('"Plain words"', "Plain words"),
        ("'Costs: what we pay'", '"Costs: what we pay"'),
        ("'#1 in the table'", '"#1 in the table"'),
        ("'[draft]'", '"[draft]"'),
        ("It's fine", "It's fine"),
        ('"Say \\"hello\\""', 'Say "hello"'),
        ('"tab\\there"', '"tab\\there"'),
        ("Café Politique", "Café Politique"),
    ],
)
def test_text_is_quoted_only_when_needed_to_stay_text(written: str, canonical: str) -> None:
    text = f"---\ntitle: {written}\n---\n\nBody\n"
    result = format_text(text, "lesson")
    assert result == f"---\ntitle: {canonical}\n---\n\nBody\n"
    assert parsed_structure(result, "lesson") == parsed_structure(text, "lesson")


@pytest.mark.parametrize(
    ("written", "canonical"),
    [("officer", "[officer]"), ("[officer, councillor]", "[councillor, officer]")],
)
def test_lists_are_written_as_flow_lists_in_standard_order(written: str, canonical: str) -> None:
    text = f"---\ntitle: T\naudiences: {written}\n---\n"
    assert format_text(text, "lesson") == f"---\ntitle: T\naudiences: {canonical}\n---\n"


def test_booleans_and_integers_are_written_plainly() -> None:
    text = "---\nshuffle: True\npass_mark: +070\n---\n## Q {#q}\n- [x] A\n- [ ] B\n"
    assert format_text(text, "quiz") == (
        "---\npass_mark: 70\nshuffle: true\n---\n\n## Q {#q}\n\n- [x] A\n- [ ] B\n"
    )


def test_comments_in_front_matter_are_kept_with_their_keys() -> None:
    text = (
        "---\n# Reviewed in March\nversion: 2  # bumped for the new rules\n"
        "title: Rules\n# keep this last\n---\nBody\n"
    )
    assert format_text(text, "lesson") == (
        "---\ntitle: Rules\n# Reviewed in March\nversion: 2  # bumped for the new rules\n"
        "# keep this last\n---\nBody\n"
    )


def test_lesson_bodies_are_kept_verbatim() -> None:
    body = "\n\n  Odd   spacing,\ttabs, trailing spaces   \n\n\n[x]( odd.md )\nno final line end"
    text = "---\ntitle: T\n---\n" + body
    assert format_text(text, "lesson") == text


def test_a_quiz_is_rewritten_canonically() -> None:
    messy = (
        "---\nshuffle: true\nmax_attempts: 3\npass_mark: 80\ntitle: Check your understanding\n---\n"
        "\n\n##   Which body oversees the budget?   {#budget-owner}\n"
        "- [ ] The Values and Principles Board\n"
        "    >   The Board looks after values and principles, not money.\n"
        "- [X] The Executive Oversight Committee\n\n\n"
        ">The Executive Oversight Committee allocates spend.\n"
        "> Review [how the EOC works](02-governance.md#eoc).\n"
        "## Which of these does it do? {#eoc-duties type=multiple}\n\n\n"
        "Pick every answer that applies.\n"
        "- [x]   Sets the scope of Policy Labs\n- [ ] Invoices members\n"
        "## The DPS runs until 2025. {#dps-end type=truefalse}\n- [x] True\n- [ ] False\n"
        "## What is it called? {#dps-name type=text}\n"
        "answer: Dynamic Purchasing System\nAnswer:   DPS  \n\n\n"
    )
    result = format_text(messy, "quiz")
    assert result.replace("    >   The", "  >   The") != messy
    expected = CANONICAL_QUIZ.replace("  > The Board", "  >   The Board")
    assert result == expected
    assert parsed_structure(result, "quiz") == parsed_structure(messy, "quiz")


def test_an_empty_quiz_front_matter_is_dropped() -> None:
    assert format_text("---\n---\n## Q {#q}\n- [x] A\n- [ ] B\n", "quiz") == (
        "## Q {#q}\n\n- [x] A\n- [ ] B\n"
    )


def test_a_file_with_errors_has_no_canonical_form() -> None:
    with pytest.raises(FormatError) as raised:
        format_text("---\ntitle: T\nminutes: ten\n---\n", "lesson", "a/b.md")
    assert [p.format() for p in raised.value.problems] == [
        "a/b.md:3: 'minutes' must be a whole number, 1 or more, not 'ten': "
        "write it like 'minutes: 5'"
    ]


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(KeyError):
        format_text("x", "chapter")


def fixture_files() -> list[tuple[Path, str]]:
    files = [(VALID_TREE / path, kind) for path, kind in course_files(VALID_TREE)]
    files += [
        (SAMPLE_COURSE.parent / path, kind)
        for path, kind in course_files(SAMPLE_COURSE.parent)
        if path.startswith(SAMPLE_COURSE.name + "/")
    ]
    return files


@pytest.mark.parametrize(
    ("path", "kind"), fixture_files(), ids=lambda value: getattr(value, "name", value)
)
def test_every_valid_fixture_file_survives_formatting(path: Path, kind: str) -> None:
    text = path.read_bytes().decode("utf-8")
    once = format_text(text, kind)
    assert parsed_structure(once, kind) == parsed_structure(text, kind)
    assert format_text(once, kind) == once
    assert once == text  # the fixtures are kept in canonical form


def test_check_tree_reports_a_file_the_formatter_would_damage(
    make_tree: MakeTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_tree(
        {
            "course/01-module/01-a.md": lesson(),
            "course/01-module/quiz.md": "## Q {#q}\n\n- [x] A\n- [ ] B\n\n> Why.\n",
        }
    )
    _, problems = check_tree(root)
    assert problems == []

    original = writer.write_quiz

    def lossy(questions: list[Question], values: Any, front: Any = None) -> str:
        return original([replace(q, explanation=None) for q in questions], values, front)

    monkeypatch.setattr(writer, "write_quiz", lossy)
    _, problems = check_tree(root)
    assert formatted(problems) == [
        "course/01-module/quiz.md: the formatter would change what this file means, so "
        "'courses fmt' must not rewrite it: please report this file to the platform's maintainers"
    ]


# -- properties over generated quizzes ---------------------------------------------------------

# No control characters or line separators: a prompt or option is one line.
ONE_LINE_CHARS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"))
one_line = st.text(ONE_LINE_CHARS, min_size=1, max_size=40).map(str.strip).filter(bool)
any_line = st.text(ONE_LINE_CHARS, max_size=40)
ids = st.from_regex(ID_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 30)
# Stem lines start with a letter so that they cannot be read as options, answers or headings.
stem_line = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(string.ascii_letters),
    st.text(string.ascii_letters + string.digits + " .,;?!*_`[]()>#-|", max_size=30),
).filter(lambda s: not s.lower().startswith("answer:"))


def block(lines: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    """Markdown over several lines, with no blank lines at either end (None when empty)."""

    def join(parts: list[str]) -> str | None:
        kept = list(parts)
        while kept and not kept[0].strip():
            kept.pop(0)
        while kept and not kept[-1].strip():
            kept.pop()
        return "\n".join(kept) or None

    return st.lists(lines, max_size=4).map(join)


@st.composite
def questions(draw: st.DrawFn, question_id: str) -> Question:
    kind = draw(st.sampled_from(["single", "multiple", "truefalse", "text", "scenario"]))
    declared = kind in ("truefalse", "text", "scenario") or draw(st.booleans())
    options: list[Option] = []
    answers: tuple[str, ...] = ()
    if kind == "text":
        answers = tuple(draw(st.lists(one_line, min_size=1, max_size=3)))
    else:
        if kind == "truefalse":
            texts = draw(st.permutations(["True", "False"]))
            ticks = {draw(st.integers(0, 1))}
        elif kind == "scenario":
            texts = draw(st.lists(one_line, min_size=3, max_size=4, unique=True))
            ticks = {draw(st.integers(0, len(texts) - 1))}
        else:
            texts = draw(st.lists(one_line, min_size=2, max_size=5, unique=True))
            if kind == "single":
                ticks = {draw(st.integers(0, len(texts) - 1))}
            else:
                least = 1 if declared else 2
                ticks = set(
                    draw(
                        st.lists(
                            st.integers(0, len(texts) - 1),
                            min_size=least,
                            max_size=len(texts),
                            unique=True,
                        )
                    )
                )
        for index, text in enumerate(texts):
            feedback = draw(block(any_line))
            if kind == "scenario" and feedback is None:
                feedback = "What happens then."  # every choice of a scenario has its consequence
            options.append(Option(text, "", index in ticks, feedback, None))
    return Question(
        id=question_id,
        type=kind,
        type_declared=declared,
        prompt=draw(one_line),
        prompt_html="",
        stem=draw(block(st.one_of(stem_line, st.just("")))) or "",
        stem_html="",
        options=tuple(options),
        answers=answers,
        explanation=draw(block(any_line)),
        explanation_html=None,
        review_links=(),
        line=0,
        audiences=draw(
            st.one_of(st.none(), st.sets(st.sampled_from(AUDIENCES), min_size=1).map(frozenset))
        ),
    )


@st.composite
def quizzes(draw: st.DrawFn) -> tuple[list[Question], dict[str, Any]]:
    question_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    generated = [draw(questions(question_id)) for question_id in question_ids]
    values: dict[str, Any] = {}
    if draw(st.booleans()):
        values["title"] = draw(one_line)
    if draw(st.booleans()):
        values["pass_mark"] = draw(st.integers(0, 100))
    if draw(st.booleans()):
        values["max_attempts"] = draw(st.integers(0, 20))
    if draw(st.booleans()):
        values["shuffle"] = draw(st.booleans())
    return generated, values


def expected_structure(generated: list[Question], values: dict[str, Any]) -> tuple[Any, ...]:
    return (
        "quiz",
        tuple(sorted(values.items())),
        tuple(question_meaning(q) for q in generated),
    )


@settings(max_examples=200)
@given(quizzes())
def test_a_written_quiz_parses_back_to_what_was_written(
    quiz: tuple[list[Question], dict[str, Any]],
) -> None:
    generated, values = quiz
    text = writer.write_quiz(generated, values)
    assert parsed_structure(text, "quiz") == expected_structure(generated, values)
    assert format_text(text, "quiz") == text


@given(quizzes(), st.booleans(), st.sampled_from(["\n", "\r\n"]))
def test_a_written_quiz_keeps_its_bom_and_line_ends(
    quiz: tuple[list[Question], dict[str, Any]], bom: bool, newline: str
) -> None:
    generated, values = quiz
    text = ("\ufeff" if bom else "") + writer.write_quiz(generated, values).replace("\n", newline)
    assert format_text(text, "quiz") == text


@settings(max_examples=200)
@given(
    title=st.text(ONE_LINE_CHARS, min_size=1, max_size=60).map(str.strip).filter(bool),
    acknowledge=st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60),
)
def test_any_front_matter_text_survives_the_writer(title: str, acknowledge: str) -> None:
    values: dict[str, Any] = {"title": title}
    if acknowledge.strip():
        values["acknowledge"] = acknowledge.strip()
    text = writer.write_front_matter("lesson", values) + "\nBody\n"
    document = parse_source(from_text(text), "lesson", "x.md")
    assert formatted(document.problems) == []
    assert document.values == values
    assert format_text(text, "lesson") == text
