"""The app's loaded courses: read from COURSES_DIR once, reloaded when the files change.

Every worker polls a cheap fingerprint of the courses folder (names, sizes and
modification times, no file reads) at most every COURSES_RELOAD_SECONDS, so an edit
reaches every process within seconds without a restart. Rendering is cached by content
hash, so a reload re-renders only the files that changed. Before each look at the files,
a publish left half-done by a process that died is completed or rolled back
(`induction.content.journal`), so learners never see half of one. When an edit breaks a course
that was valid before, learners keep the last good version and admins see the problems.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from flask import Flask, current_app, g, has_request_context

from induction.content.limits import Limits
from induction.content.model import Course, Library, Problem, catalogue_order

if TYPE_CHECKING:
    from collections.abc import Mapping

    from induction.content import Renderer

EXTENSION_KEY = "induction.catalogue"
OVERRIDE_KEY = "catalogue_override"  # on flask.g: the library one request sees instead


@dataclass(frozen=True)
class CourseState:
    """What admins need to know about one course folder."""

    course_id: str
    course: Course | None  # the version being served, if any
    problems: tuple[Problem, ...]  # errors that stop the files on disk from loading
    is_stale: bool  # True when an older good version is served because the files are broken


class Catalogue:
    """Holds the current Library of one app and reloads it when the files change."""

    def __init__(
        self,
        root: Path,
        reload_seconds: float,
        script_root: str = "",
        limits: Limits | None = None,
    ) -> None:
        self.root = root
        self.reload_seconds = reload_seconds
        self.limits = limits if limits is not None else Limits()
        self.links = PrefixedLinks(script_root)
        self._renderer: Renderer | None = None
        self._lock = threading.Lock()
        self._library: Library | None = None
        self._stale: dict[str, Course] = {}
        self._fingerprint: str | None = None
        self._checked_at = 0.0

    @property
    def renderer(self) -> Renderer | None:
        """The renderer whose cache survives reloads (None until the first load)."""
        return self._renderer

    def library(self) -> Library:
        """Return the current library, reloading first when the files have changed.

        A request that previews a draft (`show_for_request`) gets that library instead.
        """
        if has_request_context():
            override = g.get(OVERRIDE_KEY)
            if override is not None:
                return override  # type: ignore[no-any-return]
        return self.published()

    def published(self) -> Library:
        """Return the library of the published files, whatever this request previews."""
        now = time.monotonic()
        if self._library is not None and now - self._checked_at < self.reload_seconds:
            return self._library
        with self._lock:
            if self._library is None or time.monotonic() - self._checked_at >= self.reload_seconds:
                self._refresh()
            assert self._library is not None
            return self._library

    def previewing(self) -> bool:
        """Return whether this request is served a draft's course (`show_for_request`)."""
        return has_request_context() and g.get(OVERRIDE_KEY) is not None

    def show_for_request(self, course: Course) -> None:
        """Serve `course` (a draft's) in place of the published one until this request ends."""
        library = self.published()
        courses = [c for c in library.courses if c.id != course.id] + [course]
        setattr(
            g,
            OVERRIDE_KEY,
            Library(
                courses=catalogue_order(tuple(courses)),
                broken=library.broken,
                problems=library.problems,
            ),
        )

    def reload(self) -> Library:
        """Reload now, whatever the fingerprint says; return the new library."""
        with self._lock:
            self._fingerprint = None
            self._refresh()
            assert self._library is not None
            return self._library

    def _refresh(self) -> None:
        from induction.content import Renderer, fingerprint, load_library
        from induction.content.journal import recover_all

        # A publish that a dead process left half-done is completed or rolled back first.
        recover_all(self.root)
        if self._renderer is None:
            self._renderer = Renderer(self.links, limits=self.limits)
        current = fingerprint(self.root) if self.root.is_dir() else ""
        self._checked_at = time.monotonic()
        if current == self._fingerprint and self._library is not None:
            return
        loaded = load_library(self.root, renderer=self._renderer) if current else _empty()
        previous = {c.id: c for c in self._library.courses} if self._library else {}
        previous.update(self._stale)
        # Keep serving the last good version of a course whose files are now broken.
        stale = {cid: previous[cid] for cid in loaded.broken if cid in previous}
        courses = catalogue_order(loaded.courses + tuple(stale.values()))
        self._library = Library(courses=courses, broken=loaded.broken, problems=loaded.problems)
        self._stale = stale
        self._fingerprint = current

    def course(self, course_id: str) -> Course | None:
        """Return the course served under this id (drafts included), or None."""
        return self.library().course(course_id)

    def courses_for(self, audience: str | None, *, include_drafts: bool = False) -> list[Course]:
        """Return the courses a person of `audience` sees (None: every audience), in order."""
        return [
            course
            for course in self.library().courses
            if course.applies_to(audience) and (include_drafts or not course.draft)
        ]

    def states(self) -> list[CourseState]:
        """Return every course folder with what is served and what is wrong, for admins."""
        library = self.library()
        served = {c.id: c for c in library.courses}
        ids = list(served) + [cid for cid in library.broken if cid not in served]
        return [
            CourseState(
                course_id=cid,
                course=served.get(cid),
                problems=library.broken.get(cid, ()),
                is_stale=cid in self._stale,
            )
            for cid in ids
        ]


class PrefixedLinks:
    """Lesson, quiz, media and picture-page URLs under the app's script root.

    These paths are the routes of the courses and quizzes blueprints; a test checks
    that each one resolves to its endpoint.
    """

    def __init__(self, script_root: str = "") -> None:
        self.prefix = script_root.rstrip("/")
        self.key = f"prefixed:{self.prefix}"

    def lesson(self, course_id: str, lesson_id: str, anchor: str | None = None) -> str:
        fragment = f"#{quote(anchor)}" if anchor else ""
        return f"{self.prefix}/courses/{quote(course_id)}/lessons/{quote(lesson_id)}{fragment}"

    def quiz(self, course_id: str, module_id: str) -> str:
        return f"{self.prefix}/courses/{quote(course_id)}/modules/{quote(module_id)}/quiz"

    def media(self, course_id: str, filename: str) -> str:
        return f"{self.prefix}/courses/{quote(course_id)}/media/{quote(filename)}"

    def picture(self, course_id: str, lesson_id: str, filename: str) -> str:
        return f"{self.lesson(course_id, lesson_id)}/pictures/{quote(filename)}"


def _empty() -> Library:
    return Library(courses=(), broken={}, problems=())


def content_limits(config: Mapping[str, Any]) -> Limits:
    """Return the limits on course files set by COURSE_FILE_MAX_BYTES and COURSE_RENDER_SECONDS."""
    return Limits(
        max_file_bytes=int(config["COURSE_FILE_MAX_BYTES"]),
        render_seconds=float(config["COURSE_RENDER_SECONDS"]),
    )


def init_app(app: Flask) -> None:
    """Attach a Catalogue for COURSES_DIR to `app` (nothing is read until first use)."""
    root = app.config.get("APPLICATION_ROOT") or "/"
    app.extensions[EXTENSION_KEY] = Catalogue(
        Path(app.config["COURSES_DIR"]),
        float(app.config["COURSES_RELOAD_SECONDS"]),
        script_root="" if root == "/" else root,
        limits=content_limits(app.config),
    )


def get_catalogue() -> Catalogue:
    """Return the current app's Catalogue."""
    return current_app.extensions[EXTENSION_KEY]
