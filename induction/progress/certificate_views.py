"""Certificate pages: the PDF download, and the public page that checks a code.

The check page confirms or denies and says nothing else: no email, no ids, and the
same answer for a code that never existed and one that was withdrawn. For a course that
asks for renewal (`renew:`), it also says whether the completion is still current, as a
checker needs to know. It is open to anyone, so it is rate-limited per address.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from wtforms import StringField
from wtforms.validators import InputRequired, ValidationError

from induction.accounts.links import external_url
from induction.accounts.models import User
from induction.catalogue import get_catalogue
from induction.extensions import db, limiter
from induction.identity.current import current as current_identity
from induction.progress import certificates, renewal
from induction.progress.models import Certificate
from induction.progress.services import today
from induction.web.downloads import attachment
from induction.web.forms import Form

bp = Blueprint("certificates", __name__)

VERIFY_LIMIT = "30/minute"


def _verify_limit() -> str:
    return current_app.config.get("CERTIFICATE_VERIFY_LIMIT", VERIFY_LIMIT)


class VerifyForm(Form):
    """The code typed on the check page (a GET form: it changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    code = StringField("Certificate code", validators=[InputRequired("Enter the certificate code")])

    def validate_code(self, field: StringField) -> None:
        if certificates.normalise_code(field.data or "") is None:
            raise ValidationError(
                "Enter the code as printed on the certificate: 16 letters and numbers, "
                "for example 7KQ2-M9XD-4TRB-0WZH"
            )


@bp.get("/certificates/<code>.pdf")
@login_required
def download(code: str):
    """A certificate as a PDF, for its holder, admins and managers of the holder's organisation."""
    certificate = certificates.find_certificate(code)
    if certificate is None:
        abort(404)
    owner = db.session.get(User, certificate.user_id)
    if not certificates.may_download(current_user, certificate, owner):
        abort(404)
    verify_url = external_url("certificates.verify_code", code=certificate.code)
    pdf = certificates.certificate_pdf(certificate, verify_url)
    filename = f"certificate-{certificate.course_id}-{certificate.code}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers=attachment(filename),
    )


@bp.get("/verify")
@limiter.limit(_verify_limit)
def verify():
    """A form to type a certificate code; a valid-looking code goes to its check page."""
    form = VerifyForm(request.args)
    if request.args and form.validate():
        normalised = certificates.normalise_code(form.code.data)
        return redirect(url_for(".verify_code", code=normalised))
    return render_template(
        "certificates/verify.html", form=form, form_has_errors=bool(form.errors)
    ), (400 if form.errors else 200)


def _currency(certificate: Certificate) -> renewal.Currency | None:
    """Return how current the certificate's completion is, for a course that asks for
    renewal (None otherwise, without asking the database)."""
    course = get_catalogue().course(certificate.course_id)
    if course is None or course.renew is None:
        return None
    holder = db.session.get(User, certificate.user_id)
    return renewal.currency(holder, course) if holder is not None else None


@bp.get("/verify/<code>")
@limiter.limit(_verify_limit)
def verify_code(code: str):
    """Say whether a certificate code is valid, and if so to whom it was issued and for
    what; for a course that asks for renewal, whether the completion is still current."""
    certificate = certificates.verify(code)
    page = render_template(
        "certificates/verified.html",
        certificate=certificate,
        currency=_currency(certificate) if certificate is not None else None,
        versions=certificates.versions_in_words(
            certificate.lesson_versions, get_catalogue().course(certificate.course_id)
        )
        if certificate is not None and certificate.lesson_versions
        else "",
        today=today(),
        issuer=current_identity().name,
        form=VerifyForm(formdata=None),
    )
    return page, (200 if certificate is not None else 404)
