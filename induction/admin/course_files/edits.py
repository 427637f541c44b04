"""Turning an author's action into a `Change`: edit, create, rename, delete, publish.

Nothing here writes to the course folder; the change is checked and made by the
service (see `induction.admin.course_files`). Decisions kept here:

- A saved text keeps the file's byte-order mark and line-end style (browsers
  send CRLF), so saving an unchanged text changes nothing.
- Renaming keeps ids: when a lesson's or module's id comes from its name and the
  new name gives another id, `id: old-id` is added to its front matter, so
  progress is kept. Links from other files are rewritten to the new name.
- course.md, module.md and quiz.md have fixed names: they cannot be renamed, and
  a module's module.md goes only with its whole folder.
"""

from __future__ import annotations

import dataclasses
import re

from induction.admin.course_files.changes import Change, read_bytes
from induction.admin.course_files.links import mover, rewrite_links
from induction.admin.course_files.listing import (
    CourseItems,
    kind_of,
    list_course,
    module_id_of,
)
from induction.admin.course_files.paths import CourseFolder, PathRefused, check_new_name, resolve
from induction.content.frontmatter import FENCE, split
from induction.content.ids import id_from_name, is_valid_id, split_prefix, suggest_id
from induction.content.source import DecodeError, Source, decode, decoded, from_text
from induction.content.tree import COURSE_FILE, MEDIA_DIR, MODULE_FILE, QUIZ_FILE
from induction.content.writer import format_scalar


class EditRefused(ValueError):
    """The action cannot be done as asked; the message says why and what to do."""


def encode_like(existing: bytes | None, text: str) -> bytes:
    """Return `text` as UTF-8 bytes with the byte-order mark and line ends of `existing`."""
    normal = from_text(text).text
    if existing is not None:
        try:
            return decode(existing).denormalise(normal).encode("utf-8")
        except DecodeError:
            pass
    return normal.encode("utf-8")


def edit_change(folder: CourseFolder, relative: str, text: str) -> Change:
    """Return the change that saves `text` as the existing file `relative`."""
    existing = read_bytes(resolve(folder, relative))
    return Change(writes={relative: encode_like(existing, text)})


def new_file_change(folder: CourseFolder, relative: str, text: str) -> Change:
    """Return the change that creates the file `relative` with `text`.

    Raises EditRefused when the file exists already.
    """
    if resolve(folder, relative).exists():
        raise EditRefused(f"{relative} already exists: choose another name")
    return Change(writes={relative: from_text(text).text.encode("utf-8")})


def _next_prefix(names: list[str]) -> str:
    numbers = [order for order, _ in map(split_prefix, names) if order is not None]
    return f"{(max(numbers) + 1 if numbers else 1):02d}"


def _markdown_name(name: str) -> str:
    return name if name.endswith(".md") else f"{name}.md"


def lesson_template(title: str = "New lesson") -> str:
    """Return the text of a new lesson: valid front matter and a first heading."""
    anchor = suggest_id(title)
    return (
        f"---\ntitle: {format_scalar(title)}\n---\n\n"
        f"## {title} {{#{anchor}}}\n\nWrite the lesson here, in Markdown.\n"
    )


def quiz_template(question_id: str) -> str:
    """Return the text of a new quiz with one example question to replace."""
    return (
        "---\ntitle: Check your understanding\n---\n\n"
        f"## Write the first question here {{#{question_id}}}\n\n"
        "- [x] The right answer\n  > Feedback shown to a learner who chose this answer.\n"
        "- [ ] A wrong answer\n\n> The explanation, shown with the result.\n"
    )


def suggested_lesson_name(items: CourseItems, module: str) -> str:
    """Return a name for a new lesson in `module`: the next prefix and 'new-lesson.md'."""
    found = items.module(module)
    names = [item.name for item in found.lessons] if found else []
    return f"{_next_prefix(names)}-new-lesson.md"


def module_or_refuse(items: CourseItems, module: str) -> None:
    """Raise PathRefused unless `module` is a module folder of the course."""
    if items.module(module) is None:
        raise PathRefused(f"there is no module folder '{module}' in this course")


