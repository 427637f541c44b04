"""What a draft adds for learners to do, and whose completion publishing it takes away.

A course's status is computed from its current files (induction.progress.status), so
publishing a new lesson or a new quiz in a module makes everyone who completed that
module "not complete" again until they do it, and their course "Update to read". The
draft page says so before anyone publishes, with the numbers.

The numbers come from the platform's own rule, not a copy of it: the people's statuses
in the course as published and in the course as published *plus only the additions*
(`with_additions`) are worked out by status_query.CourseReport, each in one aggregate
query. Adding things to do can only take completions away, so "completed before and
not after" is the difference of the two counts. Lessons whose `version:` is raised are
left out here: the publish form has its own part for them.

Widening who a lesson or a module is for (a lesson for officers now for councillors
too) adds things to do in the same way, for the people of the audiences added: it is
one more kind of addition, counted by the same rule. Only the widening is applied
(each lesson's and module's audiences as published, with the drafted ones added), so
the course with the additions still asks each person for no less than before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Integer, case, cast, func, select

from induction.admin.course_files.listing import kind_of
from induction.content.document import parse_source
from induction.content.model import AUDIENCES, Course, Lesson, Module
from induction.content.source import decoded
from induction.extensions import db
from induction.progress.status_query import COMPLETE, CourseReport, people_select
from induction.progress.wording import listed

AUDIENCE_WORDS = {"councillor": "councillors", "officer": "officers", "affiliate": "affiliates"}


@dataclass(frozen=True)
class Widened:
    """A lesson already in the module that the draft shows to more audiences."""

    lesson: Lesson  # as drafted
    gained: frozenset[str]  # audiences it is for now, was not before, and its module was


@dataclass(frozen=True)
class ModuleAddition:
    """Things to do that a draft adds to one module (or a whole new module)."""

    module_id: str
    module_title: str
    lessons: tuple[Lesson, ...]  # lessons new to the module, in order
    quiz: bool  # the module gains a quiz
    is_new_module: bool
    audiences: frozenset[str]  # who the module is for
    completed: int = 0  # people who completed the module and no longer will have
    widened: tuple[Widened, ...] = ()  # lessons now for more audiences than the module gained
    gained: frozenset[str] = frozenset()  # audiences the module is for now and was not before


@dataclass(frozen=True)
class Additions:
    """Everything a draft adds for learners, and whose completion of the course it ends."""

    modules: tuple[ModuleAddition, ...]
    course_completed: int = 0  # people who completed the course and will not have

    def __bool__(self) -> bool:
        return bool(self.modules)


def _audiences_written(data: bytes | None, kind: str, path: str) -> object:
    source = decoded(data)
    return parse_source(source, kind, path).values.get("audiences") if source else None


def may_add_work(path: str, what: str, before: bytes | None, after: bytes | None) -> bool:
    """Return True when a draft's change to the file `path` ("new", "moved", "changed"...;
    `before` as published, `after` as drafted) may add something to do: a lesson or quiz
    new or moved, or a lesson or module whose `audiences:` is written otherwise. Only
    then is the draft course loaded to work out `additions`. Pure."""
    kind = kind_of(path)
    if what in ("new", "moved") and kind in ("lesson", "quiz"):
        return True
    if what != "changed" or kind not in ("lesson", "module"):
        return False
    return _audiences_written(before, kind, path) != _audiences_written(after, kind, path)


def added_work(published: Course, drafted: Course) -> list[ModuleAddition]:
    """Return, module by module, the lessons and quizzes `drafted` asks for that
    `published` does not: lessons new to a module (new, or moved in from another one), a
    quiz where there was none, new modules, and modules and lessons for audiences they
    were not for. A lesson widened only by its module's widening is not named again. Pure."""
    found = []
    for module in drafted.modules:
        before = published.module(module.id)
        if before is None:
            if module.lessons or module.quiz is not None:
                found.append(
                    ModuleAddition(
                        module.id,
                        module.title,
                        module.lessons,
                        module.quiz is not None,
                        True,
                        module.audiences,
                    )
                )
            continue
        known = {lesson.id: lesson for lesson in before.lessons}
        lessons = tuple(lesson for lesson in module.lessons if lesson.id not in known)
        quiz = before.quiz is None and module.quiz is not None
        gained = module.audiences - before.audiences
        widened = tuple(
            Widened(lesson, lesson.audiences - known[lesson.id].audiences - gained)
            for lesson in module.lessons
            if lesson.id in known and lesson.audiences - known[lesson.id].audiences - gained
        )
        if lessons or quiz or widened or gained:
            found.append(
                ModuleAddition(
                    module.id,
                    before.title,
                    lessons,
                    quiz,
                    False,
                    before.audiences | gained,
                    widened=widened,
                    gained=gained,
                )
            )
    return found


