"""The quiz builder asks for the right answer of a question that has one as a choice of one
(radio buttons, in their own group), and for those of a question with several as tick boxes.

The choice works without JavaScript: its values are option numbers as the page listed them,
turned into ticks on the options before any button acts, so the right answer stays with
its option when options are added or removed, and a change of type keeps the ticks.
"""

from __future__ import annotations

import html
import re

import pytest

from induction.admin.quiz_form import answer_choices
from induction.admin.quiz_state import OptionState, QuestionState, has_one_right_answer
from induction.admin.quiz_summary import several_marked_right
from tests.authoring.conftest import QUIZ, text_of
from tests.authoring.quiz_forms import form_pairs, set_field
from tests.authoring.test_quiz_builder import BUILDER, NEW, draft_text, open_builder, press


def inputs(page: str, name: str) -> list[str]:
    """Return the <input> tags of a page with this name."""
    return re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)


def types_of(page: str, name: str) -> set[str]:
    return {re.search(r'type="([^"]+)"', tag).group(1) for tag in inputs(page, name)}  # type: ignore[union-attr]


def group(page: str, question: int) -> str:
    """Return the fieldset of a question's right answer (0-based question)."""
    match = re.search(
        rf'<fieldset class="fieldset" id="questions-{question}-right".*?</fieldset>',
        page,
        re.DOTALL,
    )
    assert match, f"question {question + 1} has no choice of its right answer"
    return match.group(0)


