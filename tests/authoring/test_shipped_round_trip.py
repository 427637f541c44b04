"""Every lesson and quiz of the shipped courses through the lesson form and the quiz builder.

Each file is shown in its form, sent back as a browser sends it (nothing changed), and
written as the views write it: the bytes are the file's own, and the course folder made
of what the forms wrote passes `courses check`. The shipped courses are the copy taken
when the run starts (tests.conftest.SHIPPED_COURSES); the forms write into a copy of it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from werkzeug.datastructures import MultiDict

from induction.admin.authoring.lesson_context import inherited_audiences
from induction.admin.authoring.lesson_fields import compose, fields_of, read_lesson, values_from
from induction.admin.authoring.lesson_form import LessonForm
from induction.admin.authoring.quiz_builder import QuizFile, _change, _text_of
from induction.admin.course_files.diffs import as_text
from induction.admin.course_files.edits import encode_like
from induction.admin.course_files.paths import CourseFolder
from induction.admin.quiz_mapping import build_quiz, is_unchanged, state_from_document
from induction.content.document import parse_source
from induction.content.source import decode
from tests.authoring.test_lesson_fields import lesson_files
from tests.authoring.test_quiz_mapping import sections_for, through_form
from tests.conftest import SHIPPED_COURSES


def lesson_through_form(app, data: bytes, path: Path) -> bytes:
    """Return what the lesson form writes for a lesson opened and saved unchanged."""
    text = as_text(data)
    assert text is not None, path
    lesson = read_lesson(text, str(path))
    # Who the lesson is for when it names nobody: its module's audiences, as the view reads them.
    inherited = inherited_audiences(
        CourseFolder(path.parents[2], path.parents[1].name), path.parent.name
    )
    published = lesson.values.get("version", 1)
    with app.test_request_context("/", method="POST"):
        shown = LessonForm(formdata=None)
        shown.show(fields_of(lesson, inherited, published))
        sent: MultiDict[str, str] = MultiDict()
        for field in shown:
            if field.name == "audiences":  # one value per ticked box, as a browser sends them
                sent.setlist(field.name, list(field.data or []))
            elif field.type == "BooleanField":
                if field.data:
                    sent.add(field.name, "y")
            elif field.type != "CSRFTokenField":
                sent.add(field.name, "" if field.data is None else str(field.data))
        fields = LessonForm(formdata=sent).fields()
    values = values_from(lesson, fields, inherited, published)
    return encode_like(data, compose(lesson, values, fields.body))


def quiz_through_builder(app, data: bytes, path: Path) -> bytes:
    """Return what the quiz builder writes for a quiz opened and saved unchanged."""
    document = parse_source(decode(data), "quiz", "quiz.md")
    assert not document.has_errors, path
    sections = sections_for(path)
    state = through_form(app, state_from_document(document, sections), sections)
    built = build_quiz(state, document, sections)
    assert built.errors == (), path
    assert is_unchanged(document, built), path
    file = QuizFile("m/quiz.md", data, document, ())
    return _change(file, built, _text_of(built, file)).writes["m/quiz.md"]


def test_every_shipped_lesson_and_quiz_saved_unchanged_keeps_its_bytes_and_passes_the_check(
    app, tmp_path
) -> None:
    copy = tmp_path / "shipped"
    shutil.copytree(SHIPPED_COURSES, copy)
    lessons = lesson_files(copy)
    quizzes = sorted(copy.rglob("quiz.md"))
    assert len(lessons) >= 10
    assert len(quizzes) >= 4

    for path in lessons:
        data = path.read_bytes()
        written = lesson_through_form(app, data, path)
        assert written == data, path
        path.write_bytes(written)
    for path in quizzes:
        data = path.read_bytes()
        written = quiz_through_builder(app, data, path)
        assert written == data, path
        path.write_bytes(written)

    result = app.test_cli_runner().invoke(args=["courses", "check", str(copy)])
    assert result.exit_code == 0, result.output