def _widened(published: Module, drafted: Module) -> Module:
    """Return `published` for the audiences it was for and those `drafted` adds, each of
    its lessons likewise: only widened, never narrowed."""
    wider = {lesson.id: lesson.audiences for lesson in drafted.lessons}
    return replace(
        published,
        audiences=published.audiences | drafted.audiences,
        lessons=tuple(
            replace(lesson, audiences=lesson.audiences | wider.get(lesson.id, frozenset()))
            for lesson in published.lessons
        ),
    )


def with_additions(published: Course, drafted: Course, added: list[ModuleAddition]) -> Course:
    """Return `published` with only the lessons, quizzes and modules of `added` added (from
    `drafted`): what it asks of each person is then what it asked before and more."""
    by_module = {item.module_id: item for item in added}
    modules: list[Module] = []
    for module in published.modules:
        item = by_module.get(module.id)
        if item is None:
            modules.append(module)
            continue
        draft_module = drafted.module(module.id)
        assert draft_module is not None
        wider = _widened(module, draft_module)
        modules.append(
            replace(
                wider,
                lessons=wider.lessons + item.lessons,
                quiz=draft_module.quiz if item.quiz else module.quiz,
            )
        )
    for item in added:
        if item.is_new_module:
            new = drafted.module(item.module_id)
            assert new is not None
            modules.append(new)
    return replace(published, modules=tuple(modules))


def _completed(course: Course, module_ids: list[str], today: dt.date) -> tuple[list[int], int]:
    """Return how many people have each module of `module_ids` complete in `course` (0 for
    one it does not have), and how many have the course complete: one query."""
    report = CourseReport(course, people_select(), today, modules=True, activity=False)
    ps = report.person_status
    numbers = {module.id: number for number, module in enumerate(course.modules)}

    def count(condition: Any) -> Any:
        return cast(func.coalesce(func.sum(case((condition, 1), else_=0)), 0), Integer())

    columns = [
        count(ps.c[f"m{numbers[module_id]}_status"] == COMPLETE)
        for module_id in module_ids
        if module_id in numbers
    ]
    row = db.session.execute(select(count(ps.c.status == COMPLETE), *columns)).one()
    found = iter(row[1:])
    return [int(next(found)) if module_id in numbers else 0 for module_id in module_ids], int(
        row[0]
    )


def additions(published: Course | None, drafted: Course | None, today: dt.date) -> Additions:
    """Return what publishing the draft `drafted` of the course `published` adds for
    learners to do, with who completed each module (and the course) and no longer will
    have. Empty for a course learners cannot see (not published, or `draft: true`), or a
    draft that does not load. Two queries when something is added, none otherwise."""
    if published is None or drafted is None or published.draft:
        return Additions(())
    added = added_work(published, drafted)
    if not added:
        return Additions(())
    ids = [item.module_id for item in added]
    before, course_before = _completed(published, ids, today)
    after, course_after = _completed(with_additions(published, drafted, added), ids, today)
    modules = tuple(
        replace(item, completed=max(0, was - now))
        for item, was, now in zip(added, before, after, strict=True)
    )
    return Additions(modules, max(0, course_before - course_after))


def for_whom(lesson: Lesson, module_audiences: frozenset[str]) -> str:
    """Return " (for councillors and officers)" when the lesson is for fewer people than
    its module, else ""."""
    if lesson.audiences >= module_audiences:
        return ""
    names = [AUDIENCE_WORDS[a] for a in AUDIENCES if a in lesson.audiences]
    return f" (for {' and '.join(names)})"


