"""Every route x every role: who gets the page, who is sent to sign in, who gets 403 or 404.

Roles: anonymous, a learner, a manager of the organisation the records belong to
("manager_own"), a manager of another organisation ("manager_other"), and an admin.
A page a role may not open at all answers 403 (signed out: the sign-in page); a record
out of someone's scope answers 404 so its id is not confirmed (see docs/accounts.md).

ENDPOINTS has one row for every rule and method of the app's URL map, written as the
rule itself; `test_every_route_is_in_the_matrix` fails when a route is added (or
removed) without its row. The rule's arguments are filled in from `values` below: the
records belong to the "own" organisation, and the quiz attempt to its learner.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from induction.accounts.joining import send_invitation
from induction.accounts.models import Intake, User
from induction.catalogue import get_catalogue
from induction.extensions import db
from induction.mail import deliver_pending, outbox_files
from induction.progress.certificates import issue_certificate
from tests.quizzes.pages import start as start_quiz

ROLES = ("anonymous", "learner", "manager_own", "manager_other", "admin")
LOGIN = "login"  # expected: a redirect to the sign-in page
QUIZ = "/courses/basics/modules/first-steps/quiz"
ATTEMPT = "/courses/<course_id>/modules/<module_id>/quiz/attempts/<int:attempt_id>"


@dataclass(frozen=True)
class Row:
    method: str
    rule: str  # exactly as in app.url_map
    anonymous: int | str
    learner: int | str
    manager_own: int | str
    manager_other: int | str
    admin: int | str
    data: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)  # this row's own rule arguments

    def expected(self, role: str) -> int | str:
        return getattr(self, role)

    def url(self, values: dict[str, Any]) -> str:
        """Return the rule with its arguments filled in from `values` (the row's own first)."""
        given = {**values, **self.values}
        return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(given[m.group(1)]), self.rule)


NOTES = "/organisations/<int:org_id>/notes/<course_id>/<lesson_id>/<slot_id>"
NOTES_EDIT_GET = Row("GET", NOTES, LOGIN, 403, 404, 404, 404)
NOTES_EDIT_POST = Row("POST", NOTES, LOGIN, 403, 404, 404, 404)

