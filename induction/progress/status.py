"""Where a learner stands in a course, computed from their records and the current files.

Pure: no Flask, no database. `course_progress` takes what the database holds about one
person in one course (a `Record`) and the course as it is now, and works out each
lesson's state, each module's status, the course's status, the due date and the next
thing to do. Because status is computed, not stored, an author's edit takes effect at
once: a bumped lesson version makes the lesson "updated since you read it", a new
lesson is simply to do, and renaming or reordering files changes nothing.

Renewal (`renew:` in course.md): a completion lasts that many days. Once the person's
latest completion is older than that (see renewal_cutoff), they are "Due for renewal":
only what they read and passed inside the renewal period counts, so every lesson read
before it is "to do again" and every quiz passed before it is to take again. Having read
them all and passed them all again, they are complete again (and a renewal is recorded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from induction.content.model import Course, Lesson, Module, Quiz
from induction.content.outline import Step, course_steps
from induction.inputs import add_days
from induction.quizzes.grading import what_it_takes


class LessonState(StrEnum):
    TO_DO = "to_do"
    DONE = "done"
    UPDATED = "updated"  # completed an earlier version; to do again
    AGAIN = "again"  # done, but before the renewal period: to do again for the renewal


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    UPDATE_TO_READ = "update_to_read"  # completed the course once; an update is to read
    DUE_FOR_RENEWAL = "due_for_renewal"  # the latest completion is older than `renew:` days


STATUS_LABELS = {
    Status.NOT_STARTED: "Not started",
    Status.IN_PROGRESS: "In progress",
    Status.COMPLETE: "Complete",
    Status.UPDATE_TO_READ: "Update to read",
    Status.DUE_FOR_RENEWAL: "Due for renewal",
}
LESSON_LABELS = {
    LessonState.TO_DO: "To do",
    LessonState.DONE: "Done",
    LessonState.UPDATED: "Updated since you read it",
    LessonState.AGAIN: "To do again",
}


def whole_percent(part: float, whole: float) -> int:
    """Return `part` of `whole` as the whole percentage every report and progress display shows.

    Rounded to the nearest whole number, a half up, as a spreadsheet's ROUND does (1 of 8,
    12.5%, is 13%; not Python's round(), which would give 12), except at the ends: 100%
    means everyone and 0% no one, so a share between them is at least 1% and at most 99%
    (1 of 300 is 1%, 199 of 200 is 99%). 0 of 0 is 0. A part outside 0 to `whole` gets the
    same arithmetic unclamped (15 of 10 is 150%). Never raises. The SQL form is
    status_query.whole_percent_sql; quiz scores are not shares and are rounded down (see
    quizzes.grading).
    """
    if whole <= 0:
        return 0
    rounded = int((200 * part + whole) // (2 * whole))
    if 0 < part < whole:
        return min(99, max(1, rounded))
    return rounded


@dataclass(frozen=True)
class Record:
    """What the database holds about one person in one course."""

    lesson_versions: Mapping[str, int] = field(default_factory=dict)  # lesson id -> highest version
    lesson_completed_at: Mapping[str, dt.datetime] = field(default_factory=dict)  # of that version
    quiz_best: Mapping[str, int] = field(default_factory=dict)  # quiz id -> best percent submitted
    # quiz id -> (right, total) of that best attempt, as it was asked
    quiz_best_score: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    quizzes_passed: frozenset[str] = frozenset()  # passed at least once, any version of the quiz
    module_completed_at: Mapping[str, dt.datetime] = field(default_factory=dict)
    course_completed_at: dt.datetime | None = None
    last_activity_at: dt.datetime | None = None
    # For renewals: when each lesson version was last read, when each quiz was last
    # passed, and the latest completion of the course (the first one or a renewal).
    lesson_read_at: Mapping[tuple[str, int], dt.datetime] = field(default_factory=dict)
    quiz_passed_at: Mapping[str, dt.datetime] = field(default_factory=dict)
    last_completed_at: dt.datetime | None = None


@dataclass(frozen=True)
class LessonProgress:
    lesson: Lesson
    state: LessonState
    completed_version: int | None
    completed_at: dt.datetime | None

    @property
    def label(self) -> str:
        return LESSON_LABELS[self.state]


@dataclass(frozen=True)
class QuizProgress:
    quiz: Quiz
    pass_mark: int
    is_passed: bool
    best_percent: int | None  # None: never submitted
    to_take_again: bool = False  # passed, but before the renewal period
    best_score: tuple[int, int] | None = None  # (right, total) of the best attempt
    questions: int | None = None  # how many questions the person is asked now

    @property
    def label(self) -> str:
        """Return the quiz's state in a few words, a score in right answers ("Passed (8 of 8
        right)", "Not passed yet (best 1 of 4 right)"), as the quiz page counts them."""
        if self.to_take_again:
            return "To take again"
        if self.best_percent is None:
            return "Passed" if self.is_passed else "Not taken"
        if self.best_score is not None:
            right, total = self.best_score
            score = f"{right} of {total} right"
        else:  # a score kept without its answers: as a share
            score = f"{self.best_percent}%"
        return f"Passed ({score})" if self.is_passed else f"Not passed yet (best {score})"

    @property
    def is_failed(self) -> bool:
        """Return whether the person has submitted this quiz but not passed it (yet)."""
        return not self.is_passed and not self.to_take_again and self.best_percent is not None

    @property
    def shortfall(self) -> str | None:
        """Return, for a quiz taken but not passed, what it takes to pass, in one plain
        sentence in right answers ("Not passed yet: your best score is 2 of 4 right; to
        pass, you need at least 3 of the 4 right."), by the quiz page's rule
        (grading.what_it_takes); None otherwise (services.load_records keeps the score of
        every best attempt, so a quiz taken has one)."""
        if not self.is_failed or self.best_score is None or self.questions is None:
            return None
        right, total = self.best_score
        return (
            f"Not passed yet: your best score is {right} of {total} right; "
            f"to pass, {what_it_takes(self.questions, self.pass_mark)}."
        )


