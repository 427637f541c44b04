"""The checker behind `flask --app induction courses check`: load everything, then prove the
formatter safe on every file, and summarise each course in one line."""

from __future__ import annotations

from pathlib import Path

from induction.content import tree
from induction.content.document import parse_source, structure
from induction.content.fmt import canonical_text
from induction.content.limits import Limits, read_limited
from induction.content.loader import load_library, sort_problems
from induction.content.model import Course, Library, Problem
from induction.content.render import Renderer
from induction.content.source import from_text


def check_tree(root: Path, renderer: Renderer | None = None) -> tuple[Library, list[Problem]]:
    """Return the library under `root` and every problem, sorted by path then line.

    On top of `load_library`'s problems, a file whose canonical form (what
    `format_tree` would write) parses to a different structure is an error.
    `renderer` sets the limits (a default one when None). Never raises for bad content.
    """
    renderer = renderer if renderer is not None else Renderer()
    library = load_library(root, renderer)
    problems = list(library.problems)
    problems.extend(round_trip_problems(root, renderer.limits))
    return library, list(sort_problems(problems))


def round_trip_problems(root: Path, limits: Limits | None = None) -> list[Problem]:
    """Return an error for every valid course file that would not survive being rewritten."""
    problems: list[Problem] = []
    limits = limits if limits is not None else Limits()
    for relative, kind in tree.course_files(root):
        source, refused = read_limited(root / relative, relative, limits)
        if source is None or refused:
            continue  # the loader reports these
        document = parse_source(source, kind, relative)
        if document.has_errors:
            continue
        rewritten = parse_source(from_text(canonical_text(document)), kind, relative)
        if rewritten.has_errors or structure(rewritten) != structure(document):
            problems.append(
                Problem(
                    relative,
                    0,
                    "the formatter would change what this file means, so 'courses fmt' must "
                    "not rewrite it: please report this file to the platform's maintainers",
                )
            )
    return problems


def _count(number: int, word: str, plural: str | None = None) -> str:
    return f"{number} {word if number == 1 else plural or word + 's'}"


def summary_line(course: Course) -> str:
    """Return a one-line summary of a loaded course, like
    `ccin-induction: 5 modules, 21 lessons, 4 quizzes (35 questions), OK`."""
    lessons = sum(len(module.lessons) for module in course.modules)
    quizzes = [module.quiz for module in course.modules if module.quiz is not None]
    questions = sum(len(quiz.questions) for quiz in quizzes)
    warnings = len(course.problems)
    status = "OK" if not warnings else f"OK with {_count(warnings, 'warning')}"
    draft = " (draft)" if course.draft else ""
    return (
        f"{course.id}{draft}: {_count(len(course.modules), 'module')}, "
        f"{_count(lessons, 'lesson')}, {_count(len(quizzes), 'quiz', 'quizzes')} "
        f"({_count(questions, 'question')}), {status}"
    )
