"""A problem the course check found, said in an admin's words: where it is, what is wrong
and what to do, and which page fixes it.

The check names a file and a line ("01-first-steps/03-rules.md:12: ..."), as the
command line needs. Admins know a course by its titles, so `say` puts the place as
"Lesson “The rules” in “First steps”", a line of a lesson as the line of the lesson's
text box (the form counts lines from the text, not from the settings above it), a line
of a quiz as its question, and the message as a sentence. Every authoring page that
lists problems says them through `say` (by way of `induction.admin.authoring.problems`),
and `say` puts the check's code words plainly (see `induction.admin.checker_words`).
No Flask here: the page that fixes a problem is named, its address is made by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from induction.admin.checker_words import plain
from induction.admin.course_files.listing import kind_of
from induction.admin.drafts.describe import Reader, describe, file_title, module_named, named
from induction.admin.quiz_mapping import question_at
from induction.content.document import parse_source
from induction.content.frontmatter import split
from induction.content.source import decoded
from induction.content.tree import MEDIA_DIR

# The pages a problem is fixed on (`Said.page`): a lesson's form, a file's text editor,
# a module's page, the course's page, the course's pictures and files.
LESSON_FORM = "lesson"
TEXT_EDITOR = "text"
MODULE_PAGE = "module"
COURSE_PAGE = "course"
MEDIA_PAGE = "media"


@dataclass(frozen=True)
class Said:
    """A problem in an admin's words, and where it is fixed."""

    place: str  # what it is in: "Lesson “The rules” in “First steps”"
    where: str  # where in it: "line 3 of the text", "question 2 (line 14)"; "" for all of it
    message: str  # what is wrong and what to do, as a sentence
    page: str | None  # the page that fixes it (see the constants above); None: no page
    target: str  # what that page opens: a course-relative file, or a module's folder


def as_sentence(message: str) -> str:
    """Return a check's message ("link to 'x.md': no such lesson") as a sentence."""
    text = message.strip()
    if not text:
        return "Something is wrong here."
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


# A course file named in a message ("is also used by 01-first-steps/01-welcome.md:4"), not a
# link as written in a lesson (those are quoted: "link to '../01-first-steps/x.md'").
_FILE_IN_MESSAGE = re.compile(r"(?<![\w'./-])([\w-]+/[\w.-]+\.md)(?::\d+)?(?![\w'/#-])")


def _files_named(message: str, read: Reader) -> str:
    """Return `message` with each course file it names said by its title ("the lesson
    “Welcome”"), when the file is there to read; a link's address is left as written."""

    def name(match: re.Match[str]) -> str:
        path = match.group(1)
        if kind_of(path) is None or read(path) is None:
            return match.group(0)
        return named(path, read)

    return _FILE_IN_MESSAGE.sub(name, message)


def _lesson_where(relative: str, line: int, read: Reader) -> str:
    """Return where `line` of a lesson file is, as the lesson's form shows it."""
    source = decoded(read(relative))
    if source is None or not line:
        return f"line {line}" if line else ""
    front = split(source.text, relative)
    body_line = front.body_line if front.present else 1
    if line < body_line:
        return "its settings"
    return f"line {line - body_line + 1} of the text"


def _quiz_where(relative: str, line: int, read: Reader) -> str:
    """Return where `line` of a quiz file is: its question, when the line is in one."""
    source = decoded(read(relative))
    if not line:
        return ""
    if source is not None:
        document = parse_source(source, "quiz", relative)
        if document.questions and line >= document.questions[0].question.line:
            return f"question {question_at(document, line) + 1} (line {line})"
    return f"line {line}"


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def say(relative: str, line: int, message: str, read: Reader) -> Said:
    """Return a problem of the file (or folder) `relative` to its course, at `line` (0: the
    whole of it), in an admin's words. `read` gives a file of the course by its relative path
    (None when it is not there): titles and the lines of the text are read with it."""
    kind = kind_of(relative) if relative else None
    sentence = as_sentence(_files_named(plain(message, kind), read))
    at_line = f"line {line}" if line else ""
    if kind == "lesson":
        title = file_title(relative, "lesson", read)
        name = relative.rsplit("/", 1)[-1]
        lesson = f"Lesson “{title}”" if title else f"The lesson in the file {name}"
        place = f"{lesson} in {module_named(relative, read)}"
        return Said(place, _lesson_where(relative, line, read), sentence, LESSON_FORM, relative)
    if kind == "quiz":
        place = describe(relative, read)
        return Said(place, _quiz_where(relative, line, read), sentence, TEXT_EDITOR, relative)
    if kind in ("module", "course"):
        return Said(describe(relative, read), at_line, sentence, TEXT_EDITOR, relative)
    if kind == "media" or relative == MEDIA_DIR:
        place = _capital(named(relative, read)) if kind else "The pictures and files"
        return Said(place, "", sentence, MEDIA_PAGE, MEDIA_DIR)
    if not relative:
        return Said("The course", at_line, sentence, COURSE_PAGE, "")
    module, _, inside = relative.partition("/")
    if not inside and "." not in module:
        return Said(f"Module {module_named(module, read)}", "", sentence, MODULE_PAGE, module)
    if inside:  # a file the platform does not use, inside a module's folder
        place = f"The file “{inside}” in {module_named(module, read)}"
        return Said(place, at_line, sentence, MODULE_PAGE, module)
    return Said(f"The file “{relative}”", at_line, sentence, COURSE_PAGE, "")
