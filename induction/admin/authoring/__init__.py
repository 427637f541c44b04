"""Authoring in the browser: course files, the editor, new items, rename, delete, media, GIFT.

Admins only: every URL under /admin/courses answers 404 to everyone else. Views load
(the course folder and path, refused with 404 when unsafe), call the course file
service (`induction.admin.course_files`), and respond; the service checks and writes,
the view commits once. One module per group of pages, each adding its routes to `bp`.
"""

from __future__ import annotations

from induction.admin.authoring import (
    drafts,
    editor,
    history,
    lesson_editor,
    operations,
    overview,
    quiz_builder,
    structure,
    uploads,
)
from induction.admin.authoring.blueprint import bp

__all__ = [
    "bp",
    "drafts",
    "editor",
    "history",
    "lesson_editor",
    "operations",
    "overview",
    "quiz_builder",
    "structure",
    "uploads",
]
