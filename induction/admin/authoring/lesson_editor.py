"""The lesson editor: a lesson's settings as form fields, its text with a toolbar, a live preview.

Lessons open here; the whole file as text stays one link away (`?as=text`, the file
editor of `editor.py`), and a file whose front matter the form cannot show opens there.
Saves go to the course's draft through the course file service, like every edit.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from markupsafe import Markup

from induction.accounts.permissions import current_person
from induction.admin import course_files as files
from induction.admin.authoring import lesson_context as context
from induction.admin.authoring.blueprint import (
    AUDIENCE_NAMES,
    bp,
    history_url,
    markdown_path,
    module_or_404,
    open_folder,
    sentence,
)
from induction.admin.authoring.lesson_fields import (
    FieldsUnreadable,
    LessonFile,
    compose,
    fields_of,
    key_lines,
    read_lesson,
    values_from,
)
from induction.admin.authoring.lesson_form import LessonForm, NewLessonFieldsForm
from induction.admin.authoring.lesson_pictures import PictureRefused, add_picture
from induction.admin.authoring.problems import ProblemRow, problem_rows
from induction.admin.checker_words import plain
from induction.admin.course_files import edits
from induction.admin.course_files.changes import Change, file_hash, read_bytes
from induction.admin.course_files.checking import Checked
from induction.admin.course_files.diffs import as_text
from induction.admin.course_files.front import course_title, module_title
from induction.admin.course_files.listing import kind_of, list_course
from induction.admin.course_files.paths import CourseFolder, PathRefused
from induction.admin.course_files.workspace import DraftFolder
from induction.catalogue import get_catalogue
from induction.content.frontmatter import split
from induction.content.ids import suggest_id
from induction.content.model import AUDIENCES, Lesson
from induction.extensions import db

# Which form field a front matter key is shown in.
KEY_FIELDS = {
    "title": "title",
    "audiences": "audiences",
    "minutes": "minutes",
    "acknowledge": "acknowledge",
    "version": "read_again",
}


@dataclass
class Spot:
    """The lesson a page is about: where it is, what it is now, what it inherits."""

    folder: DraftFolder
    relative: str
    module: str
    lesson: LessonFile | None  # None: a new lesson
    inherited: frozenset[str]
    published: int | None
    new: bool = False


@dataclass
class Placed:
    """The problems of the lesson's own file, placed where the author can act on them."""

    body: list[ProblemRow] = field(default_factory=list)  # lines counted in the text box
    general: list[ProblemRow] = field(default_factory=list)  # neither a field nor the text
    elsewhere: list[ProblemRow] = field(default_factory=list)  # other files of the course


def raw_editor_url(folder: str, relative: str) -> str:
    """Return the address of the whole-file text editor of a lesson."""
    options: dict[str, Any] = {"as": "text"}
    return url_for("authoring.edit", folder=folder, path=relative, **options)


def _spot(folder: DraftFolder, relative: str) -> Spot:
    """Return the lesson `relative`; raise FieldsUnreadable when the form cannot show it."""
    text = as_text(read_bytes(files.resolve(folder, relative)))
    if text is None:
        raise FieldsUnreadable(())
    module = relative.split("/", 1)[0]
    return Spot(
        folder,
        relative,
        module,
        read_lesson(text, relative),
        context.inherited_audiences(folder, module),
        context.published_version(folder, relative),
    )


def _text_of(spot: Spot, form: LessonForm) -> str:
    """Return the lesson's text as the form makes it."""
    fields = form.fields()
    values = values_from(spot.lesson, fields, spot.inherited, spot.published)
    return compose(spot.lesson, values, fields.body)


def _place(form: LessonForm, spot: Spot, text: str, checked: Checked | None) -> Placed:
    """Put each problem of the file at its field, at its line of the text box, or in a list."""
    placed = Placed()
    if checked is None:
        return placed
    lines, body_start = key_lines(text)
    for row in problem_rows(spot.folder, checked.problems):
        if row.path != spot.relative:
            placed.elsewhere.append(row)
            continue
        key = lines.get(row.line) or ("title" if "'title'" in row.message else None)
        if row.line >= body_start and row.line not in lines:
            body_line = row.line - body_start + 1
            placed.body.append(replace(row, line=body_line))
        elif key in KEY_FIELDS and row.is_error:
            errors = form[KEY_FIELDS[key]].errors
            message = _field_message(key, row.message, spot, form)
            if isinstance(errors, list) and message not in errors:
                errors.append(message)
        else:
            placed.general.append(row)
    return placed


