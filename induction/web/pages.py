"""Pages of no feature: the front page, the health check, the accessibility statement."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from sqlalchemy import text

from induction.catalogue import get_catalogue
from induction.extensions import db
from induction.web.errors import roll_back

bp = Blueprint("pages", __name__)


@bp.get("/healthz")
def healthz():
    """Answer 200 when the app and its database answer, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        current_app.logger.warning("health check: database not answering", exc_info=True)
        roll_back()
        return {"status": "unavailable", "database": "not answering"}, 503
    return {"status": "ok", "database": "ok"}, 200


def front_page() -> str:
    """Render the front page for visitors who are not signed in (served at `/`, see progress).

    It says what the site is and who it is for, lists the published courses whose
    authors allow it (`public: true`), and says how to get an account and sign in.
    """
    return render_template("pages/front.html", courses=get_catalogue().library().public_courses())


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement."""
    return render_template("pages/accessibility.html")
