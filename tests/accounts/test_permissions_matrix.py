"""Every endpoint x every role: who gets the page, who is sent to sign in, who gets 403 or 404.

Roles: anonymous, a learner, a manager of the organisation the records belong to
("manager_own"), a manager of another organisation ("manager_other"), and an admin.
Records out of someone's scope answer 404 so their ids are not confirmed.

To cover a new endpoint, add a row to ENDPOINTS. Paths may use these placeholders:
{person} a learner of the "own" organisation, {org} that organisation, {invitation} a
pending invitation into it, {outbox} a message in the outbox folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from induction.accounts.joining import send_invitation
from induction.accounts.models import User
from induction.extensions import db
from induction.mail import deliver_pending, outbox_files

ROLES = ("anonymous", "learner", "manager_own", "manager_other", "admin")
LOGIN = "login"  # expected: a redirect to the sign-in page


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    anonymous: int | str
    learner: int | str
    manager_own: int | str
    manager_other: int | str
    admin: int | str
    data: dict[str, Any] = field(default_factory=dict)

    def expected(self, role: str) -> int | str:
        return getattr(self, role)


ENDPOINTS = [
    # Public pages
    Row("GET", "/login", 200, 302, 302, 302, 302),
    Row("GET", "/register", 200, 200, 200, 200, 200),
    Row("GET", "/reset", 200, 200, 200, 200, 200),
    Row("POST", "/logout", 302, 302, 302, 302, 302),
    # Your own account
    Row("GET", "/account", LOGIN, 200, 200, 200, 200),
    Row("GET", "/account/password", LOGIN, 200, 200, 200, 200),
    Row("GET", "/account/email", LOGIN, 200, 200, 200, 200),
    Row("GET", "/account/two-factor", LOGIN, 200, 200, 200, 200),
    Row("POST", "/account", LOGIN, 302, 302, 302, 302, {"name": "Renamed"}),
    Row("POST", "/account/password", LOGIN, 200, 200, 200, 200),  # empty form: errors
    Row("POST", "/account/email", LOGIN, 200, 200, 200, 200),
    Row("POST", "/account/two-factor", LOGIN, 200, 200, 200, 200),
    Row("POST", "/account/two-factor/recovery-codes", LOGIN, 302, 302, 302, 302),
    Row("POST", "/account/two-factor/disable", LOGIN, 302, 302, 302, 302),
    # People: managers see their own organisation's, admins everyone's
    Row("GET", "/admin/people", LOGIN, 403, 200, 200, 200),
    Row("GET", "/admin/people/invite", LOGIN, 403, 200, 200, 200),
    Row("POST", "/admin/people/invite", LOGIN, 403, 200, 200, 200),  # empty form: errors
    Row("GET", "/admin/people/{person}", LOGIN, 403, 200, 404, 200),
    Row("GET", "/admin/people/{person}/edit", LOGIN, 403, 200, 404, 200),
    Row("POST", "/admin/people/{person}/edit", LOGIN, 403, 200, 404, 200),
    Row("POST", "/admin/people/{person}/deactivate", LOGIN, 403, 302, 404, 302),
    Row("POST", "/admin/people/{person}/reactivate", LOGIN, 403, 302, 404, 302),
    Row("POST", "/admin/invitations/{invitation}/revoke", LOGIN, 403, 302, 404, 302),
    Row("POST", "/admin/people/{person}/reset-two-factor", LOGIN, 403, 403, 403, 302),
    # Data rights: admins only; for anyone else the pages do not exist
    Row("POST", "/admin/people/{person}/data/export.json", LOGIN, 404, 404, 404, 200),
    Row("POST", "/admin/people/{person}/data/export.csv", LOGIN, 404, 404, 404, 200),
    Row("GET", "/admin/people/{person}/data/erase", LOGIN, 404, 404, 404, 200),
    Row("POST", "/admin/people/{person}/data/erase", LOGIN, 404, 404, 404, 200),  # empty: errors
    # Admin only
    Row("GET", "/admin/", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/organisations", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/organisations/new", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/organisations/new", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/organisations/{org}", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/organisations/{org}", LOGIN, 403, 403, 403, 200),
    Row(
        "POST",
        "/admin/organisations/{org}/join-code",
        LOGIN,
        403,
        403,
        403,
        302,
        {"action": "clear"},
    ),
    Row("GET", "/admin/audit", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/outbox", LOGIN, 403, 403, 403, 200),
    Row("GET", "/admin/outbox/{outbox}", LOGIN, 403, 403, 403, 200),
    Row("POST", "/admin/outbox/send", LOGIN, 403, 403, 403, 302),
    # Reports: managers see their own organisation's, admins every organisation's
    Row("GET", "/reports/", LOGIN, 403, 302, 302, 302),
    Row("GET", "/reports/organisations/{org}", LOGIN, 403, 200, 404, 200),
    Row("GET", "/reports/organisations/{org}/export.csv", LOGIN, 403, 200, 404, 200),
    Row("GET", "/reports/organisations/{org}/modules.csv", LOGIN, 403, 200, 404, 200),
    Row("GET", "/reports/people/{person}", LOGIN, 403, 200, 404, 200),
    Row("GET", "/reports/people/{person}/record.csv", LOGIN, 403, 200, 404, 200),
    Row("GET", "/reports/network", LOGIN, 403, 403, 403, 200),
    Row("GET", "/reports/network.csv", LOGIN, 403, 403, 403, 200),
    Row("GET", "/reports/questions", LOGIN, 403, 403, 403, 200),
    Row("GET", "/reports/questions.csv", LOGIN, 403, 403, 403, 200),
    Row("GET", "/reports/invitations/import", LOGIN, 403, 200, 200, 200),
    Row("POST", "/reports/invitations/import", LOGIN, 403, 200, 200, 200),  # empty form: errors
    Row("POST", "/reports/invitations/import/confirm", LOGIN, 403, 400, 400, 400),
]


@pytest.fixture
def world(app, make_org, make_user, login_as):
    """Two organisations, a learner of the first, an invitation into it, a message in the outbox."""
    own, other = make_org("Own Council"), make_org("Other Council")
    person = make_user(organisation=own, name="Target Person")
    admin_user = make_user(role="admin")
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
        db.session.commit()
        invitation_id = invitation.id
        deliver_pending()
        outbox = outbox_files()[0].name
    clients = {
        "anonymous": lambda: app.test_client(),
        "learner": lambda: login_as(role="learner", organisation=own),
        "manager_own": lambda: login_as(role="manager", organisation=own),
        "manager_other": lambda: login_as(role="manager", organisation=other),
        "admin": lambda: login_as(admin_user),
    }
    places = {"person": person.id, "org": own.id, "invitation": invitation_id, "outbox": outbox}
    return clients, places


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ENDPOINTS, ids=lambda r: f"{r.method} {r.path}")
def test_access(world, row, role):
    clients, places = world
    client = clients[role]()
    response = client.open(row.path.format(**places), method=row.method, data=row.data)
    expected = row.expected(role)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    else:
        assert response.status_code == expected, response.headers.get("Location")


def test_every_account_and_admin_route_is_in_the_matrix(app):
    covered = {(row.method, row.path.split("{")[0].rstrip("/")) for row in ENDPOINTS}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in ("admin", "profile"):
            continue
        prefix = rule.rule.split("<")[0].rstrip("/")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert any(m == method and p.startswith(prefix) for m, p in covered), (
                method,
                rule.rule,
            )
