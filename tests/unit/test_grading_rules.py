"""Question types, grading, text normalisation and option shuffling (pure, no app)."""

from __future__ import annotations

import random
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from induction.content import question_types
from induction.content.model import Option, Question
from induction.content.question_types import (
    QUESTION_TYPES,
    Answer,
    Graded,
    QuestionType,
    get_type,
    normalise_text,
    register,
    unregister,
)
from induction.quizzes.grading import attempt_orders, grade_quiz, is_pass, option_order

RIGHT = Graded(is_answered=True, is_correct=True)
WRONG = Graded(is_answered=True, is_correct=False)
BLANK = Graded(is_answered=False, is_correct=False)


@dataclass(frozen=True)
class SnapOption:
    is_correct: bool


@dataclass(frozen=True)
class Snap:
    """A question as an attempt stores it: only what grading needs."""

    id: str
    type: str
    options: tuple[SnapOption, ...] = ()
    answers: tuple[str, ...] = ()


def choice(qid: str, qtype: str, ticks: str) -> Snap:
    """Return a choice question; `ticks` is one character per option, "x" for correct."""
    return Snap(qid, qtype, tuple(SnapOption(t == "x") for t in ticks))


def model_question(qid: str, qtype: str, ticks: str = "", answers: Sequence[str] = ()) -> Question:
    options = tuple(
        Option(text=f"Option {i}", html=f"Option {i}", is_correct=t == "x")
        for i, t in enumerate(ticks)
    )
    return Question(
        id=qid,
        type=qtype,
        type_declared=False,
        prompt=qid,
        prompt_html=qid,
        stem="",
        stem_html="",
        options=options,
        answers=tuple(answers),
        explanation=None,
        explanation_html=None,
        review_links=(),
        line=1,
    )


def grade(question: Snap | Question, answer: Answer) -> Graded:
    return get_type(question.type).grade(question, answer)


# --- the registry -------------------------------------------------------------------------------


def test_builtin_types_are_registered_with_their_widgets() -> None:
    widgets = {name: t.widget for name, t in QUESTION_TYPES.items()}
    assert widgets == {
        "single": "radio",
        "multiple": "checkbox",
        "truefalse": "radio",
        "text": "text",
        "scenario": "radio",
    }
    assert get_type("multiple").instruction == "Select all that apply."
    assert get_type("single").instruction is None


def test_unknown_type_raises_key_error_naming_the_known_ones() -> None:
    known = "multiple, scenario, single, text, truefalse"
    with pytest.raises(KeyError, match=f"ranking.*known: {known}"):
        get_type("ranking")


def test_registry_view_is_read_only() -> None:
    with pytest.raises(TypeError):
        QUESTION_TYPES["single"] = get_type("text")  # type: ignore[index]


class AtLeastOne(QuestionType):
    """A throwaway type: right when any correct option is among those chosen."""

    name = "at-least-one"
    widget = "checkbox"
    instruction = "Pick one or more."

    def grade(self, question: question_types.QuestionLike, answer: Answer) -> Graded:
        chosen = set(answer) if isinstance(answer, tuple) else set()
        if not chosen:
            return BLANK
        ticked = {i for i, o in enumerate(question.options) if o.is_correct}
        return Graded(is_answered=True, is_correct=bool(chosen & ticked))


@pytest.fixture
def at_least_one() -> Iterator[QuestionType]:
    question_type = register(AtLeastOne())
    yield question_type
    unregister(question_type.name)


def test_a_new_type_plugs_in_without_touching_the_others(at_least_one: QuestionType) -> None:
    assert get_type("at-least-one") is at_least_one
    assert QUESTION_TYPES["at-least-one"] is at_least_one
    question = choice("pick", "at-least-one", "x-x")
    # The inherited form reading works for the new type's widget.
    assert at_least_one.parse_answer(question, ["2", "1", "junk"]) == (1, 2)
    result = grade_quiz(
        [question, choice("q2", "multiple", "x-x")],
        {"pick": (1, 2), "q2": (0,)},
        pass_mark=50,
    )
    assert result.graded == {"pick": RIGHT, "q2": WRONG}
    assert result.passed
    # The built-in types are untouched.
    assert grade(choice("q3", "multiple", "x-x"), (0, 2)) == RIGHT


def test_unregister_removes_the_type(at_least_one: QuestionType) -> None:
    unregister("at-least-one")
    assert "at-least-one" not in QUESTION_TYPES
    register(at_least_one)  # so the fixture can tidy up


def test_registering_a_taken_name_is_refused() -> None:
    with pytest.raises(ValueError, match="'single' is already registered"):
        register(question_types.SingleChoice())


