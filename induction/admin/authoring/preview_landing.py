"""Where "Preview as" leads when the audience is switched from the preview banner.

The admin stays on the page they were on when the audience they switch to sees it. A
lesson, module or quiz that audience does not see would only answer "not found", so they
land on its course's page instead, and on the list of courses when the course itself is
not for that audience. Visibility is decided by the one rule (`access.may_see`), on the
draft's course while a draft is previewed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request, session, url_for
from werkzeug.exceptions import HTTPException

from induction.accounts.access import may_see
from induction.accounts.links import safe_next
from induction.accounts.models import AUDIENCE_NAMES, User
from induction.admin import course_files as files
from induction.admin.course_files.paths import PathRefused
from induction.admin.drafts.preview import PREVIEW_DRAFT_KEY, draft_course
from induction.catalogue import get_catalogue
from induction.content.model import Course

# The pages a preview changes: the course pages, quizzes and the learner's own pages.
LEARNER_PAGES = ("courses.", "quizzes.", "progress.")


@dataclass(frozen=True)
class Landing:
    """The address to go to after switching, and the sentence that says so."""

    url: str
    message: str


def landing(person: User, target: str | None, audience: str) -> Landing | None:
    """Return where `person` (an admin), previewing as `audience` now, goes back to from
    the page `target` (a path on this site, as the banner sent it); None when `target`
    is not a path on this site (the caller keeps its own default)."""
    path = safe_next(target)
    if path is None:
        return None
    who = AUDIENCE_NAMES[audience]
    back = (request.script_root or "") + path
    endpoint, args = _page_of(path)
    if not endpoint.startswith(LEARNER_PAGES):  # an admin page shows everything anyway
        return Landing(
            back, f"You are now previewing as {who}: the course pages show what they see."
        )
    here = Landing(back, f"You are now seeing this page as {who} see it.")
    if "course_id" not in args:
        return here
    course = _course(str(args["course_id"]))
    if course is None:
        return here  # a course that does not load: its page says so, whoever looks
    if not may_see(person, course, audience):
        return Landing(
            url_for("courses.index"),
            f"That course is not for {who}, so here are the courses {who} see.",
        )
    if _page_shown(person, course, args, audience):
        return here
    return Landing(
        url_for("courses.course", course_id=course.id),
        f"The page you were on is not shown to {who}, so here is the course as {who} see it.",
    )


def _page_of(path: str) -> tuple[str, Mapping[str, Any]]:
    """Return the endpoint of the page `path` opens and its arguments ("" when none)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, args = adapter.match(urlsplit(path).path, method="GET")
    except HTTPException:  # not found, not a page, or a redirect
        return "", {}
    return str(endpoint), args


def _course(course_id: str) -> Course | None:
    """Return the course as the preview shows it: the draft's, while one is previewed."""
    name = session.get(PREVIEW_DRAFT_KEY)
    if name:
        try:
            live = files.open_course(files.courses_root(), name)
        except PathRefused:
            live = None
        drafted = draft_course(live) if live is not None else None
        if drafted is not None and drafted.id == course_id:
            return drafted
    return get_catalogue().course(course_id)


def _page_shown(person: User, course: Course, args: Mapping[str, Any], audience: str) -> bool:
    """Return whether the module, lesson or quiz a course page names is shown to `audience`."""
    module_id = args.get("module_id")
    lesson_id = args.get("lesson_id")
    if lesson_id is not None:
        lesson = course.lesson(str(lesson_id))
        if lesson is None or not may_see(person, lesson, audience):
            return False
        module_id = lesson.module_id
    if module_id is not None:
        module = course.module(str(module_id))
        return module is not None and may_see(person, module, audience)
    return True