@dataclass(frozen=True)
class ModuleProgress:
    module: Module
    lessons: tuple[LessonProgress, ...]
    quiz: QuizProgress | None
    status: Status
    rule: str
    first_completed_at: dt.datetime | None

    @property
    def done(self) -> int:
        return sum(lp.state is LessonState.DONE for lp in self.lessons) + int(
            bool(self.quiz and self.quiz.is_passed)
        )

    @property
    def total(self) -> int:
        return len(self.lessons) + int(self.quiz is not None)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class CourseProgress:
    course: Course
    modules: tuple[ModuleProgress, ...]
    status: Status
    due_date: dt.date | None
    is_overdue: bool
    next_step: Step | None  # the first unfinished lesson or quiz, in course order
    first_completed_at: dt.datetime | None
    last_activity_at: dt.datetime | None
    # Renewal: the day the latest completion runs out (None: the course asks for no
    # renewal, or nothing to renew yet); is_renewing while that day has come and the
    # person has not completed the course again since.
    renewal_due_date: dt.date | None = None
    is_renewing: bool = False
    last_completed_at: dt.datetime | None = None  # the first completion or the latest renewal

    @property
    def done(self) -> int:
        return sum(m.done for m in self.modules)

    @property
    def total(self) -> int:
        return sum(m.total for m in self.modules)

    @property
    def percent(self) -> int:
        return whole_percent(self.done, self.total)

    @property
    def minutes_left(self) -> int:
        """Return about how long what is left takes: each lesson still to read (its
        `minutes`) and each quiz still to pass (a minute a question, two at least)."""
        lessons = sum(
            lp.lesson.minutes
            for module in self.modules
            for lp in module.lessons
            if lp.state is not LessonState.DONE
        )
        quizzes = sum(
            max(2, len(module.quiz.quiz.questions))
            for module in self.modules
            if module.quiz is not None and (not module.quiz.is_passed or module.quiz.to_take_again)
        )
        return lessons + quizzes

    @property
    def label(self) -> str:
        return "Overdue" if self.is_overdue else STATUS_LABELS[self.status]

    @property
    def next_quiz(self) -> QuizProgress | None:
        """Return the quiz's progress when the next step is a quiz, else None."""
        step = self.next_step
        if step is None or step.lesson is not None:
            return None
        module = self.module(step.module.id)
        return module.quiz if module is not None else None

    @property
    def next_step_verb(self) -> str:
        """Return the word(s) that lead to the next step on its button: "Start" before
        anything is done, "Start your renewal" for a renewal not begun, "Try again" when
        the next step is a quiz taken and not passed, otherwise "Continue"."""
        if self.status is Status.NOT_STARTED:
            return "Start"
        if self.status is Status.DUE_FOR_RENEWAL and self.done == 0:
            return "Start your renewal"
        quiz = self.next_quiz
        if quiz is not None and quiz.is_failed:
            return "Try again"
        return "Continue"

    @property
    def status_key(self) -> str:
        """Return the status as a key for styling and filters ('overdue' wins)."""
        return "overdue" if self.is_overdue else self.status.value

    def module(self, module_id: str) -> ModuleProgress | None:
        for module in self.modules:
            if module.module.id == module_id:
                return module
        return None

    def lesson(self, lesson_id: str) -> LessonProgress | None:
        for module in self.modules:
            for lesson in module.lessons:
                if lesson.lesson.id == lesson_id:
                    return lesson
        return None


