"""Your council's notes: each organisation's lead officer fills in a lesson's slot."""

from __future__ import annotations

from sqlalchemy import select

from induction.accounts.audit import AuditEvent
from induction.courses.council_notes import MAX_NOTES
from induction.courses.models import CouncilNote
from induction.extensions import db
from tests.edition.conftest import LESSON
from tests.quizzes.pages import page, text_of

DEFAULT = "Ask the network team if your council has written nothing here."


def editor(org_id: int, slot: str = "local-contacts") -> str:
    return f"/organisations/{org_id}/notes/edition/in-practice/{slot}"


def test_learners_see_the_default_text_until_their_council_writes(login_as, make_org):
    org = make_org(name="Oldtown Council")
    learner = login_as(organisation=org)
    text = text_of(page(learner.get(LESSON)))
    assert f"Your council {DEFAULT}" in text
    # The empty slot shows nothing at all to a learner.
    assert "has not written anything here yet" not in text


def test_a_lead_officer_writes_notes_their_learners_see(app, login_as, make_org):
    own, other = make_org(name="Oldtown Council"), make_org(name="Newtown Council")
    manager = login_as(role="manager", organisation=own)
    lesson = page(manager.get(LESSON))
    assert f'href="{editor(own.id)}"' in lesson
    assert f'href="{editor(own.id, "adopted")}"' in lesson  # the empty slot is editable too
    # Each edit link says which space it is for, so two of them never read the same.
    assert '<span class="visually-hidden">, under “Who to contact”</span>' in lesson
    form = page(manager.get(editor(own.id)))
    assert "Notes for “Values in practice”" in text_of(form)
    assert "see these notes in the lesson, under “Who to contact”" in text_of(form)
    assert DEFAULT in text_of(form)  # the course's own text, for comparison
    response = manager.post(
        editor(own.id), data={"body": "Call **Sam Smith** on 0161 000 0000.\n\n- Item one"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/organisations/{own.id}/notes")
    ours = page(login_as(organisation=own).get(LESSON))
    assert "From Oldtown Council" in text_of(ours)
    assert "Call <strong>Sam Smith</strong> on 0161 000 0000." in ours
    assert "<li>Item one</li>" in ours
    assert DEFAULT not in ours
    theirs = page(login_as(organisation=other).get(LESSON))
    assert "Sam Smith" not in theirs
    assert DEFAULT in theirs
    with app.app_context():
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "council_notes.saved")
        ).all()
        assert event.actor_id == manager.user.id
        assert event.organisation_id == own.id
        assert event.details["slot"] == "local-contacts"
        assert event.details["lesson"] == "in-practice"


def test_notes_are_sanitised_like_every_lesson(app, login_as, make_org):
    org = make_org()
    manager = login_as(role="manager", organisation=org)
    manager.post(
        editor(org.id),
        data={
            "body": 'Hi <script>alert(1)</script> <a href="javascript:alert(2)">x</a>'
            ' <img src=x onerror="alert(3)">'
        },
    )
    html = page(login_as(organisation=org).get(LESSON))
    notes = html[html.index('id="council-notes-local-contacts"') :]
    notes = notes[: notes.index("</aside>")]
    assert "<script" not in notes
    assert "javascript:" not in notes
    assert "onerror" not in notes
    with app.app_context():
        stored = db.session.scalars(select(CouncilNote)).one()
        assert "<script" in stored.body  # what the officer wrote is kept for them to edit
        assert "<script" not in stored.html


def test_clearing_the_notes_brings_back_the_default(app, login_as, make_org):
    org = make_org()
    manager = login_as(role="manager", organisation=org)
    manager.post(editor(org.id), data={"body": "Our own text."})
    manager.post(editor(org.id), data={"body": "  "})
    with app.app_context():
        assert db.session.scalars(select(CouncilNote)).all() == []
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("council_notes.%"))
        ).all()
        assert sorted(actions) == ["council_notes.cleared", "council_notes.saved"]
    assert DEFAULT in page(login_as(organisation=org).get(LESSON))


def test_saving_twice_keeps_one_note(app, login_as, make_org):
    org = make_org()
    manager = login_as(role="manager", organisation=org)
    manager.post(editor(org.id), data={"body": "First."})
    manager.post(editor(org.id), data={"body": "Second."})
    with app.app_context():
        assert db.session.scalars(select(CouncilNote.body)).all() == ["Second."]


def test_another_organisations_notes_are_not_found_for_an_officer(login_as, make_org):
    own, other = make_org(), make_org()
    manager = login_as(role="manager", organisation=own)
    assert manager.get(editor(other.id)).status_code == 404
    assert manager.post(editor(other.id), data={"body": "Not ours."}).status_code == 404
    assert manager.get(f"/organisations/{other.id}/notes").status_code == 404
    assert manager.get("/organisations/999999/notes").status_code == 404


def test_learners_cannot_edit_notes_and_admins_can_edit_any(login_as, make_org):
    org = make_org()
    learner = login_as(organisation=org)
    assert learner.get(editor(org.id)).status_code == 403
    assert learner.post(editor(org.id), data={"body": "x"}).status_code == 403
    assert 'href="/organisations/' not in page(learner.get(LESSON))
    admin = login_as(role="admin")
    assert f'href="/organisations/{org.id}/notes"' in page(
        admin.get(f"/admin/organisations/{org.id}")
    )
    assert admin.get(editor(org.id)).status_code == 200
    assert admin.post(editor(org.id), data={"body": "From the network."}).status_code == 303
    assert "From the network." in page(login_as(organisation=org).get(LESSON))


def test_unknown_slots_lessons_and_courses_are_not_found(login_as, make_org):
    org = make_org()
    manager = login_as(role="manager", organisation=org)
    assert manager.get(editor(org.id, "nope")).status_code == 404
    assert (
        manager.get(f"/organisations/{org.id}/notes/edition/nope/local-contacts").status_code == 404
    )
    assert (
        manager.get(f"/organisations/{org.id}/notes/nope/in-practice/local-contacts").status_code
        == 404
    )


def test_too_long_notes_are_refused_and_kept_in_the_box(app, login_as, make_org):
    org = make_org()
    manager = login_as(role="manager", organisation=org)
    body = "y" * (MAX_NOTES + 1)
    response = manager.post(editor(org.id), data={"body": body})
    assert response.status_code == 400
    html = page(response)
    assert "There is a problem" in html
    assert f"{body}</textarea>" in html
    with app.app_context():
        assert db.session.scalars(select(CouncilNote)).all() == []


def test_the_officers_area_lists_every_slot(login_as, make_org):
    org = make_org(name="Oldtown Council")
    manager = login_as(role="manager", organisation=org)
    report = page(manager.get(f"/reports/organisations/{org.id}?course=edition"))
    assert f'href="/organisations/{org.id}/notes"' in report
    manager.post(editor(org.id), data={"body": "Written."})
    text = text_of(page(manager.get(f"/organisations/{org.id}/notes")))
    assert "Change the notes for Values in practice, under “Who to contact”" in text
    assert "Write the notes for Values in practice, under “What your council has adopted”" in text
    assert "Not written: learners see the course’s own text" in text
