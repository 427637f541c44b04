"""Who may see which course, module, lesson and quiz: the one rule, for pages and reports.

The rule is written once, as data (RULE): an item is shown to a person when it passes
every check, or when the person's role is excused from that check. Admins are excused
from both: they see drafts and every audience's content. The same data gives the
Python predicate the pages ask (`may_see`, `audience_of`) and the SQL expressions the
reports use (`may_see_condition`, `audience_key`); tests/accounts/test_access_rule.py
checks that the two agree for every role, audience and course.

An admin who chose "Preview as" an audience sees exactly what that audience sees
(drafts still shown: they stay an admin). Anything not visible is a 404, so the pages
never confirm that a hidden course, module, lesson or attempt exists.
"""

from __future__ import annotations

from enum import Enum
from typing import Protocol

from flask import abort, session
from flask_login import current_user
from sqlalchemy import ColumnElement, and_, case, false, or_, true

from induction.accounts.models import Role, User
from induction.catalogue import get_catalogue
from induction.content.model import AUDIENCES, Course, Lesson, Module, Quiz


class Check(Enum):
    """What an item must be for a person to see it."""

    PUBLISHED = "published"  # not a draft (only courses are ever drafts)
    FOR_THEIR_AUDIENCE = "for their audience"  # it applies to the person's audience


RULE: dict[Check, frozenset[Role]] = {
    Check.PUBLISHED: frozenset({Role.ADMIN}),
    Check.FOR_THEIR_AUDIENCE: frozenset({Role.ADMIN}),
}
"""For each check, the roles excused from it."""

EVERY_AUDIENCE = "*"
"""The audience key (in SQL) of people who see every audience's content."""

# Set by the authoring pages: an admin's "Preview as" audience.
PREVIEW_AUDIENCE_KEY = "preview_audience"


class Shown(Protocol):
    """A course, module or lesson: something shown to some audiences."""

    @property
    def audiences(self) -> frozenset[str]: ...


def _excused(role: str, check: Check) -> bool:
    return role in RULE[check]


def _roles(check: Check) -> list[str]:
    return sorted(role.value for role in RULE[check])


# --- The rule in Python ---------------------------------------------------------------------


def audience_of(user: User, previewing: str | None = None) -> str | None:
    """Return the audience whose content `user` sees (None: every audience).

    `previewing` is an audience chosen with "Preview as"; it counts only for people who
    would otherwise see every audience (admins), and only when it is a real audience.
    """
    if not _excused(user.role, Check.FOR_THEIR_AUDIENCE):
        return user.audience
    return previewing if previewing in AUDIENCES else None


def audience_label(user: User) -> str:
    """Return a person's audience as the People pages show it: "Officer", or "All audiences
    (admin)" for a role that sees every audience's content, whatever audience is stored."""
    audience = audience_of(user)
    return "All audiences (admin)" if audience is None else audience.capitalize()


def may_see(user: User, item: Shown, previewing: str | None = None) -> bool:
    """Return True when `user` may see `item` (a course, module or lesson) by RULE.

    For a module or lesson this is the item alone; the pages also check its course.
    """
    audience = audience_of(user, previewing)
    holds = {
        Check.PUBLISHED: not getattr(item, "draft", False),
        Check.FOR_THEIR_AUDIENCE: audience in item.audiences,
    }
    excused = {
        Check.PUBLISHED: _excused(user.role, Check.PUBLISHED),
        # None exactly for the excused, unless they preview an audience (then held to it).
        Check.FOR_THEIR_AUDIENCE: audience is None,
    }
    return all(holds[check] or excused[check] for check in Check)


# --- The rule in SQL (over the User table) --------------------------------------------------


def audience_key() -> ColumnElement[str]:
    """Return the SQL of a person's audience key: EVERY_AUDIENCE for roles that see every
    audience, their audience otherwise (the SQL form of `audience_of`).
    """
    return case(
        (User.role.in_(_roles(Check.FOR_THEIR_AUDIENCE)), EVERY_AUDIENCE), else_=User.audience
    )


def may_see_condition(item: Shown) -> ColumnElement[bool]:
    """Return the SQL condition "the person (a User row) may see `item`" (see `may_see`)."""
    holds = {
        Check.PUBLISHED: false() if getattr(item, "draft", False) else true(),
        Check.FOR_THEIR_AUDIENCE: User.audience.in_(sorted(item.audiences)),
    }
    return and_(*(or_(User.role.in_(_roles(check)), holds[check]) for check in Check))


# --- The rule for the signed-in person (pages) -------------------------------------------------


def previewing() -> str | None:
    """Return the audience chosen with "Preview as" in this session (None: not previewing).

    `audience_of` honours it only for the people who may preview (admins).
    """
    audience = session.get(PREVIEW_AUDIENCE_KEY)
    return audience if audience in AUDIENCES else None


def viewer_audience() -> str | None:
    """Return the audience whose view of the courses the signed-in person gets (None: every)."""
    return audience_of(current_user, previewing())


def visible_courses() -> list[Course]:
    """Return the courses the signed-in person may see, in folder order."""
    preview = previewing()
    return [c for c in get_catalogue().library().courses if may_see(current_user, c, preview)]


def visible_course(course_id: str) -> Course:
    """Return the course if the signed-in person may see it; abort with 404 otherwise."""
    course = get_catalogue().course(course_id)
    if course is None or not may_see(current_user, course, previewing()):
        abort(404)
    return course


def visible_module(course: Course, module_id: str) -> Module:
    """Return the module of a visible course if it is shown to the signed-in person; else 404."""
    module = course.module(module_id)
    if module is None or not may_see(current_user, module, previewing()):
        abort(404)
    return module


def visible_lesson(course: Course, lesson_id: str) -> Lesson:
    """Return the lesson of a visible course if it and its module are shown; else 404."""
    lesson = course.lesson(lesson_id)
    if lesson is None or not may_see(current_user, lesson, previewing()):
        abort(404)
    visible_module(course, lesson.module_id)
    return lesson


def visible_quiz(course: Course, module_id: str) -> tuple[Module, Quiz]:
    """Return a module of a visible course and its quiz, if the module is shown; else 404."""
    module = visible_module(course, module_id)
    if module.quiz is None:
        abort(404)
    return module, module.quiz
