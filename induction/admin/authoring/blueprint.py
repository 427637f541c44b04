"""The authoring blueprint: admins only, upload limits, friendly errors, shared helpers.

Every URL under /admin/courses is for admins only (others: the sign-in page or 403, by
the one guard of induction.accounts.permissions). Paths from URLs are resolved strictly
(see `induction.admin.course_files.paths`) and refused with 404.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    g,
    has_request_context,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import RequestEntityTooLarge

from induction.accounts.access import previewing
from induction.accounts.models import AUDIENCE_NAMES
from induction.accounts.permissions import guard_blueprint, is_admin, refusal
from induction.admin import course_files as files
from induction.admin.course_files.front import course_title, module_title
from induction.admin.course_files.listing import MARKDOWN_KINDS, ModuleItems, kind_of, list_course
from induction.admin.course_files.paths import CourseFolder, PathRefused
from induction.admin.course_files.workspace import DraftFolder, open_draft
from induction.admin.drafts import history
from induction.admin.drafts.preview import PREVIEW_DRAFT_KEY, PREVIEW_DRAFT_TITLE_KEY
from induction.extensions import db
from induction.web.errors import render_error

bp = Blueprint("authoring", __name__, url_prefix="/admin/courses")


@bp.app_template_global()
def authoring_title(folder: CourseFolder, module: str | None = None) -> str:
    """Return what the breadcrumbs call a course folder, or a module in it: its title."""
    return module_title(folder, module) if module else course_title(folder)


log = logging.getLogger(__name__)

UPLOAD_ENDPOINTS = frozenset({"authoring.media", "authoring.import_gift"})
FORM_OVERHEAD_BYTES = 64 * 1024


@bp.url_value_preprocessor
def _limit_uploads(endpoint: str | None, values: dict[str, Any] | None) -> None:
    # Runs before every before_request hook, so the limit holds before CSRF reads the body.
    if endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = files.media_max_bytes() + FORM_OVERHEAD_BYTES


guard_blueprint(bp, is_admin)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge):
    refused = refusal(is_admin)
    if refused is not None:
        return refused
    limit = files.media_max_bytes()
    page = render_template(
        "admin/authoring/too_large.html",
        limit_mb=f"{limit / (1024 * 1024):.0f}",
        is_upload=request.endpoint in UPLOAD_ENDPOINTS,
        back=request.referrer if _same_site(request.referrer) else url_for("authoring.index"),
    )
    return page, 413


@bp.errorhandler(OSError)
def _cannot_write(error: OSError):
    log.exception("course files could not be read or written on %s", request.path)
    db.session.rollback()
    reason = error.strerror or type(error).__name__
    return render_error(
        500,
        f"The course files could not be read or written ({reason}). No file was half-written: "
        "each one is as it was or fully saved. Open the course's files to check, then try "
        "again, or ask whoever runs the server to check the courses folder.",
    )


def _same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)  # type: ignore[union-attr]


@bp.app_context_processor
def _preview_banner() -> dict[str, object]:
    # Only the session is read: error pages drawn without a database use this too, and
    # emails are drawn with no request at all.
    if not has_request_context():
        return {"preview_audience": None}
    audience = previewing()
    if audience is None:
        return {"preview_audience": None}
    return {
        "preview_audience": audience,
        "preview_audience_name": AUDIENCE_NAMES[audience],
        "preview_draft": session.get(PREVIEW_DRAFT_KEY),
        # The course's title (the folder's name for a preview begun before titles were kept).
        "preview_draft_title": session.get(PREVIEW_DRAFT_TITLE_KEY)
        or session.get(PREVIEW_DRAFT_KEY),
        # The banner's buttons switch to another audience and come back to this page (a
        # page that was posted to is not one to come back to: the list of courses, then).
        "preview_others": [(a, name) for a, name in AUDIENCE_NAMES.items() if a != audience],
        "preview_next": request.full_path.rstrip("?") if request.method == "GET" else "",
    }


@bp.app_template_global()
def authoring_edit_url(path: str) -> str:
    """Return the editor URL of a course file, from its path under the courses folder."""
    folder, _, relative = path.partition("/")
    if not relative:
        relative = "course.md"
    return url_for("authoring.edit", folder=folder, path=relative)


def history_url(folder: str, relative: str) -> str | None:
    """Return the address of the versions of a course file ("Versions and undo"), or None
    when nothing of it was ever published."""
    if not history.has_versions(folder, relative):
        return None
    return url_for("authoring.course_history", folder=folder, file=relative)


def open_live(name: str) -> CourseFolder:
    """Return the live course folder named in a URL; abort with 404 when it is not one."""
    try:
        return files.open_course(files.courses_root(), name)
    except PathRefused:
        abort(404)


def open_folder(name: str) -> DraftFolder:
    """Return the course named in a URL as its draft makes it; abort with 404 when none.

    The working copy lives until the request ends.
    """
    live = open_live(name)
    workspace = Path(tempfile.mkdtemp(prefix="induction-draft-"))
    g.setdefault("draft_workspaces", []).append(workspace)
    return open_draft(live, workspace)


@bp.teardown_request
def _remove_workspaces(error: BaseException | None) -> None:
    for workspace in g.pop("draft_workspaces", []):
        shutil.rmtree(workspace, ignore_errors=True)


def markdown_path(folder: CourseFolder, path: str) -> str:
    """Return `path` when it names an existing course, module, lesson or quiz file; else 404."""
    try:
        target = files.resolve(folder, path)
    except PathRefused:
        abort(404)
    if kind_of(path) not in MARKDOWN_KINDS or not target.is_file():
        abort(404)
    return path


def module_or_404(folder: CourseFolder, module: str) -> ModuleItems:
    """Return a module folder of the course named in a URL; abort with 404 when it is not one."""
    found = list_course(folder).module(module)
    if found is None or "/" in module:
        abort(404)
    return found


def sentence(error: Exception) -> str:
    """Return an exception's message as a sentence for a page."""
    text = str(error)
    return text[:1].upper() + text[1:] if text else "That cannot be done"
