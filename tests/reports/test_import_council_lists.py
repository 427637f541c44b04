"""Inviting from a council's own list as it comes: no audience column (everyone chosen at
once on the upload page), and a file saved as Excel's plain CSV (Windows-1252)."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from induction.accounts import bulk_invitations
from induction.accounts.models import Invitation
from induction.extensions import db
from tests.quizzes.pages import form_with_button, page, text_of
from tests.reports.test_bulk_invitations import CONFIRM, IMPORT, confirm, counts, row_text

# The councillors elected, as a democratic services team would export them: no audience.
ELECTED = (
    "Title,First name,Surname,Ward,Party,Email address,Election date\r\n"
    "Cllr,Siân,Roberts,Canton,Labour,sian.roberts@example.gov.uk,\r\n"
    "Cllr,Gareth,O'Neill,Riverside,Plaid Cymru,gareth.oneill@example.gov.uk,\r\n"
)


def upload(client, data: bytes, organisation_id: int, audience: str | None = None):
    form = {"file": (io.BytesIO(data), "elected.csv"), "organisation": str(organisation_id)}
    if audience is not None:
        form["audience"] = audience
    return client.post(IMPORT, data=form, content_type="multipart/form-data")


def invited(app) -> dict[str, tuple[str, str]]:
    with app.app_context():
        return {i.email: (i.name, i.audience) for i in db.session.scalars(select(Invitation)).all()}


def test_a_list_without_an_audience_column_says_to_choose_who_is_in_it(app, world, login_as):
    html = page(upload(login_as(world.manager), ELECTED.encode(), world.own.id))
    text = text_of(html)
    assert "so audience is missing" in text
    assert "choose them under 'Who is in the file?'" in text
    # The upload page offers the choice.
    assert "Who is in the file?" in text and "Everyone is a councillor" in text


def test_everyone_chosen_as_councillors_is_invited_as_councillors(app, world, login_as):
    client = login_as(world.manager)
    html = page(upload(client, ELECTED.encode(), world.own.id, "councillor"))
    text = text_of(html)
    assert "2 lines: 2 will be invited, 0 skipped, 0 with problems." in text
    assert "Who is in the file: councillors" in text
    assert "councillor" in row_text(html, "Siân Roberts")
    response = confirm(client, html)
    assert response.status_code == 302
    assert invited(app) == {
        "sian.roberts@example.gov.uk": ("Siân Roberts", "councillor"),
        "gareth.oneill@example.gov.uk": ("Gareth O'Neill", "councillor"),
    }


def test_a_line_that_names_its_own_audience_keeps_it(app, world, login_as):
    data = (
        b"email,name,audience\r\n"
        b"lead@example.gov.uk,Lee Lead,officer\r\n"
        b"cllr@example.gov.uk,Cal Cllr,\r\n"
        b"us@example.gov.uk,Una Spelling,Councilor\r\n"
    )
    client = login_as(world.manager)
    html = page(upload(client, data, world.own.id, "councillor"))
    confirm(client, html)
    assert invited(app) == {
        "lead@example.gov.uk": ("Lee Lead", "officer"),
        "cllr@example.gov.uk": ("Cal Cllr", "councillor"),
        "us@example.gov.uk": ("Una Spelling", "councillor"),  # the American spelling is read
    }


def test_the_lines_to_fix_keep_the_audience_chosen(app, world, login_as):
    data = ELECTED.replace("gareth.oneill@example.gov.uk", "gareth.oneill@").encode()
    client = login_as(world.manager)
    html = page(upload(client, data, world.own.id, "councillor"))
    link = re.search(r'href="([^"]*lines-to-fix\.csv[^"]*)"', html)
    assert link is not None and "audience=councillor" in link.group(1)
    fix = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "not an email address" in fix
    assert "Audience is missing" not in fix  # the choice still stands


def test_an_audience_that_is_none_is_refused(app, world, login_as):
    client = login_as(world.manager)
    html = page(upload(client, ELECTED.encode(), world.own.id, "mayor"))
    assert "Not a valid choice" in text_of(html)
    preview = page(upload(client, ELECTED.encode(), world.own.id, "councillor"))
    form = form_with_button(preview, "Invite").hidden()
    form["audience"] = "mayor"  # altered in the browser
    before = counts(app)
    assert client.post(CONFIRM, data=form).status_code == 400
    assert counts(app) == before


def test_a_file_saved_as_plain_csv_on_windows_is_read_and_the_page_says_so(app, world, login_as):
    data = ELECTED.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    client = login_as(world.manager)
    html = page(upload(client, data, world.own.id, "councillor"))
    text = text_of(html)
    assert "2 will be invited" in text
    assert bulk_invitations.WINDOWS_NOTE in text
    assert "Siân Roberts" in text
    confirm(client, html)
    assert invited(app)["sian.roberts@example.gov.uk"] == ("Siân Roberts", "councillor")
    # The same list in UTF-8 says nothing of it.
    again = page(upload(client, ELECTED.encode(), world.own.id, "councillor"))
    assert bulk_invitations.WINDOWS_NOTE not in text_of(again)


@pytest.mark.parametrize(
    "data",
    [
        "email,name,audience\r\nx@example.org,Zoë,officer\r\n".encode("utf-16"),
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5\x8c",  # an Excel workbook
    ],
)
def test_a_file_that_is_not_a_csv_is_refused_with_what_to_do(app, world, login_as, data):
    before = counts(app)
    text = text_of(page(upload(login_as(world.manager), data, world.own.id)))
    assert "save it as 'CSV UTF-8'" in text
    assert counts(app) == before
