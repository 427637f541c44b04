"""Organisations in the browser: retire and bring back, choose lead officers, and import
the member list from a CSV file with a preview before anything is saved."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from induction.accounts import member_list
from induction.accounts.audit import AuditEvent
from induction.accounts.models import Invitation, Organisation, PendingUpload, User
from induction.accounts.organisations import find_by_join_code
from induction.extensions import db

IMPORT = "/admin/organisations/import"


def _org(app, org_id):
    with app.app_context():
        org = db.session.get(Organisation, org_id)
        db.session.expunge(org)
        return org


def _role(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).role


def _actions(app):
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# --- Retire and bring back -----------------------------------------------------------------


def test_retiring_keeps_the_people_and_hides_the_organisation_from_joining_and_inviting(
    app, login_as, make_org, make_user
):
    gone = make_org("Gone Council", join_code="GONECODE2024")
    staying = make_org("Staying Council")
    person = make_user(organisation=gone, name="Rhys Remains")
    admin = login_as(role="admin")
    response = admin.post(f"/admin/organisations/{gone.id}/retire", data={"action": "retire"})
    assert response.status_code == 302
    assert _org(app, gone.id).retired_at is not None
    page = admin.get(f"/admin/organisations/{gone.id}").get_data(as_text=True)
    assert "was retired on" in page and "Bring Gone Council back" in page
    # The people and their records stay, for admins to see (the filter offers it, marked).
    assert _count(app, User) >= 2
    people = admin.get("/admin/people", query_string={"organisation": gone.id})
    assert "Rhys Remains" in people.get_data(as_text=True)
    assert "Gone Council (retired)" in people.get_data(as_text=True)
    assert admin.get(f"/admin/people/{person.id}").status_code == 200
    # Not offered for invitations, and its join code no longer works.
    invite = admin.get("/admin/people/invite").get_data(as_text=True)
    assert "Staying Council" in invite and "Gone Council" not in invite
    bulk = admin.get("/reports/invitations/import").get_data(as_text=True)
    assert "Staying Council" in bulk and "Gone Council" not in bulk
    with app.app_context():
        assert find_by_join_code("GONECODE2024") is None
    listing = admin.get("/admin/organisations").get_data(as_text=True)
    assert re.search(r"Gone Council</a></td>.*?<td>Retired</td>", listing, re.S)
    # Bringing it back restores it as it was, join code included.
    admin.post(f"/admin/organisations/{gone.id}/retire", data={"action": "restore"}).close()
    assert _org(app, gone.id).retired_at is None
    with app.app_context():
        assert find_by_join_code("GONECODE2024").id == gone.id
    assert _actions(app)[-2:] == ["organisation.retired", "organisation.restored"]
    assert staying.id != gone.id


def test_a_retired_organisations_person_keeps_it_when_edited(app, login_as, make_org, make_user):
    gone = make_org("Gone Council")
    person = make_user(organisation=gone, name="Rhys Remains")
    admin = login_as(role="admin")
    admin.post(f"/admin/organisations/{gone.id}/retire", data={"action": "retire"}).close()
    page = admin.get(f"/admin/people/{person.id}/edit").get_data(as_text=True)
    assert "Gone Council (retired)" in page
    with app.app_context():
        assert db.session.get(User, person.id).organisation_id == gone.id


def test_a_retired_organisations_code_cannot_be_taken_by_another(app, login_as, make_org):
    gone = make_org("Gone Council", join_code="GONECODE2024")
    other = make_org("Other Council")
    admin = login_as(role="admin")
    admin.post(f"/admin/organisations/{gone.id}/retire", data={"action": "retire"}).close()
    page = admin.post(
        f"/admin/organisations/{other.id}/join-code",
        data={"action": "set", "code-join_code": "GONECODE2024"},
    ).get_data(as_text=True)
    assert "Another organisation already uses this join code" in page


def test_only_admins_may_retire(app, login_as, make_org):
    org = make_org()
    for role, code in (("manager", 403), ("learner", 403)):
        client = login_as(role=role, organisation=org)
        assert (
            client.post(
                f"/admin/organisations/{org.id}/retire", data={"action": "retire"}
            ).status_code
            == code
        )
    assert _org(app, org.id).retired_at is None
    admin = login_as(role="admin")
    assert (
        admin.post("/admin/organisations/999999/retire", data={"action": "retire"}).status_code
        == 404
    )
    assert (
        admin.post(f"/admin/organisations/{org.id}/retire", data={"action": "delete"}).status_code
        == 400
    )


# --- Lead officers -------------------------------------------------------------------------


def test_make_a_member_lead_officer_and_step_them_down(app, login_as, make_org, make_user):
    org = make_org("Leeds Council")
    member = make_user(organisation=org, name="Lee Member")
    admin = login_as(role="admin")
    page = admin.get(f"/admin/organisations/{org.id}").get_data(as_text=True)
    assert "has no lead officer yet" in page and "Lee Member" in page
    response = admin.post(
        f"/admin/organisations/{org.id}/lead-officers",
        data={"action": "add", "lead-person": member.id},
    )
    assert response.status_code == 302
    assert _role(app, member.id) == "manager"
    page = admin.get(f"/admin/organisations/{org.id}").get_data(as_text=True)
    assert "Step down" in page
    admin.post(
        f"/admin/organisations/{org.id}/lead-officers",
        data={"action": "remove", "person": member.id},
    ).close()
    assert _role(app, member.id) == "learner"
    with app.app_context():
        changes = [
            e.details
            for e in db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "user.role_changed")
            )
        ]
    assert changes == [{"from": "learner", "to": "manager"}, {"from": "manager", "to": "learner"}]


def test_someone_of_another_organisation_or_an_admin_cannot_be_chosen(
    app, login_as, make_org, make_user
):
    org, other = make_org(), make_org()
    outsider = make_user(organisation=other)
    admin_user = make_user(role="admin")
    admin = login_as(role="admin")
    page = admin.post(
        f"/admin/organisations/{org.id}/lead-officers",
        data={"action": "add", "lead-person": outsider.id},
    )
    assert page.status_code == 200
    assert _role(app, outsider.id) == "learner"
    empty = admin.post(
        f"/admin/organisations/{org.id}/lead-officers", data={"action": "add", "lead-person": 0}
    ).get_data(as_text=True)
    assert "Choose the member to make a lead officer" in empty
    for person in (outsider, admin_user):
        response = admin.post(
            f"/admin/organisations/{org.id}/lead-officers",
            data={"action": "remove", "person": person.id},
        )
        assert response.status_code == 404
    assert _role(app, admin_user.id) == "admin"


def test_a_lead_officer_cannot_choose_lead_officers(app, login_as, make_org, make_user):
    org = make_org()
    member = make_user(organisation=org)
    manager = login_as(role="manager", organisation=org)
    response = manager.post(
        f"/admin/organisations/{org.id}/lead-officers",
        data={"action": "add", "lead-person": member.id},
    )
    assert response.status_code == 403
    assert _role(app, member.id) == "learner"


# --- Importing the member list -------------------------------------------------------------


def _upload(client, text: str | bytes, name: str = "members.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        IMPORT,
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _confirm_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(upload|digest)"[^>]*value="([^"]*)"', html))


def _names(app):
    with app.app_context():
        return {o.name: (o.category, o.subtype) for o in db.session.scalars(select(Organisation))}


MEMBERS = """name,category
brent council,full_member
Bristol City Council,associate_opposition_group
New Town Council,associate_town_parish_community
Same Council,affiliate
"""


def test_preview_shows_every_line_and_nothing_is_saved_before_confirming(app, login_as, make_org):
    make_org("Brent Council", category="associate")
    make_org("Same Council", category="affiliate")
    admin = login_as(role="admin")
    before = _names(app)
    html = _upload(admin, MEMBERS).get_data(as_text=True)
    assert "4 lines: 2 new, 1 changed, 1 unchanged, 0 with problems" in html
    assert "Nothing has been saved yet" in html
    assert "Its name was Brent Council. It was Associate member." in html
    assert "Associate member (opposition group)" in html
    assert _names(app) == before  # nothing is saved before the confirmation
    assert _count(app, PendingUpload) == 1  # the file, kept for the confirmation
    fields = _confirm_fields(html)
    response = admin.post(f"{IMPORT}/confirm", data=fields)
    assert response.status_code == 302
    names = _names(app)
    assert names["brent council"] == ("full_member", None)
    assert names["Bristol City Council"] == ("associate", "opposition_group")
    assert names["New Town Council"] == ("associate", "town_parish_community")
    assert _count(app, PendingUpload) == 0
    assert _actions(app)[-1] == "organisation.imported"
    # The same file again: confirmed once only.
    again = admin.post(f"{IMPORT}/confirm", data=fields, follow_redirects=True)
    assert "already been imported" in again.get_data(as_text=True)


def test_problem_lines_are_listed_with_what_to_fix_and_nothing_can_be_imported(app, login_as):
    admin = login_as(role="admin")
    text = (
        "name,category\nGood Council,full_member\n,full_member\nOdd Council,premium\n"
        '"=HYPERLINK(""http://evil.example"")",full_member\ngood council,affiliate\n'
    )
    html = _upload(admin, text).get_data(as_text=True)
    assert "5 lines: 1 new, 0 changed, 0 unchanged, 4 with problems" in html
    assert "The name is empty: correct this line" in html
    assert "Unknown category &#39;premium&#39;" in html
    assert "reads as a formula" in html
    assert "&#39;good council&#39; is already on row 2" in html
    line_four = r'data-label="Line">4</td>\s*<td data-label="Name">Odd Council</td>'
    assert re.search(line_four, html)
    assert 'action="/admin/organisations/import/confirm"' not in html
    assert _count(app, PendingUpload) == 0
    assert "Good Council" not in _names(app)


def test_bad_files_get_a_clear_message(app, login_as, monkeypatch):
    monkeypatch.setattr(member_list, "MAX_BYTES", 2048)
    admin = login_as(role="admin")
    for data, message in (
        (b"\xff\xfe\x00n\x00a", "not UTF-8 text"),
        (b"", "The file is empty"),
        (b"  \n", "The file is empty"),
        (b"email,name\na@example.org,Ann\n", "missing: category"),
        (b"name,category\n", "has no organisations"),
        (b"name;category\nA;full_member\n", "Separate the columns with commas"),
        (b"name\x00,category\nA,full_member\n", "not a CSV text file"),
        (b"x" * 2049, "too large (more than 2 KB)"),
    ):
        response = _upload(admin, data)
        assert response.status_code == 200, message
        assert message in response.get_data(as_text=True), message
    nothing = admin.post(IMPORT, data={}, content_type="multipart/form-data")
    assert "Choose a CSV file with the columns name, category" in nothing.get_data(as_text=True)
    assert _count(app, PendingUpload) == 0
    assert _count(app, Organisation) == 0


def test_a_change_between_preview_and_confirm_is_refused(app, login_as, make_org):
    admin = login_as(role="admin")
    fields = _confirm_fields(_upload(admin, MEMBERS).get_data(as_text=True))
    make_org("Same Council", category="supporter")  # meanwhile, someone adds one
    before = _names(app)
    html = admin.post(f"{IMPORT}/confirm", data=fields).get_data(as_text=True)
    assert "nothing was imported" in html
    assert _names(app) == before
    # The new preview can be confirmed.
    assert admin.post(f"{IMPORT}/confirm", data=_confirm_fields(html)).status_code == 302
    assert _names(app)["Same Council"] == ("affiliate", None)


def test_only_the_uploader_confirms_and_other_roles_are_refused(app, login_as, make_org):
    org = make_org()
    admin = login_as(role="admin")
    fields = _confirm_fields(_upload(admin, MEMBERS).get_data(as_text=True))
    other_admin = login_as(role="admin")
    response = other_admin.post(f"{IMPORT}/confirm", data=fields, follow_redirects=True)
    assert "already been imported" in response.get_data(as_text=True)
    for role in ("manager", "learner"):
        client = login_as(role=role, organisation=org)
        assert client.get(IMPORT).status_code == 403
        assert _upload(client, MEMBERS).status_code == 403
        assert client.post(f"{IMPORT}/confirm", data=fields).status_code == 403
    # A member list is never taken for a bulk invitation.
    bulk = admin.post("/reports/invitations/import/confirm", data=fields, follow_redirects=True)
    assert "already been imported" in bulk.get_data(as_text=True)
    assert "Bristol City Council" not in _names(app)
    assert _count(app, PendingUpload) == 1


def test_nobody_is_invited_into_a_retired_organisation(app, login_as, make_org):
    gone = make_org("Gone Council")
    manager = login_as(role="manager", organisation=gone)
    login_as(role="admin").post(
        f"/admin/organisations/{gone.id}/retire", data={"action": "retire"}
    ).close()
    page = manager.post(
        "/admin/people/invite",
        data={
            "email": "new@example.org",
            "name": "New Person",
            "role": "learner",
            "audience": "officer",
            "organisation": gone.id,
        },
    ).get_data(as_text=True)
    assert "Gone Council is retired: bring it back before inviting people into it" in page
    bulk = manager.post(
        "/reports/invitations/import",
        data={
            "file": (io.BytesIO(b"email,name,audience\nn@example.org,N,officer\n"), "p.csv"),
            "organisation": str(gone.id),
        },
        content_type="multipart/form-data",
    )
    assert bulk.status_code == 404
    assert _count(app, Invitation) == 0


def test_an_organisation_with_no_member_links_to_inviting_its_lead_officer(login_as, make_org):
    admin = login_as(role="admin")
    org = make_org("Empty Council")
    page = admin.get(f"/admin/organisations/{org.id}").get_data(as_text=True)
    link = f"/admin/people/invite?organisation={org.id}&amp;role=manager&amp;from=organisation"
    assert f'<a class="button" href="{link}">Invite their lead officer</a>' in page
    form = admin.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "<h1>Invite a lead officer for Empty Council</h1>" in form
    assert "<title>Invite a lead officer for Empty Council" in form
    assert re.search(rf'<option selected value="{org.id}">Empty Council</option>', form)
    assert re.search(r'<input checked[^>]*value="manager"', form)
    # Anything else in the address is ignored: the usual form.
    plain = admin.get("/admin/people/invite?organisation=99999&role=owner").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="learner"', plain)
    assert "<h1>Invite someone</h1>" in plain and "Invite a lead officer" not in plain
    assert 'selected value="99999"' not in plain


def test_inviting_the_lead_officer_from_the_organisation_leads_back_to_it(login_as, make_org):
    admin = login_as(role="admin")
    org = make_org("Empty Council")
    page = admin.get(f"/admin/organisations/{org.id}").get_data(as_text=True)
    link = re.search(r'<a class="button" href="([^"]*)">Invite their lead officer</a>', page)
    assert link
    address = link.group(1).replace("&amp;", "&")
    form = admin.get(address).get_data(as_text=True)
    assert f'<a href="/admin/organisations/{org.id}">Back to Empty Council</a>' in form
    data = {
        "email": "lead@empty.example.org",
        "role": "manager",
        "audience": "officer",
        "organisation": org.id,
    }
    sent = admin.post(address, data=data)
    assert sent.status_code == 302
    assert sent.headers["Location"] == f"/admin/organisations/{org.id}"
    back = admin.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Invitation sent to lead@empty.example.org." in back
    assert "<strong>lead@empty.example.org</strong>" in back
    # Invited into another organisation after all: the People page, as from anywhere else.
    other = make_org("Other Council")
    elsewhere = admin.post(
        address, data={**data, "email": "x@other.example.org", "organisation": other.id}
    )
    assert elsewhere.headers["Location"] == "/admin/people"
    # The invite page opened any other way leads to the People page as before.
    plain = admin.post(
        "/admin/people/invite", data={**data, "email": "y@empty.example.org", "role": "learner"}
    )
    assert plain.headers["Location"] == "/admin/people"


def test_an_organisation_shows_the_lead_officer_it_is_waiting_for(login_as, make_org):
    admin = login_as(role="admin")
    org = make_org("Kirkby Town Council")
    other = make_org("Other Council")
    for email, organisation, role in (
        ("lead@kirkby.example.org", org, "manager"),
        ("learner@kirkby.example.org", org, "learner"),
        ("lead@other.example.org", other, "manager"),
    ):
        sent = admin.post(
            "/admin/people/invite",
            data={
                "email": email,
                "name": "Lee Kirk" if email.startswith("lead@kirkby") else "",
                "role": role,
                "audience": "officer",
                "organisation": organisation.id,
            },
        )
        assert sent.status_code == 302, sent.get_data(as_text=True)
    admin.get(sent.headers["Location"])  # the messages that say each was sent
    page = admin.get(f"/admin/organisations/{org.id}").get_data(as_text=True)
    assert "has no lead officer yet: the person invited becomes one when they accept." in page
    assert "Invited as lead officer, not joined yet" in page
    assert "<strong>lead@kirkby.example.org</strong> (Lee Kirk)" in page
    # Only this organisation's invitations as lead officer; no second "Invite" offered.
    assert "learner@kirkby.example.org" not in page and "lead@other.example.org" not in page
    assert "Invite their lead officer" not in page
    assert f"/admin/people?organisation={org.id}#invitations" in page


def _crumbs(page: str) -> list[str]:
    nav = page.split('<nav class="breadcrumbs" aria-label="Breadcrumb">', 1)[1].split("</nav>")[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li.*?</li>", nav)]


def test_the_organisations_pages_have_breadcrumbs_and_an_introduction(login_as, make_org):
    admin = login_as(role="admin")
    org = make_org("Empty Council")
    listing = admin.get("/admin/organisations").get_data(as_text=True)
    assert _crumbs(listing) == ["Admin", "Organisations"]
    assert '<li><a href="/admin/">Admin</a></li>' in listing
    intro = listing.split("<h1>Organisations</h1>", 1)[1].split("<div", 1)[0]
    assert "open one to choose its lead officers" in intro
    page = admin.get(f"/admin/organisations/{org.id}").get_data(as_text=True)
    assert _crumbs(page) == ["Admin", "Organisations", "Empty Council"]
    invite = admin.get(
        f"/admin/people/invite?organisation={org.id}&role=manager&from=organisation"
    ).get_data(as_text=True)
    assert _crumbs(invite) == [
        "Admin",
        "Organisations",
        "Empty Council",
        "Invite a lead officer",
    ]