def _quoted(lessons: tuple[Lesson, ...], audiences: frozenset[str]) -> str:
    titles = [f"“{lesson.title}”{for_whom(lesson, audiences)}" for lesson in lessons]
    if len(titles) == 1:
        return f"the lesson {titles[0]}"
    return f"the lessons {listed(titles)}"


def _people(count: int, who: str) -> str:
    """Return "The 283 people who completed ..." or "The one person who completed ..."."""
    return f"The one person who {who}" if count == 1 else f"The {count} people who {who}"


def _audiences(audiences: frozenset[str]) -> str:
    """Return "councillors and officers" for those audiences, in the usual order."""
    return listed([AUDIENCE_WORDS[a] for a in AUDIENCES if a in audiences])


def _headline(item: ModuleAddition) -> str:
    """Return what publishing adds to an existing module, in one or more sentences: the
    audiences it opens to, the lessons and quiz it adds, the lessons it opens to more."""
    said = []
    if item.gained:
        said.append(
            f"Publishing makes the module “{item.module_title}” open to "
            f"{_audiences(item.gained)} too."
        )
    things = [_quoted(item.lessons, item.audiences)] if item.lessons else []
    if item.quiz:
        things.append("a quiz")
    if things:
        said.append(f"Publishing adds {' and '.join(things)} to “{item.module_title}”.")
    if item.widened:
        where = f"in “{item.module_title}”"
        if len(item.widened) == 1:
            [one] = item.widened
            said.append(
                f"Publishing makes the lesson “{one.lesson.title}” {where} open to "
                f"{_audiences(one.gained)} too."
            )
        else:
            opened = [f"“{w.lesson.title}” to {_audiences(w.gained)}" for w in item.widened]
            said.append(f"Publishing opens the lessons {listed(opened)}, {where}.")
    return " ".join(said)


@dataclass(frozen=True)
class Notice:
    """One addition as the draft page says it: what is added, then what it does."""

    headline: str
    detail: str


def notices(found: Additions) -> list[Notice]:
    """Return what the draft page says about `found`, in plain English: one warning per
    module, the course's "Update to read" in the module's sentence when only one module
    gains something, else in a last sentence of its own."""
    said: list[Notice] = []
    alone = len(found.modules) == 1
    course = found.course_completed
    update = "shows" if course == 1 else "show"
    for item in found.modules:
        if item.is_new_module:
            headline = f"Publishing adds the module “{item.module_title}” to the course."
            if course and not alone:
                detail = "Everyone who completed the course will need to complete it too."
            elif course:
                detail = (
                    f"{_people(course, 'completed the course')} will need to complete it: "
                    f"until they do, their course {update} as “Update to read”."
                )
            else:
                detail = "Nobody has completed the course yet, so nobody's progress changes."
            said.append(Notice(headline, detail))
            continue
        headline = _headline(item)
        lessons = len(item.lessons) + len(item.widened)
        read = "read it" if lessons == 1 else "read them"
        todo = " and ".join(([read] if lessons else []) + (["pass the quiz"] if item.quiz else []))
        if item.completed:
            detail = (
                f"{_people(item.completed, 'completed that module')} will need to "
                f"{todo or 'complete it'}: until they do, their module shows as not complete"
            )
            if alone and course:
                who = (
                    "the one who completed the course"
                    if course == 1
                    else (f"the {course} who completed the course")
                )
                detail += f", and {who} {update} as “Update to read”"
            detail += "."
        elif item.gained and course and not alone:
            detail = "Those it is newly for who completed the course will need to complete it."
        elif item.gained and course:
            detail = (
                f"{_people(course, 'completed the course')} will need to complete the module: "
                f"until they do, their course {update} as “Update to read”."
            )
        elif item.gained:
            detail = (
                "Nobody's progress changes: none of the people it is newly for has completed "
                "the course yet."
            )
        else:
            detail = (
                "Nobody's progress changes: none of the people it is for has completed that "
                "module yet."
            )
        said.append(Notice(headline, detail))
    if not alone and course:
        said.append(
            Notice(
                "",
                f"In all, {_people(course, 'completed the course').lower()} {update} as "
                "“Update to read” until they have done everything new.",
            )
        )
    return said
