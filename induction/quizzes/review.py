"""What the learner answered, question by question: for checking answers and for the results,
and (LastTime) which questions they got wrong in their previous attempt, for the next one.

Pure: built from an attempt's snapshot and its answers, never from the current quiz
file, so an old attempt reads the same after the author edits the quiz.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import escape

from induction.content.question_types import Answer, Graded, get_type, normalise_text
from induction.quizzes.snapshot import AskedOption, AskedQuestion, ReviewLink


@dataclass(frozen=True)
class QuestionReview:
    """One question with the learner's answer and its grade."""

    number: int  # 1-based position in the quiz
    question: AskedQuestion
    graded: Graded
    chosen: tuple[AskedOption, ...]  # the options chosen, in the order shown
    text: str | None  # the typed answer of a text question

    @property
    def is_answered(self) -> bool:
        return self.graded.is_answered

    @property
    def is_correct(self) -> bool:
        return self.graded.is_correct

    @property
    def feedback(self) -> tuple[AskedOption, ...]:
        """Return the options whose feedback the result shows, in the order shown.

        The chosen options that carry feedback; for a type that shows all its
        feedback (a scenario: the consequence of each choice), every option that has some.
        """
        options = self.question.shown if self.question.shows_all_feedback else self.chosen
        return tuple(option for option in options if option.feedback_html)

    @property
    def more_review_links(self) -> tuple[ReviewLink, ...]:
        """Return the question's review links that its explanation does not already link
        to, in order: the result lists these under the explanation, so the same section is
        not offered twice in a row."""
        explanation = self.question.explanation_html or ""
        return tuple(
            link
            for link in self.question.review_links
            if f'href="{escape(link.url)}"' not in explanation
        )

    def was_chosen(self, option: AskedOption) -> bool:
        """Return True when the learner chose `option`."""
        return any(chosen.index == option.index for chosen in self.chosen)

    @property
    def _ticks_are_wrong(self) -> bool:
        # The one rule for when the tick feedback below shows: a several-answers
        # question answered, and answered wrong.
        return self.question.widget == "checkbox" and self.is_answered and not self.is_correct

    @property
    def ticks_summary(self) -> str | None:
        """Return, for a wrong answer to a several-answers question, how far off the ticks
        were ("You ticked 1 of the 3 right answers, and 1 that is not right."); None
        otherwise. `missed` and `wrongly_ticked` name the options."""
        if not self._ticks_are_wrong:
            return None
        right = sum(option.is_correct for option in self.question.shown)
        found = sum(option.is_correct for option in self.chosen)
        extra = len(self.chosen) - found
        if found == right:
            ticked = (
                "You ticked both right answers"
                if right == 2
                else f"You ticked all {right} right answers"
            )
        elif found == 0:
            ticked = (
                "You ticked neither of the 2 right answers"
                if right == 2
                else f"You ticked none of the {right} right answers"
            )
        else:
            ticked = f"You ticked {found} of the {right} right answers"
        if not extra:
            return f"{ticked}."
        wrong = "1 that is not right" if extra == 1 else f"{extra} that are not right"
        return f"{ticked}, {'but also' if found == right else 'and'} {wrong}."

    @property
    def missed(self) -> tuple[AskedOption, ...]:
        """Return, for a wrong answer to a several-answers question, the right options
        the learner did not tick, in the order shown; empty otherwise."""
        if not self._ticks_are_wrong:
            return ()
        return tuple(
            option
            for option in self.question.shown
            if option.is_correct and not self.was_chosen(option)
        )

    @property
    def wrongly_ticked(self) -> tuple[AskedOption, ...]:
        """Return, for a wrong answer to a several-answers question, the options the
        learner ticked that are not right, in the order shown; empty otherwise."""
        if not self._ticks_are_wrong:
            return ()
        return tuple(option for option in self.chosen if not option.is_correct)

    @property
    def right_options(self) -> tuple[AskedOption, ...]:
        """Return, for a wrong or missing answer to a question with options, its right
        options (in the order shown) that nothing else on the result names; empty otherwise.

        So a one-answer or true-or-false question answered wrong, and a several-answers
        question left unanswered, name their right answer. Not a several-answers question
        answered wrong (`missed` names them), a text question (`accepted_answers`), nor a
        scenario's best choice when its feedback is shown (it says "the best choice").
        """
        question = self.question
        if self.is_correct or question.widget == "text" or self._ticks_are_wrong:
            return ()
        named = {option.index for option in self.feedback} if question.shows_all_feedback else set()
        return tuple(
            option for option in question.shown if option.is_correct and option.index not in named
        )

    @property
    def accepted_answers(self) -> tuple[str, ...]:
        """Return the accepted answers of a text question as the result lists them.

        As the author wrote them, in order, each once: an answer that differs from an
        earlier one only in what grading ignores (case, spaces) or in a full stop at the
        end is left out. Display only: grading accepts every one of them. Empty for
        other types.
        """
        if self.question.widget != "text":
            return ()
        seen: set[str] = set()
        shown: list[str] = []
        for answer in self.question.answers:
            key = normalise_text(answer).removesuffix(".").rstrip()
            if key and key not in seen:
                seen.add(key)
                shown.append(answer.strip())
        return tuple(shown)


