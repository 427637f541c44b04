"""Formatting files into their canonical form (see `induction.content.writer` for the form).

`format_text` works on one file's text; `format_tree` rewrites the course files
under a folder that are not already canonical, atomically, skipping files that
do not parse.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from induction.content import tree, writer
from induction.content.document import Document, parse_source
from induction.content.model import Problem
from induction.content.source import DecodeError, decode, from_text


class FormatError(ValueError):
    """The text has errors, so it has no canonical form; `problems` says which."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__("; ".join(problem.format() for problem in problems))
        self.problems = problems


def canonical_text(document: Document) -> str:
    """Return the canonical text of a parsed file (LF line ends, no byte-order mark).

    Raises `FormatError` when the document has errors.
    """
    if document.has_errors:
        raise FormatError(document.problems)
    if document.kind == "quiz":
        questions = [parsed.question for parsed in document.questions]
        return writer.write_quiz(questions, document.values, document.front)
    head = writer.write_front_matter(document.kind, document.values, document.front)
    return head + document.body


def format_text(text: str, kind: str, path: str = "") -> str:
    """Return the canonical form of one file's text; `kind` is course, module, lesson or quiz.

    The text's byte-order mark and line-end style are kept. Raises `FormatError`
    (with the problems, reported against `path`) when the text has errors, and
    `KeyError` for an unknown kind.
    """
    source = from_text(text)
    document = parse_source(source, kind, path)
    return source.denormalise(canonical_text(document))


def format_tree(root: Path, check_only: bool) -> list[str]:
    """Return the paths (relative to `root`) of course files that are not in canonical form.

    Unless `check_only`, rewrite each of them atomically (a temporary file in the
    same folder, then a rename). Files that are not valid UTF-8 or have errors
    are left alone (the checker reports them). Raises `OSError` when a file
    cannot be read or written.
    """
    changed: list[str] = []
    for relative, kind in tree.course_files(root):
        path = root / relative
        data = path.read_bytes()
        try:
            source = decode(data)
        except DecodeError:
            continue
        document = parse_source(source, kind, relative)
        if document.has_errors:
            continue
        new_text = source.denormalise(canonical_text(document))
        new_data = new_text.encode("utf-8")
        if new_data == data:
            continue
        changed.append(relative)
        if not check_only:
            write_atomically(path, new_data)
    return changed


def write_atomically(path: Path, data: bytes) -> None:
    """Replace the file at `path` with `data` so readers see the old or the new file, never half.

    Keeps the file's permission bits. Raises `OSError` when writing fails (the
    original is then untouched).
    """
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
