"""Whether a draft set hides its course from learners, or opens it to them.

A course is hidden while its course.md says `draft: true`. The draft page compares that
value in the published course.md and in the draft's, so whoever publishes is told
before a "Publish all changes" takes the course away from every learner.
"""

from __future__ import annotations

from induction.admin.course_files.changes import read_bytes
from induction.admin.course_files.paths import CourseFolder
from induction.admin.drafts.models import DraftFile
from induction.content.document import parse_source
from induction.content.source import decoded
from induction.content.tree import COURSE_FILE

HIDES = "hides"
OPENS = "opens"


def _is_draft(data: bytes | None) -> bool | None:
    """Return course.md's `draft:` (False when it has none), None when it cannot be read."""
    source = decoded(data)
    if source is None:
        return None
    return bool(parse_source(source, "course", COURSE_FILE).values.get("draft", False))


def visibility_change(live: CourseFolder, rows: list[DraftFile]) -> str | None:
    """Return HIDES when publishing `rows` would hide the course from learners, OPENS when
    it would open it to them, None when it changes neither."""
    drafted = next((row for row in rows if row.path == COURSE_FILE), None)
    if drafted is None or drafted.content is None:
        return None
    before, after = _is_draft(read_bytes(live.path / COURSE_FILE)), _is_draft(drafted.content)
    if before is False and after is True:
        return HIDES
    if before is True and after is False:
        return OPENS
    return None