def review_answers(
    questions: Sequence[AskedQuestion], answers: Mapping[str, Answer]
) -> list[QuestionReview]:
    """Return every question with the answer given to it, graded by its type.

    Raises KeyError for a question of an unknown type.
    """
    reviews: list[QuestionReview] = []
    for number, question in enumerate(questions, start=1):
        answer = answers.get(question.id)
        graded = get_type(question.type).grade(question, answer)
        chosen: tuple[AskedOption, ...] = ()
        text = None
        if isinstance(answer, str):
            text = answer if graded.is_answered else None
        elif isinstance(answer, tuple | list):
            picked = set(answer)
            chosen = tuple(option for option in question.shown if option.index in picked)
        reviews.append(
            QuestionReview(
                number=number, question=question, graded=graded, chosen=chosen, text=text
            )
        )
    return reviews


def unanswered(reviews: Sequence[QuestionReview]) -> list[QuestionReview]:
    """Return the questions without an answer, in quiz order."""
    return [review for review in reviews if not review.is_answered]


def lessons_to_review(reviews: Sequence[QuestionReview]) -> list[ReviewLink]:
    """Return the lesson sections linked from wrongly answered questions, each once, in order."""
    seen: set[str] = set()
    links: list[ReviewLink] = []
    for review in reviews:
        if review.is_correct:
            continue
        for link in review.question.review_links:
            if link.url not in seen:
                seen.add(link.url)
                links.append(link)
    return links


@dataclass(frozen=True)
class LastTime:
    """What the learner got wrong in their latest submitted attempt, for the next attempt.

    `wrong` of `total` questions were wrong then (an unanswered one counts as wrong);
    `marked` holds the ids of those wrong ones that the new attempt asks again (same id),
    the only ones its page marks. Says nothing about the right answers.
    """

    wrong: int
    total: int
    marked: frozenset[str]

    def is_marked(self, question_id: str) -> bool:
        """Return True when the question was wrong last time and is asked again now."""
        return question_id in self.marked

    @property
    def summary(self) -> str:
        """Return the sentence at the top of the quiz ("Last time you got 3 of 8 wrong; ...")."""
        said = f"Last time you got {self.wrong} of {self.total} wrong"
        marked, gone = len(self.marked), self.wrong - len(self.marked)
        if not gone:
            return f"{said}; {'it is' if marked == 1 else 'they are'} marked below."
        if not marked:
            return (
                f"{said}, but the quiz has changed since: "
                f"{'that question is' if gone == 1 else 'those questions are'} no longer in it."
            )
        return (
            f"{said}. {marked} of them "
            f"{'is' if marked == 1 else 'are'} marked below; "
            f"{'the other one is' if gone == 1 else f'the other {gone} are'} no longer in the quiz."
        )


def last_time(
    results: Iterable[tuple[str, bool]], asked: Sequence[AskedQuestion]
) -> LastTime | None:
    """Return what to mark on a new attempt, from the previous attempt's results.

    `results` holds (question id, answered right) for each question of the learner's
    latest submitted attempt; `asked` the questions of the new attempt. Only a question
    asked again with the same id is marked: one since removed, or whose id the author
    changed, is not. Returns None when there were no results (a first attempt) or none
    of them was wrong.
    """
    outcome = dict(results)
    wrong = {question_id for question_id, is_right in outcome.items() if not is_right}
    if not wrong:
        return None
    asked_ids = {question.id for question in asked}
    return LastTime(wrong=len(wrong), total=len(outcome), marked=frozenset(wrong & asked_ids))