def new_lesson_path(folder: CourseFolder, module: str, name: str) -> str:
    """Return the course-relative path of a new lesson file named `name` in `module`.

    Raises PathRefused for an unsafe name and EditRefused for a name that is not
    a lesson's (a fixed name, an ignored one) or is taken.
    """
    module_or_refuse(list_course(folder), module)
    name = _markdown_name(check_new_name(name, "file name"))
    relative = f"{module}/{name}"
    if kind_of(relative) != "lesson":
        raise EditRefused(
            f"'{name}' is not a lesson's name: module.md, quiz.md, course.md, names starting "
            "with '_' and *.cy.md files are not lessons"
        )
    if resolve(folder, relative).exists():
        raise EditRefused(f"'{name}' already exists in this module: choose another name")
    return relative


def new_module_change(
    folder: CourseFolder, title: str, summary: str, name: str, lesson_title: str
) -> tuple[str, Change]:
    """Return the new module's folder name and the change creating it with a first lesson.

    A module needs a lesson or a quiz, so the first lesson comes with it. Raises
    PathRefused for an unsafe folder name and EditRefused for a taken one.
    """
    items = list_course(folder)
    if name.strip():
        name = check_new_name(name, "folder name")
    else:
        name = f"{_next_prefix([m.name for m in items.modules])}-{suggest_id(title)}"
    if name == MEDIA_DIR or name.endswith(".md") or name.startswith("_"):
        raise EditRefused(f"'{name}' cannot be a module folder: choose another name")
    if resolve(folder, name).exists():
        raise EditRefused(f"'{name}' already exists in this course: choose another name")
    module_md = (
        f"---\ntitle: {format_scalar(title)}\nsummary: {format_scalar(summary)}\n---\n\n"
        "Introduce the module here.\n"
    )
    lesson_name = f"01-{suggest_id(lesson_title)}.md"
    change = Change(
        writes={
            f"{name}/{MODULE_FILE}": module_md.encode("utf-8"),
            f"{name}/{lesson_name}": lesson_template(lesson_title).encode("utf-8"),
        }
    )
    return name, change


def new_quiz_path(folder: CourseFolder, module: str) -> str:
    """Return the path of a module's new quiz.md; raise EditRefused when it has one."""
    module_or_refuse(list_course(folder), module)
    relative = f"{module}/{QUIZ_FILE}"
    if resolve(folder, relative).exists():
        raise EditRefused("this module already has a quiz: edit it instead")
    return relative


def new_question_id(folder: CourseFolder, module: str) -> str:
    """Return an id for a new quiz's first question, from the module's id."""
    return f"{module_id_of(folder, module)}-question-1"


# -- rename --------------------------------------------------------------------------------


def with_id(source: Source, item_id: str) -> Source:
    """Return `source` with `id: item_id` as the first front matter key."""
    lines = source.text.split("\n")
    if lines and lines[0].rstrip() == FENCE:
        lines.insert(1, f"id: {item_id}")
        text = "\n".join(lines)
    else:
        text = f"{FENCE}\nid: {item_id}\n{FENCE}\n{source.text}"
    return dataclasses.replace(source, text=text)


def has_id(source: Source, path: str) -> bool:
    return any(entry.key == "id" for entry in split(source.text, path).entries)


