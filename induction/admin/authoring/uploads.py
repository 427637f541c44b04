"""Uploads: media files, and GIFT files imported as a module's quiz."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for

from induction.accounts.permissions import current_person
from induction.admin import course_files as files
from induction.admin.authoring.blueprint import bp, module_or_404, open_folder, sentence
from induction.admin.authoring.overview import module_page
from induction.admin.authoring.problems import problem_rows
from induction.admin.authoring_forms import GiftForm, MediaForm
from induction.admin.course_files import edits
from induction.admin.course_files.changes import read_bytes
from induction.admin.course_files.front import title_of
from induction.admin.course_files.listing import kind_of, list_course
from induction.admin.course_files.paths import PathRefused
from induction.admin.course_files.usage import is_image, media_uses
from induction.content.tree import COURSE_FILE, MEDIA_DIR
from induction.courses.views import MEDIA_CSP, MEDIA_TYPES
from induction.extensions import db


@bp.route("/<folder>/media", methods=["GET", "POST"])
def media(folder: str):
    """The course's media files, and uploading a new one."""
    course_folder = open_folder(folder)
    form = MediaForm()
    status = 200
    if form.validate_on_submit():
        upload = form.upload.data
        try:
            relative, outcome = files.upload_media(
                course_folder,
                upload.filename or "",
                upload.read(),
                replace=bool(form.replace.data),
                actor=current_person(),
            )
        except (files.MediaRefused, edits.EditRefused, PathRefused) as refused:
            form.upload.errors = [sentence(refused)]
        else:
            if outcome.status in (files.SAVED, files.UNCHANGED):
                db.session.commit()
                flash(f"Uploaded {relative}. Use it as ../{relative} in a lesson.", "success")
                return redirect(url_for("authoring.media", folder=folder))
            form.upload.errors = ["The course would not pass its check with this file"]
    if request.method == "POST":
        status = 400
    items = list_course(course_folder)
    page = render_template(
        "admin/authoring/media.html",
        folder=course_folder,
        items=items.media,
        uses=media_uses(course_folder, items),
        course_title=title_of(course_folder, COURSE_FILE, "course") or folder,
        is_image=is_image,
        form=form,
        limit_mb=f"{files.media_max_bytes() / (1024 * 1024):.0f}",
        form_has_errors=status == 400,
    )
    return page, status


@bp.get("/<folder>/media-file/<path:name>")
def media_file(folder: str, name: str):
    """An image of the course's media folder as the draft holds it, for the media page."""
    course_folder = open_folder(folder)
    relative = f"{MEDIA_DIR}/{name}"
    suffix = "." + relative.rpartition(".")[2].lower()
    try:
        target = files.resolve(course_folder, relative)
    except PathRefused:
        abort(404)
    if kind_of(relative) != "media" or not is_image(relative) or suffix not in MEDIA_TYPES:
        abort(404)
    data = read_bytes(target)
    if data is None:
        abort(404)
    return unpublished_media(data, suffix)


def unpublished_media(data: bytes, suffix: str) -> Response:
    """Return a media file as a draft holds it: its type by `suffix` (one of MEDIA_TYPES),
    the media pages' own security policy, and never cached (the draft may change)."""
    response = Response(data, mimetype=MEDIA_TYPES[suffix])
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/<folder>/modules/<module>/import-gift", methods=["GET", "POST"])
def import_gift(folder: str, module: str):
    """Import a Moodle GIFT file as the module's quiz.md, listing what could not be kept."""
    course_folder = open_folder(folder)
    module_or_404(course_folder, module)
    if request.method == "GET":
        return redirect(url_for("authoring.module", folder=folder, module=module))
    form = GiftForm()
    if not form.validate_on_submit():
        return module_page(course_folder, module, form, status=400)
    try:
        result, outcome = files.import_gift(
            course_folder,
            module,
            form.upload.data.read(),
            replace=bool(form.replace.data),
            actor=current_person(),
        )
    except (edits.EditRefused, PathRefused) as refused:
        form.upload.errors = [sentence(refused)]
        return module_page(course_folder, module, form, status=400)
    if outcome.status not in (files.SAVED, files.UNCHANGED):
        blocking = problem_rows(course_folder, outcome.checked.blocking if outcome.checked else ())
        form.upload.errors = ["The imported quiz does not pass the course's check: see below"]
        return module_page(course_folder, module, form, status=400, blocking=blocking)
    db.session.commit()
    relative = f"{module}/quiz.md"
    page = render_template(
        "admin/authoring/gift_result.html",
        folder=course_folder,
        module=module,
        relative=relative,
        result=result,
    )
    return page
