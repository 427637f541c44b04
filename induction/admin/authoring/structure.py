"""Arranging a course: the order of modules and lessons, and who a module is for.

Moving uses one action for both ways of doing it: the Move up / Move down buttons
(a plain form, for keyboards and browsers without JavaScript) and drag and drop
(static/js/structure.js sends the whole new order to the same URL).
"""

from __future__ import annotations

from flask import flash, redirect, url_for

from induction.accounts.permissions import current_person
from induction.admin import course_files as files
from induction.admin.authoring.blueprint import bp, module_or_404, open_folder, sentence
from induction.admin.authoring.overview import course_page, module_page
from induction.admin.authoring.problems import problem_rows
from induction.admin.authoring_forms import GiftForm
from induction.admin.course_files import edits, ordering
from induction.admin.course_files.front import (
    course_audiences,
    front_change,
    title_of,
)
from induction.admin.course_files.listing import list_course
from induction.admin.course_files.paths import PathRefused
from induction.admin.course_files.workspace import DraftFolder
from induction.admin.structure_forms import (
    AUDIENCE_LABELS,
    AudiencesForm,
    ReorderForm,
    names_of,
)
from induction.content.model import AUDIENCES
from induction.extensions import db


def _what(folder: DraftFolder, parent: str) -> str:
    if not parent:
        return "the modules"
    title = title_of(folder, f"{parent}/module.md", "module") or parent
    return f"the lessons of “{title}”"


def _refused(folder: DraftFolder, parent: str, message: str, status: int, **extra):
    """Return the course or module page with the order's error at the top."""
    error = {"order_error": message, **extra}
    if parent and list_course(folder).module(parent) is not None:
        return module_page(folder, parent, GiftForm(formdata=None), status, **error)
    return course_page(folder, status, **error)


def _landing(folder: str, parent: str, anchor: str):
    if parent:
        target = url_for("authoring.module", folder=folder, module=parent, _anchor=anchor)
    else:
        target = url_for("authoring.course", folder=folder, _anchor=anchor)
    return redirect(target, 303)


@bp.post("/<folder>/reorder")
def reorder(folder: str):
    """Move a module or lesson up or down, or save a new order made by dragging."""
    course_folder = open_folder(folder)
    form = ReorderForm()
    parent = (form.parent.data or "").strip()
    if not form.validate_on_submit():
        message = "The page was out of date or incomplete: reload it and try again"
        return _refused(course_folder, parent, message, 400)
    shown = names_of(form.shown.data)
    what = "lesson" if parent else "module"
    try:
        if form.order.data:
            order = names_of(form.order.data)
            name = None
        else:
            name = form.item.data or ""
            order = ordering.moved(shown, name, form.direction.data or "", what)
        change = ordering.reorder_change(course_folder, parent, shown, order)
    except ordering.StaleOrder as stale:
        return _refused(course_folder, parent, sentence(stale), 409)
    except (edits.EditRefused, PathRefused) as refused:
        return _refused(course_folder, parent, sentence(refused), 400)
    outcome = files.commit(
        course_folder,
        change,
        actor=current_person(),
        action="course_file.reordered",
        ask_impact=False,
        details={"what": _what(course_folder, parent)},
    )
    if outcome.status == files.CONFLICT:
        return _refused(
            course_folder,
            parent,
            "Someone else saved a change to these files a moment ago: this page now shows "
            "the current order, so make your change again",
            409,
        )
    if outcome.status == files.INVALID:
        blocking = problem_rows(course_folder, outcome.checked.blocking if outcome.checked else ())
        return _refused(
            course_folder,
            parent,
            "The new order was not saved: the course would have the errors listed below",
            400,
            blocking=blocking,
        )
    db.session.commit()
    anchor = ""
    if outcome.is_saved:
        position = order.index(name) + 1 if name else 0
        new_name = ordering.numbered_name(name, position, len(order)) if name else ""
        label = _label(course_folder, parent, new_name) if name else ""
        if name:
            flash(
                f"Moved {label} {form.direction.data}: "
                f"it is now {what} {position} of {len(order)}.",
                "success",
            )
            anchor = f"entry-{new_name}"
        else:
            flash(f"Saved the new order of {_what(course_folder, parent)}.", "success")
    else:
        flash("The order is unchanged.", "info")
    return _landing(folder, parent, anchor)


def _label(folder: DraftFolder, parent: str, name: str) -> str:
    """Return how a message names a moved entry: its title, else its name."""
    if parent:
        title = title_of(folder, f"{parent}/{name}", "lesson")
    else:
        title = title_of(folder, f"{name}/module.md", "module")
    return f"“{title}”" if title else name


@bp.post("/<folder>/modules/<module>/audiences")
def module_audiences(folder: str, module: str):
    """Say who a module is for: some or all of the course's audiences."""
    course_folder = open_folder(folder)
    module_or_404(course_folder, module)
    allowed = course_audiences(course_folder)
    form = AudiencesForm()
    form.offer(allowed)
    if not form.validate_on_submit():
        return module_page(course_folder, module, GiftForm(formdata=None), 400, audiences_form=form)
    chosen = [a for a in AUDIENCES if a in (form.audiences.data or [])]
    unknown = [a for a in (form.audiences.data or []) if a not in allowed]
    if unknown or not chosen:
        form.audiences.errors = [
            "Choose at least one of the course's audiences"
            if not unknown
            else "Choose only among the course's audiences: "
            + ", ".join(AUDIENCE_LABELS[a].lower() for a in allowed)
        ]
        return module_page(course_folder, module, GiftForm(formdata=None), 400, audiences_form=form)
    value = None if set(chosen) == set(allowed) else chosen
    relative = f"{module}/module.md"
    try:
        change = front_change(course_folder, relative, "module", {"audiences": value})
    except (edits.EditRefused, PathRefused) as refused:
        form.audiences.errors = [sentence(refused)]
        return module_page(course_folder, module, GiftForm(formdata=None), 400, audiences_form=form)
    title = title_of(course_folder, relative, "module") or module
    words = ", ".join(AUDIENCE_LABELS[a].lower() for a in chosen)
    outcome = files.commit(
        course_folder,
        change,
        actor=current_person(),
        action="course_module.audiences_changed",
        ask_impact=False,
        details={"module": title, "audiences": words},
    )
    if outcome.status == files.INVALID:
        blocking = problem_rows(course_folder, outcome.checked.blocking if outcome.checked else ())
        form.audiences.errors = [
            "This choice leaves lessons or questions for people the module is no longer for: "
            "see the errors below, change them first, or choose more audiences"
        ]
        return module_page(
            course_folder,
            module,
            GiftForm(formdata=None),
            400,
            audiences_form=form,
            blocking=blocking,
        )
    if outcome.status == files.CONFLICT:
        form.audiences.errors = [
            "Someone else changed module.md a moment ago: check the choice and save again"
        ]
        return module_page(course_folder, module, GiftForm(formdata=None), 409, audiences_form=form)
    db.session.commit()
    if outcome.is_saved:
        flash(f"Saved in the draft: “{title}” is for {words}.", "success")
    else:
        flash("Nothing to change: the module was already for those people.", "info")
    return redirect(
        url_for("authoring.module", folder=folder, module=module, _anchor="who-for"), 303
    )