def completion_rule(course: Course, module: Module, audience: str | None) -> str:
    """Return the module's completion rule as one sentence, the same wherever it is shown.

    For example "To complete this module, read all 4 lessons and pass the quiz with 80%
    or more (you need at least 7 of the 8 right)." The lessons and questions counted are
    those for `audience` (None: all of them); the quiz part appears only when the module
    has a quiz, in right answers as the quiz page says it (grading.what_it_takes).
    Learners, officers and admins all see this sentence for the same learner.
    """
    count = len(module.lessons_for(audience))
    steps = []
    if count == 1:
        steps.append("read the lesson")
    elif count == 2:  # "both" reads better than "all 2"
        steps.append("read both lessons")
    elif count:
        steps.append(f"read all {count} lessons")
    if module.quiz is not None:
        pass_mark = module.quiz.pass_mark
        asked = len(module.quiz.questions_for(audience))
        takes = f" ({what_it_takes(asked, pass_mark)})" if asked else ""
        steps.append(f"pass the quiz with {pass_mark}% or more{takes}")
    if not steps:
        return "This module has nothing to complete for you."
    return f"To complete this module, {' and '.join(steps)}."


def due_date(course: Course, start_date: dt.date | None) -> dt.date | None:
    """Return when the course is due for someone who started on `start_date` (None: no due date)."""
    if course.due_days is None or start_date is None:
        return None
    return add_days(start_date, course.due_days)


def renewal_cutoff(renew_days: int, today: dt.date) -> dt.datetime:
    """Return the start of the renewal period on `today`: midnight UTC, `renew_days` - 1 days ago.

    A completion made before it is due for renewal (so one made on 1 January with
    `renew: 365` is due on 1 January a year later), and reading and passing from it on
    counts towards the renewal. The SQL form uses the same value (status_query).
    """
    day = add_days(today, 1 - renew_days)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def renewal_due_date(
    renew_days: int | None, last_completed_at: dt.datetime | None
) -> dt.date | None:
    """Return the day a completion made at `last_completed_at` is due for renewal (None: never)."""
    if renew_days is None or last_completed_at is None:
        return None
    return add_days(last_completed_at.astimezone(dt.UTC).date(), renew_days)


def lesson_state(lesson: Lesson, completed_version: int | None) -> LessonState:
    """Return a lesson's state given the highest version the person completed."""
    if completed_version is None:
        return LessonState.TO_DO
    if completed_version >= lesson.version:
        return LessonState.DONE
    return LessonState.UPDATED


def course_progress(
    course: Course,
    audience: str | None,
    record: Record,
    start_date: dt.date | None,
    today: dt.date,
    renew_days: int | None = None,
) -> CourseProgress:
    """Return where a person of `audience` stands in `course`, given their `record`.

    `renew_days`: how long a completion lasts (progress.renewal.renewal_days; None: for
    ever).
    """
    renewal_due = renewal_due_date(renew_days, record.last_completed_at)
    since = renewal_cutoff(renew_days, today) if renew_days is not None else None
    renewing = (
        since is not None
        and record.last_completed_at is not None
        and record.last_completed_at < since
    )
    modules: list[ModuleProgress] = []
    for module in course.modules_for(audience):
        lessons = tuple(
            LessonProgress(
                lesson=lesson,
                state=_lesson_state(lesson, record, since if renewing else None),
                completed_version=record.lesson_versions.get(lesson.id),
                completed_at=record.lesson_completed_at.get(lesson.id),
            )
            for lesson in module.lessons_for(audience)
        )
        quiz = None
        if module.quiz is not None:
            passed = module.quiz.id in record.quizzes_passed
            passed_at = record.quiz_passed_at.get(module.quiz.id)
            again = (
                renewing and passed and (passed_at is None or since is None or passed_at < since)
            )
            quiz = QuizProgress(
                quiz=module.quiz,
                pass_mark=module.quiz.pass_mark,
                is_passed=passed and not again,
                best_percent=record.quiz_best.get(module.quiz.id),
                to_take_again=again,
                best_score=record.quiz_best_score.get(module.quiz.id),
                questions=len(module.quiz.questions_for(audience)),
            )
        if not lessons and quiz is None:
            continue  # nothing in this module for this audience
        modules.append(
            ModuleProgress(
                module=module,
                lessons=lessons,
                quiz=quiz,
                status=_module_status(lessons, quiz),
                rule=completion_rule(course, module, audience),
                first_completed_at=record.module_completed_at.get(module.id),
            )
        )

    status = course_status({m.status for m in modules}, record.course_completed_at, renewing)
    due = due_date(course, start_date)
    is_overdue = (
        due is not None
        and today > due
        and status is not Status.COMPLETE
        and record.course_completed_at is None
    )
    progress = {m.module.id: m for m in modules}
    next_step = None
    for step in course_steps(course, audience):
        if not _step_done(step, progress):
            next_step = step
            break
    return CourseProgress(
        course=course,
        modules=tuple(modules),
        status=status,
        due_date=due,
        is_overdue=is_overdue,
        next_step=next_step,
        first_completed_at=record.course_completed_at,
        last_activity_at=record.last_activity_at,
        renewal_due_date=renewal_due,
        is_renewing=renewing,
        last_completed_at=record.last_completed_at,
    )