def rename_change(folder: CourseFolder, relative: str, new_name: str) -> Change:
    """Return the change that renames a lesson file or a module folder, keeping its id.

    Raises PathRefused for unsafe names and EditRefused for what cannot be
    renamed (fixed names, media, missing items) or a taken name.
    """
    path = resolve(folder, relative)
    kind = kind_of(relative)
    is_module = "/" not in relative and path.is_dir() and relative != MEDIA_DIR
    if kind != "lesson" and not is_module:
        raise EditRefused(
            "only lessons and module folders can be renamed here: course.md, module.md and "
            "quiz.md have fixed names"
        )
    if not path.exists():
        raise EditRefused(f"{relative} does not exist")
    new_name = check_new_name(new_name, "new name")
    if kind == "lesson":
        new_name = _markdown_name(new_name)
    parent = relative.rsplit("/", 1)[0] + "/" if "/" in relative else ""
    new_relative = f"{parent}{new_name}"
    if new_relative == relative:
        raise EditRefused("the new name is the same as the old one")
    if kind == "lesson" and kind_of(new_relative) != "lesson":
        raise EditRefused(f"'{new_name}' is not a lesson's name: choose another")
    if is_module and (new_name == MEDIA_DIR or new_name.startswith("_")):
        raise EditRefused(f"'{new_name}' cannot be a module folder: choose another name")
    if resolve(folder, new_relative).exists():
        raise EditRefused(f"'{new_name}' already exists: choose another name")
    renames = [(relative, new_relative)]
    id_file = relative if kind == "lesson" else f"{relative}/{MODULE_FILE}"
    sources: dict[str, Source] = {}
    old_id, new_id = id_from_name(relative.rsplit("/", 1)[-1]), id_from_name(new_name)
    id_source = read_source(folder, id_file)
    if (
        id_source is not None
        and old_id != new_id
        and is_valid_id(old_id)
        and not has_id(id_source, id_file)
    ):
        sources[id_file] = with_id(id_source, old_id)
    change = Change(renames=renames)
    move = mover(renames)
    for item in list_course(folder).markdown_files():
        source = sources.get(item.path) or read_source(folder, item.path)
        if source is None:
            continue
        original = read_source(folder, item.path)
        new_text = rewrite_links(source, item.path, move(item.path), move)
        if original is None or new_text != original.text:
            change.writes[move(item.path)] = source.denormalise(new_text).encode("utf-8")
    return change


def read_source(folder: CourseFolder, relative: str) -> Source | None:
    """Return the decoded text of a course file, or None when it is missing or not UTF-8."""
    return decoded(read_bytes(folder.path / relative))


# -- delete and publish ----------------------------------------------------------------------


def delete_change(folder: CourseFolder, relative: str) -> Change:
    """Return the change that deletes a lesson, a quiz, a media file or a module folder.

    Raises EditRefused for course.md, module.md on its own, or what does not exist.
    """
    path = resolve(folder, relative)
    if not path.exists():
        raise EditRefused(f"{relative} does not exist")
    kind = kind_of(relative)
    is_module = "/" not in relative and path.is_dir() and relative != MEDIA_DIR
    if (kind in ("lesson", "quiz", "media") and path.is_file()) or is_module:
        return Change(deletes=[relative])
    if kind == "module":
        raise EditRefused("module.md goes with its module: delete the whole module folder instead")
    raise EditRefused(
        "only lessons, quizzes, media files and module folders can be deleted here"
        if relative != COURSE_FILE
        else "course.md cannot be deleted: a course folder needs it"
    )


_DRAFT_LINE = re.compile(r"draft\s*:")


def draft_change(folder: CourseFolder, draft: bool) -> Change:
    """Return the change that sets `draft:` in course.md (only that line is touched).

    Raises EditRefused when course.md is missing or has no front matter.
    """
    data = read_bytes(folder.path / COURSE_FILE)
    source = read_source(folder, COURSE_FILE)
    if data is None or source is None:
        raise EditRefused("the course has no readable course.md")
    front = split(source.text, COURSE_FILE)
    if not front.present or front.problems:
        raise EditRefused("course.md's front matter has errors: fix them in the editor first")
    lines = source.text.split("\n")
    value = f"draft: {'true' if draft else 'false'}"
    entry = next((e for e in front.entries if e.key == "draft"), None)
    if entry is not None and _DRAFT_LINE.match(lines[entry.line - 1]):
        comment = "  " + entry.inline_comments[0] if len(entry.inline_comments) == 1 else ""
        lines[entry.line - 1] = value + comment
    elif entry is None:
        closing = front.body_line - 2  # index of the closing '---'
        lines.insert(closing, value)
    else:
        raise EditRefused("course.md writes 'draft:' in an unusual way: change it in the editor")
    return Change(writes={COURSE_FILE: source.denormalise("\n".join(lines)).encode("utf-8")})