ENDPOINTS = [
    # Public pages
    Row("GET", "/accessibility", 200, 200, 200, 200, 200),
    Row("GET", "/healthz", 200, 200, 200, 200, 200),
    # One-click unsubscribe: the token is the only key (none is valid here)
    Row("GET", "/unsubscribe/<token>", 404, 404, 404, 404, 404),
    Row("POST", "/unsubscribe/<token>", 404, 404, 404, 404, 404),
    # The identity's files: no logo yet, and no colour asked for
    Row("GET", "/identity/brand.css", 404, 404, 404, 404, 404),
    Row("GET", "/identity/logo", 404, 404, 404, 404, 404),
    Row("GET", "/login", 200, 302, 302, 302, 302),
    Row("POST", "/login", 200, 302, 302, 302, 302),
    Row("GET", "/login/two-factor", 302, 302, 302, 302, 302),
    Row("POST", "/login/email", 200, 302, 302, 302, 302),
    Row("POST", "/login/link", 400, 400, 400, 400, 400),
    Row("GET", "/login/link/<token>", 404, 404, 404, 404, 404),
    Row("POST", "/login/link/<token>", 404, 404, 404, 404, 404),
    Row("GET", "/login/provider/<int:provider_id>", 404, 302, 302, 302, 302),
    Row("GET", "/login/provider/callback", 302, 302, 302, 302, 302),
    Row("POST", "/login/two-factor", 302, 302, 302, 302, 302),
    Row("POST", "/logout", 302, 302, 302, 302, 302),
    Row("GET", "/register", 200, 200, 200, 200, 200),
    Row("POST", "/register", 200, 200, 200, 200, 200),
    Row("GET", "/reset", 200, 200, 200, 200, 200),
    Row("POST", "/reset", 200, 200, 200, 200, 200),
    Row("GET", "/static/<path:filename>", 200, 200, 200, 200, 200),
    Row("GET", "/verify", 200, 200, 200, 200, 200),
    Row("GET", "/verify/<code>", 200, 200, 200, 200, 200),
    # Links from emails: an unknown token is not found, for everyone
    Row("GET", "/account/email/<token>", 404, 404, 404, 404, 404),
    Row("POST", "/account/email/<token>", 404, 404, 404, 404, 404),
    Row("GET", "/invitations/<token>", 404, 404, 404, 404, 404),
    Row("POST", "/invitations/<token>", 404, 404, 404, 404, 404),
    Row("GET", "/register/<token>", 404, 404, 404, 404, 404),
    Row("POST", "/register/<token>", 404, 404, 404, 404, 404),
    Row("GET", "/reset/<token>", 404, 404, 404, 404, 404),
    Row("POST", "/reset/<token>", 404, 404, 404, 404, 404),
    Row("GET", "/setup/<token>", 404, 404, 404, 404, 404),
    Row("POST", "/setup/<token>", 404, 404, 404, 404, 404),
    # Your own account and learning
    Row("GET", "/", 200, 200, 200, 200, 200),  # signed out: the front page
    Row("GET", "/account", LOGIN, 200, 200, 200, 200),
    Row("POST", "/account", LOGIN, 302, 302, 302, 302, {"name": "Renamed"}),
    Row("GET", "/account/email", LOGIN, 200, 200, 200, 200),
    Row("POST", "/account/email", LOGIN, 200, 200, 200, 200),
    Row("GET", "/account/password", LOGIN, 200, 200, 200, 200),
    Row("POST", "/account/password", LOGIN, 200, 200, 200, 200),
    Row("GET", "/account/two-factor", LOGIN, 200, 200, 200, 200),
    Row("POST", "/account/two-factor", LOGIN, 200, 200, 200, 200),
    Row("POST", "/account/two-factor/disable", LOGIN, 302, 302, 302, 302),
    Row("POST", "/account/two-factor/recovery-codes", LOGIN, 302, 302, 302, 302),
    # The digest: lead officers only (learners and admins have none to choose)
    Row("POST", "/account/digest", LOGIN, 404, 302, 302, 404, {"frequency": "off"}),
    # A certificate: its holder, admins and managers of the holder's organisation
    Row("GET", "/certificates/<code>.pdf", LOGIN, 404, 200, 404, 200),
    Row("GET", "/my/record", LOGIN, 200, 200, 200, 200),
    Row("GET", "/help", LOGIN, 200, 200, 200, 200),
    Row("GET", "/my/record.csv", LOGIN, 200, 200, 200, 200),
    Row("GET", "/my/record.json", LOGIN, 200, 200, 200, 200),
    # Courses and quizzes: the access rule of induction.accounts.access; attempts: the owner's
    Row("GET", "/courses/", LOGIN, 200, 200, 200, 200),
    Row("GET", "/courses/<course_id>/", LOGIN, 200, 200, 200, 200),
    Row("GET", "/courses/<course_id>/lessons/<lesson_id>", LOGIN, 200, 200, 200, 200),
    Row("GET", "/courses/<course_id>/lessons/<lesson_id>/complete", LOGIN, 302, 302, 302, 302),
    Row("POST", "/courses/<course_id>/lessons/<lesson_id>/complete", LOGIN, 400, 400, 400, 400),
    # The fixture lesson has no reflection prompt: its own tests are in tests/edition
    Row(
        "POST",
        "/courses/<course_id>/lessons/<lesson_id>/reflections/<prompt_id>",
        LOGIN,
        404,
        404,
        404,
        404,
    ),
    Row("GET", "/courses/<course_id>/media/<path:filename>", LOGIN, 200, 200, 200, 200),
    # A lesson's picture full size: the welcome lesson draws the diagram
    Row(
        "GET",
        "/courses/<course_id>/lessons/<lesson_id>/pictures/<path:filename>",
        LOGIN,
        200,
        200,
        200,
        200,
        values={"lesson_id": "welcome"},
    ),
    Row("GET", "/courses/<course_id>/modules/<module_id>", LOGIN, 200, 200, 200, 200),
    Row("GET", "/courses/<course_id>/modules/<module_id>/quiz", LOGIN, 200, 200, 200, 200),
    Row("POST", "/courses/<course_id>/modules/<module_id>/quiz", LOGIN, 303, 303, 303, 303),
    Row("GET", ATTEMPT, LOGIN, 404, 404, 404, 404),
    Row("POST", ATTEMPT, LOGIN, 404, 404, 404, 404),
    Row("GET", ATTEMPT + "/check", LOGIN, 404, 404, 404, 404),
    Row("POST", ATTEMPT + "/submit", LOGIN, 404, 404, 404, 404),
    # People: managers see their own organisation's, admins everyone's
    Row("POST", "/admin/invitations/<int:invitation_id>/revoke", LOGIN, 403, 302, 404, 302),
    Row("GET", "/admin/people", LOGIN, 403, 200, 200, 200),
    Row("GET", "/admin/people/<int:person_id>", LOGIN, 403, 200, 404, 200),
    Row("GET", "/admin/people/<int:person_id>/deactivate", LOGIN, 403, 200, 404, 200),
    Row("POST", "/admin/people/<int:person_id>/deactivate", LOGIN, 403, 302, 404, 302),
    Row("GET", "/admin/people/<int:person_id>/edit", LOGIN, 403, 200, 404, 200),
    Row("POST", "/admin/people/<int:person_id>/edit", LOGIN, 403, 200, 404, 200),
    Row("POST", "/admin/people/<int:person_id>/reactivate", LOGIN, 403, 302, 404, 302),
    Row("POST", "/admin/people/<int:person_id>/reset-two-factor", LOGIN, 403, 403, 403, 302),
    Row("GET", "/admin/people/invite", LOGIN, 403, 200, 200, 200),
    Row("POST", "/admin/people/invite", LOGIN, 403, 200, 200, 200),
    # Data rights: admins only
    Row("GET", "/admin/people/<int:person_id>/data/erase", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/people/<int:person_id>/data/erase", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/people/<int:person_id>/data/export.csv", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/people/<int:person_id>/data/export.json", LOGIN, 403, 403, 403, 200),
    # Authoring: admins only
    Row("GET", "/admin/courses/", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/courses/<folder>/", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/courses/<folder>/delete/<path:path>", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/courses/<folder>/draft", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/courses/<folder>/draft/approve", LOGIN, 403, 403, 403, 302),
    Row("POST", "/admin/courses/<folder>/draft/review", LOGIN, 403, 403, 403, 302),
    Row("POST", "/admin/courses/<folder>/draft/discard", LOGIN, 403, 403, 403, 302),
    Row("POST", "/admin/courses/<folder>/draft/preview", LOGIN, 403, 403, 403, 400),
    Row("POST", "/admin/courses/<folder>/draft/publish", LOGIN, 403, 403, 403, 400),
    Row("POST", "/admin/courses/<folder>/draft/schedule", LOGIN, 403, 403, 403, 400),
    Row(
        "POST",
        "/admin/courses/<folder>/draft/schedule/<int:schedule_id>/cancel",
        LOGIN,
        403,
        403,
        403,
        302,
    ),
    Row("GET", "/admin/courses/<folder>/history", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/courses/<folder>/history/files/<int:file_id>", LOGIN, 403, 403, 403, 404),
    Row(
        "GET",
        "/admin/courses/<folder>/history/files/<int:file_id>/remove",
        LOGIN,
        403,
        403,
        403,
        404,
    ),
    Row(
        "POST",
        "/admin/courses/<folder>/history/files/<int:file_id>/restore",
        LOGIN,
        403,
        403,
        403,
        404,
    ),
    Row("POST", "/admin/courses/<folder>/delete/<path:path>", LOGIN, 403, 403, 403, 400),
    Row("GET", "/admin/courses/<folder>/files/<path:path>", LOGIN, 403, 403, 403, 200),
    # A lesson opens in its form: posted empty, the form asks for a title.
    Row("POST", "/admin/courses/<folder>/files/<path:path>", LOGIN, 403, 403, 403, 400),
    Row("POST", "/admin/courses/<folder>/lesson-preview/<path:path>", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/courses/<folder>/media", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/courses/<folder>/media", LOGIN, 403, 403, 403, 400),
    Row("GET", "/admin/courses/<folder>/media-file/<path:name>", LOGIN, 403, 403, 403, 404),
    Row("GET", "/admin/courses/<folder>/modules/<module>/", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/courses/<folder>/modules/<module>/audiences", LOGIN, 403, 403, 403, 400),
    Row("GET", "/admin/courses/<folder>/modules/<module>/import-gift", LOGIN, 403, 403, 403, 302),
    Row("POST", "/admin/courses/<folder>/modules/<module>/import-gift", LOGIN, 403, 403, 403, 400),
    Row("GET", "/admin/courses/<folder>/modules/<module>/new-lesson", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/courses/<folder>/modules/<module>/new-lesson", LOGIN, 403, 403, 403, 400),
    Row(
        "POST",
        "/admin/courses/<folder>/modules/<module>/new-lesson/preview",
        LOGIN,
        403,
        403,
        403,
        200,
    ),
    Row("GET", "/admin/courses/<folder>/modules/<module>/new-quiz", LOGIN, 403, 403, 403, 302),
    Row("POST", "/admin/courses/<folder>/modules/<module>/new-quiz", LOGIN, 403, 403, 403, 302),
    Row("GET", "/admin/courses/<folder>/modules/<module>/quiz-builder", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/courses/<folder>/modules/<module>/quiz-builder", LOGIN, 403, 403, 403, 400),
    Row("GET", "/admin/courses/<folder>/new-module", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/courses/<folder>/new-module", LOGIN, 403, 403, 403, 400),
    Row("POST", "/admin/courses/<folder>/publish", LOGIN, 403, 403, 403, 302),
    Row("POST", "/admin/courses/<folder>/reorder", LOGIN, 403, 403, 403, 400),
    Row("GET", "/admin/courses/<folder>/rename/<path:path>", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/courses/<folder>/rename/<path:path>", LOGIN, 403, 403, 403, 400),
    Row("GET", "/admin/courses/<folder>/unpublish", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/courses/<folder>/unpublish", LOGIN, 403, 403, 403, 302),
    Row("POST", "/admin/courses/preview", LOGIN, 403, 403, 403, 400),
    Row("POST", "/admin/courses/preview/stop", LOGIN, 403, 403, 403, 302),
    # Admin only
    Row("GET", "/admin/", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/audit", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/audit.csv", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/organisations", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/organisations/<int:org_id>", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/organisations/<int:org_id>", LOGIN, 403, 403, 403, 200),
    Row(
        "POST",
        "/admin/organisations/<int:org_id>/join-code",
        LOGIN,
        403,
        403,
        403,
        302,
        {"action": "clear"},
    ),
    Row("POST", "/admin/organisations/<int:org_id>/retire", LOGIN, 403, 403, 403, 400),
    Row("POST", "/admin/organisations/<int:org_id>/lead-officers", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/organisations/import", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/organisations/import", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/organisations/import/confirm", LOGIN, 403, 403, 403, 400),
    Row("GET", "/admin/organisations/new", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/organisations/new", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/identity", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/identity", LOGIN, 403, 403, 403, 400),
    Row("GET", "/admin/outbox", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/outbox/<name>", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/outbox/send", LOGIN, 403, 403, 403, 302),
    # Reports: managers see their own organisation's, admins every organisation's
    Row("GET", "/reports/", LOGIN, 403, 302, 302, 302),
    Row("GET", "/reports/invitations/import", LOGIN, 403, 200, 200, 200),
    Row("POST", "/reports/invitations/import", LOGIN, 403, 200, 200, 200),
    Row("POST", "/reports/invitations/import/confirm", LOGIN, 403, 400, 400, 400),
    Row("GET", "/reports/invitations/import/template.csv", LOGIN, 403, 200, 200, 200),
    # Someone else's upload, or none: back to uploading, with a message
    Row(
        "GET",
        "/reports/invitations/import/<upload_id>/lines-to-fix.csv",
        LOGIN,
        403,
        302,
        302,
        302,
    ),
    Row("GET", "/admin/identity-providers", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/organisations/<int:org_id>/sign-in-links", LOGIN, 403, 403, 403, 400),
    Row("GET", "/admin/identity-providers/new", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/identity-providers/new", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/identity-providers/<int:provider_id>", LOGIN, 403, 403, 403, 404),
    Row("POST", "/admin/identity-providers/<int:provider_id>", LOGIN, 403, 403, 403, 404),
    Row("POST", "/admin/identity-providers/<int:provider_id>/test", LOGIN, 403, 403, 403, 404),
    Row("POST", "/admin/identity-providers/<int:provider_id>/remove", LOGIN, 403, 403, 403, 404),
    # Reminders: who is chosen travels in the query string (see tests/reports/test_chasing.py
    # for each choice); without a course the answer is 404 for everyone who may remind
    Row("GET", "/reminders/organisations/<int:org_id>", LOGIN, 403, 404, 404, 404),
    Row("POST", "/reminders/organisations/<int:org_id>", LOGIN, 403, 404, 404, 404),
    Row("POST", "/reminders/invitations/<int:invitation_id>/renew", LOGIN, 403, 302, 404, 302),
    Row(
        "POST",
        "/reminders/organisations/<int:org_id>/invitations/renew-expired",
        LOGIN,
        403,
        302,
        404,
        302,
    ),
    Row("GET", "/reports/network", LOGIN, 403, 403, 403, 200),
    Row("GET", "/reports/network.csv", LOGIN, 403, 403, 403, 200),
    # Council notes: the organisation's managers and admins (no slot in the fixture lesson)
    Row("GET", "/organisations/<int:org_id>/notes", LOGIN, 403, 200, 404, 200),
    NOTES_EDIT_GET,
    NOTES_EDIT_POST,
    Row("GET", "/reports/organisations/<int:org_id>", LOGIN, 403, 200, 404, 200),
    Row("GET", "/reports/organisations/<int:org_id>/export.csv", LOGIN, 403, 200, 404, 200),
    Row("GET", "/reports/organisations/<int:org_id>/modules.csv", LOGIN, 403, 200, 404, 200),
    Row("GET", "/reports/organisations/<int:org_id>/committee", LOGIN, 403, 200, 404, 200),
    Row("GET", "/reports/people/<int:person_id>", LOGIN, 403, 200, 404, 200),
    Row("GET", "/reports/people/<int:person_id>/record.csv", LOGIN, 403, 200, 404, 200),
    # Intakes and terms: the organisation's managers and admins (empty forms: shown again)
    Row("GET", "/intakes/organisations/<int:org_id>", LOGIN, 403, 200, 404, 200),
    Row("POST", "/intakes/organisations/<int:org_id>", LOGIN, 403, 200, 404, 200),
    Row("GET", "/intakes/organisations/<int:org_id>/move", LOGIN, 403, 200, 404, 200),
    Row("POST", "/intakes/organisations/<int:org_id>/move", LOGIN, 403, 200, 404, 200),
    Row("GET", "/intakes/<int:intake_id>/edit", LOGIN, 403, 200, 404, 200),
    Row("POST", "/intakes/<int:intake_id>/edit", LOGIN, 403, 200, 404, 200),
    Row("POST", "/intakes/<int:intake_id>/delete", LOGIN, 403, 302, 404, 302),
    Row("GET", "/intakes/people/<int:person_id>", LOGIN, 403, 200, 404, 200),
    Row("POST", "/intakes/people/<int:person_id>", LOGIN, 403, 200, 404, 200),
    Row("GET", "/reports/questions", LOGIN, 403, 403, 403, 200),
    Row("GET", "/reports/questions.csv", LOGIN, 403, 403, 403, 200),
]


@pytest.fixture
def app(app_factory, tree):
    # The authoring rows write course files: each test gets its own copy.
    return app_factory(COURSES_DIR=str(tree))


@pytest.fixture
def world(app, make_org, make_user, login_as):
    """Two organisations, a learner of the first with a quiz attempt and a certificate, an
    invitation into it, a message in the outbox; returns the clients and the rule values.
    """
    own, other = make_org("Own Council"), make_org("Other Council")
    person = make_user(organisation=own, name="Target Person")
    admin_user = make_user(role="admin")
    attempt_url = start_quiz(login_as(person), QUIZ)
    with app.app_context():
        admin = db.session.get(User, admin_user.id)
        invitation = send_invitation(
            admin,
            email="invited@example.org",
            name="",
            role="learner",
            audience="officer",
            organisation=db.session.merge(own),
        )
        intake = Intake(organisation_id=own.id, name="May 2026", starts_on=dt.date(2026, 5, 8))
        db.session.add(intake)
        basics = get_catalogue().course("basics")
        code = issue_certificate(db.session.get(User, person.id), basics, dt.datetime.now(dt.UTC))
        db.session.commit()
        invitation_id, code, intake_id = invitation.id, code.code, intake.id
        deliver_pending()
        outbox = outbox_files()[0].name
    clients = {
        "anonymous": lambda: app.test_client(),
        "learner": lambda: login_as(role="learner", organisation=own),
        "manager_own": lambda: login_as(role="manager", organisation=own),
        "manager_other": lambda: login_as(role="manager", organisation=other),
        "admin": lambda: login_as(admin_user),
    }
    values = {
        "person_id": person.id,
        "org_id": own.id,
        "intake_id": intake_id,
        "invitation_id": invitation_id,
        "name": outbox,
        "token": "not-a-real-token",
        "provider_id": 999999,
        "code": code,
        "course_id": "basics",
        "module_id": "first-steps",
        "lesson_id": "rules",
        "attempt_id": int(attempt_url.rsplit("/", 1)[1]),
        "filename": "diagram.svg",
        "folder": "01-basics",
        "module": "01-first-steps",
        "path": "01-first-steps/01-welcome.md",
        "prompt_id": "no-such-prompt",
        "slot_id": "no-such-slot",
        "file_id": 1,
        "schedule_id": 1,
        "upload_id": "no-such-upload-0123456789",
    }
    return clients, values


def _row_id(row: Row) -> str:
    return f"{row.method} {row.rule}"


# A GET changes nothing, so every role asks the same world in turn; a POST may (deactivate
# the person, delete the intake), so each role gets a world of its own.
PAGES = [row for row in ENDPOINTS if row.method == "GET"]
ACTIONS = [row for row in ENDPOINTS if row.method != "GET"]


def wrong_answer(clients, values, row: Row, role: str) -> str | None:
    """Ask `row` as `role`; return what was wrong with the answer, or None when it was right."""
    client = clients[role]()
    url = "/static/favicon.svg" if row.rule.startswith("/static/") else row.url(values)
    with client.open(url, method=row.method, data=row.data) as response:
        response.close()  # files are streamed: close them
    expected = row.expected(role)
    location = response.headers.get("Location")
    if expected == LOGIN:
        if response.status_code in (302, 303) and (location or "").startswith("/login?next="):
            return None
        expected = "a redirect to /login?next=..."
    elif response.status_code == expected:
        return None
    return f"{role}: expected {expected}, got {response.status_code} (Location: {location})"


@pytest.mark.parametrize("row", PAGES, ids=_row_id)
def test_page_access(world, row):
    clients, values = world
    wrong = [wrong_answer(clients, values, row, role) for role in ROLES]
    assert list(filter(None, wrong)) == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACTIONS, ids=_row_id)
def test_action_access(world, row, role):
    clients, values = world
    assert wrong_answer(clients, values, row, role) is None


def unmatched(app) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return (routes without a row, rows without a route), each as (method, rule)."""
    routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    rows = {(row.method, row.rule) for row in ENDPOINTS}
    return sorted(routes - rows), sorted(rows - routes)


def test_every_route_is_in_the_matrix(app):
    rows = [(row.method, row.rule) for row in ENDPOINTS]
    assert len(rows) == len(set(rows)), "a route is listed twice"
    assert unmatched(app) == ([], [])


def test_a_new_route_without_a_row_is_found(app):
    # Even under a prefix that has rows: /admin/people/<id> does not cover a new page below it.
    app.add_url_rule("/admin/people/<int:person_id>/notes", "notes", lambda person_id: "")
    assert unmatched(app) == ([("GET", "/admin/people/<int:person_id>/notes")], [])


def page_titles(client, values, role) -> list[tuple[str, str]]:
    """Return (rule, title) for every HTML page `role` can reach, error pages included."""
    titles = []
    for row in ENDPOINTS:
        if row.method != "GET" or row.rule.startswith("/static/") or row.expected(role) == LOGIN:
            continue
        with client.get(row.url(values)) as response:
            page = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        if not page or response.status_code in (301, 302, 303):
            continue
        head = page.split("</head>", 1)[0]
        found = re.findall(r"<title>(.*?)</title>", head, re.S)
        assert len(found) == 1, row.rule
        titles.append((row.rule, found[0]))
    return titles


@pytest.mark.parametrize("role", ROLES)
def test_every_page_title_names_the_network(world, role):
    """Every HTML page a role can reach, error pages included, ends its title with the site's
    name, which carries the network's short name ("My learning – CCIN induction")."""
    clients, values = world
    titles = page_titles(clients[role](), values, role)
    for rule, title in titles:
        assert title.endswith(" – CCIN induction"), (rule, title)
    assert len(titles) >= 10


@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_every_page_title_names_the_network_an_admin_saved(world, role):
    """Once an admin saves another identity on its page, every title carries its name."""
    clients, values = world
    saved = clients["admin"]().post(
        "/admin/identity",
        data={
            "name": "Northern Parish Forum",
            "short_name": "NPF",
            "site_name": "NPF induction",
            "brand_colour": "#005a30",
            "sender_name": "NPF induction",
            "sender_address": "learn@npf.example.org",
            "report_course_id": "basics",
        },
    )
    assert saved.status_code == 302
    titles = page_titles(clients[role](), values, role)
    for rule, title in titles:
        assert title.endswith(" – NPF induction"), (rule, title)
    assert len(titles) >= 10
