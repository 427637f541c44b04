"""Every report download is written to the audit log: who, which report, which filters."""

from __future__ import annotations

from sqlalchemy import select

from induction.accounts.audit import AuditEvent
from induction.extensions import db


def _exports(app) -> list[AuditEvent]:
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "report.exported").order_by(AuditEvent.id)
        ).all()
        for event in events:
            db.session.expunge(event)
        return list(events)


def test_a_manager_downloading_their_dashboard_is_recorded(app, make_org, make_user, login_as):
    organisation = make_org()
    manager = make_user(role="manager", organisation=organisation)
    learner = make_user(organisation=organisation)
    client = login_as(manager)

    response = client.get(f"/reports/organisations/{organisation.id}/export.csv?status=complete")
    assert response.status_code == 200
    response = client.get(f"/reports/people/{learner.id}/record.csv")
    assert response.status_code == 200

    dashboard, record = _exports(app)
    assert (dashboard.actor_id, dashboard.organisation_id) == (manager.id, organisation.id)
    assert dashboard.details == {
        "report": "reports.organisation_csv",
        "filters": {"status": "complete"},
    }
    assert (record.actor_id, record.target_type, record.target_id) == (
        manager.id,
        "user_account",
        str(learner.id),
    )
    assert record.details["report"] == "reports.person_csv"


def test_a_refused_download_is_not_recorded(app, make_org, make_user, login_as):
    other = make_org()
    client = login_as(make_user(role="manager"))
    assert client.get(f"/reports/organisations/{other.id}/export.csv").status_code == 404
    assert _exports(app) == []


def test_an_admin_downloading_the_network_overview_is_recorded(app, login_as):
    client = login_as(role="admin")
    assert client.get("/reports/network.csv").status_code == 200
    (event,) = _exports(app)
    assert event.details["report"] == "reports.network_csv"
    assert event.actor_id == client.user.id
