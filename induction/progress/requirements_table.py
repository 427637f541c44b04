"""What a course asks of each audience, as a small table of constants for the report SQL.

The current course files define what "done" means, so the reports pass them into SQL:
one row per audience and module that has something for that audience (a lesson or a
quiz), with the module's quiz and its required lessons in numbered slots (`l0_id`,
`l0_version`, `l1_id`, ...), so the database can look each one up directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CTE, Integer, String, cast, false, literal, null, select, union_all
from sqlalchemy.types import TypeEngine

from induction.accounts.access import EVERY_AUDIENCE
from induction.content.model import AUDIENCES, Course

AUDIENCE_KEYS = (*AUDIENCES, EVERY_AUDIENCE)


@dataclass(frozen=True)
class ModuleRequirement:
    """A module that has something for one audience: its lessons for it, and its quiz."""

    audience: str
    module_id: str
    position: int
    lessons: tuple[tuple[str, int], ...]  # (lesson id, current version), in order
    quiz_id: str  # "" when the module has no quiz


def requirements(course: Course) -> list[ModuleRequirement]:
    """Return what each audience key must do in `course`, as `course_progress` decides it.

    A module counts for an audience when it applies to it and has a lesson or a quiz for
    it; admins (EVERY_AUDIENCE) must do everything.
    """
    found: list[ModuleRequirement] = []
    for key in AUDIENCE_KEYS:
        audience = None if key == EVERY_AUDIENCE else key
        for position, module in enumerate(course.modules_for(audience)):
            required = module.lessons_for(audience)
            if not required and module.quiz is None:
                continue
            found.append(
                ModuleRequirement(
                    audience=key,
                    module_id=module.id,
                    position=position,
                    lessons=tuple((lesson.id, lesson.version) for lesson in required),
                    quiz_id=module.quiz.id if module.quiz is not None else "",
                )
            )
    return found


def lesson_slots(course: Course) -> int:
    """Return how many lesson slots the table has: the most lessons any module asks for."""
    return max((len(r.lessons) for r in requirements(course)), default=0)


def requirements_table(course: Course) -> CTE:
    """Return the table `req_module` for `course` (see the module docstring).

    Columns: audience_key, module_id, position, lessons (how many), quiz_id, has_quiz
    (0/1), then l0_id, l0_version, ... (None past the module's last lesson).
    """
    rows = requirements(course)
    slots = lesson_slots(course)
    columns: list[tuple[str, TypeEngine[Any]]] = [
        ("audience_key", String()),
        ("module_id", String()),
        ("position", Integer()),
        ("lessons", Integer()),
        ("quiz_id", String()),
        ("has_quiz", Integer()),
    ]
    for slot in range(slots):
        columns += [(f"l{slot}_id", String()), (f"l{slot}_version", Integer())]
    data = []
    for r in rows:
        row: list[Any] = [r.audience, r.module_id, r.position, len(r.lessons), r.quiz_id]
        row.append(int(bool(r.quiz_id)))
        for slot in range(slots):
            row += list(r.lessons[slot]) if slot < len(r.lessons) else [None, None]
        data.append(tuple(row))
    return _constants("req_module", columns, data)


def _constants(
    name: str, columns: Sequence[tuple[str, TypeEngine[Any]]], rows: Sequence[tuple[Any, ...]]
) -> CTE:
    """Return rows of constants as a named table: `WITH name AS (SELECT ... UNION ALL ...)`.

    Each value is a typed bound parameter, so the statement's compiled form is cached
    (SQLAlchemy does not cache statements holding a VALUES clause).
    """
    if not rows:
        empty = select(*(cast(null(), kind).label(label) for label, kind in columns)).where(false())
        return empty.cte(name)
    selects = [
        select(
            *(
                cast(literal(value), kind).label(label)
                for (label, kind), value in zip(columns, row, strict=True)
            )
        )
        for row in rows
    ]
    table = selects[0] if len(selects) == 1 else union_all(*selects)
    return table.cte(name)
