"""One email address rule for the command line, the forms, the imports and invitations:
an address accepted anywhere can sign in, and one refused anywhere is refused everywhere."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from induction.accounts import bulk_invitations
from induction.accounts.addresses import EMAIL_FORMAT, email_problem
from induction.accounts.errors import AccountError
from induction.accounts.joining import send_invitation
from induction.accounts.models import Invitation, User
from induction.extensions import db
from tests.factories import TEST_PASSWORD

REFUSED = ["learner00@rel.test", "not-an-address", "two@at@example.org", "someone@localhost"]
ACCEPTED = ["learner00@example.org", "Cllr.Bee@Bristol.gov.uk"]


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("address", REFUSED)
def test_the_rule_refuses_addresses_that_cannot_receive_mail(address):
    assert email_problem(address) == EMAIL_FORMAT


@pytest.mark.parametrize("address", ACCEPTED)
def test_the_rule_accepts_ordinary_addresses(address):
    assert email_problem(address) is None


def test_the_rule_says_what_is_missing_or_too_long():
    assert email_problem("  ") == "Enter an email address"
    assert "254 characters or fewer" in email_problem("a" * 250 + "@example.org")


def _create(runner, address: str):
    return runner.invoke(
        args=["users", "create", "--email", address, "--name", "A Person", "--role", "admin"],
        input=TEST_PASSWORD + "\n",
    )


@pytest.mark.parametrize("address", REFUSED)
def test_the_command_line_refuses_what_sign_in_refuses(app, runner, address):
    result = _create(runner, address)
    assert result.exit_code == 1
    assert EMAIL_FORMAT in result.output
    assert "Traceback" not in result.output
    assert count(app, User) == 0
    # The sign-in form refuses the same address with the same words.
    response = app.test_client().post("/login", data={"email": address, "password": "x" * 12})
    assert response.status_code == 200
    assert EMAIL_FORMAT in response.get_data(as_text=True)


def test_an_address_the_command_line_accepts_can_sign_in(app, runner):
    result = _create(runner, "Learner00@Example.org")
    assert result.exit_code == 0, result.output
    response = app.test_client().post(
        "/login", data={"email": "learner00@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302  # signed in: on to setting up a second factor
    assert "/login" not in response.headers["Location"]


def test_the_invite_form_and_service_refuse_it(app, login_as, make_org, make_user):
    org = make_org()
    admin = login_as(role="admin")
    response = admin.post(
        "/admin/people/invite",
        data={
            "email": "learner00@rel.test",
            "name": "",
            "role": "learner",
            "audience": "officer",
            "organisation": org.id,
        },
    )
    assert response.status_code == 200
    assert EMAIL_FORMAT in response.get_data(as_text=True)
    with app.app_context():
        actor = db.session.get(User, admin.user.id)
        with pytest.raises(AccountError, match="right format"):
            send_invitation(
                actor,
                email="learner00@rel.test",
                name="",
                role="learner",
                audience="officer",
                organisation=actor.organisation,
            )
        db.session.rollback()
    assert count(app, Invitation) == 0


def test_the_people_import_refuses_it(app, make_org):
    org = make_org()
    data = (
        b"email,name,audience\r\n"
        b"learner00@rel.test,Test Domain,officer\r\n"
        b"learner01@example.org,Fine Person,officer\r\n"
    )
    with app.app_context():
        preview = bulk_invitations.preview(None, db.session.merge(org), data)
    assert [row.email for row in preview.problems] == ["learner00@rel.test"]
    assert "not an email address in the right format" in preview.problems[0].messages[0]
    assert [row.email for row in preview.ready] == ["learner01@example.org"]


def test_the_people_import_command_refuses_it(app, runner, make_org, tmp_path):
    org = make_org("Rule Council")
    csv_file = tmp_path / "people.csv"
    csv_file.write_text("email,name,audience\nlearner00@rel.test,Test Domain,officer\n")
    result = runner.invoke(
        args=["users", "import", str(csv_file), "--organisation", org.name, "--dry-run"]
    )
    assert "learner00@rel.test" in result.output
    assert "right format" in result.output
    assert count(app, Invitation) == 0
