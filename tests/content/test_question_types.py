"""A new question type is defined in one module: parser, writer, GIFT import and grading follow.

The `Number` type below is everything a type needs, and lives in this test module
alone: registered, it is read from a quiz.md, checked, written back, imported from
GIFT's numerical questions and graded; unregistered, none of them knows it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from induction.content.fmt import format_text
from induction.content.gift import convert_gift
from induction.content.giftsyntax import GiftBody, GiftQuestion, GiftSkip, pieces
from induction.content.question_types import (
    UNANSWERED,
    Answer,
    Graded,
    QuestionDraft,
    QuestionLike,
    QuestionType,
    get_type,
    register,
    unregister,
)
from induction.content.quizparse import parse_questions
from induction.content.writer import write_quiz
from induction.quizzes.grading import grade_quiz


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


class Number(QuestionType):
    """A typed number, right when it equals an accepted one (42, 42.0 and 42.00 are equal)."""

    name = "number"
    label = "a number"
    widget = "text"
    shuffle_options = False
    gift_kind = "numerical"

    def check(self, draft: QuestionDraft) -> Iterator[tuple[int, str]]:
        yield from super().check(draft)
        for answer, line in draft.answers:
            if answer and _number(answer) is None:
                yield line, f"'{answer}' is not a number: write it in digits, like 'Answer: 42'"

    def read_gift(self, answers: str, gift: GiftQuestion) -> GiftBody | None:
        accepted = pieces(answers[1:], "=")
        if not accepted or any(_number(a) is None for a in accepted):
            raise GiftSkip("its answer is a range: number questions accept exact numbers")
        return GiftBody(answers=tuple(accepted))

    def grade(self, question: QuestionLike, answer: Answer) -> Graded:
        if not isinstance(answer, str) or not answer.strip():
            return UNANSWERED
        given = _number(answer.strip())
        accepted = {_number(a) for a in question.answers}
        return Graded(is_answered=True, is_correct=given is not None and given in accepted)


QUIZ = """\
## How many full member councils did the Network have in 2020? {#full-members type=number}

Answer: 33

> The 2019/20 annual report lists 33 full members.

## Which body oversees the budget? {#budget-owner}

- [ ] The Values and Principles Board
- [x] The Executive Oversight Committee
"""

GIFT = """\
::Full members:: How many full member councils did the Network have in 2020? {#33}

::Range:: Roughly how many associates? {#16..17}
"""


@pytest.fixture
def number() -> Iterator[QuestionType]:
    question_type = register(Number())
    yield question_type
    unregister(question_type.name)


def test_a_type_registered_in_one_module_is_parsed_written_imported_and_graded(
    number: QuestionType,
) -> None:
    parsed, problems = parse_questions(QUIZ, 1, "quiz.md")
    assert problems == []
    asked = parsed[0].question
    assert (asked.type, asked.type_declared, asked.answers) == ("number", True, ("33",))

    # Written back byte for byte, type=number kept.
    questions = [p.question for p in parsed]
    assert write_quiz(questions, {}) == QUIZ
    assert format_text(QUIZ, "quiz") == QUIZ

    # The type's own check reports at the line of the bad answer.
    _, problems = parse_questions(QUIZ.replace("Answer: 33", "Answer: thirty-three"), 1, "q.md")
    assert [(p.line, p.message) for p in problems] == [
        (3, "'thirty-three' is not a number: write it in digits, like 'Answer: 42'")
    ]
    # The parser's messages name it among the types.
    _, problems = parse_questions(QUIZ.replace("type=number", "type=numbr"), 1, "q.md")
    assert problems[0].message == (
        "unknown question type 'numbr' (did you mean 'number'?): "
        "use single, multiple, truefalse, text, scenario or number"
    )

    # GIFT's numerical questions become number questions; ranges are left out with a note.
    result = convert_gift(GIFT)
    [imported] = result.questions
    assert (imported.id, imported.type, imported.answers) == ("full-members", "number", ("33",))
    assert "{#full-members type=number}\n\nAnswer: 33\n" in result.text
    assert [(n.line, n.message) for n in result.skipped] == [
        (3, "its answer is a range: number questions accept exact numbers")
    ]

    # Graded by its own rule, beside the built-in types; the form reading comes with the widget.
    assert number.parse_answer(asked, ["  33.0 "]) == "  33.0 "
    result_right = grade_quiz(questions, {"full-members": "33.0", "budget-owner": (1,)}, 100)
    assert (result_right.right, result_right.passed) == (2, True)
    result_wrong = grade_quiz(questions, {"full-members": "thirty", "budget-owner": (1,)}, 100)
    assert result_wrong.graded["full-members"] == Graded(is_answered=True, is_correct=False)
    assert grade_quiz(questions, {}, 0).graded["full-members"] == UNANSWERED
    assert get_type("number").label == "a number"


def test_an_unregistered_type_is_unknown_everywhere() -> None:
    with pytest.raises(KeyError):
        get_type("number")
    _, problems = parse_questions(QUIZ, 1, "quiz.md")
    assert problems[0].message.startswith("unknown question type 'number'")
    assert convert_gift(GIFT).skipped[0].message == (
        "it is a numerical question: our quizzes have no numbers with ranges"
    )
