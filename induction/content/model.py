"""Immutable objects that a loaded course tree is made of.

Everything here is plain data: no Flask, no SQLAlchemy. The loader
(`induction.content.loader`) builds these from the files in a courses folder;
the rest of the platform only ever reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

AUDIENCES: tuple[str, ...] = ("councillor", "officer", "affiliate")
# `renew: each term` in course.md: renew completions once a term (see progress.renewal).
RENEW_EACH_TERM = "each term"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding of the checker: `path:line: message`.

    `path` is relative to the folder that holds the courses (for example
    ``ccin-induction/course.md``) so messages read the same on any machine;
    `line` is 1-based, 0 when the problem is about a file or folder as a whole.
    """

    path: str
    line: int
    message: str
    severity: Severity = Severity.ERROR

    def format(self, prefix: str = "") -> str:
        """Return the problem as one `path:line: message` line."""
        where = f"{prefix}{self.path}:{self.line}" if self.line else f"{prefix}{self.path}"
        tag = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}: {tag}{self.message}"


@dataclass(frozen=True)
class Heading:
    """A heading of a lesson: its level (1-6), plain text and anchor id."""

    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class LessonPart:
    """A piece of a lesson page, in order: rendered HTML, or a block the page fills in.

    `kind` is "html" or a block kind (see `induction.content.blocks`): "reflection"
    (`html` is its question) or "council-notes" (`html` is the default text, maybe "").
    """

    kind: str
    html: str
    id: str | None = None


@dataclass(frozen=True)
class Lesson:
    id: str
    course_id: str
    module_id: str
    path: str  # relative to the courses folder
    title: str
    minutes: int  # given, or estimated from the word count
    audiences: frozenset[str]
    version: int
    acknowledge: str | None
    body: str  # Markdown after the front matter
    html: str  # rendered, sanitized HTML of the body
    headings: tuple[Heading, ...]
    content_hash: str  # sha256 of the normalised file text
    parts: tuple[LessonPart, ...] = ()  # the body in pieces: HTML and blocks, in order

    def blocks(self, kind: str) -> tuple[LessonPart, ...]:
        """Return the lesson's blocks of `kind` ("reflection", "council-notes"), in order."""
        return tuple(part for part in self.parts if part.kind == kind)

    def block(self, kind: str, block_id: str) -> LessonPart | None:
        """Return the block of `kind` with this id, or None."""
        return next((part for part in self.blocks(kind) if part.id == block_id), None)

    def applies_to(self, audience: str | None) -> bool:
        """Return True when this lesson is shown to `audience` (None: everyone)."""
        return audience is None or audience in self.audiences


@dataclass(frozen=True)
class Option:
    text: str  # inline Markdown, as written
    html: str  # rendered inline HTML
    is_correct: bool
    feedback: str | None = None  # Markdown
    feedback_html: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    type: str  # a registered question type (see induction.content.question_types)
    type_declared: bool  # True when the heading carries type=...
    prompt: str  # the heading text, inline Markdown
    prompt_html: str
    stem: str  # Markdown between the heading and the options ("" when none)
    stem_html: str
    options: tuple[Option, ...]
    answers: tuple[str, ...]  # accepted answers of a text question
    explanation: str | None
    explanation_html: str | None
    review_links: tuple[str, ...]  # lesson ids (or "lesson#anchor") the explanation links to
    line: int  # line of the heading in quiz.md
    # The audiences asked this question (`audiences=` in its heading); None: all the quiz's.
    audiences: frozenset[str] | None = None

    def applies_to(self, audience: str | None) -> bool:
        """Return True when a person of `audience` is asked this question (None: everyone)."""
        return audience is None or self.audiences is None or audience in self.audiences


@dataclass(frozen=True)
class Quiz:
    id: str  # the module's id
    course_id: str
    module_id: str
    path: str
    title: str
    pass_mark: int
    max_attempts: int  # 0 = unlimited
    shuffle: bool
    questions: tuple[Question, ...]
    content_hash: str

    def questions_for(self, audience: str | None) -> tuple[Question, ...]:
        """Return the questions a person of `audience` is asked (None: all of them), in order."""
        return tuple(question for question in self.questions if question.applies_to(audience))


@dataclass(frozen=True)
class Module:
    id: str
    course_id: str
    path: str  # folder, relative to the courses folder
    title: str
    summary: str
    audiences: frozenset[str]
    body: str
    html: str
    lessons: tuple[Lesson, ...]
    quiz: Quiz | None

    def lessons_for(self, audience: str | None) -> tuple[Lesson, ...]:
        """Return the lessons shown to `audience` (None: all of them)."""
        return tuple(lesson for lesson in self.lessons if lesson.applies_to(audience))

    def applies_to(self, audience: str | None) -> bool:
        return audience is None or audience in self.audiences

    @property
    def quiz_name(self) -> str | None:
        """Return the quiz's title naming this module, or None when there is no quiz.

        "Check your understanding: What is our Co-operative Difference?": the quiz's
        own title, then the module's, so six quizzes called the same are told apart.
        """
        if self.quiz is None:
            return None
        return f"{self.quiz.title.rstrip(' .:')}: {self.title}"


@dataclass(frozen=True)
class Course:
    id: str
    path: str  # folder, relative to the courses folder
    title: str
    summary: str
    audiences: frozenset[str]
    pass_mark: int
    due_days: int | None
    certificate: bool
    draft: bool
    body: str
    html: str
    modules: tuple[Module, ...]
    content_hash: str  # over every file of the course
    problems: tuple[Problem, ...] = field(default=())  # warnings only when loaded
    order: int | None = None  # place in the catalogue set by the author; None: after those set
    public: bool = False  # its title and summary may be shown to visitors who are not signed in
    # Completions to be renewed: RENEW_EACH_TERM, a number of days, or None (never).
    renew: int | str | None = None

    def applies_to(self, audience: str | None) -> bool:
        return audience is None or audience in self.audiences

    def modules_for(self, audience: str | None) -> tuple[Module, ...]:
        return tuple(m for m in self.modules if m.applies_to(audience))

    def lesson(self, lesson_id: str) -> Lesson | None:
        """Return the lesson with this id, or None."""
        for module in self.modules:
            for lesson in module.lessons:
                if lesson.id == lesson_id:
                    return lesson
        return None

    def module(self, module_id: str) -> Module | None:
        for module in self.modules:
            if module.id == module_id:
                return module
        return None


def catalogue_order(courses: Iterable[Course]) -> tuple[Course, ...]:
    """Return `courses` in catalogue order: by `order:` first, then the rest as given.

    Courses with the same `order:`, and courses without one, keep the order they
    were given in (folder order); courses without one come after those with one.
    """
    return tuple(
        sorted(courses, key=lambda c: (c.order is None, c.order if c.order is not None else 0))
    )


@dataclass(frozen=True)
class Library:
    """Every course found in a courses folder.

    `courses` holds only the courses that passed validation, in folder order.
    `broken` maps the id (or folder name) of each course that failed to the
    problems that stop it loading. `problems` lists every finding, warnings
    included, across the whole folder.
    """

    courses: tuple[Course, ...]
    broken: dict[str, tuple[Problem, ...]]
    problems: tuple[Problem, ...]

    def course(self, course_id: str) -> Course | None:
        for course in self.courses:
            if course.id == course_id:
                return course
        return None

    def public_courses(self) -> tuple[Course, ...]:
        """Return the published courses whose author lets visitors see them (`public: true`)."""
        return tuple(course for course in self.courses if course.public and not course.draft)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)