@pytest.mark.parametrize(
    ("name", "widget", "message"), [("", "radio", "no name"), ("x", "slider", "widget 'slider'")]
)
def test_registering_a_broken_type_is_refused(name: str, widget: str, message: str) -> None:
    broken = QuestionType()
    broken.name = name
    broken.widget = widget
    with pytest.raises(ValueError, match=message):
        register(broken)
    assert "x" not in QUESTION_TYPES


def test_base_class_grade_is_not_implemented() -> None:
    with pytest.raises(NotImplementedError):
        QuestionType().grade(choice("q", "single", "x-"), (0,))


# --- grading each type --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ((1,), RIGHT),
        ((0,), WRONG),
        ((2,), WRONG),
        ((0, 1), WRONG),  # two choices for a one-answer question (a tampered attempt)
        ((), BLANK),
        (None, BLANK),
        ("1", BLANK),  # text for a choice question chooses nothing
        ((7,), BLANK),  # out of range only: nothing valid chosen
        ((1, 9), RIGHT),  # out-of-range index ignored
        ([1], RIGHT),  # an answer read back from JSON as a list
        ((True,), BLANK),  # a bool is not an option index
    ],
)
def test_single_choice(answer: Answer, expected: Graded) -> None:
    assert grade(choice("q", "single", "-x-"), answer) == expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [((0,), RIGHT), ((1,), WRONG), ((0, 1), WRONG), ((), BLANK), (None, BLANK)],
)
def test_true_false(answer: Answer, expected: Graded) -> None:
    assert grade(choice("q", "truefalse", "x-"), answer) == expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ((0, 2), RIGHT),
        ((2, 0), RIGHT),  # order of choices does not matter
        ((0,), WRONG),  # a subset is wrong: all or nothing
        ((0, 1, 2), WRONG),  # a superset is wrong
        ((0, 1, 2, 3), WRONG),
        ((1,), WRONG),
        ((), BLANK),
        (None, BLANK),
    ],
)
def test_multiple_choice_is_all_or_nothing(answer: Answer, expected: Graded) -> None:
    assert grade(choice("q", "multiple", "x-x-"), answer) == expected


def test_declared_multiple_with_one_tick() -> None:
    question = choice("q", "multiple", "-x-")
    assert grade(question, (1,)) == RIGHT
    assert grade(question, (1, 2)) == WRONG


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Dynamic Purchasing System", RIGHT),
        ("  dynamic   purchasing\tsystem ", RIGHT),
        ("DPS", RIGHT),
        ("ｄｐｓ", RIGHT),  # full-width letters, as some keyboards type them
        ("DPS.", WRONG),
        ("Dynamic", WRONG),
        ("", BLANK),
        ("   \n ", BLANK),
        (None, BLANK),
        ((0,), BLANK),
    ],
)
def test_text_answers(answer: Answer, expected: Graded) -> None:
    question = Snap("q", "text", answers=("Dynamic Purchasing System", "DPS"))
    assert grade(question, answer) == expected


def test_text_answer_with_welsh_letters_and_case() -> None:
    question = Snap("q", "text", answers=("Siân",))
    assert grade(question, "SIÂN") == RIGHT
    # The same letter written as a plain "a" and a combining circumflex.
    assert grade(question, "sia\u0302n") == RIGHT
    assert grade(question, "Sian") == WRONG


def test_content_model_questions_are_graded_too() -> None:
    single = model_question("budget-owner", "single", "-x-")
    text = model_question("dps-name", "text", answers=["DPS"])
    result = grade_quiz([single, text], {"budget-owner": (1,), "dps-name": "dps"}, pass_mark=80)
    assert result.right == 2
    assert result.passed


# --- reading answers from a form ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1"], (1,)),
        (["2", "0"], (2,)),  # a radio keeps one: the first valid value
        (["junk", "5", "-1", "+1", " 1", "1.0", "", "0"], (0,)),
        (["٣"], None),  # not an ASCII digit
        (["9" * 5000], None),  # absurdly long: ignored, not a slow int()
        ([], None),
        (["3"], None),  # out of range for three options
    ],
)
def test_radio_answers_from_form_values(values: list[str], expected: Answer) -> None:
    question = choice("q", "single", "-x-")
    assert get_type("single").parse_answer(question, values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["2", "0"], (0, 2)),  # sorted, authored order
        (["1", "1", "1"], (1,)),  # duplicates collapse
        (["0", "junk", "7", "3"], (0, 3)),
        (["junk"], None),
        ([], None),
    ],
)
def test_checkbox_answers_from_form_values(values: list[str], expected: Answer) -> None:
    question = choice("q", "multiple", "x-x-")
    assert get_type("multiple").parse_answer(question, values) == expected


