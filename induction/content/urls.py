"""How rendered content links to lessons, quizzes, media and pictures: the `Links` protocol.

The content core never knows the web app's routes; the app passes its own
`Links` to the `Renderer`. `DefaultLinks` gives the platform's usual scheme
and is what tests and the checker use.
"""

from __future__ import annotations

from typing import Protocol
from urllib.parse import quote


class Links(Protocol):
    """Builds the URLs that rendered content points to."""

    key: str  # names the URL scheme; part of the render cache key

    def lesson(self, course_id: str, lesson_id: str, anchor: str | None = None) -> str:
        """Return the URL of a lesson, at `anchor` when given."""
        ...

    def quiz(self, course_id: str, module_id: str) -> str:
        """Return the URL of a module's quiz."""
        ...

    def media(self, course_id: str, filename: str) -> str:
        """Return the URL of a file in the course's media/ folder (`filename` relative to it)."""
        ...

    def picture(self, course_id: str, lesson_id: str, filename: str) -> str:
        """Return the URL of the page that shows a lesson's picture (a file in media/) at
        its full size, with a way back to the lesson."""
        ...


class DefaultLinks:
    """`/courses/{course}/lessons/{lesson}#anchor`, `/courses/{course}/modules/{module}/quiz`,
    `/courses/{course}/media/{file}` and `/courses/{course}/lessons/{lesson}/pictures/{file}`."""

    key = "default"

    def lesson(self, course_id: str, lesson_id: str, anchor: str | None = None) -> str:
        """Return `/courses/{course_id}/lessons/{lesson_id}`, with `#anchor` when given."""
        url = f"/courses/{course_id}/lessons/{lesson_id}"
        return f"{url}#{quote(anchor, safe='')}" if anchor else url

    def quiz(self, course_id: str, module_id: str) -> str:
        """Return `/courses/{course_id}/modules/{module_id}/quiz`."""
        return f"/courses/{course_id}/modules/{module_id}/quiz"

    def media(self, course_id: str, filename: str) -> str:
        """Return `/courses/{course_id}/media/{filename}`, the file name percent-encoded."""
        return f"/courses/{course_id}/media/{quote(filename, safe='/')}"

    def picture(self, course_id: str, lesson_id: str, filename: str) -> str:
        """Return `/courses/{course_id}/lessons/{lesson_id}/pictures/{filename}`."""
        return f"{self.lesson(course_id, lesson_id)}/pictures/{quote(filename, safe='/')}"