def _field_message(key: str, message: str, spot: Spot, form: LessonForm) -> str:
    """Return a checker's message about a setting in the words of the form."""
    if key == "title":
        return "Enter the lesson's title"
    extra = set(form.audiences.data or ()) - spot.inherited
    if key == "audiences" and extra:
        allowed = " and ".join(AUDIENCE_NAMES[a] for a in AUDIENCES if a in spot.inherited)
        untick = " and ".join(AUDIENCE_NAMES[a] for a in AUDIENCES if a in extra)
        return (
            f"The module is only for {allowed}: untick {untick}, or first add them to the "
            "module's audiences"
        )
    return sentence(ValueError(message))


def _loaded_lesson(spot: Spot, checked: Checked | None) -> Lesson | None:
    if checked is None or checked.course is None:
        return None
    full = spot.folder.display(spot.relative)
    return next(
        (
            lesson
            for module in checked.course.modules
            for lesson in module.lessons
            if lesson.path == full
        ),
        None,
    )


def _fallback_html(body: str) -> Markup | None:
    """Return the text rendered without its links, for a course that does not load."""
    renderer = get_catalogue().renderer
    if renderer is None:
        return None
    return Markup(renderer.render(split(body, "").body).html)  # noqa: S704 - sanitized


def draft_pictures(html: str, course_id: str, folder: CourseFolder) -> Markup:
    """Return a lesson's HTML with its pictures shown from the draft's media folder.

    Learners' pages show the published pictures; the editor's preview shows the draft's, so
    a picture uploaded since the last publish shows in the preview too.
    """
    published = f'src="/courses/{course_id}/media/'
    draft = url_for("authoring.media_file", folder=folder.name, name="x")[:-1]
    return Markup(html.replace(published, f'src="{draft}'))  # noqa: S704 - sanitized HTML


def _preview_parts(spot: Spot, form: LessonForm, checked: Checked | None) -> dict[str, Any]:
    item = _loaded_lesson(spot, checked)
    course = checked.course if checked else None
    return {
        "item": item,
        "preview_html": None
        if item is None or course is None
        else draft_pictures(str(item.html), course.id, spot.folder),
        "fallback_html": None if item is not None else _fallback_html(form.body.data or ""),
    }


def _page(
    spot: Spot,
    form: LessonForm,
    checked: Checked | None,
    *,
    status: int = 200,
    outcome: files.Outcome | None = None,
):
    text = _text_of(spot, form)
    placed = _place(form, spot, text, checked)
    if spot.new:
        preview_url = url_for(
            "authoring.new_lesson_preview", folder=spot.folder.name, module=spot.module
        )
    else:
        preview_url = url_for(
            "authoring.lesson_preview", folder=spot.folder.name, path=spot.relative
        )
    blocking = problem_rows(spot.folder, checked.blocking) if checked and status == 400 else []
    has_errors = bool(form.errors) or any(p.is_error for p in placed.body) or status >= 400
    page = render_template(
        "admin/authoring/lesson_editor.html",
        folder=spot.folder,
        spot=spot,
        relative=spot.relative,
        form=form,
        checked=checked,
        placed=placed,
        blocking_elsewhere=[row for row in blocking if row.path != spot.relative],
        course_title=course_title(spot.folder),
        module_title=module_title(spot.folder, spot.module),
        links=context.link_choices(checked.course if checked else None, spot.folder, spot.relative),
        media=context.media_choices(spot.folder, spot.relative),
        picture_limit_mb=f"{files.media_max_bytes() / (1024 * 1024):.0f}",
        preview_url=preview_url,
        raw_url=None if spot.new else raw_editor_url(spot.folder.name, spot.relative),
        history_url=None if spot.new else history_url(spot.folder.name, spot.relative),
        adds_to_completed=spot.new and context.in_published_module(spot.folder, spot.module),
        outcome=outcome,
        form_has_errors=has_errors,
        inherited_names=[AUDIENCE_NAMES[a] for a in AUDIENCES if a in spot.inherited],
        **_preview_parts(spot, form, checked),
    )
    return page, status


