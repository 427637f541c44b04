"""Managing people and organisations, and browsing the audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from induction.accounts import audit
from induction.accounts.audit import AuditEvent
from induction.accounts.models import Organisation, User
from induction.extensions import db


def _user(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def test_manager_sees_only_their_own_organisations_people(login_as, make_org, make_user):
    own, other = make_org("Own Council"), make_org("Other Council")
    make_user(organisation=own, name="Olive Own")
    make_user(organisation=other, name="Otto Other")
    page = login_as(role="manager", organisation=own).get("/admin/people").get_data(as_text=True)
    assert "Olive Own" in page
    assert "Otto Other" not in page
    page = login_as(role="admin").get("/admin/people").get_data(as_text=True)
    assert "Olive Own" in page
    assert "Otto Other" in page


def test_manager_of_another_council_gets_404_for_its_people(login_as, make_org, make_user):
    own, other = make_org(), make_org()
    person = make_user(organisation=other)
    manager = login_as(role="manager", organisation=own)
    assert manager.get(f"/admin/people/{person.id}").status_code == 404
    assert manager.get(f"/admin/people/{person.id}/edit").status_code == 404
    assert manager.post(f"/admin/people/{person.id}/deactivate").status_code == 404
    assert manager.get("/admin/people/999999").status_code == 404  # the same as a missing id


def test_admin_search_and_organisation_filter(login_as, make_org, make_user):
    a, b = make_org("Alpha Council"), make_org("Beta Council")
    make_user(organisation=a, name="Ann Archer", email="ann@alpha.example")
    make_user(organisation=b, name="Bob Baker")
    admin = login_as(role="admin")
    page = admin.get("/admin/people", query_string={"q": "ARCH"}).get_data(as_text=True)
    assert "Ann Archer" in page
    assert "Bob Baker" not in page
    page = admin.get("/admin/people", query_string={"organisation": b.id}).get_data(as_text=True)
    assert "Bob Baker" in page
    assert "Ann Archer" not in page


def test_people_list_is_paginated_with_a_bounded_number_of_queries(
    app, login_as, make_org, count_queries
):
    org = make_org()
    with app.app_context():
        db.session.add_all(
            User(email=f"p{n}@example.org", name=f"P {n:03}", organisation_id=org.id)
            for n in range(60)
        )
        db.session.commit()
    admin = login_as(role="admin")
    with count_queries() as counter:
        page = admin.get("/admin/people").get_data(as_text=True)
    assert "Page 1 of 2" in page
    assert "P 049" in page
    assert "P 050" not in page
    assert counter.count <= 12
    assert "P 050" in admin.get("/admin/people", query_string={"page": 2}).get_data(as_text=True)


def test_admin_changes_a_role_and_it_is_audited(app, login_as, make_user, audit_actions):
    person = make_user()
    admin = login_as(role="admin")
    response = admin.post(
        f"/admin/people/{person.id}/edit",
        data={
            "name": person.name,
            "audience": "councillor",
            "start_date": "2027-05-06",
            "role": "manager",
            "organisation": person.organisation_id,
        },
    )
    assert response.status_code == 302
    changed = _user(app, person.id)
    assert (changed.role, changed.audience, changed.start_date) == (
        "manager",
        "councillor",
        dt.date(2027, 5, 6),
    )
    assert {"user.role_changed", "user.updated"} <= set(audit_actions())
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "user.role_changed")
        )
        assert event.details == {"from": "learner", "to": "manager"}
        assert event.actor_id == admin.user.id
        assert event.target_id == str(person.id)


def test_edit_form_explains_bad_input_and_keeps_it(login_as, make_user):
    person = make_user()
    admin = login_as(role="admin")
    page = admin.post(
        f"/admin/people/{person.id}/edit",
        data={
            "name": "Kept Name",
            "audience": "officer",
            "start_date": "31/02/2027",
            "role": "learner",
            "organisation": 0,
        },
    ).get_data(as_text=True)
    assert "Enter a real date" in page
    assert 'value="Kept Name"' in page
    page = admin.post(
        f"/admin/people/{person.id}/edit",
        data={
            "name": "Kept Name",
            "audience": "officer",
            "start_date": "2027-02-01",
            "role": "learner",
            "organisation": 0,
        },
    ).get_data(as_text=True)
    assert "Learners and managers need an organisation" in page


def test_manager_edits_start_date_but_cannot_change_roles(app, login_as, make_org, make_user):
    org = make_org()
    person = make_user(organisation=org)
    manager = login_as(role="manager", organisation=org)
    page = manager.get(f"/admin/people/{person.id}/edit").get_data(as_text=True)
    assert 'name="role"' not in page
    assert 'name="organisation"' not in page
    manager.post(
        f"/admin/people/{person.id}/edit",
        data={
            "name": person.name,
            "audience": "officer",
            "start_date": "2027-05-06",
            "role": "admin",
        },
    )
    changed = _user(app, person.id)
    assert changed.start_date == dt.date(2027, 5, 6)
    assert changed.role == "learner"


def test_manager_cannot_edit_an_admin_of_their_organisation(login_as, make_org, make_user):
    org = make_org()
    admin = make_user(role="admin", organisation=org)
    manager = login_as(role="manager", organisation=org)
    assert manager.get(f"/admin/people/{admin.id}").status_code == 200
    assert manager.get(f"/admin/people/{admin.id}/edit").status_code == 403
    assert manager.post(f"/admin/people/{admin.id}/deactivate").status_code == 403


def test_deactivation_ends_the_persons_sessions_and_reactivation_lets_them_back(
    app, login_as, make_org, audit_actions
):
    org = make_org()
    learner = login_as(organisation=org)
    manager = login_as(role="manager", organisation=org)
    assert manager.post(f"/admin/people/{learner.user.id}/deactivate").status_code == 302
    assert learner.get("/account").status_code == 302
    assert not _user(app, learner.user.id).is_active
    manager.post(f"/admin/people/{learner.user.id}/reactivate")
    assert _user(app, learner.user.id).is_active
    assert {"user.deactivated", "user.reactivated"} <= set(audit_actions())


def test_deactivating_is_asked_first_and_says_it_can_be_undone(app, login_as, make_org):
    org = make_org()
    learner = login_as(organisation=org, name="Lee Learner")
    manager = login_as(role="manager", organisation=org)
    person_page = manager.get(f"/admin/people/{learner.user.id}").get_data(as_text=True)
    assert f'href="/admin/people/{learner.user.id}/deactivate"' in person_page
    ask = manager.get(f"/admin/people/{learner.user.id}/deactivate").get_data(as_text=True)
    assert "Deactivate Lee Learner?" in ask and "You can undo it" in ask
    assert _user(app, learner.user.id).is_active  # asking changes nothing
    assert manager.get(
        f"/admin/people/{login_as(role='admin').user.id}/deactivate"
    ).status_code in (
        403,
        404,
    )
    manager.post(f"/admin/people/{learner.user.id}/deactivate")
    # Asked again once deactivated: back to their page, where Reactivate is.
    again = manager.get(f"/admin/people/{learner.user.id}/deactivate")
    assert again.status_code == 302 and again.location.endswith(f"/admin/people/{learner.user.id}")


def test_a_persons_page_links_their_learning_and_tells_their_activity_in_words(
    app, login_as, make_org
):
    org = make_org()
    learner = login_as(organisation=org, name="Lee Learner")
    manager = login_as(role="manager", organisation=org, name="Mo Manager")
    manager.post(f"/admin/people/{learner.user.id}/deactivate")
    manager.post(f"/admin/people/{learner.user.id}/reactivate")
    html = manager.get(f"/admin/people/{learner.user.id}").get_data(as_text=True)
    assert f'href="/reports/people/{learner.user.id}"' in html
    assert "See Lee Learner’s learning" in html
    assert "Mo Manager deactivated Lee Learner" in html
    assert "<code>user.deactivated</code>" not in html
    assert "Learner</dd>" in html  # the role in words


def test_the_last_admin_cannot_be_deactivated_or_demoted(app, login_as, make_user):
    admin = login_as(role="admin")
    other = make_user(role="admin")
    admin.post(f"/admin/people/{other.id}/deactivate")
    assert not _user(app, other.id).is_active
    with app.app_context():
        db.session.execute(update(User).where(User.id == other.id).values(is_active=True))
        db.session.commit()
    response = admin.post(f"/admin/people/{admin.user.id}/deactivate")
    assert response.status_code == 302
    assert _user(app, admin.user.id).is_active


def test_admin_adds_and_renames_organisations(app, login_as, make_org):
    admin = login_as(role="admin")
    make_org("Existing Council")
    page = admin.post(
        "/admin/organisations/new", data={"name": "existing COUNCIL", "category": "full_member"}
    ).get_data(as_text=True)
    assert "already exists" in page
    assert 'value="existing COUNCIL"' in page
    response = admin.post(
        "/admin/organisations/new",
        data={
            "name": "Parish of Example",
            "category": "associate",
            "subtype": "town_parish_community",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        org = db.session.scalar(
            select(Organisation).where(Organisation.name == "Parish of Example")
        )
        assert (org.category, org.subtype) == ("associate", "town_parish_community")
    page = admin.post(
        f"/admin/organisations/{org.id}",
        data={"name": "Parish", "category": "affiliate", "subtype": "opposition_group"},
    ).get_data(as_text=True)
    assert "Only associate members have a type" in page
    assert "Full member" in admin.get("/admin/organisations").get_data(as_text=True)


def test_admin_turns_a_join_code_on_and_off(app, login_as, make_org):
    admin = login_as(role="admin")
    org = make_org()
    admin.post(f"/admin/organisations/{org.id}/join-code", data={"action": "generate"})
    with app.app_context():
        code = db.session.get(Organisation, org.id).join_code
    assert code
    assert len(code) == 12
    page = admin.get(f"/admin/organisations/{org.id}").get_data(as_text=True)
    assert "-".join(code[i : i + 4] for i in range(0, 12, 4)) in page
    page = admin.post(
        f"/admin/organisations/{org.id}/join-code", data={"action": "set", "code-join_code": "no"}
    ).get_data(as_text=True)
    assert "8 or more letters and digits" in page
    admin.post(f"/admin/organisations/{org.id}/join-code", data={"action": "clear"})
    with app.app_context():
        assert db.session.get(Organisation, org.id).join_code is None


def test_audit_record_service_fills_target_organisation_and_ip(app, make_user):
    person = make_user()
    with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.7"}):
        stored = db.session.get(User, person.id)
        event = audit.record("progress.exported", actor=stored, target=stored, details={"rows": 3})
        db.session.commit()
        assert (event.target_type, event.target_id) == ("user_account", str(person.id))
        assert event.organisation_id == person.organisation_id
        assert event.ip == "192.0.2.7"
        other = audit.record("quiz.published", target=("quiz", "ccin/module-1"))
        db.session.commit()
        assert (other.target_type, other.target_id, other.actor_id) == (
            "quiz",
            "ccin/module-1",
            None,
        )
