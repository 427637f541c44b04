"""Certificates: issued once on completion, a PDF with the name and code, a public check page."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from induction.accounts.audit import AuditEvent
from induction.accounts.models import User
from induction.catalogue import get_catalogue
from induction.database import utcnow
from induction.extensions import db
from induction.progress import certificates
from induction.progress.certificate_pdf import DEFAULT_BOLD_FONT, DEFAULT_FONT, uk_date
from induction.progress.models import Certificate
from induction.progress.services import today
from tests.quizzes.pages import ALL_RIGHT, link, page, read_lessons, take, text_of

ISSUER = "Co-operative Councils' Innovation Network"
NOT_VALID = "Not valid No certificate has this code, or it has been withdrawn."
CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")

needs_fonts = pytest.mark.skipif(
    not (DEFAULT_FONT.is_file() and DEFAULT_BOLD_FONT.is_file()),
    reason="needs the DejaVu fonts (Debian package fonts-dejavu-core)",
)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def issue(app, user: User, course_id: str = "basics") -> Certificate:
    """Issue a certificate directly (the pages that lead to one are tested end to end below)."""
    with app.test_request_context():
        person = db.session.get(User, user.id)
        course = get_catalogue().course(course_id)
        certificate = certificates.issue_certificate(person, course, completed_at=utcnow())
        db.session.commit()
        db.session.refresh(certificate)
        db.session.expunge(certificate)
        return certificate


def certificate_rows(app) -> list[Certificate]:
    with app.app_context():
        rows = db.session.scalars(select(Certificate)).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


@pytest.fixture
def app(app_factory, site_tree):
    """The app on an editable copy of the site fixture courses."""
    return app_factory(COURSES_DIR=str(site_tree))


# --- codes ---------------------------------------------------------------------------------


def test_codes_are_readable_and_random():
    codes = {certificates.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(CODE.match(code) for code in codes)
    assert certificates.CODE_LENGTH * 5 >= 80  # bits of randomness


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("7KQ2-M9XD-4TRB-0WZH", "7KQ2-M9XD-4TRB-0WZH"),
        ("7kq2m9xd4trb0wzh", "7KQ2-M9XD-4TRB-0WZH"),
        (" 7kq2 m9xd 4trb owzh ", "7KQ2-M9XD-4TRB-0WZH"),  # O read as zero
        ("7KQ2-M9XD-4TRB-0WZL", "7KQ2-M9XD-4TRB-0WZ1"),  # L read as one
        ("7KQ2-M9XD-4TRB-0WZ", None),
        ("7KQ2-M9XD-4TRB-0WZHH", None),
        ("7KQ2-M9XD-4TRB-0WZU", None),  # U is not in the alphabet
        ("", None),
        ("x" * 500, None),
    ],
)
def test_typed_codes_are_normalised(typed, stored):
    assert certificates.normalise_code(typed) == stored


# --- issuing -------------------------------------------------------------------------------


def test_issued_once_with_a_snapshot_and_an_audit_event(app, make_org, make_user):
    org = make_org("Oldham Council")
    user = make_user(name="Siân Jones", organisation=org)
    first = issue(app, user)
    second = issue(app, user)
    assert first.id == second.id
    assert first.code == second.code
    assert CODE.match(first.code)
    assert (first.learner_name, first.course_title, first.organisation_name) == (
        "Siân Jones",
        "Basics",
        "Oldham Council",
    )
    with app.app_context():
        assert first.completed_on == today()
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "certificate.issued")
        ).all()
        assert len(events) == 1
        assert events[0].actor_id == user.id
        assert events[0].organisation_id == org.id


# --- the whole journey ---------------------------------------------------------------------


@needs_fonts
def test_a_learner_completes_the_course_and_downloads_the_certificate(
    app, make_org, make_user, login_as
):
    org = make_org("Oldham Council")
    learner = make_user(name="Llŷr Davies", organisation=org)
    client = login_as(learner)
    home = page(client.get("/"))
    assert "Download your certificate" not in home

    read_lessons(client)
    result = take(client, ALL_RIGHT)
    following = link(result, "Continue")
    assert following == "/courses/basics/lessons/next"
    assert "Download your certificate" not in page(client.get("/courses/basics/"))
    response = client.post(f"{following}/complete")
    assert response.status_code == 302

    [certificate] = certificate_rows(app)
    course_page = page(client.get("/courses/basics/"))
    download = link(course_page, "Download your certificate")
    assert download == f"/certificates/{certificate.code}.pdf"
    assert link(page(client.get("/")), "Download your certificate") == download

    response = client.get(download)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert "Llŷr Davies" in text
    assert certificate.code in text
    assert "Oldham Council" in text
    assert "Basics" in text
    with app.app_context():
        assert f"on {uk_date(today())}" in text
    verify_url = f"{app.config['BASE_URL']}/verify/{certificate.code}"
    assert verify_url in text.replace(" ", "")  # a long URL may wrap across lines

    anonymous = app.test_client()
    checked = text_of(page(anonymous.get(f"/verify/{certificate.code}")))
    with app.app_context():
        completed = uk_date(today())
    verdict = f"Valid Issued to Llŷr Davies for Basics, completed {completed}, by {ISSUER}."
    assert verdict in checked
    assert "Valid:" not in checked  # the badge says it once
    # Basics asks for no renewal here: nothing about how current the completion is.
    assert "current until" not in checked and "Due for renewal" not in checked


# --- who may download ----------------------------------------------------------------------


@needs_fonts
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("admin", 200),
        ("manager, same organisation", 200),
        ("manager, other organisation", 404),
        ("learner, same organisation", 404),
    ],
)
def test_who_may_download(app, make_org, make_user, login_as, who, status):
    org, other_org = make_org(), make_org()
    owner = make_user(organisation=org)
    certificate = issue(app, owner)
    viewer = {
        "owner": owner,
        "admin": make_user(role="admin"),
        "manager, same organisation": make_user(role="manager", organisation=org),
        "manager, other organisation": make_user(role="manager", organisation=other_org),
        "learner, same organisation": make_user(organisation=org),
    }[who]
    response = login_as(viewer).get(f"/certificates/{certificate.code}.pdf")
    assert response.status_code == status


def test_download_needs_sign_in_and_a_real_code(app, make_user, login_as):
    certificate = issue(app, make_user())
    response = app.test_client().get(f"/certificates/{certificate.code}.pdf")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    client = login_as()
    assert client.get("/certificates/AAAA-BBBB-CCCC-DDDD.pdf").status_code == 404
    assert client.get("/certificates/nonsense.pdf").status_code == 404


def test_a_withdrawn_certificate_is_neither_valid_nor_downloadable(app, make_user, login_as):
    owner = make_user()
    certificate = issue(app, owner)
    with app.app_context():
        row = db.session.get(Certificate, certificate.id)
        row.revoked_at = utcnow()
        db.session.commit()
    assert login_as(owner).get(f"/certificates/{certificate.code}.pdf").status_code == 404
    response = app.test_client().get(f"/verify/{certificate.code}")
    assert response.status_code == 404
    assert NOT_VALID in text_of(page(response))


# --- checking a code -----------------------------------------------------------------------


def test_a_wrong_code_is_denied(app, make_user):
    issue(app, make_user())
    client = app.test_client()
    for code in ("AAAA-BBBB-CCCC-DDDD", "nonsense", "0" * 16):
        response = client.get(f"/verify/{code}")
        assert response.status_code == 404
        text = text_of(page(response))
        assert NOT_VALID in text
        assert "Issued to" not in text


def test_the_check_page_says_nothing_else(app, make_user):
    owner = make_user(name="Ada Lovelace", email="ada@example.org")
    certificate = issue(app, owner)
    html = page(app.test_client().get(f"/verify/{certificate.code.lower().replace('-', ' ')}"))
    assert "Issued to Ada Lovelace for Basics" in text_of(html)
    assert "ada@example.org" not in html
    assert f"/certificates/{certificate.code}" not in html
    assert not re.search(rf"\b{owner.id}\b", text_of(html).replace(certificate.code, ""))


def test_the_check_survives_edits_to_the_course_and_the_person(app, site_tree, make_user):
    person = make_user(name="Old Name")
    certificate = issue(app, person)
    course_file = site_tree / "01-basics" / "course.md"
    course_file.write_text(course_file.read_text().replace("title: Basics", "title: Renamed"))
    with app.app_context():
        db.session.get(User, person.id).name = "New Name"
        db.session.commit()
        assert get_catalogue().course("basics").title == "Renamed"
    text = text_of(page(app.test_client().get(f"/verify/{certificate.code}")))
    assert "Issued to Old Name for Basics, completed" in text


def test_the_check_form(app, make_user):
    certificate = issue(app, make_user())
    client = app.test_client()
    html = page(client.get("/verify"))
    assert '<label class="label" for="code">Certificate code</label>' in html
    response = client.get("/verify", query_string={"code": certificate.code.lower()})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/verify/{certificate.code}"
    refused = client.get("/verify", query_string={"code": "ABC"})
    assert refused.status_code == 400
    assert "Enter the code as printed on the certificate" in text_of(page(refused))
    assert "<title>Error: " in page(refused)
    empty = client.get("/verify", query_string={"code": ""})
    assert "Enter the certificate code" in text_of(page(empty))


def test_checking_is_rate_limited(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [client.get("/verify/AAAA-BBBB-CCCC-DDDD").status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429
