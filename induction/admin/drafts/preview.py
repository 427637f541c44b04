"""Previewing a course's draft as learners will see it once it is published.

While an admin previews a draft (the session names its course folder), every
learner page they open (the course, its navigation, lessons, quizzes, the
completion rule, My learning) is drawn from the draft course instead of the
published one, for that admin's requests only; the banner says so.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from induction.admin.course_files.checking import check_tree
from induction.admin.course_files.paths import CourseFolder
from induction.admin.drafts import store
from induction.admin.drafts.publishing import drafted_course
from induction.catalogue import get_catalogue
from induction.content.model import Course

PREVIEW_DRAFT_KEY = "preview_draft"  # the folder of the draft previewed
PREVIEW_DRAFT_TITLE_KEY = "preview_draft_title"  # its course's title, for the banner


def start_draft_preview(session: MutableMapping[str, Any], folder: str, title: str) -> None:
    """Note in `session` that the draft of `folder` (course `title`) is previewed."""
    session[PREVIEW_DRAFT_KEY] = folder
    session[PREVIEW_DRAFT_TITLE_KEY] = title


def end_draft_preview(session: MutableMapping[str, Any]) -> None:
    """Forget in `session` any draft previewed."""
    session.pop(PREVIEW_DRAFT_KEY, None)
    session.pop(PREVIEW_DRAFT_TITLE_KEY, None)


def draft_course(live: CourseFolder) -> Course | None:
    """Return the course as its whole draft makes it, or None when it does not load."""
    catalogue = get_catalogue()
    catalogue.published()  # makes the renderer on first use
    with drafted_course(live, store.draft_rows(live.name)) as root:
        library, _ = check_tree(root, catalogue.renderer)
    return library.courses[0] if library.courses else None
