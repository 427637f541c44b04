"""Problems of a course as the authoring pages list them: each in an admin's words (see
`induction.admin.problem_words`), with the address of the page that fixes it.

`problem_rows` is the one way a page turns the course check's problems into rows: the
course page, the draft page, the editors, and every page that refuses a change.
`draft_problem_rows` is the one way to list what stops a draft being published: the
draft page and the course page show the same list.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from flask import url_for

from induction.admin.checker_words import plain
from induction.admin.course_files.changes import read_bytes
from induction.admin.course_files.paths import CourseFolder, PathRefused, resolve
from induction.admin.drafts import publishing
from induction.admin.drafts.describe import Reader, reader
from induction.admin.drafts.models import DraftFile
from induction.admin.problem_words import (
    COURSE_PAGE,
    LESSON_FORM,
    MEDIA_PAGE,
    MODULE_PAGE,
    TEXT_EDITOR,
    Said,
    as_sentence,
    say,
)
from induction.content.model import Problem, Severity


@dataclass(frozen=True)
class ProblemRow:
    """A problem as the pages show it.

    `path` (relative to the course folder) and `line` (of the file, 0 for the whole file)
    are for the editor of that very file, which points at its own lines; every other
    page says `place` and `where`, and links `place` to `href`.
    """

    path: str
    line: int
    message: str  # what is wrong and what to do, as a sentence
    is_error: bool
    place: str = ""  # "Lesson “The rules” in “First steps”"
    where: str = ""  # "line 3 of the text", "question 2 (line 14)", or ""
    href: str | None = None  # the page that fixes it; None when there is none

    @property
    def named(self) -> str:
        """Return `place` to go inside a sentence: "the lesson “The rules” in “First steps”"."""
        words = self.place[:1].lower() + self.place[1:]
        return words if words.startswith("the ") else f"the {words}"

    @property
    def text(self) -> str:
        """Return the whole problem as one sentence: "Lesson “The rules” in “First steps”,
        line 3 of the text: Link to 'x.md': no such lesson." (for a summary of errors)."""
        where = f", {self.where}" if self.where else ""
        return f"{self.place}{where}: {self.message}"


def folder_reader(folder: CourseFolder) -> Reader:
    """Return a Reader of the files of `folder` (None for a missing or unsafe path)."""

    def read(relative: str) -> bytes | None:
        try:
            return read_bytes(resolve(folder, relative))
        except PathRefused:
            return None

    return read


def _address(folder: CourseFolder, said: Said, read: Reader) -> str | None:
    """Return the address of the page that fixes a problem, None when there is none (a
    file that is not there, say, as in a change that was refused)."""
    if said.page in (LESSON_FORM, TEXT_EDITOR):
        if read(said.target) is None:
            return None
        return url_for("authoring.edit", folder=folder.name, path=said.target)
    if said.page == MODULE_PAGE:
        return url_for("authoring.module", folder=folder.name, module=said.target)
    if said.page == MEDIA_PAGE:
        return url_for("authoring.media", folder=folder.name)
    if said.page == COURSE_PAGE:
        return url_for("authoring.course", folder=folder.name)
    return None


def problem_rows(
    folder: CourseFolder, problems: Iterable[Problem], read: Reader | None = None
) -> list[ProblemRow]:
    """Return problems as the pages show them: each in an admin's words, linked to the page
    that fixes it. `read` gives the course's files as the page shows them (the folder's
    own files when None; the draft page passes the draft's)."""
    read = functools.lru_cache(maxsize=None)(read or folder_reader(folder))
    prefix = folder.name + "/"
    rows = []
    for p in problems:
        is_error = p.severity is Severity.ERROR
        if p.path != folder.name and not p.path.startswith(prefix):  # another course's file
            where = f"line {p.line}" if p.line else ""
            message = as_sentence(plain(p.message))
            rows.append(ProblemRow(p.path, p.line, message, is_error, p.path, where))
            continue
        relative = p.path[len(prefix) :]
        said = say(relative, p.line, p.message, read)
        href = _address(folder, said, read)
        rows.append(
            ProblemRow(relative, p.line, said.message, is_error, said.place, said.where, href)
        )
    return rows


def draft_problem_rows(
    live: CourseFolder, rows: list[DraftFile], read: Reader | None = None
) -> list[ProblemRow]:
    """Return the problems that stop the draft `rows` of the course folder `live` being
    published (empty: it may be published), read from the course as the draft makes it."""
    problems = publishing.check_publish(live, rows)
    return problem_rows(live, problems, read or reader(live, rows))
