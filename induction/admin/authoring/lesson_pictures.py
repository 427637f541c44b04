"""A new picture uploaded from the lesson editor, without leaving the lesson.

The picture goes into the course's draft media folder through the same upload service as
the Pictures and files page (same checks, same audit event), and the line that shows it
is added at the end of the lesson's text, where the author can move it.
"""

from __future__ import annotations

import posixpath

from werkzeug.datastructures import FileStorage

from induction.accounts.models import User
from induction.admin import course_files as files
from induction.admin.authoring.blueprint import sentence
from induction.admin.course_files import edits
from induction.admin.course_files.changes import read_bytes
from induction.admin.course_files.media import MediaRefused, check_upload
from induction.admin.course_files.paths import PathRefused
from induction.admin.course_files.usage import is_image
from induction.admin.course_files.workspace import DraftFolder
from induction.content.tree import MEDIA_DIR


class PictureRefused(ValueError):
    """The picture was not added; the message says why and what to do, for the form."""


def picture_line(alt: str, lesson: str, media_path: str) -> str:
    """Return the Markdown line that shows the media file `media_path` (a path in the
    course folder) in the lesson at `lesson`, described by `alt` on one line."""
    words = " ".join(alt.replace("[", "(").replace("]", ")").split())
    target = posixpath.relpath(media_path, posixpath.dirname(lesson) or ".")
    return f"![{words}]({target})"


def add_picture(
    folder: DraftFolder, lesson: str, upload: FileStorage, alt: str, actor: User
) -> tuple[str, str]:
    """Store an uploaded picture in the draft's media folder; return its file name and the
    line that shows it in the lesson at `lesson`.

    The same picture uploaded again is used as it is. Raises PictureRefused when the file
    is not a picture the course can show, fails the upload checks, or another file already
    has its name.
    """
    data = upload.read()
    try:
        media = check_upload(upload.filename or "", data, files.media_max_bytes())
    except MediaRefused as refused:
        raise PictureRefused(sentence(refused)) from None
    relative = f"{MEDIA_DIR}/{media.name}"
    if not is_image(relative):
        raise PictureRefused(
            f"{media.name} is not a picture: choose a PNG, JPEG, GIF, WebP or SVG file "
            "(add other files on Pictures and files)"
        )
    if read_bytes(files.resolve(folder, relative)) == media.data:
        return media.name, picture_line(alt, lesson, relative)  # already there, unchanged
    if files.resolve(folder, relative).exists():
        raise PictureRefused(
            f"The course already has another picture called {media.name}: rename your file "
            "and choose it again, or pick that picture with the Picture button"
        )
    try:
        _, outcome = files.upload_media(
            folder, upload.filename or "", data, replace=False, actor=actor
        )
    except (MediaRefused, edits.EditRefused, PathRefused) as refused:
        raise PictureRefused(sentence(refused)) from None
    if outcome.status not in (files.SAVED, files.UNCHANGED):
        raise PictureRefused("The course would not pass its check with this picture")
    return media.name, picture_line(alt, lesson, relative)
