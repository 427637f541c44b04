"""The quiz builder: a module's quiz as a form of questions, saved as quiz.md in the draft.

Works without JavaScript: every button (add, remove, move, check, save) sends the
whole form, and the page comes back with the change made. Saving writes the quiz
through the content writer and goes through the course file service like any
other save (conflicts, the course check, who it affects, the draft, the audit log).
A quiz opened and saved without a change is not rewritten: its bytes stay as they
were, whatever their layout.

A save that moves a question's "right answer" tick is kept as it is (no question
asked); the page then marks that question and its options, asking the author to check
each option's feedback still fits, until they save again (see `quiz_ticks`). What to
mark is kept in the author's session, for that one quiz.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, request, session, url_for

from induction.accounts.permissions import current_person
from induction.admin import course_files as files
from induction.admin.authoring.blueprint import bp, history_url, module_or_404, open_folder
from induction.admin.authoring.problems import problem_rows
from induction.admin.course_files.changes import Change, file_hash, read_bytes
from induction.admin.course_files.edits import encode_like
from induction.admin.course_files.front import module_title
from induction.admin.course_files.paths import CourseFolder
from induction.admin.quiz_form import QuizBuilderForm, form_for, state_from_form, type_choices
from induction.admin.quiz_mapping import (
    Built,
    FieldError,
    assign_ids,
    build_quiz,
    is_unchanged,
    question_at,
    state_from_document,
    written_problems,
)
from induction.admin.quiz_sections import Section, lesson_sections
from induction.admin.quiz_state import (
    QuizState,
    apply_action,
    fit_all,
    has_one_right_answer,
    new_quiz,
    removes_question,
)
from induction.admin.quiz_summary import question_summaries
from induction.admin.quiz_ticks import TickChanges, changed_ticks, tick_marks
from induction.catalogue import get_catalogue
from induction.content.document import Document, parse_source
from induction.content.gift import course_question_ids
from induction.content.loader import load_library
from induction.content.model import Course, Problem
from induction.content.source import DecodeError, decode, from_text
from induction.content.tree import QUIZ_FILE
from induction.content.writer import write_quiz
from induction.extensions import db

TICKS_KEY = "quiz_ticks_changed"  # session: {"quiz": "folder/module", "changes": TickChanges}


@dataclass(frozen=True)
class QuizFile:
    """The module's quiz.md as it is in the draft now."""

    relative: str
    data: bytes | None  # None: the module has no quiz yet
    document: Document | None  # None when there is no file or it is not UTF-8 text
    problems: tuple[Problem, ...]  # why the builder cannot show it (empty: it can)


def _quiz_file(folder: CourseFolder, module: str) -> QuizFile:
    relative = f"{module}/{QUIZ_FILE}"
    data = read_bytes(files.resolve(folder, relative))
    if data is None:
        return QuizFile(relative, None, None, ())
    try:
        source = decode(data)
    except DecodeError as error:
        return QuizFile(relative, data, None, (Problem(relative, error.line, error.message),))
    document = parse_source(source, "quiz", relative)
    errors = tuple(p for p in document.problems if document.has_errors)
    return QuizFile(relative, data, document, errors)


def _draft_course(folder: CourseFolder) -> Course | None:
    catalogue = get_catalogue()
    catalogue.library()  # makes the renderer on first use
    library = load_library(folder.root, renderer=catalogue.renderer)
    return library.courses[0] if library.courses else None


def _question_errors(
    folder: CourseFolder, quiz: QuizFile, text: str, problems: tuple[Problem, ...]
) -> list[FieldError]:
    """Return the course check's problems as errors, each on the question it is about."""
    written = parse_source(from_text(text), "quiz", quiz.relative)
    shown = folder.display(quiz.relative)
    errors = []
    for problem in problems:
        if problem.path != shown:
            [row] = problem_rows(folder, [problem])
            errors.append(FieldError("", row.text))
            continue
        index = question_at(written, problem.line)
        errors.append(
            FieldError(f"questions-{index}-prompt", f"Question {index + 1}: {problem.message}")
        )
    return errors


def _ticks_saved(folder: CourseFolder, module: str) -> TickChanges:
    """Return the options whose rightness this author's last save of this quiz changed."""
    kept = session.get(TICKS_KEY)
    if not isinstance(kept, dict) or kept.get("quiz") != f"{folder.name}/{module}":
        return {}
    changes = kept.get("changes")
    return changes if isinstance(changes, dict) else {}


def _remember_ticks(folder: CourseFolder, module: str, changes: TickChanges) -> None:
    """Keep what this save changed to mark on the page until the next save (none: forget)."""
    if changes:
        session[TICKS_KEY] = {"quiz": f"{folder.name}/{module}", "changes": changes}
    else:
        session.pop(TICKS_KEY, None)