def take_picture(folder: DraftFolder, relative: str, form: Any, text: Any) -> bool:
    """Add a picture uploaded with a lesson's form (its `picture_fields`) to the course's
    draft, and its line to the end of the text field `text`; return False (with the
    picture field's error set) when it is refused. Used by the lesson's form and by its
    whole-file text editor.

    The picture is committed at once, so it is kept even when the lesson is only previewed
    or its save is refused: what the author uploaded is never lost."""
    if not form.picture.data:
        return True
    try:
        name, line = add_picture(
            folder,
            relative,
            form.picture.data,
            form.picture_alt.data or "",
            current_person(),
        )
    except PictureRefused as refused:
        form.picture.errors = [str(refused)]
        return False
    db.session.commit()
    text.data = (text.data or "").rstrip() + "\n\n" + line + "\n"
    form.picture_alt.data = ""
    flash(
        f"Added the picture {name} to the course's pictures and at the end of the text: "
        "move its line to where it belongs.",
        "success",
    )
    return True


def _change(spot: Spot, form: LessonForm) -> Change:
    text = _text_of(spot, form)
    if spot.new:
        return edits.new_file_change(spot.folder, spot.relative, text)
    return edits.edit_change(spot.folder, spot.relative, text)


def edit_lesson(folder: DraftFolder, relative: str):
    """Open, preview or save an existing lesson through its form (called by the edit view)."""
    try:
        spot = _spot(folder, relative)
    except FieldsUnreadable as unreadable:
        flash(
            "This lesson's settings (the lines between the '---' lines at the top) have a "
            f"mistake the form cannot show: {plain(str(unreadable), 'lesson')}. "
            "Fix it in the text below.",
            "error",
        )
        return redirect(raw_editor_url(folder.name, relative))
    form = LessonForm()
    if request.method == "GET":
        assert spot.lesson is not None
        form.show(fields_of(spot.lesson, spot.inherited, spot.published))
        form.base_hash.data = file_hash(read_bytes(files.resolve(folder, relative)))
        return _page(spot, form, files.preview(folder, Change()))
    if not form.validate_on_submit() or not take_picture(folder, relative, form, form.body):
        return _page(spot, form, None, status=400)
    change = _change(spot, form)
    if not form.save.data:
        form.confirm_token.data = ""
        return _page(spot, form, files.preview(folder, change))
    outcome = files.commit(
        folder,
        change,
        actor=current_person(),
        action="course_file.saved",
        expected={relative: form.base_hash.data or ""},
        confirm=form.confirm_token.data or None,
    )
    if outcome.status in (files.SAVED, files.UNCHANGED):
        db.session.commit()
        flash(
            "Saved in the draft: learners see it once the draft is published."
            if outcome.is_saved
            else "No changes to save.",
            "success",
        )
        return redirect(url_for("authoring.edit", folder=folder.name, path=relative))
    return _after(spot, form, outcome, change)


def _after(spot: Spot, form: LessonForm, outcome: files.Outcome, change: Change):
    """Respond to a save that was not made: conflict, errors, or impact to confirm."""
    if outcome.status == files.CONFLICT:
        current = read_bytes(files.resolve(spot.folder, spot.relative))
        form.base_hash.data = file_hash(current)
        form.confirm_token.data = ""
        checked = files.preview(spot.folder, change)
        return _page(spot, form, checked, status=409, outcome=outcome)
    if outcome.status == files.INVALID:
        return _page(spot, form, outcome.checked, status=400)
    form.confirm_token.data = outcome.token
    return _page(spot, form, outcome.checked, outcome=outcome)


def _new_spot(folder: DraftFolder, module: str, file_name: str) -> Spot:
    return Spot(
        folder,
        f"{module}/{file_name}",
        module,
        None,
        context.inherited_audiences(folder, module),
        None,
        new=True,
    )


