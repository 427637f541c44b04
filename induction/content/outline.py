"""The order in which a learner meets a course: its lessons and quizzes as one list of steps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from induction.content.model import Course, Lesson, Module, Quiz


@dataclass(frozen=True)
class Step:
    """One thing to do in a course: read a lesson or take a module's quiz."""

    kind: Literal["lesson", "quiz"]
    module: Module
    lesson: Lesson | None = None
    quiz: Quiz | None = None

    @property
    def key(self) -> str:
        """Return a key unique within the course: the lesson id, or 'quiz:' + quiz id."""
        if self.lesson is not None:
            return self.lesson.id
        assert self.quiz is not None
        return f"quiz:{self.quiz.id}"

    @property
    def title(self) -> str:
        if self.lesson is not None:
            return self.lesson.title
        assert self.quiz is not None
        return self.quiz.title

    @property
    def label(self) -> str:
        """Return the step's name where it stands alone (My learning's button, the button
        at a lesson's end): a lesson's title; a quiz as "Quiz: <its module's title>", as
        quizzes are often all called the same ("Check your understanding")."""
        if self.lesson is not None:
            return self.lesson.title
        return f"Quiz: {self.module.title}"


def course_steps(course: Course, audience: str | None) -> tuple[Step, ...]:
    """Return every step of `course` shown to `audience` (None: all), in course order.

    Each module contributes its lessons for that audience, then its quiz if it has one.
    """
    steps: list[Step] = []
    for module in course.modules_for(audience):
        steps.extend(
            Step("lesson", module, lesson=lesson) for lesson in module.lessons_for(audience)
        )
        if module.quiz is not None:
            steps.append(Step("quiz", module, quiz=module.quiz))
    return tuple(steps)


def neighbours(steps: tuple[Step, ...], key: str) -> tuple[Step | None, Step | None]:
    """Return the steps before and after the one with `key` (None at either end or when absent)."""
    for index, step in enumerate(steps):
        if step.key == key:
            before = steps[index - 1] if index > 0 else None
            after = steps[index + 1] if index + 1 < len(steps) else None
            return before, after
    return None, None