def _page(
    folder: CourseFolder,
    module: str,
    state: QuizState,
    sections: tuple[Section, ...],
    *,
    base_hash: str,
    errors: list[FieldError] | tuple[FieldError, ...] = (),
    status: int = 200,
    confirm: str = "",
    outcome: files.Outcome | None = None,
    checked_ok: bool = False,
    focus: str | None = None,
):
    """Return the builder's page for `state` and its status; `focus`: where a button sent it."""
    fitted = fit_all(state)
    form = form_for(fitted, sections, base_hash, confirm)
    by_field: dict[str, str] = {}
    for error in errors:
        by_field.setdefault(error.field, error.message)
    marks = tick_marks(fitted, _ticks_saved(folder, module))
    summaries = question_summaries(fitted, by_field, focus, marks)
    page = render_template(
        "admin/authoring/quiz_builder.html",
        folder=folder,
        module=module,
        module_title=module_title(folder, module),
        form=form,
        types=type_choices(),
        has_one_right_answer=has_one_right_answer,
        errors=list(errors),
        field_errors=by_field,
        summaries=summaries,
        tick_marks=marks,
        outcome=outcome,
        checked_ok=checked_ok,
        focus=focus,
        is_new=not base_hash,
        history_url=history_url(folder.name, f"{module}/{QUIZ_FILE}") if base_hash else None,
        form_has_errors=bool(errors) or status in (400, 409),
    )
    return page, status


def _text_of(built: Built, quiz: QuizFile) -> str:
    front = quiz.document.front if quiz.document is not None else None
    return write_quiz(built.questions, built.values, front)


def _change(quiz: QuizFile, built: Built, text: str) -> Change:
    if quiz.document is not None and quiz.data is not None and is_unchanged(quiz.document, built):
        return Change(writes={quiz.relative: quiz.data})  # nothing changed: the bytes stay
    return Change(writes={quiz.relative: encode_like(quiz.data, text)})


@bp.route("/<folder>/modules/<module>/quiz-builder", methods=["GET", "POST"])
def quiz_builder(folder: str, module: str):
    """Build or change a module's quiz as a form; check it, save it to the draft."""
    course_folder = open_folder(folder)
    module_or_404(course_folder, module)
    quiz = _quiz_file(course_folder, module)
    if quiz.problems:
        page = render_template(
            "admin/authoring/quiz_builder_refused.html",
            folder=course_folder,
            module=module,
            module_title=module_title(course_folder, module),
            relative=quiz.relative,
            problems=quiz.problems,
        )
        return page, 409 if request.method == "POST" else 200
    sections = lesson_sections(_draft_course(course_folder), module)
    if request.method == "GET":
        state = (
            state_from_document(quiz.document, sections)
            if quiz.document is not None
            else new_quiz()
        )
        return _page(course_folder, module, state, sections, base_hash=file_hash(quiz.data))
    form = QuizBuilderForm()
    state = state_from_form(form)
    base_hash = form.base_hash.data or ""
    action = request.form.get("action", "check")
    if action not in ("check", "save"):
        focus = apply_action(state, action)
        # A removed question leaves every other folded: the list shows what is left.
        if removes_question(action):
            focus = None
        return _page(course_folder, module, state, sections, base_hash=base_hash, focus=focus)
    taken = course_question_ids(files.resolve(course_folder, module))
    built = build_quiz(state, quiz.document, sections, taken)
    errors: list[FieldError] = list(built.errors)
    text = ""
    if not errors:
        text = _text_of(built, quiz)
        errors.extend(written_problems(parse_source(from_text(text), "quiz", quiz.relative), built))
    if errors:
        return _page(
            course_folder, module, state, sections, base_hash=base_hash, errors=errors, status=400
        )
    change = _change(quiz, built, text)
    if action == "check":
        checked = files.preview(course_folder, change)
        mine = [p for p in checked.errors if p.path == course_folder.display(quiz.relative)]
        found = _question_errors(course_folder, quiz, text, tuple(mine or checked.blocking))
        return _page(
            course_folder,
            module,
            state,
            sections,
            base_hash=base_hash,
            errors=found,
            status=400 if found else 200,
            checked_ok=not found,
        )
    outcome = files.commit(
        course_folder,
        change,
        actor=current_person(),
        action="course_file.saved" if quiz.data is not None else "course_file.created",
        expected={quiz.relative: base_hash},
        confirm=form.confirm_token.data or None,
    )
    if outcome.status in (files.SAVED, files.UNCHANGED):
        db.session.commit()
        before = [parsed.question for parsed in quiz.document.questions] if quiz.document else []
        _remember_ticks(course_folder, module, changed_ticks(before, built.questions))
        flash("Quiz saved in the draft." if outcome.is_saved else "No changes to save.", "success")
        return redirect(url_for("authoring.quiz_builder", folder=folder, module=module))
    assign_ids(state, built)
    if outcome.status == files.CONFLICT:
        # Saving again after seeing the message is a deliberate choice to replace theirs.
        return _page(
            course_folder,
            module,
            state,
            sections,
            base_hash=file_hash(quiz.data),
            status=409,
            outcome=outcome,
        )
    if outcome.status == files.INVALID:
        assert outcome.checked is not None
        found = _question_errors(course_folder, quiz, text, outcome.checked.blocking)
        return _page(
            course_folder, module, state, sections, base_hash=base_hash, errors=found, status=400
        )
    return _page(
        course_folder,
        module,
        state,
        sections,
        base_hash=base_hash,
        confirm=outcome.token,
        outcome=outcome,
    )
