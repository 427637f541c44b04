"""Data rights: an admin downloads everything about a person (JSON, CSV) or erases them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from induction.accounts.audit import AuditEvent
from induction.accounts.models import AccountToken, RecoveryCode, User, UserSession
from induction.accounts.totp import new_recovery_codes
from induction.extensions import db
from induction.mail import QueuedEmail, deliver_pending, outbox_dir
from induction.progress.models import (
    Certificate,
    CourseCompletion,
    LessonCompletion,
    ModuleCompletion,
)
from induction.quizzes.models import QuizAttempt
from tests.factories import TEST_PASSWORD
from tests.reliability.records import make_everything

RULES = "I have read and understood the rules."


@pytest.fixture
def made(app, make_org, make_user, login_as):
    """A learner with a completed course, certificate, email, links and audit events."""
    return make_everything(app, make_org, make_user, login_as)


@pytest.fixture
def admin_client(app, made, login_as):
    with app.app_context():
        admin = db.session.get(User, made.admin_id)
        db.session.expunge(admin)
    return login_as(admin)


def _export(client, person_id: int, fmt: str):
    return client.post(f"/admin/people/{person_id}/data/export.{fmt}")


def _count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


@pytest.mark.parametrize("role", ["learner", "manager"])
def test_only_admins_open_the_data_rights_pages(app, made, login_as, make_user, role):
    with app.app_context():
        learner = db.session.get(User, made.learner_id)
        organisation = learner.organisation
        db.session.expunge(organisation)
    client = login_as(make_user(role=role, organisation=organisation))
    base = f"/admin/people/{made.learner_id}/data"
    assert client.post(f"{base}/export.json").status_code == 403
    assert client.post(f"{base}/export.csv").status_code == 403
    assert client.get(f"{base}/erase").status_code == 403
    assert client.post(f"{base}/erase", data={"email": made.learner_email}).status_code == 403
    with app.app_context():
        assert db.session.get(User, made.learner_id).email == made.learner_email
        assert _count(AuditEvent, AuditEvent.action.like("person.%")) == 0


def test_signed_out_visitors_are_sent_to_sign_in(app, made):
    response = app.test_client().get(f"/admin/people/{made.learner_id}/data/erase")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_person_page_offers_downloads_and_erasure_to_admins(admin_client, made):
    page = admin_client.get(f"/admin/people/{made.learner_id}").get_data(as_text=True)
    assert "Data rights" in page
    assert f"/admin/people/{made.learner_id}/data/export.json" in page
    assert f"/admin/people/{made.learner_id}/data/export.csv" in page
    assert f"/admin/people/{made.learner_id}/data/erase" in page


def test_the_json_export_holds_everything_about_the_person_and_no_secret(app, admin_client, made):
    response = _export(admin_client, made.learner_id, "json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    data = json.loads(text)

    assert data["person"]["email"] == made.learner_email
    assert data["person"]["name"] == "Lee Learner"
    assert data["organisation"]["name"] == "Records Council"
    assert len(data["sessions"]) == 1
    assert {(c["lesson_id"], c["lesson_version"]) for c in data["lesson_completions"]} == {
        ("welcome", 1),
        ("rules", 2),
        ("next", 1),
    }
    assert [a["statement"] for a in data["acknowledgements"]] == [RULES]
    (attempt,) = data["quiz_attempts"]
    assert (attempt["right"], attempt["total"], attempt["is_passed"]) == (4, 4, True)
    assert attempt["answers"]["first-lesson"] == "Welcome"
    assert len(attempt["questions_as_asked"]) == 4
    assert {m["module_id"] for m in data["module_completions"]} == {"first-steps", "going-further"}
    assert [c["course_id"] for c in data["course_completions"]] == ["basics"]
    (stored,) = data["course_statuses"]
    assert (stored["course_id"], stored["status"], stored["percent"]) == ("basics", "complete", 100)
    (certificate,) = data["certificates"]
    assert certificate["name_printed"] == "Lee Learner"
    assert [link["purpose"] for link in data["one_time_links"]] == ["reset"]
    actions = {event["action"] for event in data["audit_events"]}
    assert {"auth.login", "certificate.issued", "password.reset_requested"} <= actions
    subjects = [email["subject"] for email in data["emails"]]
    assert any("A note" in subject for subject in subjects)
    reset = next(email for email in data["emails"] if "reset" in email["text"].lower())
    assert "[link removed]" in reset["text"]
    assert "http" not in reset["text"]  # a live reset link would let the reader sign in as them

    with app.app_context():
        person = db.session.get(User, made.learner_id)
        secrets = [person.password_hash]
        secrets += db.session.scalars(select(UserSession.token_hash)).all()
        secrets += db.session.scalars(select(AccountToken.token_hash)).all()
        for secret in secrets:
            assert secret and secret not in text
        exported = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "person.exported")
        ).all()
        assert [(e.actor_id, e.target_id, e.details) for e in exported] == [
            (made.admin_id, str(made.learner_id), {"format": "json"})
        ]


def test_the_csv_export_holds_the_same_and_is_safe_in_a_spreadsheet(app, admin_client, made):
    with app.app_context():
        db.session.get(User, made.learner_id).name = "=HYPERLINK(evil)"
        db.session.commit()
    response = _export(admin_client, made.learner_id, "csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["section", "item", "field", "value"]
    cells = {(section, item, field): value for section, item, field, value in rows[1:]}
    assert cells[("person", "", "email")] == made.learner_email
    assert cells[("person", "", "name")] == "'=HYPERLINK(evil)"
    assert cells[("acknowledgements", "1", "statement")] == RULES
    assert cells[("quiz_attempts", "1", "right")] == "4"
    assert json.loads(cells[("quiz_attempts", "1", "answers")])["first-lesson"] == "Welcome"
    assert cells[("certificates", "1", "course_id")] == "basics"
    with app.app_context():
        assert _count(AuditEvent, AuditEvent.action == "person.exported") == 1


def test_erasing_needs_the_email_address_typed_out(app, admin_client, made):
    url = f"/admin/people/{made.learner_id}/data/erase"
    page = admin_client.get(url).get_data(as_text=True)
    assert "This cannot be undone" in page
    response = admin_client.post(url, data={"email": "someone.else@example.org"})
    assert response.status_code == 200
    assert f"Type {made.learner_email} exactly" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, made.learner_id).name == "Lee Learner"


def test_erasing_removes_who_they_are_and_keeps_what_they_did(app, admin_client, made, login_as):
    learner_client = app.test_client()
    learner_client.post("/login", data={"email": made.learner_email, "password": "wrong one"})
    with app.test_request_context():
        person = db.session.get(User, made.learner_id)
        new_recovery_codes(person)
        deliver_pending(limit=None)  # no SMTP in tests: the messages go to the outbox folder
        outbox_files = [m.outbox_file for m in db.session.scalars(select(QueuedEmail))]
        code = db.session.scalar(select(Certificate.code))
        db.session.commit()
        kept_before = _kept_counts(made.learner_id, made.organisation_id)
    assert all(outbox_files)
    signed_in = login_as(_detached(app, made.learner_id))
    assert signed_in.get("/").status_code == 200

    response = admin_client.post(
        f"/admin/people/{made.learner_id}/data/erase", data={"email": made.learner_email.upper()}
    )
    assert response.status_code == 302

    with app.app_context():
        person = db.session.get(User, made.learner_id)
        assert person.name == f"Erased person {person.id}"
        assert person.email == f"erased-{person.id}@erased.invalid"
        assert person.password_hash is None
        assert (person.totp_secret, person.totp_enabled_at) == (None, None)
        assert person.is_active is False
        assert person.organisation_id == made.organisation_id
        assert _count(UserSession, UserSession.user_id == person.id) == 0
        assert _count(RecoveryCode, RecoveryCode.user_id == person.id) == 0
        assert _count(AccountToken, AccountToken.user_id == person.id) == 0
        assert _count(QueuedEmail, func.lower(QueuedEmail.to_address) == made.learner_email) == 0
        assert _count(QueuedEmail) == 1  # the newcomer's invitation stays
        certificate = db.session.scalar(select(Certificate))
        assert certificate.revoked_at is not None
        assert certificate.learner_name == person.name
        # Everything they did is still counted for their organisation.
        assert _kept_counts(made.learner_id, made.organisation_id) == kept_before
        for event in db.session.scalars(select(AuditEvent)):
            text = json.dumps(event.details or {})
            assert made.learner_email not in text
            assert "Lee Learner" not in text
        erased = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "person.erased")
        ).all()
        assert [(e.actor_id, e.target_id) for e in erased] == [
            (made.admin_id, str(made.learner_id))
        ]
        outbox_left = {path.name for path in outbox_dir().iterdir()}
    assert len(outbox_left) == 1  # only the newcomer's message is left on disk

    # Their browser is signed out, and they cannot sign in again.
    assert signed_in.get("/my/record").status_code == 302
    response = app.test_client().post(
        "/login", data={"email": made.learner_email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200  # the form again, with an error
    # The certificate no longer verifies.
    verified = app.test_client().get(f"/verify/{code}").get_data(as_text=True)
    assert "Not valid" in verified
    assert "Lee Learner" not in verified


def _kept_counts(person_id: int, organisation_id: int) -> dict[str, int]:
    counts = {}
    for model in (LessonCompletion, QuizAttempt, ModuleCompletion, CourseCompletion, Certificate):
        counts[model.__tablename__] = _count(
            model.__table__.join(User.__table__, model.user_id == User.id),
            model.user_id == person_id,
            User.organisation_id == organisation_id,
        )
    return counts


def _detached(app, person_id: int) -> User:
    with app.app_context():
        person = db.session.get(User, person_id)
        db.session.expunge(person)
        return person


def test_after_erasure_the_export_holds_nothing_that_names_them(app, admin_client, made):
    admin_client.post(
        f"/admin/people/{made.learner_id}/data/erase", data={"email": made.learner_email}
    )
    text = _export(admin_client, made.learner_id, "json").get_data(as_text=True)
    data = json.loads(text)
    assert data["person"]["is_erased"] is True
    assert made.learner_email not in text
    assert "Lee Learner" not in text
    assert len(data["lesson_completions"]) == 3  # what they did is still there
    page = admin_client.get(f"/admin/people/{made.learner_id}").get_data(as_text=True)
    assert "This person's data was erased" in page
    again = admin_client.get(f"/admin/people/{made.learner_id}/data/erase")
    assert again.status_code == 302  # nothing left to erase


def test_an_admin_cannot_erase_themselves(app, admin_client, made):
    url = f"/admin/people/{made.admin_id}/data/erase"
    assert "You cannot erase your own account" in admin_client.get(url).get_data(as_text=True)
    with app.app_context():
        email = db.session.get(User, made.admin_id).email
    response = admin_client.post(url, data={"email": email})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, made.admin_id).email == email
        assert _count(AuditEvent, AuditEvent.action == "person.erased") == 0
