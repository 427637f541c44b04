"""Scenario questions and `audiences=` in quiz files: what is read, what is refused, round trip."""

from __future__ import annotations

import pytest

from induction.content import format_text, writer
from induction.content.document import parse_source
from induction.content.loader import load_library
from induction.content.quizparse import parse_questions
from induction.content.source import from_text
from tests.content.helpers import MakeTree, formatted, lesson
from tests.edition.conftest import EDITION_COURSES

SCENARIO = """\
## A resident asks for help {#surgery type=scenario}

A resident tells you the council ignored their ideas.

- [ ] Tell them the decision is made
  > They leave feeling unheard.
- [x] Invite them to help shape the plan
  > The street shapes the plan with the council.
- [ ] Promise to overturn the decision
  > You promise what you cannot deliver.
"""


def problems_of(body: str) -> list[str]:
    return formatted(parse_questions(body, 1, "quiz.md")[1])


def test_a_scenario_is_read_with_its_situation_and_every_consequence() -> None:
    [parsed], problems = parse_questions(SCENARIO, 1, "quiz.md")
    assert problems == []
    question = parsed.question
    assert (question.type, question.type_declared) == ("scenario", True)
    assert question.stem == "A resident tells you the council ignored their ideas."
    assert [o.is_correct for o in question.options] == [False, True, False]
    assert [o.feedback for o in question.options] == [
        "They leave feeling unheard.",
        "The street shapes the plan with the council.",
        "You promise what you cannot deliver.",
    ]


def test_a_scenario_option_without_feedback_is_an_error_at_its_line() -> None:
    body = SCENARIO.replace("  > The street shapes the plan with the council.\n", "")
    assert problems_of(body) == [
        "quiz.md:7: this option of question 'surgery' has no feedback: a scenario tells the "
        "consequence of every choice, so add a line '  > what happens then' under it"
    ]


def test_an_empty_feedback_line_is_no_feedback() -> None:
    body = SCENARIO.replace("  > They leave feeling unheard.", "  >")
    assert problems_of(body) == [
        "quiz.md:5: this option of question 'surgery' has no feedback: a scenario tells the "
        "consequence of every choice, so add a line '  > what happens then' under it"
    ]


def test_a_scenario_needs_exactly_one_tick() -> None:
    body = SCENARIO.replace("- [ ] Tell them", "- [x] Tell them")
    assert problems_of(body) == [
        "quiz.md:1: question 'surgery' is type=scenario: tick exactly one option, the best "
        'choice, with "- [x]" (2 are ticked)'
    ]
    body = SCENARIO.replace("- [x] Invite", "- [ ] Invite")
    assert problems_of(body) == [
        "quiz.md:1: question 'surgery' is type=scenario: tick exactly one option, the best "
        'choice, with "- [x]" (0 are ticked)'
    ]


@pytest.mark.parametrize("count", [2, 5])
def test_a_scenario_has_three_or_four_choices(count: int) -> None:
    options = "".join(
        f"- [{'x' if n == 0 else ' '}] Choice {n}\n  > Then {n}.\n" for n in range(count)
    )
    body = f"## A situation {{#sit type=scenario}}\n\nWhat now?\n\n{options}"
    assert problems_of(body) == [
        f"quiz.md:1: question 'sit' is type=scenario, so it needs 3 or 4 options (it has "
        f"{count}): one choice per line"
    ]


def test_a_scenario_is_never_inferred() -> None:
    body = SCENARIO.replace(" type=scenario", "")
    [parsed], problems = parse_questions(body, 1, "quiz.md")
    assert problems == []
    assert parsed.question.type == "single"


