"""What a learner does through the real pages, and sending the same form twice at once.

The course is the test fixture `basics`: module `first-steps` (lessons welcome and
rules, the latter with a statement to acknowledge, then a quiz of four questions) and
module `going-further` (lesson next). A councillor does not see the officers-only
lesson, so these three lessons and the quiz complete the course.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from tests.reliability.visitor import Reply, Visitor, form_posting_to

COURSE = "basics"
LESSONS = (("welcome", 1), ("rules", 2), ("next", 1))
RULES_STATEMENT = "I have read and understood the rules."
QUIZ = f"/courses/{COURSE}/modules/first-steps/quiz"
# Option positions in authored order: every answer right.
RIGHT_ANSWERS = [
    ("q-be-what", "0"),
    ("q-rules-ask", "0"),
    ("q-rules-ask", "1"),
    ("q-rules-kind", "0"),
    ("q-first-lesson", "Welcome"),
]
WRONG_ANSWERS = [("q-be-what", "1"), ("q-rules-kind", "1"), ("q-first-lesson", "Goodbye")]


class Unavailable(Exception):
    """The server answered 503: the database did not answer."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(f"503 from the server: {reply.body[:200]}")
        self.reply = reply


def expect(reply: Reply, status: int, what: str) -> Reply:
    """Return `reply` when it has `status`; raise Unavailable for a 503, AssertionError else."""
    if reply.status == 503 and status != 503:
        raise Unavailable(reply)
    assert reply.status == status, f"{what} answered {reply.status}"
    return reply


def lesson_url(lesson_id: str) -> str:
    return f"/courses/{COURSE}/lessons/{lesson_id}"


def at_once(calls: Sequence[Callable[[], Reply]]) -> list[Reply]:
    """Run the calls in parallel, released together by a barrier; return their replies in order."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Reply]) -> Reply:
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def lesson_form(visitor: Visitor, lesson_id: str) -> list[tuple[str, str]]:
    """Open a lesson and return the fields of its completion form, statement ticked."""
    page = expect(visitor.get(lesson_url(lesson_id)), 200, f"lesson {lesson_id}")
    form = form_posting_to(page.body, f"{lesson_url(lesson_id)}/complete")
    fields = list(form.hidden)
    if lesson_id == "rules":
        fields.append(("acknowledge", "y"))
    return fields


def complete_lesson_twice(visitor: Visitor, lesson_id: str, bases: Sequence[str]) -> list[Reply]:
    """Send one lesson's completion form to each of `bases` at the same moment."""
    fields = lesson_form(visitor, lesson_id)
    action = f"{lesson_url(lesson_id)}/complete"
    return at_once([lambda b=base: visitor.post(action, fields, base_url=b) for base in bases])


@dataclass(frozen=True)
class OpenAttempt:
    """A started attempt whose answers were checked: where to submit it and what to send."""

    path: str
    submit_fields: list[tuple[str, str]]

    @property
    def id(self) -> int:
        return int(self.path.rstrip("/").rsplit("/", 1)[1])


def start_quiz(visitor: Visitor) -> str:
    """Start (or resume) the quiz through its start page; return the attempt's path."""
    page = expect(visitor.get(QUIZ), 200, "quiz page")
    form = form_posting_to(page.body, QUIZ)
    started = expect(visitor.post(QUIZ, form.hidden), 303, "starting the quiz")
    return started.location


def start_quiz_twice(visitor: Visitor, bases: Sequence[str]) -> list[Reply]:
    """Press Start on the quiz page once on each of `bases` at the same moment (a double
    click reaching two workers); return the replies."""
    page = expect(visitor.get(QUIZ), 200, "quiz page")
    form = form_posting_to(page.body, QUIZ)
    return at_once([lambda b=base: visitor.post(QUIZ, form.hidden, base_url=b) for base in bases])


def check_answers(
    visitor: Visitor, attempt_path: str, answers: list[tuple[str, str]]
) -> OpenAttempt:
    """Answer an open attempt and keep its check page's final form."""
    page = expect(visitor.get(attempt_path), 200, "attempt page")
    form = form_posting_to(page.body, attempt_path)
    checked = expect(visitor.post(attempt_path, [*form.hidden, *answers]), 303, "checking")
    assert checked.location == f"{attempt_path}/check", checked.location
    page = expect(visitor.get(checked.location), 200, "check page")
    final = form_posting_to(page.body, f"{attempt_path}/submit")
    return OpenAttempt(path=attempt_path, submit_fields=final.hidden)


def submit_twice(visitor: Visitor, attempt: OpenAttempt, bases: Sequence[str]) -> list[Reply]:
    """Send the final submit of one attempt to each of `bases` at the same moment."""
    action = f"{attempt.path}/submit"
    return at_once(
        [lambda b=base: visitor.post(action, attempt.submit_fields, base_url=b) for base in bases]
    )
