"""Who may see which course and quiz: visibility rules the quiz and course pages can share.

A course is visible to a person when it applies to their audience and is not a draft
(admins see drafts and every audience). Anything not visible is a 404, so the pages
never confirm that a hidden course, module or attempt exists.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from induction.accounts.models import User
from induction.catalogue import get_catalogue
from induction.content.model import Course, Module, Quiz


def audience_of(user: User) -> str | None:
    """Return the audience whose content applies to `user` (None for admins: every audience)."""
    return None if user.is_admin else user.audience


def may_see_course(user: User, course: Course) -> bool:
    """Return True when `user` may see `course` (drafts only for admins; audience must match)."""
    if course.draft and not user.is_admin:
        return False
    return course.applies_to(audience_of(user))


def visible_course(course_id: str) -> Course:
    """Return the course if the signed-in person may see it.

    Aborts with 404 when there is no such course or it is hidden from them.
    """
    course = get_catalogue().course(course_id)
    if course is None or not may_see_course(current_user, course):
        abort(404)
    return course


def visible_module(course: Course, module_id: str) -> Module:
    """Return the module if it is shown to the signed-in person; aborts with 404 otherwise."""
    module = course.module(module_id)
    if module is None or not module.applies_to(audience_of(current_user)):
        abort(404)
    return module


def visible_quiz(course: Course, module_id: str) -> tuple[Module, Quiz]:
    """Return the module and its quiz if both are shown to the signed-in person.

    Aborts with 404 when the module is hidden or has no quiz.
    """
    module = visible_module(course, module_id)
    if module.quiz is None:
        abort(404)
    return module, module.quiz