def words(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def checked(page: str, name: str) -> list[str]:
    """Return the values of the checked radio buttons named `name`."""
    return [
        re.search(r'value="([^"]*)"', tag).group(1)  # type: ignore[union-attr]
        for tag in inputs(page, name)
        if " checked" in tag
    ]


def test_one_right_answer_is_a_choice_of_one_and_several_are_tick_boxes(admin):
    page = text_of(admin.get(BUILDER))
    # Question 1, one right answer: radio buttons, one group of the question, Kind chosen.
    assert types_of(page, "questions-0-right") == {"radio"}
    assert len(inputs(page, "questions-0-right")) == 2
    assert checked(page, "questions-0-right") == ["0"]
    assert not inputs(page, "questions-0-options-0-is_correct")
    first = group(page, 0)
    assert (
        '<legend class="fieldset__legend qb-sublegend">Which option is the right answer?' in first
    )
    assert 'aria-describedby="questions-0-right-hint"' in first
    assert words(first).endswith("Option 1: Kind Option 2: Late")
    assert '<label class="radios__label" for="questions-0-right-1">Option 2: Late</label>' in first
    # Question 2, several right answers: a tick box on each option, no radio buttons.
    assert not inputs(page, "questions-1-right")
    for option in range(3):
        assert types_of(page, f"questions-1-options-{option}-is_correct") == {"checkbox"}
    # Question 3, true or false: one right answer too, chosen from True and False.
    assert types_of(page, "questions-2-right") == {"radio"}
    assert checked(page, "questions-2-right") == ["0"]
    assert "Is the statement true or false? True False" in words(group(page, 2))
    assert not inputs(page, "questions-2-options-0-is_correct")
    # Question 4, a typed answer: neither.
    assert not inputs(page, "questions-3-right")


def test_choosing_option_3_as_the_right_one_saves_option_3_as_right(admin):
    pairs = form_pairs(text_of(admin.get(NEW)))
    page = text_of(press(admin, pairs, "add-option-0", NEW))
    assert len(inputs(page, "questions-0-right")) == 3
    pairs = set_field(form_pairs(page), "questions-0-prompt", "Which comes third?")
    for option, text in enumerate(("First", "Second", "Third")):
        pairs = set_field(pairs, f"questions-0-options-{option}-text", text)
    pairs = set_field(pairs, "questions-0-right", "2")
    response = press(admin, pairs, "save", NEW)
    assert response.status_code == 302, text_of(response)
    assert draft_text(admin, "02-going-further/quiz.md") == (
        "## Which comes third? {#which-comes-third}\n\n- [ ] First\n- [ ] Second\n- [x] Third\n"
    )
    # Opened again, option 3 is the one chosen.
    assert ("questions-0-right", "2") in open_builder(admin, NEW)


def test_the_right_answer_stays_with_its_option_when_options_are_removed_or_added(admin):
    pairs = set_field(open_builder(admin), "questions-0-right", "1")  # Late
    removed = text_of(press(admin, pairs, "remove-option-0-0"))  # Kind goes
    assert checked(removed, "questions-0-right") == ["0"]
    assert "Option 1: Late" in words(group(removed, 0))
    added = text_of(press(admin, form_pairs(removed), "add-option-0"))
    assert checked(added, "questions-0-right") == ["0"]
    pairs = set_field(form_pairs(added), "questions-0-options-1-text", "Early")
    assert press(admin, pairs, "save").status_code == 302
    assert "- [x] Late\n  > The rules ask you to be on time.\n- [ ] Early\n" in (
        draft_text(admin, QUIZ) or ""
    )


def test_saving_a_new_right_answer_changes_only_its_ticks(admin):
    before = draft_text(admin, QUIZ) or ""
    assert (
        press(admin, set_field(open_builder(admin), "questions-0-right", "1"), "save").status_code
        == 302
    )
    after = draft_text(admin, QUIZ) or ""
    assert after == before.replace("- [x] Kind\n", "- [ ] Kind\n").replace(
        "- [ ] Late\n", "- [x] Late\n"
    )


def test_a_choice_that_names_no_option_is_left_aside(admin):
    for junk in ("7", "-1", "x", "１", ""):
        pairs = set_field(open_builder(admin), "questions-0-right", junk)
        page = text_of(press(admin, pairs, "save"))
        assert '<a href="#questions-0-right-0">Question 1: choose the right answer</a>' in page, (
            junk
        )


def test_one_to_several_keeps_the_right_answer_ticked(admin):
    pairs = set_field(open_builder(admin), "questions-0-type", "multiple")
    page = text_of(press(admin, pairs, "retype-0"))
    assert not inputs(page, "questions-0-right")
    assert [" checked" in tag for tag in inputs(page, "questions-0-options-0-is_correct")] == [True]
    assert [" checked" in tag for tag in inputs(page, "questions-0-options-1-is_correct")] == [
        False
    ]
    back = text_of(
        press(admin, set_field(form_pairs(page), "questions-0-type", "single"), "retype-0")
    )
    assert checked(back, "questions-0-right") == ["0"]


def test_several_to_one_with_two_ticked_asks_to_choose_and_loses_no_tick(admin):
    pairs = set_field(open_builder(admin), "questions-1-type", "single")
    page = text_of(press(admin, pairs, "retype-1"))
    note = (
        "Options 1 and 2 are both marked right, but this type of question has one right answer: "
        "choose it, or choose “Several right answers” as its type."
    )
    # A choice of one with nothing chosen, and a note saying which were marked right.
    assert types_of(page, "questions-1-right") == {"radio"}
    assert checked(page, "questions-1-right") == []
    assert note in words(group(page, 1))
    assert re.search(r'id="question-2">\s*<details class="qb-fold" open>', page)
    # Saved as it is: refused, the message linked to the choice.
    refused = press(admin, form_pairs(page), "save")
    assert refused.status_code == 400
    assert (
        '<a href="#questions-1-right-0">Question 2: options 1 and 2 are both marked right, '
        in text_of(refused)
    )
    # Changing the type back finds both ticks where they were.
    pairs = set_field(form_pairs(text_of(refused)), "questions-1-type", "multiple")
    back = text_of(press(admin, pairs, "retype-1"))
    ticks = [
        any(" checked" in tag for tag in inputs(back, f"questions-1-options-{n}-is_correct"))
        for n in range(3)
    ]
    assert ticks == [True, True, False]
    # Choosing one settles it: saved with that one right.
    pairs = set_field(form_pairs(page), "questions-1-right", "1")
    assert press(admin, pairs, "save").status_code == 302
    text = draft_text(admin, QUIZ) or ""
    assert "- [ ] Kindness\n- [x] Being on time\n- [ ] Silence\n" in text


def test_an_error_about_the_right_answer_is_shown_in_its_group(admin):
    pairs = [(n, v) for n, v in open_builder(admin) if n != "questions-0-right"]
    page = text_of(press(admin, pairs, "save"))
    first = group(page, 0)
    assert 'id="questions-0-right-error"' in first
    assert "Question 1: choose the right answer" in words(first)
    assert 'aria-describedby="questions-0-right-hint questions-0-right-error"' in first


@pytest.mark.parametrize(
    ("kind", "one"),
    [
        ("single", True),
        ("truefalse", True),
        ("scenario", True),
        ("multiple", False),
        ("text", False),
        ("nonsense", False),
    ],
)
def test_the_types_with_one_right_answer_are_those_learners_answer_with_one_choice(kind, one):
    assert has_one_right_answer(kind) is one


def test_the_choices_name_each_option_by_its_number_and_words():
    question = QuestionState(
        type="scenario",
        options=[OptionState("Ask  them\nfirst"), OptionState(""), OptionState("x" * 120)],
    )
    assert answer_choices(question) == [
        ("0", "Choice 1: Ask them first"),
        ("1", "Choice 2"),
        ("2", "Choice 3: " + "x" * 99 + "…"),
    ]
    truefalse = QuestionState(type="truefalse", options=[OptionState("True"), OptionState("False")])
    assert answer_choices(truefalse) == [("0", "True"), ("1", "False")]


def test_several_marked_right_says_which_for_each_type_with_one():
    marked = [
        OptionState("A", True),
        OptionState("B"),
        OptionState("C", True),
        OptionState("D", True),
    ]
    assert several_marked_right(QuestionState(type="single", options=marked)) == (
        "Options 1, 3 and 4 are all marked right, but this type of question has one right "
        "answer: choose it, or choose “Several right answers” as its type"
    )
    assert several_marked_right(QuestionState(type="scenario", options=marked[:3])) == (
        "Choices 1 and 3 are both marked as the best, but a scenario has one best choice: choose it"
    )
    both = [OptionState("True", True), OptionState("False", True)]
    assert several_marked_right(QuestionState(type="truefalse", options=both)) == (
        "True and False are both marked right: choose the one that is right"
    )
    assert several_marked_right(QuestionState(type="multiple", options=marked)) is None
    assert several_marked_right(QuestionState(type="single", options=marked[:2])) is None
