"""Links in a lesson to lessons (and quizzes) its reader is not shown.

A lesson for everyone may link to a lesson for one audience ("Officers have a lesson of
their own"). Followed by someone of another audience, that link would open "Page not
found". On their page the link becomes its words alone, so the sentence still reads and
leads nowhere broken.

Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from induction.content.model import Course
from induction.content.outline import course_steps
from induction.content.urls import Links

# One link of sanitized HTML: the sanitizer writes attributes double-quoted, and links
# cannot nest, so the first closing tag after the opening one ends it.
_LINK = re.compile(r'<a\b[^>]*?\bhref="([^"#]*)(?:#[^"]*)?"[^>]*>(.*?)</a>', re.DOTALL)


def hidden_lesson_urls(course: Course, audience: str | None, links: Links) -> frozenset[str]:
    """Return the addresses (without anchors) of the lessons and quizzes of `course` that
    `audience` is not shown (`course_steps`, the rule of every learner's page). Empty when
    `audience` is None (admins, who see every lesson)."""
    if audience is None:
        return frozenset()
    shown = {step.key for step in course_steps(course, audience)}
    return frozenset(
        links.lesson(course.id, step.lesson.id)
        if step.lesson is not None
        else links.quiz(course.id, step.module.id)
        for step in course_steps(course, None)
        if step.key not in shown
    )


def without_links_to(html: str, urls: Collection[str]) -> str:
    """Return `html` with each link to one of `urls` (with or without an anchor after it)
    replaced by the words it linked; other links are left as they are."""
    if not urls:
        return html

    def unlink(match: re.Match[str]) -> str:
        return match.group(2) if match.group(1) in urls else match.group(0)

    return _LINK.sub(unlink, html)