def test_text_answer_from_form_values() -> None:
    text = get_type("text")
    question = Snap("q", "text", answers=("DPS",))
    assert text.parse_answer(question, ["  DPS "]) == "  DPS "
    assert text.parse_answer(question, ["first", "second"]) == "first"
    assert text.parse_answer(question, ["   "]) is None
    assert text.parse_answer(question, []) is None
    long = text.parse_answer(question, ["a" * 50_000])
    assert isinstance(long, str)
    assert len(long) == question_types.MAX_TEXT_ANSWER


# --- whole quizzes ------------------------------------------------------------------------------


QUIZ = (
    choice("a", "single", "x--"),
    choice("b", "multiple", "xx-"),
    choice("c", "truefalse", "-x"),
    Snap("d", "text", answers=("DPS",)),
    choice("e", "single", "-x"),
)


def test_grade_quiz_counts_one_point_per_question() -> None:
    answers: dict[str, Answer] = {"a": (0,), "b": (0, 1), "c": (0,), "d": "dps", "zzz": (0,)}
    result = grade_quiz(QUIZ, answers, pass_mark=80)
    assert result.graded == {"a": RIGHT, "b": RIGHT, "c": WRONG, "d": RIGHT, "e": BLANK}
    assert (result.right, result.total, result.percent) == (3, 5, 60)
    assert not result.passed


def test_grade_quiz_pass_is_exact_at_the_mark() -> None:
    answers: dict[str, Answer] = {"a": (0,), "b": (0, 1), "c": (1,), "d": "DPS", "e": (0,)}
    result = grade_quiz(QUIZ, answers, pass_mark=80)
    assert (result.right, result.passed) == (4, True)
    assert not grade_quiz(QUIZ, answers, pass_mark=81).passed


def test_percent_is_rounded_down_for_display() -> None:
    questions = [choice(f"q{i}", "single", "x-") for i in range(3)]
    result = grade_quiz(questions, {"q0": (0,), "q1": (0,)}, pass_mark=67)
    assert result.percent == 66
    assert not result.passed  # 200 < 201: no rounding up to a pass


def test_an_empty_quiz() -> None:
    result = grade_quiz([], {}, pass_mark=80)
    assert (result.right, result.total, result.percent, result.graded) == (0, 0, 0, {})


def test_duplicate_question_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="'a' appears twice"):
        grade_quiz([choice("a", "single", "x-"), choice("a", "single", "x-")], {}, pass_mark=80)


def test_unknown_question_type_in_a_quiz_raises() -> None:
    with pytest.raises(KeyError, match="essay"):
        grade_quiz([Snap("a", "essay")], {}, pass_mark=80)


@pytest.mark.parametrize(
    ("right", "total", "mark", "expected"),
    [
        (4, 5, 80, True),
        (3, 5, 80, False),
        (2, 3, 67, False),  # 66.67% is below 67%: no rounding
        (2, 3, 66, True),
        (0, 5, 0, True),
        (5, 5, 100, True),
        (4, 5, 100, False),
        (0, 0, 80, True),
    ],
)
def test_is_pass(right: int, total: int, mark: int, expected: bool) -> None:
    assert is_pass(right, total, mark) is expected


@pytest.mark.parametrize(
    ("right", "total", "mark"), [(1, 2, 101), (1, 2, -1), (3, 2, 50), (-1, 2, 50)]
)
def test_is_pass_rejects_impossible_numbers(right: int, total: int, mark: int) -> None:
    with pytest.raises(ValueError, match="must be between"):
        is_pass(right, total, mark)


# --- normalise_text properties ------------------------------------------------------------------

LETTERS = string.ascii_letters + "âêîôûŵŷäëïöüáéíóúàèìòùñçÂÊÎÔÛŴŶÄËÏÖÜÁÉÍÓÚÀÈÌÒÙÑÇ"
WHITESPACE = st.text(alphabet=" \t\n\r\u00a0\u2003\u3000", min_size=1, max_size=4)


@given(st.text())
def test_normalise_text_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once


@given(st.text())
def test_normalised_text_has_no_outer_or_repeated_white_space(text: str) -> None:
    result = normalise_text(text)
    assert result == result.strip()
    assert "  " not in result
    assert all(not c.isspace() or c == " " for c in result)


@given(st.text(alphabet=LETTERS))
def test_normalise_text_ignores_case(text: str) -> None:
    expected = normalise_text(text)
    assert normalise_text(text.upper()) == expected
    assert normalise_text(text.lower()) == expected
    assert normalise_text(text.swapcase()) == expected


