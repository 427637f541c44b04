"""Moving a question's "right answer" tick keeps every option's feedback and asks, after the
save, for that feedback to be checked: a notice on the question and a mark on each option
whose rightness changed, until the next save."""

from __future__ import annotations

import html
import re

from induction.admin.quiz_state import OptionState, QuestionState, QuizState
from induction.admin.quiz_ticks import changed_ticks, option_key, tick_marks
from induction.content.model import Option, Question
from tests.authoring.conftest import BASICS, QUIZ, text_of
from tests.authoring.quiz_forms import as_data, form_pairs, set_field

BUILDER = f"/admin/courses/{BASICS}/modules/01-first-steps/quiz-builder"
NOTICE = "You changed which answers are right: check each option's feedback still fits."


def _question(qid: str, *options: tuple[str, bool]) -> Question:
    return Question(
        id=qid,
        type="single",
        type_declared=False,
        prompt="Which?",
        prompt_html="",
        stem="",
        stem_html="",
        options=tuple(Option(text, "", right) for text, right in options),
        answers=(),
        explanation=None,
        explanation_html=None,
        review_links=(),
        line=0,
    )


def test_changed_ticks_names_the_options_made_right_or_wrong():
    before = [_question("q", ("Kind", True), ("Late", False), ("Loud", False))]
    after = [_question("q", ("Kind", False), ("Late", True), ("Loud", False))]
    assert changed_ticks(before, after) == {"q": [option_key("Kind"), option_key("Late")]}
    # Same ticks, a new question, or a new option: nothing to check.
    assert changed_ticks(before, before) == {}
    assert changed_ticks([], after) == {}
    grown = [_question("q", ("Kind", True), ("Late", False), ("Loud", False), ("New", True))]
    assert changed_ticks(before, grown) == {}


def test_tick_marks_find_the_options_again_by_question_id_and_text():
    changes = {"q": [option_key("Late")]}
    state = QuizState(
        questions=[
            QuestionState(id="other", options=[OptionState("Late", True)]),
            QuestionState(id="q", options=[OptionState("Kind"), OptionState("  Late\n", True)]),
            QuestionState(id="", options=[OptionState("Late", True)]),
        ]
    )
    assert tick_marks(state, changes) == {1: frozenset({1})}


def _words(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _move_tick_of_first_question(admin) -> None:
    pairs = form_pairs(text_of(admin.get(BUILDER)))
    # A question with one right answer: its right answer is a choice of one (radio buttons).
    assert ("questions-0-right", "0") in pairs
    pairs = set_field(pairs, "questions-0-right", "1")
    response = admin.post(BUILDER, data=as_data(pairs, action="save"))
    assert response.status_code == 302, text_of(response)


def test_moving_a_tick_keeps_feedback_and_marks_the_question_until_saved_again(admin, tree):
    assert NOTICE not in _words(text_of(admin.get(BUILDER)))
    _move_tick_of_first_question(admin)
    draft = text_of(admin.get(f"/admin/courses/{BASICS}/files/{QUIZ}?as=text"))
    # Each option keeps its feedback as it was: nothing asked, nothing rewritten.
    assert "- [ ] Kind\n  &gt; Yes: the rules ask for kindness." in draft
    assert "- [x] Late\n  &gt; The rules ask you to be on time." in draft

    page = text_of(admin.get(BUILDER))
    words = _words(page)
    assert NOTICE in words
    assert "You changed which answers are right in question 1 ." in words
    assert "No longer a right answer: check its feedback says why it is wrong." in words
    assert "Now a right answer: check its feedback says why it is right." in words
    # The question is open, its summary says so, and each note is read with its box.
    assert re.search(r'id="question-1">\s*<details class="qb-fold" open>', page)
    assert "Check the feedback" in words
    assert 'aria-describedby="questions-0-options-0-feedback-note"' in page
    assert 'aria-describedby="questions-0-options-1-feedback-note"' in page
    # Other questions are not marked.
    assert "questions-1-options-0-feedback-note" not in page

    # The marks stay while the admin works on the quiz (a button that is not a save) ...
    pairs = form_pairs(page)
    moved = text_of(admin.post(BUILDER, data=as_data(pairs, action="down-0")))
    assert 'id="questions-1-options-0-feedback-note"' in moved

    # ... and go when they save again.
    response = admin.post(BUILDER, data=as_data(pairs, action="save"))
    assert response.status_code == 302
    again = _words(text_of(admin.get(BUILDER)))
    assert NOTICE not in again and "Check the feedback" not in again


def test_the_marks_belong_to_the_quiz_that_was_saved(admin, tree):
    _move_tick_of_first_question(admin)
    other = f"/admin/courses/{BASICS}/modules/02-going-further/quiz-builder"
    assert NOTICE not in _words(text_of(admin.get(other)))
