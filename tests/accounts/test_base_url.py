"""Every absolute link (email, PDF, QR code) comes from BASE_URL, never from the Host header."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from induction import create_app
from induction.accounts.models import User
from induction.catalogue import get_catalogue
from induction.config import DEVELOPMENT_BASE_URL
from induction.database import utcnow
from induction.extensions import db
from induction.mail import QueuedEmail
from induction.progress.certificate_pdf import _qr_png
from induction.progress.certificates import issue_certificate
from induction.progress.reminders import plan_reminders, queue_reminders
from induction.progress.services import today

BASE = "https://learn.example.org"
FOREIGN = "evil.example"


@pytest.fixture
def app(app_factory):
    # Behind a proxy that passes on whatever Host the client sent (X-Forwarded-Host).
    return app_factory(BASE_URL=BASE + "/", TRUSTED_PROXIES=1)


# Signed-in clients keep their cookies for "localhost", so their requests name the foreign
# host the way a proxy passes it on.
FORWARDED = {"X-Forwarded-Host": FOREIGN, "X-Forwarded-Proto": "http"}


FOREIGN_URL = f"http://{FOREIGN}"


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def all_mail(app, to: str | None = None) -> list[str]:
    stmt = select(QueuedEmail.text_body).order_by(QueuedEmail.id)
    if to is not None:
        stmt = stmt.where(QueuedEmail.to_address == to)
    with app.app_context():
        return list(db.session.scalars(stmt))


def assert_links_from_base(texts: list[str]) -> None:
    links = [link for text in texts for link in links_in(text)]
    assert links, "no link in the email"
    assert all(link.startswith(BASE + "/") for link in links), links
    assert not any(FOREIGN in text for text in texts)


# --- configuration -------------------------------------------------------------------------


def production(tmp_path, **config):
    return {
        "INSTANCE_PATH": str(tmp_path),
        "ENV": "production",
        "SECRET_KEY": "s" * 40,
        "MAIL_FROM": "induction@learn.example.org",
        **config,
    }


def test_production_refuses_to_start_without_base_url(tmp_path, monkeypatch):
    monkeypatch.delenv("INDUCTION_BASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="BASE_URL is not set"):
        create_app(production(tmp_path))


@pytest.mark.parametrize("bad", ["learn.example.org", "ftp://learn.example.org", "https://"])
def test_a_base_url_that_is_not_a_web_address_is_refused(tmp_path, bad):
    with pytest.raises(RuntimeError, match="not a web address"):
        create_app(production(tmp_path, BASE_URL=bad))


def test_production_trusts_only_the_base_url_host(tmp_path):
    app = create_app(production(tmp_path, BASE_URL=BASE))
    assert app.config["TRUSTED_HOSTS"] == ["learn.example.org"]
    assert app.test_client().get("/healthz", headers={"Host": FOREIGN}).status_code == 400
    assert app.test_client().get("/accessibility", base_url=BASE).status_code == 200


def test_development_has_a_default_base_url_and_trusts_any_host(tmp_path, monkeypatch):
    monkeypatch.delenv("INDUCTION_BASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["BASE_URL"] == DEVELOPMENT_BASE_URL
    assert app.config["TRUSTED_HOSTS"] is None


# --- email ---------------------------------------------------------------------------------


def test_reset_email_links_to_base_url_whatever_the_host(app, make_user):
    user = make_user(email="reset@example.org")
    app.test_client().post("/reset", data={"email": user.email}, headers={"Host": FOREIGN}).close()
    assert_links_from_base(all_mail(app))


def test_invitation_email_links_to_base_url_whatever_the_host(app, make_org, login_as):
    org = make_org("Own Council")
    client = login_as(role="manager", organisation=org)
    response = client.post(
        "/admin/people/invite",
        data={
            "email": "new@example.org",
            "role": "learner",
            "audience": "officer",
            "organisation": org.id,
        },
        headers=FORWARDED,
    )
    assert response.status_code == 302
    assert_links_from_base(all_mail(app, "new@example.org"))


def test_registration_email_links_to_base_url_whatever_the_host(app, make_org):
    make_org("Own Council", join_code="OWNCODE2027")
    app.test_client().post(
        "/register",
        data={"join_code": "OWNCODE2027", "email": "joiner@example.org"},
        headers={"Host": FOREIGN},
    ).close()
    assert_links_from_base(all_mail(app))


def test_reminder_email_links_to_base_url_even_inside_a_foreign_request(app, make_org, make_user):
    org = make_org("Own Council")
    with app.app_context():
        day = today()
    make_user(organisation=org, start_date=day - dt.timedelta(days=400))
    make_user(role="manager", organisation=org)
    with app.test_request_context(base_url=FOREIGN_URL):
        reminders = plan_reminders(day)
        assert reminders
        queue_reminders(reminders, day)
        db.session.commit()
    assert_links_from_base(all_mail(app))


# --- the certificate PDF and its QR code -----------------------------------------------------


def test_certificate_pdf_text_link_and_qr_code_use_base_url(app, make_user, login_as):
    pytest.importorskip("PIL")
    user = make_user(name="Cora Certified")
    with app.test_request_context():
        course = get_catalogue().course("basics")
        certificate = issue_certificate(db.session.get(User, user.id), course, utcnow())
        db.session.commit()
        code = certificate.code
    client = login_as(user)
    response = client.get(f"/certificates/{code}.pdf", headers=FORWARDED)
    assert response.status_code == 200
    expected = f"{BASE}/verify/{code}"
    reader = PdfReader(io.BytesIO(response.data))
    page = reader.pages[0]
    assert expected in page.extract_text().replace(" ", "").replace("\n", "")
    uris = [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", [])]
    assert uris and set(uris) == {expected}
    [image] = page.images
    from PIL import Image

    printed = image.image.convert("1")
    wanted = Image.open(_qr_png(expected)).convert("1")
    assert printed.size == wanted.size and printed.tobytes() == wanted.tobytes()
