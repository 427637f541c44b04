"""Input at the edges: dates out of range, numbers too large, control characters.

Each answers with a message saying what to fix or a 404, never a 500 (SQLite) or a
503 (PostgreSQL), and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import func, select, update

from induction.accounts.models import Invitation, Organisation, User
from induction.extensions import db
from induction.inputs import MAX_ID, add_days, control_character_problem, date_problem
from induction.mail import QueuedEmail
from tests.factories import TEST_PASSWORD

FAR = "9999-12-31"
HUGE = "99999999999999999999"
RANGE = "1 January 2000 and 31 December 2100"
NUL_MESSAGE = "invisible character (code 0)"


def text(response) -> str:
    return response.get_data(as_text=True)


def count(app, model) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)))


# --- the rules themselves ------------------------------------------------------------------


def test_the_date_range_and_arithmetic_that_cannot_overflow():
    assert date_problem(dt.date(2000, 1, 1)) is None
    assert date_problem(dt.date(2100, 12, 31)) is None
    assert RANGE in date_problem(dt.date(9999, 12, 31))
    assert RANGE in date_problem(dt.date(1999, 12, 31))
    assert add_days(dt.date(9999, 12, 31), 30) == dt.date.max
    assert add_days(dt.date(1, 1, 2), -30) == dt.date.min
    assert add_days(dt.date(2027, 1, 30), 2) == dt.date(2027, 2, 1)


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x85", "\n", "\t"])
def test_control_characters_are_refused_in_single_line_text(char):
    assert control_character_problem(f"Ann{char}Archer") is not None


def test_multi_line_text_may_hold_tabs_and_line_breaks_but_not_nul():
    assert control_character_problem("one\n\ttwo\r\n", multiline=True) is None
    assert "character 4" in control_character_problem("one\x00", multiline=True)
    assert control_character_problem("Siân Jones – 日本") is None


# --- dates ---------------------------------------------------------------------------------


def edit_person(admin, person, **fields):
    data = {
        "name": person.name,
        "audience": "officer",
        "start_date": "2027-05-06",
        "role": "learner",
        "organisation": person.organisation_id,
        **fields,
    }
    return admin.post(f"/admin/people/{person.id}/edit", data=data)


def test_a_far_future_start_date_is_refused_with_the_range(app, login_as, make_user):
    person = make_user(start_date=dt.date(2027, 1, 4))
    response = edit_person(login_as(role="admin"), person, start_date=FAR)
    assert response.status_code == 200
    assert f"Enter a date between {RANGE}" in text(response)
    with app.app_context():
        assert db.session.get(User, person.id).start_date == dt.date(2027, 1, 4)


def test_a_far_future_date_already_stored_breaks_no_page(app, login_as, make_org, make_user):
    org = make_org("Own Council")
    learner = make_user(organisation=org, start_date=dt.date(2027, 1, 4))
    with app.app_context():
        db.session.execute(
            update(User).where(User.id == learner.id).values(start_date=dt.date(9999, 12, 31))
        )
        db.session.commit()
    own = login_as(learner)
    assert own.get("/").status_code == 200
    assert own.get("/courses/basics/").status_code == 200
    manager = login_as(role="manager", organisation=org)
    for path in (
        f"/reports/organisations/{org.id}",
        f"/reports/organisations/{org.id}/export.csv",
        f"/reports/organisations/{org.id}/modules.csv",
        f"/reports/people/{learner.id}",
        f"/reports/people/{learner.id}/record.csv",
    ):
        assert manager.get(path).status_code == 200, path


def test_the_audit_log_refuses_dates_out_of_range(login_as):
    response = login_as(role="admin").get("/admin/audit", query_string={"date_to": FAR})
    assert response.status_code == 200
    assert RANGE in text(response)


def test_the_csv_import_refuses_dates_out_of_range(app, login_as, make_org):
    org = make_org("Own Council")
    client = login_as(role="manager", organisation=org)
    data = "email,name,audience,start_date\nfar@example.org,Far Away,officer,31/12/9999\n"
    response = client.post(
        "/reports/invitations/import",
        data={"file": (io.BytesIO(data.encode()), "people.csv"), "organisation": str(org.id)},
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 400)
    assert f"Start date &#39;31/12/9999&#39;: Enter a date between {RANGE}" in text(response)


def test_the_reminders_command_refuses_a_date_out_of_range(app):
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--today", FAR])
    assert result.exit_code == 2
    assert RANGE in result.output


# --- ids and page numbers ------------------------------------------------------------------


@pytest.mark.parametrize("number", [str(MAX_ID + 1), HUGE])
def test_ids_too_large_for_the_database_are_not_found(login_as, make_org, number):
    org = make_org("Own Council")
    admin = login_as(role="admin")
    for path in (
        f"/admin/people/{number}",
        f"/admin/people/{number}/edit",
        f"/admin/organisations/{number}",
        f"/reports/organisations/{number}",
        f"/reports/people/{number}/record.csv",
        f"/courses/basics/modules/first-steps/quiz/attempts/{number}",
    ):
        assert admin.get(path).status_code == 404, path
    assert admin.post(f"/admin/people/{number}/deactivate").status_code == 404
    assert admin.get(f"/reports/organisations/{org.id}").status_code == 200


@pytest.mark.parametrize("page", [HUGE, "0", "-1", "abc", "2", "1e3", "١"])
def test_page_numbers_out_of_range_are_not_found(login_as, make_org, page):
    org = make_org("Own Council")
    admin = login_as(role="admin")
    for path in ("/admin/people", "/admin/audit", f"/reports/organisations/{org.id}"):
        assert admin.get(path, query_string={"page": page}).status_code == 404, path
        assert admin.get(path, query_string={"page": "1"}).status_code == 200, path


def test_the_people_list_pages_with_flask_sqlalchemy(app, login_as, make_org, make_user):
    org = make_org("Own Council")
    for n in range(55):
        make_user(organisation=org, name=f"Person {n:02d}")
    admin = login_as(role="admin")
    first = text(admin.get("/admin/people"))
    assert "Page 1 of 2" in first and "page=2" in first
    second = text(admin.get("/admin/people?page=2"))
    assert "Page 2 of 2" in second and "page=1" in second
    assert admin.get("/admin/people?page=3").status_code == 404


def test_an_organisation_filter_too_large_is_ignored(login_as, make_user):
    make_user(name="Still Listed")
    response = login_as(role="admin").get("/admin/people", query_string={"organisation": HUGE})
    assert response.status_code == 200
    assert "Still Listed" in text(response)


# --- control characters --------------------------------------------------------------------


def test_nul_in_an_invitation_is_refused_and_nothing_is_sent(app, login_as, make_org):
    org = make_org("Own Council")
    client = login_as(role="manager", organisation=org)
    before = count(app, QueuedEmail)
    response = client.post(
        "/admin/people/invite",
        data={
            "email": "new@example.org",
            "name": "New\x00Person",
            "role": "learner",
            "audience": "officer",
            "organisation": org.id,
        },
    )
    assert response.status_code in (200, 400)
    assert NUL_MESSAGE in text(response)
    assert count(app, Invitation) == 0
    assert count(app, QueuedEmail) == before


def test_nul_in_a_name_is_refused_and_the_old_name_kept(app, login_as, make_user):
    person = make_user(name="Kept Name")
    response = edit_person(login_as(role="admin"), person, name="Bad\x00Name")
    assert NUL_MESSAGE in text(response)
    with app.app_context():
        assert db.session.get(User, person.id).name == "Kept Name"


@pytest.mark.parametrize("query", ["\x00", "ann\x00", "\x1b[2J"])
def test_control_characters_in_the_people_search_are_explained(login_as, make_user, query):
    make_user(name="Ann Archer")
    response = login_as(role="admin").get("/admin/people", query_string={"q": query})
    assert response.status_code == 200
    assert "invisible character" in text(response)


def test_control_characters_in_the_dashboard_search_are_explained(login_as, make_org):
    org = make_org("Own Council")
    manager = login_as(role="manager", organisation=org)
    response = manager.get(f"/reports/organisations/{org.id}", query_string={"q": "a\x00"})
    assert response.status_code == 200
    assert "invisible character" in text(response)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/reset", {"email": "known\x00@example.org"}),
        ("/register", {"join_code": "OWNCODE2027", "email": "x\x00@example.org"}),
        ("/login", {"email": "a\x00@example.org", "password": TEST_PASSWORD}),
    ],
)
def test_nul_in_public_forms_is_explained(app, client, make_org, path, data):
    make_org("Own Council", join_code="OWNCODE2027")
    response = client.post(path, data=data)
    assert response.status_code in (200, 400)
    assert NUL_MESSAGE in text(response)
    response.close()
    assert count(app, QueuedEmail) == 0


def test_nul_in_a_csv_import_is_a_row_problem(app, login_as, make_org):
    org = make_org("Own Council")
    client = login_as(role="manager", organisation=org)
    data = "email,name,audience\nnul@example.org,Nul\x00Name,officer\n"
    response = client.post(
        "/reports/invitations/import",
        data={"file": (io.BytesIO(data.encode()), "people.csv"), "organisation": str(org.id)},
        content_type="multipart/form-data",
    )
    assert f"Name: Remove an {NUL_MESSAGE} at character 4" in text(response)


def test_nul_on_the_command_line_is_refused(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "ops@example.org",
            "--name",
            "Op\x00s",
            "--role",
            "admin",
        ],
        input=TEST_PASSWORD + "\n",
    )
    assert result.exit_code == 1
    assert NUL_MESSAGE in result.output
    assert count(app, User) == 0


def test_nul_in_an_organisation_import_is_refused(app, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("name,category\nBad\x00Council,full_member\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["orgs", "import", str(path)])
    assert result.exit_code == 1
    assert NUL_MESSAGE in result.output
    assert count(app, Organisation) == 0
