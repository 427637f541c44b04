"""The page of figures for a committee paper: each course, by audience, for one organisation.

Beside the dashboard (same address prefix, same scope: a lead officer sees their own
organisation, an admin any); read-only, printable, and short enough to copy.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from induction.accounts.models import Organisation
from induction.accounts.permissions import current_person, manager_required, organisation_in_scope
from induction.extensions import db
from induction.progress.services import today
from induction.reports.committee import committee_tables
from induction.web.templating import uk_date

bp = Blueprint("committee", __name__, url_prefix="/reports")


@bp.get("/organisations/<int:org_id>/committee")
@manager_required
def committee(org_id: int):
    """Figures for a committee paper: one small table per course."""
    me = current_person()
    organisation = db.session.get(Organisation, org_id)
    if organisation is None or not organisation_in_scope(me, org_id):
        abort(404)
    day = today()
    return render_template(
        "reports/committee.html",
        organisation=organisation,
        tables=committee_tables(me, organisation, day),
        day=uk_date(day),
    )
