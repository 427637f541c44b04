"""The view boundary: run the services of a request, then commit once or roll back and say why.

Services flush and raise an `induction.errors.Refusal` for input they refuse; the view
wraps its calls in `service_call`:

    with service_call(form, mail=True) as call:
        joining.send_invitation(...)
    if call.ok:
        flash("Invitation sent.")
        return redirect(...)
    return render_template(..., form=form)  # the refusal is shown beside its field
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, after_this_request, current_app, flash
from flask_wtf import FlaskForm

from induction.database import write_intent
from induction.errors import Refusal
from induction.extensions import db
from induction.mail import deliver_pending

log = logging.getLogger(__name__)


@dataclass
class Call:
    """What came of the services called in a `service_call` block."""

    refusal: Refusal | None = None

    @property
    def ok(self) -> bool:
        """True when everything was committed."""
        return self.refusal is None


@contextmanager
def service_call(
    form: FlaskForm | None = None,
    *,
    mail: bool = False,
    default_field: str | None = None,
    show: bool = True,
) -> Iterator[Call]:
    """Run the `with` block as one unit of work at the view boundary.

    A Refusal raised in the block rolls back everything it did; with `show` it is shown
    (see `show_refusal`). Otherwise the work is committed, and with `mail` the email it
    queued is delivered once the response has been sent. Any other error propagates.
    """
    call = Call()
    try:
        yield call
    except Refusal as refusal:
        db.session.rollback()
        call.refusal = refusal
        if show:
            show_refusal(refusal, form, default_field)
    else:
        db.session.commit()
        if mail:
            deliver_after_response()


def show_refusal(
    refusal: Refusal, form: FlaskForm | None = None, default_field: str | None = None
) -> None:
    """Show a service's refusal beside its field of `form`, or as a message at the top."""
    name = refusal.field or default_field
    field = form[name] if form is not None and name and name in form else None
    if field is None:
        flash(refusal.message, "error")
    else:
        field.errors = [*field.errors, refusal.message]


def deliver_after_response() -> None:
    """Deliver the queued email once this response has been sent.

    The person does not wait for SMTP, and an answer that queued an email takes as long
    as one that did not (no account enumeration by timing).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    @after_this_request
    def _register(response: Response) -> Response:
        response.call_on_close(lambda: _deliver(app))
        return response


def after_response(job: Callable[..., None], *args: Any) -> None:
    """Run `job(*args)` in its own transaction once this response has been sent, then
    deliver the email it queued.

    For requests that must answer alike whoever they name (a password reset, a
    registration): the request does the same work for a known address as for an unknown
    one, and what differs happens after the answer has gone.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    @after_this_request
    def _register(response: Response) -> Response:
        response.call_on_close(lambda: _run(app, job, args))
        return response


def _run(app: Flask, job: Callable[..., None], args: tuple[Any, ...]) -> None:
    intent = write_intent.set(True)  # SQLite: take the write lock up front
    try:
        with app.app_context():
            try:
                job(*args)
                db.session.commit()
            except Exception:  # noqa: BLE001 - nobody waits for the answer; log it
                db.session.rollback()
                log.exception("work after a response failed")
                return
    finally:
        write_intent.reset(intent)
    _deliver(app)


def _deliver(app: Flask) -> None:
    with app.app_context():
        try:
            deliver_pending(limit=20)
        except Exception:  # noqa: BLE001 - the messages stay queued for `flask mail send`
            log.exception("delivering email after a response failed")
