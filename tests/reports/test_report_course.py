"""The course the reports open on: the site's choice (Admin > The network's identity), then
each person's last look; the first course when the choice is not one they may report on."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from induction.accounts.audit import AuditEvent
from induction.admin.identity_service import FIELDS
from induction.extensions import db
from induction.identity import current as identity_current
from induction.identity.models import ROW_ID, SiteIdentity
from tests.conftest import SHIPPED_COURSES
from tests.factories import sign_in
from tests.identity.test_identity_page import NPF
from tests.quizzes.pages import page

IDENTITY = "/admin/identity"


def opened_on(client, url: str) -> str:
    html = page(client.get(url))
    return html.split('<span class="heading-sub">', 1)[1].split("</span>", 1)[0]


def choose(app, course_id: str | None) -> None:
    """Save the site's choice over the configured identity, and drop the cached one."""
    with app.app_context():
        defaults = identity_current.configured(app.config)
        values = {name: getattr(defaults, name) for name in FIELDS}
        row = SiteIdentity(id=ROW_ID, version=1, **{**values, "footer_links": []})
        row.report_course_id = course_id
        db.session.merge(row)
        db.session.commit()
        identity_current.forget()


def test_reports_open_on_the_sites_choice_until_a_person_picks_another(world, login_as, app):
    url = f"/reports/organisations/{world.own.id}"
    choose(app, "drafty")  # a draft: admins may report on it, lead officers may not
    admin = login_as(world.admin)
    assert opened_on(admin, url) == "Drafty"
    assert opened_on(admin, "/reports/network") == "Drafty"
    # A lead officer cannot report on a draft course: theirs open on the first.
    assert opened_on(login_as(world.manager), url) == "Basics"
    # Each person's own last look wins over the site's choice.
    admin.get(url + "?course=basics")
    assert opened_on(admin, url) == "Basics"


def test_a_choice_of_a_course_no_longer_listed_opens_the_first(world, login_as, app):
    choose(app, "a-course-since-removed")
    assert opened_on(login_as(world.admin), f"/reports/organisations/{world.own.id}") == "Basics"


class TestWithTheShippedCourses:
    """Getting started is listed first; the CCIN's configuration opens the reports on the
    induction itself."""

    @pytest.fixture
    def app(self, app_factory):
        return app_factory(COURSES_DIR=str(SHIPPED_COURSES))

    def test_the_configured_course_is_the_default_when_none_is_saved(self, app_factory, login_as):
        admin = login_as(role="admin")
        assert opened_on(admin, "/reports/network") == "CCIN induction"
        # Configured with none: the first in the catalogue.
        other = app_factory(COURSES_DIR=str(SHIPPED_COURSES), REPORT_COURSE=None)
        client = other.test_client()
        sign_in(client, admin.user)
        assert opened_on(client, "/reports/network") == "Getting started with induction"

    def test_an_admin_chooses_the_course_on_the_identity_page(self, app, login_as):
        admin = login_as(role="admin")
        form = page(admin.get(IDENTITY))
        assert '<option selected value="ccin-induction">CCIN induction</option>' in form
        assert '<option value="getting-started">Getting started with induction</option>' in form
        saved = admin.post(IDENTITY, data={**NPF, "report_course_id": "getting-started"})
        assert saved.status_code == 302
        assert opened_on(admin, "/reports/network") == "Getting started with induction"
        with app.app_context():
            row = db.session.scalar(select(SiteIdentity))
            assert row is not None and row.report_course_id == "getting-started"
            entry = db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "identity.changed")
            ).one()
            assert "report_course_id" in entry.details["changed"]
        # The page shows the choice saved.
        form = page(admin.get(IDENTITY))
        assert '<option selected value="getting-started">' in form

    def test_a_course_not_listed_is_refused_and_nothing_is_saved(self, app, login_as):
        admin = login_as(role="admin")
        refused = admin.post(IDENTITY, data={**NPF, "report_course_id": "no-such-course"})
        assert refused.status_code == 400
        assert "Choose one of the courses listed" in page(refused)
        with app.app_context():
            assert db.session.scalar(select(SiteIdentity)) is None
