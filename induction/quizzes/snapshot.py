"""The questions of an attempt as they were asked, stored as JSON with the attempt.

An attempt keeps its own copy of every question (prompt, stem, options in the order
shown with their authored positions, which were correct, feedback, explanation and the
lessons to review), so it is graded, reviewed and shown exactly as asked even after the
author edits or deletes the quiz. Stored answers use authored option positions, so the
order an attempt showed never matters to grading.

Pure: no Flask, no database. The caller supplies how a review link becomes a URL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from induction.content.model import Course, Question, Quiz
from induction.content.question_types import Answer, get_type


@dataclass(frozen=True)
class ReviewLink:
    """A lesson section to go back to: its URL, the lesson's title and the section's heading.

    `section` is None when the link is to the lesson as a whole or to its title heading.
    """

    url: str
    title: str
    section: str | None = None

    @property
    def label(self) -> str:
        """Return the link text, such as "The rules – Why"."""
        return f"{self.title} – {self.section}" if self.section else self.title


@dataclass(frozen=True)
class AskedOption:
    """One option as shown: its position in the file (`index`) and what it said."""

    index: int
    html: str
    is_correct: bool
    feedback_html: str | None


@dataclass(frozen=True)
class AskedQuestion:
    """A question as asked in one attempt; fits question_types.QuestionLike.

    `shown` holds the options in the order the learner saw them; `options` the same
    options in authored order, which is what answers and grading refer to.
    """

    id: str
    type: str
    prompt_html: str
    stem_html: str
    shown: tuple[AskedOption, ...]
    answers: tuple[str, ...]
    explanation_html: str | None
    review_links: tuple[ReviewLink, ...]

    @property
    def options(self) -> tuple[AskedOption, ...]:
        return tuple(sorted(self.shown, key=lambda option: option.index))

    @property
    def widget(self) -> str:
        """Return the form control of the question's type: radio, checkbox or text."""
        return get_type(self.type).widget

    @property
    def instruction(self) -> str | None:
        """Return the instruction shown with the question ("Select all that apply."), if any."""
        return get_type(self.type).instruction

    @property
    def kind_label(self) -> str | None:
        """Return the word shown before the question number ("Scenario"), if any."""
        return get_type(self.type).kind_label

    @property
    def shows_all_feedback(self) -> bool:
        """Return True when the result shows the feedback of every option (scenarios)."""
        return get_type(self.type).shows_all_feedback


ReviewResolver = Callable[[str], ReviewLink | None]


def review_resolver(
    course: Course, lesson_url: Callable[[str, str, str | None], str]
) -> ReviewResolver:
    """Return a function that turns a review link ("lesson" or "lesson#anchor") into a ReviewLink.

    The function returns None for a lesson the course no longer has. `lesson_url` is
    called as lesson_url(course_id, lesson_id, anchor).
    """

    def resolve(link: str) -> ReviewLink | None:
        lesson_id, _, anchor = link.partition("#")
        lesson = course.lesson(lesson_id)
        if lesson is None:
            return None
        section = next((h.text for h in lesson.headings if anchor and h.anchor == anchor), None)
        return ReviewLink(
            url=lesson_url(course.id, lesson.id, anchor or None),
            title=lesson.title,
            section=section if section != lesson.title else None,
        )

    return resolve


def snapshot_questions(
    asked: Quiz | Sequence[Question], orders: Mapping[str, Sequence[int]], resolve: ReviewResolver
) -> list[dict[str, Any]]:
    """Return the questions asked as JSON-ready dicts, options in the order given by `orders`.

    `asked` is a quiz (all its questions) or the questions one person is asked
    (`Quiz.questions_for`). `orders` maps each question id to a permutation of its
    option positions (see grading.attempt_orders). Raises KeyError when a question
    has no order.
    """
    questions: list[dict[str, Any]] = []
    for question in asked.questions if isinstance(asked, Quiz) else asked:
        links = [link for link in map(resolve, question.review_links) if link is not None]
        questions.append(
            {
                "id": question.id,
                "type": question.type,
                "prompt_html": question.prompt_html,
                "stem_html": question.stem_html,
                "options": [
                    {
                        "index": index,
                        "html": question.options[index].html,
                        "is_correct": question.options[index].is_correct,
                        "feedback_html": question.options[index].feedback_html,
                    }
                    for index in orders[question.id]
                ],
                "answers": list(question.answers),
                "explanation_html": question.explanation_html,
                "review_links": [
                    {"url": link.url, "title": link.title, "section": link.section}
                    for link in links
                ],
            }
        )
    return questions


def asked_questions(data: Sequence[Mapping[str, Any]] | None) -> tuple[AskedQuestion, ...]:
    """Return the stored snapshot as AskedQuestion objects, in the order asked.

    Raises KeyError when a stored question lacks a required key.
    """
    return tuple(
        AskedQuestion(
            id=item["id"],
            type=item["type"],
            prompt_html=item["prompt_html"],
            stem_html=item.get("stem_html") or "",
            shown=tuple(
                AskedOption(
                    index=option["index"],
                    html=option["html"],
                    is_correct=bool(option["is_correct"]),
                    feedback_html=option.get("feedback_html"),
                )
                for option in item.get("options", ())
            ),
            answers=tuple(item.get("answers", ())),
            explanation_html=item.get("explanation_html"),
            review_links=tuple(
                ReviewLink(url=link["url"], title=link["title"], section=link.get("section"))
                for link in item.get("review_links", ())
            ),
        )
        for item in data or ()
    )


def answers_to_json(answers: Mapping[str, Answer]) -> dict[str, Any]:
    """Return answers ready to store as JSON: option positions as lists, text as text."""
    return {
        question_id: list(answer) if isinstance(answer, tuple) else answer
        for question_id, answer in answers.items()
    }


def answers_from_json(data: Mapping[str, Any] | None) -> dict[str, Answer]:
    """Return stored answers as grading expects them; anything malformed counts as no answer."""
    answers: dict[str, Answer] = {}
    for question_id, value in (data or {}).items():
        if isinstance(value, str):
            answers[question_id] = value
        elif isinstance(value, list) and all(
            isinstance(i, int) and not isinstance(i, bool) for i in value
        ):
            answers[question_id] = tuple(value)
        else:
            answers[question_id] = None
    return answers