@given(
    st.lists(st.text(alphabet=LETTERS + string.digits + "-'.", min_size=1), min_size=1),
    st.lists(WHITESPACE, min_size=1),
    WHITESPACE,
    WHITESPACE,
)
def test_normalise_text_ignores_white_space_runs(
    words: list[str], gaps: list[str], before: str, after: str
) -> None:
    spaced = words[0]
    for i, word in enumerate(words[1:]):
        spaced += gaps[i % len(gaps)] + word
    assert normalise_text(before + spaced + after) == normalise_text(" ".join(words))


@given(st.text(alphabet=string.ascii_letters + string.digits, min_size=1))
def test_normalise_text_folds_full_width_forms(text: str) -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in text)
    assert full_width != text
    assert normalise_text(full_width) == text.casefold()


def test_normalise_text_examples() -> None:
    assert normalise_text("  The  EOC\u00a0Board ") == "the eoc board"
    assert normalise_text("Straße") == normalise_text("STRASSE") == "strasse"
    assert normalise_text("ﬁle") == "file"  # ligature, a compatibility character


# --- shuffling ----------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=30), st.integers(), st.booleans())
def test_option_order_is_a_permutation(n: int, seed: int, shuffle: bool) -> None:
    order = option_order(n, random.Random(seed), shuffle)
    assert sorted(order) == list(range(n))


@given(st.integers(min_value=0, max_value=30), st.integers())
def test_option_order_is_the_same_for_the_same_seed(n: int, seed: int) -> None:
    assert option_order(n, random.Random(seed), True) == option_order(n, random.Random(seed), True)


@given(st.integers(min_value=0, max_value=30), st.integers())
def test_option_order_without_shuffle_is_the_identity(n: int, seed: int) -> None:
    rng = random.Random(seed)
    state = rng.getstate()
    assert option_order(n, rng, False) == tuple(range(n))
    assert rng.getstate() == state  # the generator is not consumed


def test_option_order_does_shuffle() -> None:
    orders = {option_order(6, random.Random(seed), True) for seed in range(50)}
    assert len(orders) > 10


def test_option_order_rejects_a_negative_count() -> None:
    with pytest.raises(ValueError, match="negative"):
        option_order(-1, random.Random(0), True)


SHUFFLED_QUIZ = (
    choice("a", "single", "x-----"),
    choice("b", "multiple", "xx----"),
    choice("c", "truefalse", "-x"),
    Snap("d", "text", answers=("DPS",)),
)


@given(st.integers(), st.booleans())
def test_attempt_orders_are_stable_per_seed(seed: int, shuffle: bool) -> None:
    orders = attempt_orders(SHUFFLED_QUIZ, seed, shuffle)
    assert orders == attempt_orders(SHUFFLED_QUIZ, seed, shuffle)
    assert set(orders) == {"a", "b", "c", "d"}
    for question in SHUFFLED_QUIZ:
        assert sorted(orders[question.id]) == list(range(len(question.options)))


def test_attempt_orders_keep_true_false_and_text_in_order() -> None:
    for seed in range(20):
        orders = attempt_orders(SHUFFLED_QUIZ, seed, shuffle=True)
        assert orders["c"] == (0, 1)
        assert orders["d"] == ()


def test_attempt_orders_without_shuffle_are_authored_order() -> None:
    orders = attempt_orders(SHUFFLED_QUIZ, 1234, shuffle=False)
    assert orders == {"a": tuple(range(6)), "b": tuple(range(6)), "c": (0, 1), "d": ()}


def test_attempt_orders_differ_between_seeds_and_questions() -> None:
    by_seed = {attempt_orders(SHUFFLED_QUIZ, seed, shuffle=True)["a"] for seed in range(30)}
    assert len(by_seed) > 10
    same_options = [choice(f"q{i}", "single", "x-----") for i in range(10)]
    orders = attempt_orders(same_options, 7, shuffle=True)
    assert len(set(orders.values())) > 1  # not one order copied to every question


def test_a_question_keeps_its_order_when_others_change() -> None:
    before = attempt_orders(SHUFFLED_QUIZ, 99, shuffle=True)
    after = attempt_orders((choice("new", "single", "x---"), *reversed(SHUFFLED_QUIZ)), 99, True)
    assert after["a"] == before["a"]
    assert after["b"] == before["b"]


def test_attempt_orders_are_fixed_across_processes() -> None:
    # An attempt's order is recomputed from its seed, so it must not depend on
    # the process (hash randomisation) or change between releases: pin it.
    quiz = [choice("budget-owner", "single", "x-----")]
    assert attempt_orders(quiz, 42, shuffle=True) == {"budget-owner": (1, 0, 5, 2, 3, 4)}
