"""One-click unsubscribe from reminder and digest emails (RFC 8058), and starting them again.

Each reminder or digest carries, in its List-Unsubscribe header, an address of its own
person's: `/unsubscribe/<token>`, the token signed with SECRET_KEY. A mail program that
offers "Unsubscribe" POSTs `List-Unsubscribe=One-Click` to it (List-Unsubscribe-Post),
with no cookie and no CSRF token: the signed token is what says who asks, and stopping
reminders is all it can do. Opening the address in a browser (GET) changes nothing: it
shows a page with a button, because mail scanners open links. The same page starts the
reminders again.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from induction.accounts import audit
from induction.accounts.links import external_url
from induction.accounts.models import User
from induction.database import utcnow
from induction.extensions import csrf, db

bp = Blueprint("unsubscribe", __name__, url_prefix="/unsubscribe")

_SALT = "reminders-unsubscribe"
RESUME = "resume"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_url(user_id: int) -> str:
    """Return the person's own one-click unsubscribe address, under BASE_URL."""
    return external_url("unsubscribe.page", token=_serializer().dumps(user_id))


def reminders_page(user_id: int) -> str:
    """Return the path of the person's own stop-or-start page (the one their reminder
    emails link to), for a link on this site whatever BASE_URL's host is."""
    return url_for("unsubscribe.page", token=_serializer().dumps(user_id))


def list_unsubscribe_header(user_id: int) -> str:
    """Return the List-Unsubscribe header of a reminder or digest to this person."""
    return f"<{unsubscribe_url(user_id)}>"


def person_of(token: str) -> User | None:
    """Return the active person a token names, or None for a forged, altered or old token."""
    try:
        user_id = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(user_id, int):
        return None
    person = db.session.get(User, user_id)
    return person if person is not None and person.is_active else None


def set_reminders(person: User, *, wanted: bool) -> bool:
    """Stop or start the person's reminder and digest emails; return True when it changed.

    Records "reminders.stopped" or "reminders.started" in the audit log. Flushes; the
    caller commits.
    """
    if wanted == (person.reminders_stopped_at is None):
        return False
    person.reminders_stopped_at = None if wanted else utcnow()
    audit.record(
        "reminders.started" if wanted else "reminders.stopped", actor=person, target=person
    )
    db.session.flush()
    return True


@bp.route("/<token>", methods=["GET", "POST"])
@csrf.exempt
def page(token: str):
    """Stop (POST, also one-click from a mail program) or start again reminder emails."""
    person = person_of(token)
    if person is None:
        abort(404)
    if request.method == "POST":
        set_reminders(person, wanted=request.form.get("action") == RESUME)
        db.session.commit()
    return render_template(
        "accounts/unsubscribe.html",
        person=person,
        token=token,
        resume=RESUME,
        is_own_account=current_user.is_authenticated and current_user.id == person.id,
    )