def course_status(
    module_statuses: set[Status], first_completed_at: dt.datetime | None, renewing: bool = False
) -> Status:
    """Return the course's status from its modules' statuses (empty: nothing asked).

    Complete when every module is; someone whose completion has run out (`renewing`) and
    has not done everything again inside the renewal period is "Due for renewal";
    someone else who completed the course before (its first completion is recorded) and
    now has something to do, because a lesson's version was raised or a lesson added, has
    "Update to read", apart from people who never finished. The SQL form is in
    status_query.CourseReport.person_status.
    """
    if module_statuses and module_statuses == {Status.COMPLETE}:
        return Status.COMPLETE
    if renewing:
        return Status.DUE_FOR_RENEWAL
    if first_completed_at is not None:
        return Status.UPDATE_TO_READ
    if not module_statuses or module_statuses == {Status.NOT_STARTED}:
        return Status.NOT_STARTED
    return Status.IN_PROGRESS


def _lesson_state(lesson: Lesson, record: Record, since: dt.datetime | None) -> LessonState:
    """Return the lesson's state; with `since` (renewing), a lesson not read at its current
    version from `since` on is to do again."""
    state = lesson_state(lesson, record.lesson_versions.get(lesson.id))
    if since is None or state is not LessonState.DONE:
        return state
    renewed = any(
        at >= since
        for (lesson_id, version), at in record.lesson_read_at.items()
        if lesson_id == lesson.id and version >= lesson.version
    )
    return LessonState.DONE if renewed else LessonState.AGAIN


def _module_status(lessons: tuple[LessonProgress, ...], quiz: QuizProgress | None) -> Status:
    all_read = all(lp.state is LessonState.DONE for lp in lessons)
    if all_read and (quiz is None or quiz.is_passed):
        return Status.COMPLETE
    started = any(lp.completed_version is not None for lp in lessons) or bool(
        quiz and quiz.best_percent is not None
    )
    return Status.IN_PROGRESS if started else Status.NOT_STARTED


def step_after(progress: CourseProgress, steps: Sequence[Step], key: str) -> Step | None:
    """Return where a learner goes on to after the step with `key` (a lesson id).

    The one rule for "what comes next" after a lesson, used by its Continue button and
    by marking it complete: the first step after it, in course order, that is still to
    do; when everything after it is done, the step straight after it. Never a step
    before it (what is still to do earlier is `steps_to_do_before`). None when it is
    the last step, or not one of `steps` (`course_steps` for the same audience as
    `progress`).
    """
    modules = {m.module.id: m for m in progress.modules}
    keys = [step.key for step in steps]
    if key not in keys:
        return None
    later = steps[keys.index(key) + 1 :]
    for step in later:
        if not _step_done(step, modules):
            return step
    return later[0] if later else None


def steps_to_do_before(
    progress: CourseProgress, steps: Sequence[Step], key: str
) -> tuple[Step, ...]:
    """Return the steps before the one with `key`, in course order, that are still to do
    (empty when `key` is not one of `steps`)."""
    modules = {m.module.id: m for m in progress.modules}
    keys = [step.key for step in steps]
    if key not in keys:
        return ()
    return tuple(step for step in steps[: keys.index(key)] if not _step_done(step, modules))


def _step_done(step: Step, progress: Mapping[str, ModuleProgress]) -> bool:
    module = progress.get(step.module.id)
    if module is None:
        return True
    if step.lesson is not None:
        for lp in module.lessons:
            if lp.lesson.id == step.lesson.id:
                return lp.state is LessonState.DONE
        return True
    return bool(module.quiz and module.quiz.is_passed)
