"""The line-by-line quiz reader: the authoring guide's example and each rule in detail."""

from __future__ import annotations

import pytest

from induction.content.model import Question
from induction.content.quizparse import ParsedQuestion, parse_questions
from tests.content.helpers import formatted

GUIDE_EXAMPLE = """\
## Which body oversees the Network's budget? {#budget-owner}

- [ ] The Values and Principles Board
  > The Board looks after values and principles, not money.
- [x] The Executive Oversight Committee
- [ ] The Local Government Association

> The Executive Oversight Committee allocates spend and signs off the annual
> accounts. Review [how the EOC works](02-governance.md#eoc).

## Which of these does the Executive Oversight Committee do? {#eoc-duties}

Pick every answer that applies.

- [x] Sets the scope of Policy Labs and Policy Prototypes
- [x] Manages the Network's reputation
- [ ] Invoices members each September

## The Dynamic Purchasing System runs until 31 March 2025. {#dps-end type=truefalse}

- [x] True
- [ ] False

## What is the name of the purchasing system launched in April 2020? {#dps-name type=text}

Answer: Dynamic Purchasing System
Answer: DPS

> It is a fully electronic "open market" system of pre-qualified suppliers.
"""


def read(body: str, first_line: int = 1) -> tuple[tuple[ParsedQuestion, ...], list[str]]:
    parsed, problems = parse_questions(body, first_line, "quiz.md")
    return parsed, formatted(problems)


def questions(body: str) -> list[Question]:
    parsed, problems = read(body)
    assert problems == []
    return [p.question for p in parsed]


def test_the_authoring_guide_example() -> None:
    budget, duties, dps_end, dps_name = questions(GUIDE_EXAMPLE)

    assert (budget.id, budget.type, budget.type_declared) == ("budget-owner", "single", False)
    assert budget.prompt == "Which body oversees the Network's budget?"
    assert budget.stem == ""
    assert [(o.text, o.is_correct) for o in budget.options] == [
        ("The Values and Principles Board", False),
        ("The Executive Oversight Committee", True),
        ("The Local Government Association", False),
    ]
    assert budget.options[0].feedback == "The Board looks after values and principles, not money."
    assert budget.options[1].feedback is None
    assert budget.explanation == (
        "The Executive Oversight Committee allocates spend and signs off the annual\n"
        "accounts. Review [how the EOC works](02-governance.md#eoc)."
    )
    assert budget.line == 1

    assert (duties.type, duties.type_declared) == ("multiple", False)
    assert duties.stem == "Pick every answer that applies."
    assert [o.is_correct for o in duties.options] == [True, True, False]
    assert duties.explanation is None

    assert (dps_end.type, dps_end.type_declared) == ("truefalse", True)
    assert [o.text for o in dps_end.options] == ["True", "False"]

    assert (dps_name.type, dps_name.options) == ("text", ())
    assert dps_name.answers == ("Dynamic Purchasing System", "DPS")
    assert dps_name.explanation is not None
    assert dps_name.line == 24


def test_where_each_part_starts_is_kept_for_messages() -> None:
    parsed, _ = read(GUIDE_EXAMPLE, first_line=10)
    budget, duties = parsed[0], parsed[1]
    assert budget.option_lines == (12, 14, 15)
    assert budget.feedback_lines == (13, None, None)
    assert budget.explanation_line == 17
    assert budget.stem_line is None
    assert duties.stem_line == 22


def test_a_declared_multiple_question_may_have_one_tick() -> None:
    (question,) = questions("## Q {#q type=multiple}\n\n- [x] A\n- [ ] B\n")
    assert (question.type, question.type_declared) == ("multiple", True)


def test_a_declared_single_question() -> None:
    (question,) = questions("## Q {#q type=single}\n\n- [x] A\n- [ ] B\n")
    assert (question.type, question.type_declared) == ("single", True)


def test_the_stem_may_hold_any_markdown_even_code_that_looks_like_a_quiz() -> None:
    body = (
        "## Read the code {#code}\n\n"
        "A scenario.\n\n"
        "```markdown\n## Not a question {#nope}\n- [x] not an option\n"
        "Answer: not an answer\n```\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "- [x] Right\n- [ ] Wrong\n"
    )
    (question,) = questions(body)
    assert question.stem.startswith("A scenario.")
    assert "## Not a question {#nope}" in question.stem
    assert question.stem.endswith("| 1 | 2 |")
    assert [o.text for o in question.options] == ["Right", "Wrong"]