def test_audiences_are_read_after_the_id_and_type() -> None:
    body = (
        "## Councillors only {#a audiences=councillor}\n\n- [x] Yes\n- [ ] No\n\n"
        "## Two audiences {#b type=multiple audiences=officer,affiliate}\n\n- [x] Yes\n- [ ] No\n\n"
        "## Everyone {#c}\n\n- [x] Yes\n- [ ] No\n"
    )
    parsed, problems = parse_questions(body, 1, "quiz.md")
    assert problems == []
    assert [p.question.audiences for p in parsed] == [
        frozenset({"councillor"}),
        frozenset({"officer", "affiliate"}),
        None,
    ]
    assert [p.question.applies_to("councillor") for p in parsed] == [True, False, True]
    assert [p.question.applies_to(None) for p in parsed] == [True, True, True]


def test_spaces_after_the_commas_are_forgiven() -> None:
    body = "## P {#p audiences=officer, affiliate}\n\n- [x] Yes\n- [ ] No\n"
    [parsed], problems = parse_questions(body, 1, "quiz.md")
    assert problems == []
    assert parsed.question.audiences == {"officer", "affiliate"}


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        (
            "#a audiences=councilor",
            "unknown audience 'councilor' (did you mean 'councillor'?): use councillor, "
            "officer or affiliate",
        ),
        (
            "#a audiences=",
            "'audiences=' is empty: name who is asked this question (councillor, officer or "
            "affiliate), comma separated, or remove it",
        ),
        (
            "#a audiences=officer audiences=councillor",
            "the question's audiences are given twice: keep one 'audiences='",
        ),
    ],
)
def test_bad_audiences_are_errors_at_the_heading(attrs: str, message: str) -> None:
    body = f"## A prompt {{{attrs}}}\n\n- [x] Yes\n- [ ] No\n"
    assert problems_of(body) == [f"quiz.md:1: {message}"]


QUIZ_FOR_MODULE = """\
## For officers {#for-officers audiences=officer}

- [x] Yes
- [ ] No

## For affiliates {#for-affiliates audiences=affiliate}

- [x] Yes
- [ ] No
"""


def test_question_audiences_must_be_the_modules_and_cover_each_of_them(
    make_tree: MakeTree,
) -> None:
    root = make_tree(
        {
            "course/01-module/module.md": (
                "---\ntitle: M\nsummary: S\naudiences: [councillor, officer]\n---\n"
            ),
            "course/01-module/01-a.md": lesson(),
            "course/01-module/quiz.md": QUIZ_FOR_MODULE,
        }
    )
    assert formatted(load_library(root).problems) == [
        "course/01-module/quiz.md:1: no question of this quiz is asked to the audience "
        "'councillor': add 'councillor' to the 'audiences=' of a question, or give one question "
        "no 'audiences=' so that everyone is asked it",
        "course/01-module/quiz.md:6: question 'for-affiliates' is for 'affiliate', but its module "
        "is not: remove it from 'audiences=', or add it to the audiences of module.md",
    ]


def test_the_fixture_course_checks_clean() -> None:
    library = load_library(EDITION_COURSES)
    assert library.problems == ()
    [course] = library.courses
    quiz = course.modules[0].quiz
    assert quiz is not None
    assert [q.id for q in quiz.questions_for("councillor")] == [
        "surgery",
        "with-residents",
        "chair",
    ]
    assert [q.id for q in quiz.questions_for("officer")] == ["surgery", "with-residents", "advice"]
    assert len(quiz.questions_for(None)) == 4


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_the_fixture_quiz_is_canonical_byte_for_byte(newline: str) -> None:
    text = (EDITION_COURSES / "01-edition" / "01-values" / "quiz.md").read_text("utf-8")
    assert format_text(text.replace("\n", newline), "quiz") == text.replace("\n", newline)


def test_audiences_are_written_in_the_standard_order() -> None:
    text = "## P {#p type=multiple audiences=affiliate,councillor}\n\n- [x] Yes\n- [ ] No\n"
    document = parse_source(from_text(text), "quiz", "quiz.md")
    written = writer.write_quiz([p.question for p in document.questions], {})
    assert written.startswith("## P {#p type=multiple audiences=councillor,affiliate}\n")
