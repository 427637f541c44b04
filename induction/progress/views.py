"""The learner's own pages: My learning (the home page) and My record with its downloads."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template
from flask_login import current_user, login_required

from induction.accounts.access import audience_of
from induction.catalogue import get_catalogue
from induction.progress import certificates, services
from induction.progress.record import CSV_HEADER, entry_dict, entry_row, learner_record
from induction.web.downloads import attachment, csv_response

bp = Blueprint("progress", __name__)


@bp.get("/")
@login_required
def my_learning():
    """My learning: each course for the person's audience, its progress and what to do next."""
    courses = get_catalogue().courses_for(audience_of(current_user))
    return render_template(
        "progress/my_learning.html",
        progress=services.progress_in(current_user, courses),
        my_certificates=certificates.certificates_of(current_user.id),
    )


@bp.get("/my/record")
@login_required
def my_record():
    """Everything the person completed, with dates, versions and acknowledgements."""
    entries = learner_record(current_user, get_catalogue().library())
    return render_template("progress/my_record.html", entries=entries)


@bp.get("/my/record.csv")
@login_required
def my_record_csv():
    """The person's record as CSV (through the project's one CSV helper)."""
    entries = learner_record(current_user, get_catalogue().library())
    return csv_response("my-learning-record.csv", CSV_HEADER, (entry_row(e) for e in entries))


@bp.get("/my/record.json")
@login_required
def my_record_json():
    """The person's record as JSON: their own data, in a form other systems can read."""
    entries = learner_record(current_user, get_catalogue().library())
    body = {
        "person": {
            "name": current_user.name,
            "email": current_user.email,
            "organisation": current_user.organisation.name if current_user.organisation else None,
            "audience": current_user.audience,
            "start_date": current_user.start_date.isoformat(),
        },
        "record": [entry_dict(e) for e in entries],
    }
    return Response(
        json.dumps(body, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers=attachment("my-learning-record.json"),
    )