def _new_file_name(folder: DraftFolder, module: str, form: NewLessonFieldsForm) -> str:
    """Return the new lesson's file name: the one typed, or the next number and the title."""
    typed = (form.file_name.data or "").strip()
    if typed:
        return typed
    suggested = edits.suggested_lesson_name(list_course(folder), module)
    prefix = suggested.split("-", 1)[0]
    return f"{prefix}-{suggest_id(form.title.data or 'new lesson')}.md"


def new_lesson(folder: DraftFolder, module: str):
    """Write a new lesson through the form: preview it, then create it (called by the view)."""
    form = NewLessonFieldsForm()
    if request.method == "GET":
        spot = _new_spot(folder, module, _new_file_name(folder, module, form))
        form.audiences.data = sorted(spot.inherited)
        # The course as it stands, so the link picker lists the other lessons' sections.
        return _page(spot, form, files.preview(folder, Change()))
    spot = _new_spot(folder, module, "new-lesson.md")
    if not form.validate_on_submit():
        return _page(spot, form, None, status=400)
    try:
        relative = edits.new_lesson_path(folder, module, _new_file_name(folder, module, form))
    except (PathRefused, edits.EditRefused) as refused:
        form.file_name.errors = [sentence(refused)]
        return _page(spot, form, None, status=400)
    spot.relative = relative
    if not take_picture(folder, spot.relative, form, form.body):
        return _page(spot, form, None, status=400)
    try:
        change = _change(spot, form)
    except edits.EditRefused as refused:
        form.file_name.errors = [sentence(refused)]
        return _page(spot, form, None, status=400)
    if not form.save.data:
        return _page(spot, form, files.preview(folder, change))
    outcome = files.commit(
        folder,
        change,
        actor=current_person(),
        action="course_file.created",
        expected={relative: ""},
    )
    if outcome.is_saved:
        db.session.commit()
        flash(f"Created the lesson '{form.title.data}' in the draft.", "success")
        return redirect(url_for("authoring.edit", folder=folder.name, path=relative))
    return _after(spot, form, outcome, change)


def _fragment(spot: Spot, form: LessonForm):
    """Return the preview of the lesson as the form makes it: an HTML fragment."""
    if "csrf_token" in form.errors:
        return (
            "<p>The preview could not be updated: the page has expired. "
            "Reload the page (your text is kept in the box), or press Preview.</p>",
            400,
        )
    try:
        change = _change(spot, form)
    except edits.EditRefused:
        change = Change(writes={spot.relative: _text_of(spot, form).encode("utf-8")})
    checked = files.preview(spot.folder, change)
    text = _text_of(spot, form)
    placed = _place(form, spot, text, checked)
    return render_template(
        "admin/authoring/_lesson_preview.html",
        placed=placed,
        relative=spot.relative,
        **_preview_parts(spot, form, checked),
    )


@bp.post("/<folder>/lesson-preview/<path:path>")
def lesson_preview(folder: str, path: str):
    """The live preview of a lesson being edited, as learners will see it (an HTML fragment)."""
    course_folder = open_folder(folder)
    relative = markdown_path(course_folder, path)
    if kind_of(relative) != "lesson":
        return "<p>Only lessons have a live preview.</p>", 404
    try:
        spot = _spot(course_folder, relative)
    except FieldsUnreadable:
        return "<p>No preview: the lesson's settings cannot be read.</p>", 400
    form = LessonForm()
    form.validate_on_submit()
    return _fragment(spot, form)


@bp.post("/<folder>/modules/<module>/new-lesson/preview")
def new_lesson_preview(folder: str, module: str):
    """The live preview of a new lesson being written (an HTML fragment)."""
    course_folder = open_folder(folder)
    module_or_404(course_folder, module)
    form = NewLessonFieldsForm()
    form.validate_on_submit()
    spot = _new_spot(course_folder, module, "new-lesson-preview.md")
    # A name that cannot be used is previewed under a stand-in; saving says what is wrong.
    with contextlib.suppress(PathRefused, edits.EditRefused):
        spot.relative = edits.new_lesson_path(
            course_folder, module, _new_file_name(course_folder, module, form)
        )
    return _fragment(spot, form)
