"""The course authoring events of the audit log, in words an admin reads at a glance.

The audit page shows each event's action code; for the drafting and publishing events
it also shows this sentence, made from the event's details.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Details = Mapping[str, Any]


def _paths(details: Details) -> str:
    paths = [str(p) for p in details.get("paths") or []]
    if not paths:
        return "files"
    return ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


def _folder(details: Details) -> str:
    return str(details.get("folder") or "a course")


def _note(details: Details) -> str:
    note = str(details.get("note") or "")
    return f': "{note}"' if note else ""


def _count(details: Details) -> str:
    count = len(details.get("paths") or [])
    return f"{count} file{'' if count == 1 else 's'}"


WORDS: dict[str, Callable[[Details], str]] = {
    "course_file.saved": lambda d: f"Saved {_paths(d)} in the draft of {_folder(d)}",
    "course_file.created": lambda d: f"Created {_paths(d)} in the draft of {_folder(d)}",
    "course_file.renamed": lambda d: (
        f"Renamed {d.get('from')} to {d.get('to')} in the draft of {_folder(d)}"
    ),
    "course_file.deleted": lambda d: f"Deleted {_paths(d)} in the draft of {_folder(d)}",
    "course_media.deleted": lambda d: f"Deleted {_paths(d)} in the draft of {_folder(d)}",
    "course_media.uploaded": lambda d: f"Uploaded {_paths(d)} to the draft of {_folder(d)}",
    "course_quiz.imported": lambda d: (
        f"Imported a GIFT file as {_paths(d)} in the draft of {_folder(d)}"
    ),
    "course.published": lambda d: f"Set {_folder(d)} to be shown to learners, in its draft",
    "course.unpublished": lambda d: f"Set {_folder(d)} to be hidden from learners, in its draft",
    "course.changes_published": lambda d: f"Published {_count(d)} of {_folder(d)}{_note(d)}",
    "course.draft_discarded": lambda d: f"Discarded the draft of {_paths(d)} in {_folder(d)}",
    "course.version_restored": lambda d: (
        f"Put an earlier version of {_paths(d)} in the draft of {_folder(d)}"
    ),
    "course.publish_scheduled": lambda d: (
        f"Scheduled a publish of {_folder(d)} for {d.get('due_at')} (UTC){_note(d)}"
    ),
    "course.publish_cancelled": lambda d: f"Cancelled a scheduled publish of {_folder(d)}",
    "course.scheduled_publish_failed": lambda d: (
        f"A scheduled publish of {_folder(d)} was refused: {d.get('why')}"
    ),
    "course.draft_approved": lambda d: f"Approved the draft of {_folder(d)} ({_paths(d)})",
    "course.review_turned_on": lambda d: (
        f"Made publishing {_folder(d)} need a second admin's approval"
    ),
    "course.review_turned_off": lambda d: (
        f"Let {_folder(d)} be published without a second admin's approval"
    ),
}


def in_words(action: str, details: Details | None) -> str | None:
    """Return the event as a sentence, or None for an action this module does not describe."""
    describe = WORDS.get(action)
    return describe(details or {}) if describe else None
