"""Admin home's list of the courses whose drafts hold things learners cannot see yet.

Each course says how many things its draft does, counted as the draft page's summary
counts them ("What this draft does": one per lesson added, per new order, per quiz
changed...), not how many files they change: a new order of five lessons is one thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from induction.admin.course_files.front import course_title
from induction.admin.course_files.paths import CourseFolder, PathRefused, open_course
from induction.admin.drafts import publishing, summary
from induction.admin.drafts.describe import reader
from induction.admin.drafts.pending import draft_counts, next_publishes


@dataclass(frozen=True)
class PendingCourse:
    """A course whose draft holds changes learners cannot see yet."""

    folder: str
    title: str  # the published course's title (its folder's name when it has none)
    changes: int  # things the draft does, as its summary counts them
    publishes_at: dt.datetime | None = None  # the next scheduled publish, if one is set


def change_count(live: CourseFolder) -> int:
    """Return how many things the draft of a course folder does, as the draft page's
    summary lists them (0 for no draft). Every page that counts a draft's changes counts
    them here, so the admin home, the course list and the course's page agree."""
    changes = publishing.draft_changes(live, compare=False)
    if not changes:
        return 0
    return len(summary.summary(changes, reader(live, [change.row for change in changes])))


def pending_courses(root: Path) -> list[PendingCourse]:
    """Return each course folder under `root` (the courses folder) with draft changes, by
    title, with the number of lines of its draft's summary. A draft left behind by a
    folder no longer there is not listed: there is no draft page to send anyone to."""
    found = []
    due = next_publishes()
    for name in draft_counts():
        try:
            live = open_course(root, name)
        except PathRefused:
            continue
        found.append(PendingCourse(name, course_title(live), change_count(live), due.get(name)))
    return sorted(found, key=lambda course: (course.title.casefold(), course.folder))
