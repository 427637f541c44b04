"""Bulk invitations from a CSV file: a preview of every row, then an all-or-nothing import."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time

import pytest
from sqlalchemy import func, select

from induction.accounts import bulk_invitations
from induction.accounts.audit import AuditEvent
from induction.accounts.joining import send_invitation
from induction.accounts.models import Invitation, Organisation, User
from induction.extensions import db
from induction.mail import QueuedEmail
from tests.factories import form_data
from tests.quizzes.pages import form_with_button, page, text_of

IMPORT = "/reports/invitations/import"
CONFIRM = "/reports/invitations/import/confirm"


def upload(client, data: bytes | str, organisation_id: int, name: str = "people.csv"):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return client.post(
        IMPORT,
        data={"file": (io.BytesIO(data), name), "organisation": str(organisation_id)},
        content_type="multipart/form-data",
    )


def confirm(client, preview_html: str):
    form = form_with_button(preview_html, "Invite")
    return client.post(CONFIRM, data=form.hidden())


def counts(app) -> tuple[int, int]:
    """Return how many invitations and queued emails exist."""
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Invitation)),
            db.session.scalar(select(func.count()).select_from(QueuedEmail)),
        )


def row_text(html: str, needle: str) -> str:
    """Return the text of the first preview row that holds `needle` (an address or a name).

    An address may break after its @ (a <wbr>): it is read whole."""
    for row in html.replace("<wbr>", "").split("<tr>")[1:]:
        if f">{needle}<" in row:
            return text_of(row.split("</tr>", 1)[0])
    raise AssertionError(f"no row with {needle}")


MIXED = (
    "\ufeffEmail,Name,Audience,Start date\r\n"
    "new.one@example.org,New One,councillor,06/05/2027\r\n"
    "new.two@example.org,  New   Two ,Officer,2027-05-06\r\n"
    "not-an-address,Bad Email,officer,\r\n"
    "new.three@example.org,Odd Audience,officers,\r\n"
    "new.four@example.org,Odd Date,officer,31/02/2027\r\n"
    "NEW.ONE@example.org,Duplicate,officer,\r\n"
    "{member},Already Member,officer,\r\n"
    "{outsider},Other Council Person,officer,\r\n"
    "=cmd@example.org,Formula Person,affiliate,\r\n"
    ",,,\r\n"
    "new.five@example.org,Too Many,officer,,extra\r\n"
)


def mixed(world) -> str:
    return MIXED.format(member=world.partway.email, outsider=world.outsider.email)


def test_the_preview_shows_every_row_with_its_problems_and_writes_nothing(app, world, login_as):
    client = login_as(world.manager)
    before = counts(app)
    html = page(upload(client, mixed(world), world.own.id))
    assert counts(app) == before
    text = text_of(html)
    assert (
        "10 lines: 4 will be invited, 1 skipped, 5 with problems. Nothing has been sent yet."
        in text
    )
    assert "Will be invited" in row_text(html, "new.one@example.org")
    assert "6 May 2027" in row_text(html, "new.one@example.org")  # UK date
    assert "6 May 2027" in row_text(html, "new.two@example.org")  # ISO date
    assert "New Two" in row_text(html, "new.two@example.org")
    assert "not an email address" in row_text(html, "not-an-address")
    assert "Unknown audience 'officers': did you mean 'officer'?" in row_text(
        html, "new.three@example.org"
    )
    assert "Start date '31/02/2027' is not a date" in row_text(html, "new.four@example.org")
    assert "The same email address is on line 2" in row_text(html, "Duplicate")
    assert "Already a member of this organisation" in row_text(html, world.partway.email)
    # A manager learns nothing about other councils: that address looks ready.
    assert "Will be invited" in row_text(html, world.outsider.email)
    assert "more cells than the first line" in row_text(html, "new.five@example.org")
    assert "Will be invited" in row_text(html, "=cmd@example.org")


def test_an_admin_is_told_about_accounts_elsewhere(app, world, login_as):
    html = page(upload(login_as(world.admin), mixed(world), world.own.id))
    assert "Already has an account (Other Council)" in row_text(html, world.outsider.email)


def test_confirm_invites_the_ready_rows_once_and_queues_their_emails(app, world, login_as):
    client = login_as(world.manager)
    html = page(upload(client, mixed(world), world.own.id))
    invitations, emails = counts(app)
    response = confirm(client, html)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/reports/organisations/{world.own.id}"
    with app.app_context():
        made = db.session.scalars(select(Invitation).order_by(Invitation.email)).all()
        assert [(i.email, i.name, i.audience, i.role, i.start_date) for i in made] == [
            ("=cmd@example.org", "Formula Person", "affiliate", "learner", None),
            ("new.one@example.org", "New One", "councillor", "learner", dt.date(2027, 5, 6)),
            ("new.two@example.org", "New Two", "officer", "learner", dt.date(2027, 5, 6)),
        ]
        assert all(i.organisation_id == world.own.id for i in made)
        assert all(i.invited_by_id == world.manager.id for i in made)
        mail = db.session.scalars(select(QueuedEmail).order_by(QueuedEmail.id)).all()
        assert sorted(m.to_address for m in mail) == sorted(
            ["=cmd@example.org", "new.one@example.org", "new.two@example.org", world.outsider.email]
        )
        told = next(m for m in mail if m.to_address == world.outsider.email)
        assert "you already have an account" in told.text_body
        invited = next(m for m in mail if m.to_address == "new.one@example.org")
        assert "Mona Manager has invited you" in invited.text_body
        assert "/invitations/" in invited.text_body
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "invitation.bulk_imported")
        ).all()
        assert len(events) == 1
        assert events[0].details["invited"] == 4
        assert events[0].details["problems"] == 5
        assert events[0].organisation_id == world.own.id
    assert counts(app) == (invitations + 3, emails + 4)
    # The same confirmation again does nothing: the stored file is gone.
    again = confirm(client, html)
    assert again.headers["Location"] == IMPORT
    assert counts(app) == (invitations + 3, emails + 4)


def test_an_accepted_invitation_starts_on_the_date_of_the_file(app, world, login_as):
    client = login_as(world.manager)
    confirm(
        client,
        page(
            upload(
                client,
                "email,name,audience,start_date\nada@example.org,Ada,councillor,01/02/2027\n",
                world.own.id,
            )
        ),
    )
    with app.app_context():
        text = db.session.scalar(
            select(QueuedEmail.text_body).where(QueuedEmail.to_address == "ada@example.org")
        )
    link = text.split(app.config["BASE_URL"], 1)[1].split()[0]
    visitor = app.test_client()
    response = visitor.post(
        link,
        data=form_data(
            visitor, link, {"name": "Ada Lovelace", "password": "a long enough passphrase 42"}
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == "ada@example.org"))
        assert person.start_date == dt.date(2027, 2, 1)
        assert person.organisation_id == world.own.id and person.role == "learner"


def test_the_import_is_all_or_nothing(app, world, login_as, monkeypatch):
    client = login_as(world.manager)
    html = page(upload(client, mixed(world), world.own.id))
    before = counts(app)

    def broken(*args, **kwargs):
        raise RuntimeError("the mail queue broke half-way")

    monkeypatch.setattr(bulk_invitations, "_tell_owners", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = confirm(client, html)
    assert response.status_code == 500
    assert counts(app) == before  # the invitations inserted before the failure are gone too
    with app.app_context():
        assert not db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "invitation.bulk_imported")
        )


def test_a_file_that_changed_meanwhile_is_shown_again_before_anything_is_sent(
    app, world, login_as, make_user
):
    client = login_as(world.manager)
    html = page(
        upload(
            client,
            "email,name,audience\nlate@example.org,Late,officer\nalso@example.org,Also,officer\n",
            world.own.id,
        )
    )
    make_user(organisation=world.own, email="late@example.org", name="Late Joiner")
    before = counts(app)
    changed = page(confirm(client, html))
    assert "Something changed since you checked this file" in changed
    assert "Already a member" in row_text(changed, "late@example.org")
    assert counts(app) == before
    assert confirm(client, changed).status_code == 302
    assert counts(app) == (before[0] + 1, before[1] + 1)


def test_a_confirmation_must_be_for_the_same_file_and_person(app, world, login_as):
    client = login_as(world.manager)
    html = page(upload(client, "email,name,audience\nx@example.org,X,officer\n", world.own.id))
    form = form_with_button(html, "Invite")
    before = counts(app)
    tampered = form.hidden()
    tampered["digest"] = "0" * 64
    assert client.post(CONFIRM, data=tampered).headers["Location"] == IMPORT
    # Another manager (even of the same council) cannot confirm someone else's upload.
    other = login_as(role="manager", organisation=world.own)
    assert other.post(CONFIRM, data=form.hidden()).headers["Location"] == IMPORT
    bad = form.hidden()
    bad["upload"] = "../../etc/passwd"
    assert client.post(CONFIRM, data=bad).status_code == 400
    assert counts(app) == before


def test_pending_invitations_into_the_organisation_are_not_sent_again(app, world, login_as):
    client = login_as(world.manager)
    data = "email,name,audience\none@example.org,One,officer\ntwo@example.org,Two,officer\n"
    confirm(client, page(upload(client, data, world.own.id)))
    html = page(upload(client, data, world.own.id))
    assert "Already invited on" in row_text(html, "one@example.org")
    assert "No line of this file can be imported" in html
    assert "Invite 0" not in html


def test_an_invitation_elsewhere_is_replaced(app, world, login_as):
    with app.app_context():
        admin = db.session.get(User, world.admin.id)
        send_invitation(
            admin,
            email="moving@example.org",
            name="",
            role="learner",
            audience="officer",
            organisation=db.session.get(Organisation, world.other.id),
        )
        db.session.commit()
    html = page(
        upload(
            login_as(world.admin),
            "email,name,audience\nmoving@example.org,Mover,officer\n",
            world.own.id,
        )
    )
    assert "Replaces a pending invitation to Other Council" in row_text(html, "moving@example.org")
    confirm(login_as(world.admin), html)  # a new client: a different upload owner
    with app.app_context():
        pending = db.session.scalars(
            select(Invitation).where(
                Invitation.email == "moving@example.org", Invitation.revoked_at.is_(None)
            )
        ).all()
    assert len(pending) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfeemail,name", "not UTF-8 text"),
        (b"", "The file is empty"),
        (b"mail,full name\nx@example.org,X\n", "so email, audience is missing"),
        (b"email;name;audience\nx@example.org;X;officer\n", "Separate the columns with commas"),
        (b"email,name,audience,email\n", "names a column twice: email"),
    ],
)
def test_a_file_that_cannot_be_read_says_what_to_fix(app, world, login_as, data, message):
    before = counts(app)
    html = page(upload(login_as(world.manager), data, world.own.id))
    assert message in text_of(html)
    assert "<title>Error: " in html
    assert counts(app) == before


def test_a_manager_cannot_import_into_another_organisation(app, world, login_as):
    html = page(
        upload(
            login_as(world.manager),
            "email,name,audience\nx@example.org,X,officer\n",
            world.other.id,
        )
    )
    assert "Will be invited" not in html
    assert "Not a valid choice" in html or "Choose" in html
    assert counts(app)[0] == 0


@pytest.mark.slow
def test_five_thousand_rows_preview_and_import_in_one_request(app, world, login_as, count_queries):
    lines = ["email,name,audience,start_date"] + [
        f"person.{n}@bulk.example.org,Person {n},{('councillor', 'officer', 'affiliate')[n % 3]},"
        f"{(n % 28) + 1:02d}/05/2027"
        for n in range(5000)
    ]
    client = login_as(world.manager)
    client.get(
        "/reports/invitations/import"
    )  # the first page also reads the identity, then keeps it
    started = time.perf_counter()
    with count_queries() as counter:
        html = page(upload(client, "\n".join(lines), world.own.id))
    preview_seconds = time.perf_counter() - started
    assert "5000 lines: 5000 will be invited" in text_of(html)
    assert counter.count <= 9, counter.count  # the checks, and one to keep the file
    started = time.perf_counter()
    with count_queries() as counter:
        response = confirm(client, html)
    import_seconds = time.perf_counter() - started
    assert response.status_code == 302
    assert counter.count <= 60, counter.count  # a few statements per 500 rows
    assert counts(app)[0] == 5000
    print(f"\n5,000 rows: preview {preview_seconds:.2f} s, import {import_seconds:.2f} s")


def _lines_to_fix_link(html: str) -> str:
    found = re.search(r'href="(/reports/invitations/import/[^"]+/lines-to-fix\.csv\?[^"]+)"', html)
    assert found, "no link to the lines to fix"
    return found.group(1).replace("&amp;", "&")


def test_the_lines_with_problems_download_as_typed_with_what_to_fix(app, world, login_as):
    client = login_as(world.manager)
    html = page(upload(client, mixed(world), world.own.id, name="May intake.csv"))
    assert "Download the 5 lines to fix as CSV" in text_of(html)
    response = client.get(_lines_to_fix_link(html))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="may-intake-lines-to-fix.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["email", "name", "audience", "start_date", "what_to_fix"]
    typed = [row[:4] for row in rows[1:]]
    # As typed (the bad date too), in the file's order; no line that was fine.
    assert typed == [
        ["not-an-address", "Bad Email", "officer", ""],
        ["new.three@example.org", "Odd Audience", "officers", ""],
        ["new.four@example.org", "Odd Date", "officer", "31/02/2027"],
        ["NEW.ONE@example.org", "Duplicate", "officer", ""],
        ["new.five@example.org", "Too Many", "officer", ""],
    ]
    assert "did you mean 'officer'?" in rows[2][4]
    assert "is not a date" in rows[3][4]
    # Corrected and uploaded again with its last column, the column is not even mentioned.
    fixed = response.get_data(as_text=True).replace("officers", "officer")
    again = text_of(page(upload(client, fixed, world.own.id)))
    assert "not used and were ignored" not in again
    assert "Will be invited" in row_text(page(upload(client, fixed, world.own.id)), "Odd Audience")


def test_lines_to_fix_only_for_the_person_who_uploaded_and_while_kept(app, world, login_as):
    client = login_as(world.manager)
    html = page(upload(client, "email,name,audience\nnope,No One,officer\n", world.own.id))
    assert "No line of this file can be imported" in text_of(html)
    link = _lines_to_fix_link(html)  # kept, though nothing can be imported
    assert client.get(link).status_code == 200
    # Someone else, or a wrong digest: sent back to upload it again, with a message.
    other = login_as(world.admin)
    response = other.get(link)
    assert response.status_code == 302 and response.location.endswith(IMPORT)
    wrong = client.get(link.split("digest=")[0] + "digest=" + "0" * 64)
    assert wrong.status_code == 302
    assert "Upload it again to see its lines to fix." in text_of(page(client.get(IMPORT)))


def test_the_problems_are_listed_above_the_lines_each_with_its_line(app, world, login_as):
    html = page(upload(login_as(world.manager), mixed(world), world.own.id))
    listed = text_of(html.split('<ul class="import-problems">', 1)[1].split("</ul>", 1)[0])
    assert "Line 4, Bad Email: " in listed and "not an email address" in listed
    assert "Line 5, Odd Audience: Unknown audience 'officers': did you mean 'officer'?" in listed
    assert "new.one@example.org" not in listed  # a line that is fine is not listed
    assert 'class="table--stack"' in html and 'data-label="What will happen"' in html


def test_a_councils_own_headings_words_and_dates_are_read(app, world, login_as):
    client = login_as(world.manager)
    html = page(
        upload(
            client,
            "E-mail address,Full name,Type,Election date\r\n"
            "cllr.one@example.org,Cllr One,Cllr,7 May 2026\r\n"
            "officer.two@example.org,Officer Two,Council officer,7 Sep 2026\r\n"
            "friend.three@example.org,Friend Three,Affiliate member,\r\n"
            "odd.four@example.org,Odd Four,Council officer,7 Mayo 2026\r\n",
            world.own.id,
        )
    )
    text = text_of(html)
    assert "4 lines: 3 will be invited, 0 skipped, 1 with problems." in text
    assert "7 May 2026" in row_text(html, "cllr.one@example.org")
    assert "councillor" in row_text(html, "cllr.one@example.org").lower()
    assert "7 September 2026" in row_text(html, "officer.two@example.org")
    assert "Start date '7 Mayo 2026' is not a date: write it as 7 May 2027" in row_text(
        html, "odd.four@example.org"
    )
    confirm(client, html)
    with app.app_context():
        invited = {
            i.email: (i.audience, i.start_date) for i in db.session.scalars(select(Invitation))
        }
    assert invited["cllr.one@example.org"] == ("councillor", dt.date(2026, 5, 7))
    assert invited["officer.two@example.org"] == ("officer", dt.date(2026, 9, 7))
    assert invited["friend.three@example.org"] == ("affiliate", None)


def test_a_name_in_two_columns_and_excels_dates_are_read(app, world, login_as):
    """A council's spreadsheet saved as CSV: First name and Surname, and UK dates as Excel
    writes them ("7-May-26") or typed short ("7/5/26")."""
    client = login_as(world.manager)
    html = page(
        upload(
            client,
            "Email,First name,Surname,Type,Date elected\r\n"
            "cllr.one@example.org,Ada,Jones,Cllr,7-May-26\r\n"
            "cllr.two@example.org,Sam,Patel,Cllr,7/5/26\r\n"
            "cllr.three@example.org,,Evans,Cllr,\r\n",
            world.own.id,
        )
    )
    text = text_of(html)
    assert "3 lines: 3 will be invited, 0 skipped, 0 with problems." in text
    assert "were ignored" not in text  # both name columns are read
    confirm(client, html)
    with app.app_context():
        invited = {i.email: (i.name, i.start_date) for i in db.session.scalars(select(Invitation))}
    assert invited["cllr.one@example.org"] == ("Ada Jones", dt.date(2026, 5, 7))
    assert invited["cllr.two@example.org"] == ("Sam Patel", dt.date(2026, 5, 7))
    assert invited["cllr.three@example.org"] == ("Evans", None)


def test_the_file_to_fill_in_reads_back_as_two_invitations(world, login_as):
    client = login_as(world.manager)
    import_page = page(client.get(IMPORT))
    assert 'href="/reports/invitations/import/template.csv" download>' in import_page
    template = client.get("/reports/invitations/import/template.csv")
    assert template.headers["Content-Type"].startswith("text/csv")
    rows = csv_rows_of(template)
    assert rows[0] == ["email", "name", "audience", "start_date"]
    html = page(upload(client, template.get_data(), world.own.id))
    assert "2 lines: 2 will be invited, 0 skipped, 0 with problems." in text_of(html)


def csv_rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
