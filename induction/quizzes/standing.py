"""Where a person stands in a quiz's module and course, for the quiz's result page.

Whether a module or a course is complete is progress's rule (progress.status), and this
package may not import progress. So progress registers a function that answers (see
progress.services.init_app), as it does for since when attempts count, and the result
page asks through `standing_in`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

from induction.accounts.models import User
from induction.content.model import Course
from induction.content.outline import Step


@dataclass(frozen=True)
class NextCourse:
    """The course to go on to once one is complete: the first other course on the person's
    My learning with something still to do, and that thing (`step`, a lesson or a quiz).
    `is_started` says whether they have done any of it yet ("Start" or "Continue")."""

    course: Course
    step: Step
    is_started: bool


@dataclass(frozen=True)
class LessonLeft:
    """A lesson of a quiz's module that the person has still to mark complete."""

    id: str
    title: str
    note: str | None = None  # why it is to do again ("Updated since you read it"), if it is


@dataclass(frozen=True)
class Standing:
    """Where a person stands in a quiz's module and course, by progress's completion rules.

    `rule` is the module's completion rule as every page words it; `lessons_left` its
    lessons still to mark complete, in course order; `certificate_code` the person's
    valid certificate for the course, if they hold one; `next_course`, once the course is
    complete, the course to go on to (None: nothing else is left to do).
    """

    is_module_complete: bool
    rule: str
    lessons_left: tuple[LessonLeft, ...]
    is_course_complete: bool
    certificate_code: str | None
    next_course: NextCourse | None = None


# The app's extension under which progress keeps its answer to "where does this person
# stand in this module and its course?" (a function of person, course and module id).
STANDING = "induction.quiz_standing"
StandingFinder = Callable[[User, Course, str], "Standing | None"]


def standing_in(user: User, course: Course, module_id: str) -> Standing | None:
    """Return where `user` stands in the module `module_id` of `course` and in the course,
    as the app's progress rules say; None when the module has nothing for them, or no
    progress rules are registered."""
    finder: StandingFinder | None = current_app.extensions.get(STANDING)
    return finder(user, course, module_id) if finder is not None else None