def test_feedback_may_span_several_lines_and_be_indented_two_to_four_spaces() -> None:
    body = "## Q {#q}\n\n- [ ] A\n    > First.\n  >\n   > Second.\n- [x] B\n"
    (question,) = questions(body)
    assert question.options[0].feedback == "First.\n\nSecond."


def test_capital_x_ticks_an_option_and_spacing_is_forgiven() -> None:
    (question,) = questions("##   Q   {#q}  \n- [X]   A  \n- [ ] B\n")
    assert question.prompt == "Q"
    assert [(o.text, o.is_correct) for o in question.options] == [("A", True), ("B", False)]


def test_inline_markdown_in_prompts_and_options_is_kept_as_written() -> None:
    (question,) = questions("## Is `x` *big*? {#q}\n\n- [x] **Yes**, [see](a.md)\n- [ ] No\n")
    assert question.prompt == "Is `x` *big*?"
    assert question.options[0].text == "**Yes**, [see](a.md)"


def test_braces_inside_a_prompt_are_part_of_it() -> None:
    (question,) = questions("## What is {x}? {#q}\n\n- [x] A\n- [ ] B\n")
    assert question.prompt == "What is {x}?"


def test_blank_lines_between_questions_and_at_the_end_are_fine() -> None:
    body = "\n\n## A {#a}\n\n\n- [x] A\n- [ ] B\n\n\n\n## B {#b}\n- [x] A\n- [ ] B\n\n\n"
    assert [q.id for q in questions(body)] == ["a", "b"]


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        (
            "## Q {#q}\n\n- [x] A\n- [ ] B\n* [ ] C\n",
            5,
            "must start at the beginning of the line with '- [ ] '",
        ),
        ("## Q {#q}\n\n- [x] A\n- [ ] B\n - [ ] C\n", 5, "must start at the beginning of the line"),
        ("## Q {#q}\n\n- [x] A\n more text\n- [ ] B\n", 4, "unexpected text among the options"),
        ("## Q {#q}\n\n- [x] A\n > one space\n- [ ] B\n", 4, "(this line has 1)"),
        (
            "## Q {#q}\n\n- [x] A\n- [ ] B\n\n  > after a blank line\n",
            6,
            "directly under its option",
        ),
        ("## Q {#q}\n\n- [x] A\n- [ ] B\n\n> Why.\nlazy line\n", 7, "must start with '>'"),
        (
            "## Q {#q type=text}\n\nAnswer: A\n\nAnswer: B\n",
            4,
            "blank line between the 'Answer:' lines",
        ),
        ("## Q {#q type=text}\n\nAnswer:\n", 3, "this 'Answer:' line is empty"),
        ("## Q {#q type=truefalse}\n\n- [x] True\n- [x] False\n", 1, "tick one of True and False"),
        ("## Q {#q type=single type=multiple}\n\n- [x] A\n- [ ] B\n", 1, "type is given twice"),
        ("## {#q}\n\n- [x] A\n- [ ] B\n", 1, "has no prompt"),
        ("## Q {type=single}\n\n- [x] A\n- [ ] B\n", 1, "must start with its id"),
        ("## Q {#q}\n\nJust a stem.\n", 1, "has no options"),
    ],
)
def test_errors_are_reported_at_their_line(body: str, line: int, fragment: str) -> None:
    _, problems = parse_questions(body, 1, "quiz.md")
    assert [(p.line, fragment in p.message) for p in problems] == [(line, True)], formatted(
        problems
    )


def test_a_run_of_unexpected_lines_is_reported_once() -> None:
    body = "## Q {#q}\n\n- [x] A\n- [ ] B\n\nOne.\nTwo.\nThree.\n\nFour.\n"
    _, problems = read(body)
    assert [p.split(": ")[0] for p in problems] == ["quiz.md:6", "quiz.md:10"]


def test_every_question_is_checked_even_after_a_broken_one() -> None:
    body = (
        "## A {#a}\n\n- [ ] A\n- [ ] B\n\n## B {#b}\n\n- [x] A\n\n## C {#c}\n\n- [x] A\n- [ ] B\n"
    )
    parsed, problems = read(body)
    assert [p.question.id for p in parsed] == ["a", "b", "c"]
    assert [p.split(": ")[0] for p in problems] == ["quiz.md:1", "quiz.md:6"]


def test_a_question_without_a_usable_id_is_left_out_but_still_checked() -> None:
    parsed, problems = read("## Q\n\n- [ ] A\n- [ ] B\n")
    assert parsed == ()
    assert len(problems) == 2  # no id, and no correct option
