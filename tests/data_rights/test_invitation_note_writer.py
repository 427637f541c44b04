"""A person's own data download names who wrote each invitation note they were sent,
in the same words as the email: the writer's name, or plain words once the writer was
erased."""

from __future__ import annotations

import csv
import io
import json

from induction.accounts.models import User
from induction.admin import data_rights_service
from induction.extensions import db

NOTE = "Ring me if you get stuck."


def _export(client, person_id: int) -> dict:
    response = client.post(f"/admin/people/{person_id}/data/export.json")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


def test_the_download_names_the_writer_of_each_invitation_note(app, make_org, make_user, login_as):
    ashbury = make_org("Ashbury Council")
    writer = make_user(role="manager", organisation=ashbury, name="Wendy Writer")
    response = login_as(writer).post(
        "/admin/people/invite",
        data={"email": "noted@example.org", "role": "learner", "audience": "officer", "note": NOTE},
    )
    assert response.status_code == 302
    person = make_user(email="noted@example.org", organisation=ashbury, name="Noel Noted")
    admin = make_user(role="admin", name="Ada Admin")
    client = login_as(admin)

    [invitation] = _export(client, person.id)["invitations"]
    assert (invitation["note"], invitation["note_written_by"]) == (NOTE, "Wendy Writer")
    csv_text = client.post(f"/admin/people/{person.id}/data/export.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert ["invitations", "1", "note_written_by", "Wendy Writer"] in rows

    with app.app_context():
        data_rights_service.erase(
            db.session.get(User, writer.id), actor=db.session.get(User, admin.id)
        )
        db.session.commit()
    [invitation] = _export(client, person.id)["invitations"]
    assert invitation["note_written_by"] == "A former lead officer of Ashbury Council"


def test_an_invitation_without_a_note_has_no_writer(app, make_org, make_user, login_as):
    ashbury = make_org("Ashbury Council")
    writer = make_user(role="manager", organisation=ashbury, name="Wendy Writer")
    login_as(writer).post(
        "/admin/people/invite",
        data={"email": "plain@example.org", "role": "learner", "audience": "officer"},
    )
    person = make_user(email="plain@example.org", organisation=ashbury)
    [invitation] = _export(login_as(role="admin"), person.id)["invitations"]
    assert (invitation["note"], invitation["note_written_by"]) == ("", None)
