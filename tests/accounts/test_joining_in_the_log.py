"""An account made with nobody signed in reads the way it happened, in one line.

Accepting an invitation, joining with a join code, a first sign-in through a council's
sign-in service and the setup link each record the account ("user.created", by nobody)
and an entry of how it came about. The activity lists (Admin home, the audit log, a
person's page) show one line, saying what happened; the second entry is still found by
choosing its action in the log's filter.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from induction.accounts import audit, identity_providers, people
from induction.accounts.models import Invitation, User
from induction.accounts.oidc_signin import person_for
from induction.admin import audit_sentences
from induction.admin.audit_sentences import Names, Person
from induction.database import utcnow
from induction.extensions import db
from tests.factories import TEST_PASSWORD

SOMEONE = "Someone created an account"


def _activity(client) -> str:
    """Return the text of Admin home's recent activity, tags removed."""
    page = client.get("/admin/").get_data(as_text=True)
    return _words(page.split('id="recent-activity"', 1)[1])


def _log(client, **query) -> str:
    page = client.get("/admin/audit", query_string=query).get_data(as_text=True)
    return _words(page.split("<ol", 1)[1] if "<ol" in page else "")


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" .", ".")


def _accept_invitation(app, login_as, make_org, mailbox):
    """An admin, Ada Admin, invites Ivy to Oldham Council; Ivy accepts. Return Ada's client."""
    org = make_org("Oldham Council")
    admin = login_as(role="admin", name="Ada Admin")
    admin.post(
        "/admin/people/invite",
        data={
            "email": "ivy@example.org",
            "name": "Ivy Invitee",
            "role": "learner",
            "audience": "councillor",
            "organisation": org.id,
        },
    ).close()
    link = mailbox("ivy@example.org")[-1].link_path
    accepted = app.test_client().post(link, data={"name": "Ivy Invitee", "password": TEST_PASSWORD})
    assert accepted.status_code == 302
    return admin


def test_an_invitation_accepted_reads_as_one_line_naming_who_sent_it(
    app, login_as, make_org, mailbox
):
    admin = _accept_invitation(app, login_as, make_org, mailbox)
    said = (
        "Ivy Invitee accepted an invitation from Ada Admin to join Oldham Council "
        "and set up their account."
    )
    for text in (_activity(admin), _log(admin)):
        assert said in text
        assert SOMEONE not in text
        assert "accepted an invitation to join" not in text  # no second line for the same
    # The inviter and the new person link to their pages.
    home = admin.get("/admin/").get_data(as_text=True)
    ivy = _user_id(app, "ivy@example.org")
    assert f'<a href="/admin/people/{ivy}">Ivy Invitee</a> accepted an invitation from <a' in home


def test_the_acceptance_itself_is_found_by_choosing_its_action(app, login_as, make_org, mailbox):
    admin = _accept_invitation(app, login_as, make_org, mailbox)
    found = _log(admin, action="invitation.accepted")
    assert "Ivy Invitee accepted an invitation to join Oldham Council." in found
    assert "1 entry matches" in admin.get(
        "/admin/audit", query_string={"action": "invitation.accepted"}
    ).get_data(as_text=True)
    made = _log(admin, action="user.created")
    assert "accepted an invitation from Ada Admin to join Oldham Council and set up" in made


def test_the_person_page_says_it_once(app, login_as, make_org, mailbox):
    admin = _accept_invitation(app, login_as, make_org, mailbox)
    page = _words(
        admin.get(f"/admin/people/{_user_id(app, 'ivy@example.org')}").get_data(as_text=True)
    )
    assert page.count("accepted an invitation") == 1
    assert SOMEONE not in page


def test_an_invitation_whose_sender_is_gone_still_reads(app, login_as, make_org, mailbox):
    admin = _accept_invitation(app, login_as, make_org, mailbox)
    with app.app_context():
        db.session.execute(update(Invitation).values(invited_by_id=None))
        db.session.commit()
    assert (
        "Ivy Invitee accepted an invitation to join Oldham Council and set up their account."
        in _activity(admin)
    )


def test_joining_with_a_join_code_reads_as_one_line(app, client, login_as, make_org, mailbox):
    make_org("Oldham Council", join_code="OLDHAM2024CODE")
    client.post(
        "/register", data={"join_code": "OLDHAM2024CODE", "email": "jo@example.org"}
    ).close()
    link = mailbox("jo@example.org")[-1].link_path
    finished = client.post(
        link, data={"name": "Jo Joiner", "audience": "councillor", "password": TEST_PASSWORD}
    )
    assert finished.status_code == 302
    admin = login_as(role="admin")
    for text in (_activity(admin), _log(admin)):
        assert "Jo Joiner joined Oldham Council with its join code." in text
        assert text.count("Jo Joiner joined") == 1
        assert SOMEONE not in text


