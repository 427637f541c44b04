"""Lessons whose version a publish raises, what changed in them, and their note for learners.

Raising a lesson's `version:` asks everyone who read an earlier version to read it again.
The publish form then asks for a one-line note for those learners and how many days they
have; `record_updates` stores them (one `LessonUpdate` per raised lesson, tied to the
publication) with the sections whose text changed, which the lesson's notice links to.
A section is the text from one heading to the next; the text before the first heading is
"the opening". Services flush; the caller commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from induction.admin.drafts.models import Publication
from induction.content.model import Lesson, Library
from induction.extensions import db
from induction.progress.models import LessonUpdate

OPENING = "The opening"
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass(frozen=True)
class RaisedLesson:
    """A lesson a publish gives a higher version, with the sections that changed."""

    course_id: str
    lesson_id: str
    title: str
    version: int
    changed: tuple[tuple[str, str], ...]  # (anchor, heading text); anchor "" for the opening


@dataclass(frozen=True)
class LearnerNotice:
    """What the publish form asked for when lesson versions are raised."""

    note: str
    reread_days: int


def _sections(body: str) -> list[tuple[str, str]]:
    """Return the body as (heading line, section text) in order; the opening has heading ""."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    fenced = False
    for line in body.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _HEADING.match(line)
        if heading:
            sections.append((line.strip(), []))
        else:
            sections[-1][1].append(line.rstrip())
    return [(head, "\n".join(lines).strip()) for head, lines in sections]


def changed_sections(before: Lesson, after: Lesson) -> tuple[tuple[str, str], ...]:
    """Return (anchor, heading text) of each section of `after` whose text differs from
    the section with the same heading in `before` (or that is new)."""
    old = dict(_sections(before.body))
    new = _sections(after.body)
    headings = [head for head, _ in new if head]
    # Headings are counted the same way as the renderer's when it found as many.
    anchors = {
        head: (heading.anchor, heading.text)
        for head, heading in zip(headings, after.headings, strict=False)
        if len(headings) == len(after.headings)
    }
    changed = []
    for head, text in new:
        if old.get(head) == text:
            continue
        if not head:
            if text:
                changed.append(("", OPENING))
            continue
        plain = _HEADING.sub(r"\2", head)
        plain = re.sub(r"\s*\{#[^}]*\}\s*$", "", plain)
        changed.append(anchors.get(head, ("", plain)))
    return tuple(changed)


def raised_lessons(before: Library, after: Library) -> list[RaisedLesson]:
    """Return the lessons of `after` whose version is higher than in `before` (new lessons
    and lessons of new courses are not raised: nobody read them)."""
    raised = []
    for course in after.courses:
        old_course = before.course(course.id)
        if old_course is None:
            continue
        for lesson in (lesson for module in course.modules for lesson in module.lessons):
            old = old_course.lesson(lesson.id)
            if old is not None and lesson.version > old.version:
                raised.append(
                    RaisedLesson(
                        course.id,
                        lesson.id,
                        lesson.title,
                        lesson.version,
                        changed_sections(old, lesson),
                    )
                )
    return raised


def record_updates(
    publication: Publication, raised: list[RaisedLesson], notice: LearnerNotice
) -> None:
    """Flush one LessonUpdate per raised lesson, tied to `publication`."""
    for lesson in raised:
        db.session.add(
            LessonUpdate(
                publication_id=publication.id,
                course_id=lesson.course_id,
                lesson_id=lesson.lesson_id,
                version=lesson.version,
                note=notice.note,
                reread_days=notice.reread_days,
                changed_sections="\n".join(f"{a}\t{t}" for a, t in lesson.changed),
                published_at=publication.published_at,
            )
        )
    db.session.flush()
