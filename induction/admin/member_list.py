"""Admin pages to import the network's member list: upload, check every line, confirm.

Thin views over accounts.member_list, in the pattern of bulk invitations: the file is
kept in the database (accounts.uploads) between the preview and the confirmation, and
what is imported is exactly what was checked.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from induction.accounts import member_list, uploads
from induction.accounts.errors import AccountError
from induction.accounts.permissions import admin_required, current_person
from induction.admin.forms import MemberListForm
from induction.extensions import db
from induction.reports.forms import ConfirmImportForm

bp = Blueprint("admin_member_list", __name__, url_prefix="/admin/organisations/import")


def _render_preview(
    preview: member_list.MemberListPreview, upload_id: str | None, changed: bool = False
) -> str:
    confirm = ConfirmImportForm(data={"upload": upload_id or "", "digest": preview.digest})
    counts = {status: len(preview.having(status)) for status in member_list.LineStatus}
    return render_template(
        "admin/member_list_preview.html",
        preview=preview,
        counts=counts,
        confirm_form=confirm,
        upload_id=upload_id,
        changed=changed,
        status_labels=member_list.STATUS_LABELS,
    )


@bp.route("", methods=["GET", "POST"])
@admin_required
def upload() -> str | Response:
    """Upload the member list and see what would happen to every line (nothing is saved)."""
    me = current_person()
    form = MemberListForm()
    if form.validate_on_submit():
        with form.file.data.stream as stream:  # a large upload is a temporary file
            data = stream.read(member_list.MAX_BYTES + 1)
        preview = member_list.preview(data)
        if preview.file_problems:
            form.file.errors = list(preview.file_problems)
        else:
            upload_id = None
            if preview.can_import:
                upload_id = uploads.save(
                    data,
                    actor_id=me.id,
                    organisation_id=None,
                    plan=preview.plan,
                    filename=form.file.data.filename or "",
                )
                db.session.commit()
            return _render_preview(preview, upload_id)
    return render_template(
        "admin/member_list.html",
        form=form,
        form_has_errors=bool(form.errors),
        max_rows=member_list.MAX_ROWS,
    )


@bp.post("/confirm")
@admin_required
def confirm() -> str | Response:
    """Add and change the organisations of the checked file, all in one transaction."""
    me = current_person()
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    stored = uploads.load(form.upload.data, actor_id=me.id, digest=form.digest.data, network=True)
    if stored is None:
        flash(
            "That file has already been imported, or its check is more than a day old. "
            "Upload it again to see what it would do now.",
            "error",
        )
        return redirect(url_for(".upload"))
    try:
        result = member_list.confirm(me, stored.data, expected_plan=stored.plan)
    except member_list.ImportChanged:
        db.session.rollback()
        checked = member_list.preview(stored.data)
        uploads.update_plan(stored, checked.plan)
        db.session.commit()
        return _render_preview(checked, form.upload.data, changed=True)
    except AccountError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".upload"))
    uploads.discard(stored)
    db.session.commit()
    flash(
        f"Imported the member list: {len(result.created)} added, {len(result.updated)} changed, "
        f"{len(result.unchanged)} unchanged.",
        "success",
    )
    return redirect(url_for("admin.organisations_list"))