@pytest.mark.parametrize(
    ("issuer", "service"),
    [
        ("https://login.microsoftonline.com/5f1e-tenant/v2.0", "Microsoft 365 account"),
        ("https://accounts.google.com", "Google account"),
        ("https://sso.brent.gov.uk", "council account"),
    ],
)
def test_a_first_sign_in_with_a_council_account_reads_as_one_line(
    app, login_as, make_org, issuer, service
):
    org = make_org("Brent Council")
    with app.app_context():
        provider = identity_providers.add_provider(
            db.session.merge(org),
            issuer=issuer,
            client_id="induction",
            client_secret="a secret of the provider",
            domains="brent.gov.uk",
            audience="councillor",
            is_creating_accounts=True,
        )
        claims = {"email": "cllr.jones@brent.gov.uk", "email_verified": True, "name": "Cllr Jones"}
        person_for(provider, claims)
        db.session.commit()
    admin = login_as(role="admin")
    said = f"Cllr Jones joined Brent Council by signing in for the first time with their {service}."
    for text in (_activity(admin), _log(admin)):
        assert said in text
        assert text.count("Cllr Jones") == 1
        assert SOMEONE not in text


def test_an_account_made_by_the_command_says_so(app, login_as, make_org, make_user):
    org = make_org("Oldham Council")
    ada = make_user(role="admin", name="Ada Admin")
    with app.app_context():
        people.create_user(
            email="cli@example.org",
            name="Cara Command",
            password=TEST_PASSWORD,
            organisation=db.session.merge(org),
        )
        # One made by a signed-in admin still names them.
        people.create_user(
            email="new@example.org",
            name="Nia New",
            password=None,
            role="admin",
            actor=db.session.get(User, ada.id),
        )
        db.session.commit()
    text = _activity(login_as(role="admin"))
    assert (
        "An account was made for Cara Command in Oldham Council by a command run on the server."
        in text
    )
    assert "Ada Admin created an account for Nia New." in text
    assert SOMEONE not in text


def test_admin_home_shows_the_first_admin_once(app, client, login_as):
    from tests.accounts.test_setup import _admin_form, _link

    client.post(_link(app), data=_admin_form(name="Sam Carter", email="sam@example.org"))
    text = _activity(login_as(role="admin"))
    assert "Sam Carter set up the first admin account." in text
    assert "set up the site as its first admin" not in text
    assert text.count("Sam Carter") == 1


def test_old_entries_read_from_what_they_hold():
    """Sentences from entries alone (as any entry recorded before reads): how the account
    came about, with what is still known; an account with no such entry was made by the
    command."""

    class Event:
        action = "user.created"
        actor_id = None
        target_type = "user_account"
        target_id = "5"
        organisation_id = 7
        details = {"role": "learner", "audience": "officer"}

    people_ = {5: Person("Ivy Invitee", "ivy@example.org"), 1: Person("Ada Admin", "a@x.org")}
    orgs = {7: "Oldham Council"}

    Origin = audit_sentences.Origin  # noqa: N806

    def said(origin: Origin | None) -> str:
        names = Names(people_, orgs, origins={5: origin} if origin else {})
        return audit_sentences.plain(audit_sentences.sentence(Event(), names))

    assert said(Origin("invitation.accepted", inviter_id=1)) == (
        "Ivy Invitee accepted an invitation from Ada Admin to join Oldham Council"
        " and set up their account"
    )
    assert said(Origin("invitation.accepted", inviter_id=99)) == (
        "Ivy Invitee accepted an invitation to join Oldham Council and set up their account"
    )
    assert (
        said(Origin("registration.completed"))
        == "Ivy Invitee joined Oldham Council with its join code"
    )
    assert said(Origin("user.created_by_provider")) == (
        "Ivy Invitee joined Oldham Council by signing in for the first time with their council"
        " account"
    )
    assert said(Origin("setup.first_admin")) == "Ivy Invitee set up the first admin account"
    assert said(None) == (
        "An account was made for Ivy Invitee in Oldham Council by a command run on the server"
    )


def test_the_lists_load_a_fixed_number_of_queries(app, login_as, make_org, count_queries):
    """However many accounts were made by invitation, the log loads the same queries."""
    admin = login_as(role="admin")

    def make(count: int, start: int) -> None:
        with app.app_context():
            org = make_org()
            for n in range(start, start + count):
                user = people.create_user(
                    email=f"p{n}@example.org",
                    name=f"P {n}",
                    password=None,
                    organisation=db.session.merge(org),
                )
                invitation = Invitation(
                    token_hash=f"{n:064d}",
                    email=user.email,
                    role="learner",
                    audience="officer",
                    organisation_id=org.id,
                    invited_by_id=admin.user.id,
                    expires_at=utcnow(),
                )
                db.session.add(invitation)
                db.session.flush()
                audit.record("invitation.accepted", actor=user, target=invitation)
            db.session.commit()

    def load() -> int:
        with count_queries() as counter:
            page = admin.get("/admin/audit")
        assert page.status_code == 200
        return counter.count

    make(2, 0)
    load()
    few = load()
    make(40, 2)
    many = load()
    assert many == few
    assert _log(admin).count(f"accepted an invitation from {admin.user.name} to join") == 42


def _user_id(app, email: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(User.id).where(User.email == email))
        assert found is not None
        return found
