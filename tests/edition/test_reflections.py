"""Reflection prompts: a private box in the lesson, saved to the learner's own record only."""

from __future__ import annotations

import json
import re

from sqlalchemy import func, select

from induction.extensions import db
from induction.progress.models import Reflection
from induction.progress.reflections import MAX_REFLECTION
from tests.edition.conftest import LESSON
from tests.quizzes.pages import page, text_of

SAVE = f"{LESSON}/reflections/reflect-values"
FIELD = "reflection-reflect-values-text"


def saved(app, user_id: int) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(Reflection.prompt_id, Reflection.text).where(Reflection.user_id == user_id)
        ).all()
        return [tuple(row) for row in rows]


def test_the_lesson_shows_a_labelled_box_with_its_own_save_button(login_as):
    html = page(login_as().get(LESSON))
    section = html[html.index('id="reflection-reflect-values"') :]
    section = section[: section.index("</section>")]
    assert "How does <strong>your council</strong> put these values into practice?" in section
    assert (
        f'<label class="label" for="{FIELD}">Your answer (only you can see it)</label>' in section
    )
    assert re.search(rf'<textarea[^>]*id="{FIELD}"[^>]*name="{FIELD}"', section) or re.search(
        rf'<textarea[^>]*name="{FIELD}"', section
    )
    assert "reflection-reflect-values-prompt" in section  # the question describes the box
    assert f'action="{SAVE}"' in section
    assert "Save your reflection" in section
    assert "Only you can see what you write" in section
    # The text around the block is still there, in order.
    text = text_of(html)
    assert text.index("many ways.") < text.index("Reflect") < text.index("Who to contact")


def test_saving_keeps_the_text_for_the_learner_and_shows_it_again(app, login_as):
    client = login_as()
    response = client.post(SAVE, data={FIELD: "We co-produce\r\nour budget."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{LESSON}#reflection-reflect-values")
    assert saved(app, client.user.id) == [("reflect-values", "We co-produce\nour budget.")]
    html = page(client.get(LESSON))
    assert "Your reflection is saved. Only you can see it." in text_of(html)
    assert "We co-produce\nour budget.</textarea>" in html
    # Saving again replaces the text; it is never doubled.
    client.post(SAVE, data={FIELD: "Second thoughts."})
    assert saved(app, client.user.id) == [("reflect-values", "Second thoughts.")]


def test_reflections_are_optional_and_blank_text_clears_them(app, login_as):
    client = login_as()
    client.post(SAVE, data={FIELD: "Something."})
    client.post(SAVE, data={FIELD: "   "})
    assert saved(app, client.user.id) == []
    assert "Your reflection is cleared." in text_of(page(client.get(LESSON)))
    # The lesson completes without any reflection.
    response = client.post(f"{LESSON}/complete")
    assert response.status_code == 302


def test_each_learner_sees_only_their_own_reflection(app, login_as, make_org):
    org = make_org()
    first = login_as(organisation=org)
    first.post(SAVE, data={FIELD: "Private to the first learner."})
    second = login_as(organisation=org)
    assert "Private to the first learner." not in page(second.get(LESSON))
    manager = login_as(role="manager", organisation=org)
    assert "Private to the first learner." not in page(manager.get(LESSON))


def test_too_long_a_reflection_is_refused_and_kept_in_the_box(app, login_as):
    client = login_as()
    long_text = "x" * (MAX_REFLECTION + 1)
    response = client.post(SAVE, data={FIELD: long_text})
    assert response.status_code == 400
    html = page(response)
    assert "There is a problem" in html
    assert f"the most it can hold is {MAX_REFLECTION:,}" in html
    assert f"{long_text}</textarea>" in html
    assert f'href="#{FIELD}"' in html
    assert saved(app, client.user.id) == []


def test_a_control_character_is_refused_with_a_message(app, login_as):
    client = login_as()
    response = client.post(SAVE, data={FIELD: "bad\x00text"})
    assert response.status_code == 400
    assert saved(app, client.user.id) == []


def test_an_unknown_prompt_or_lesson_is_not_found(login_as):
    client = login_as()
    assert client.post(f"{LESSON}/reflections/nope", data={FIELD: "x"}).status_code == 404
    assert (
        client.post("/courses/edition/lessons/nope/reflections/reflect-values").status_code == 404
    )


def test_signed_out_visitors_cannot_save(app):
    response = app.test_client().post(SAVE, data={FIELD: "x"})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_saving_needs_the_forms_csrf_token(app_factory, make_user):
    from tests.edition.conftest import EDITION_COURSES
    from tests.factories import sign_in

    app = app_factory(COURSES_DIR=str(EDITION_COURSES), WTF_CSRF_ENABLED=True)
    user = make_user()
    client = app.test_client()
    sign_in(client, user)
    response = client.post(SAVE, data={FIELD: "No token."})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Reflection)) == 0
    html = page(client.get(LESSON))
    token = re.search(r'name="reflection-reflect-values-csrf_token"[^>]*value="([^"]+)"', html)
    assert token is not None
    response = client.post(
        SAVE, data={FIELD: "With token.", "reflection-reflect-values-csrf_token": token.group(1)}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Reflection.text)) == "With token."


def test_reflections_are_in_the_learners_own_download(app, login_as):
    client = login_as()
    client.post(SAVE, data={FIELD: "Mine to keep."})
    data = json.loads(page(client.get("/my/record.json")))
    [entry] = data["reflections"]
    assert entry["course_id"] == "edition"
    assert entry["lesson_id"] == "in-practice"
    assert entry["prompt_id"] == "reflect-values"
    assert entry["text"] == "Mine to keep."


def test_officers_reports_never_show_a_reflection(app, login_as, make_org):
    org = make_org()
    learner = login_as(organisation=org)
    learner.post(SAVE, data={FIELD: "A private thought."})
    learner.post(f"{LESSON}/complete")
    person = learner.user.id
    for client in (login_as(role="manager", organisation=org), login_as(role="admin")):
        for url in (
            f"/reports/organisations/{org.id}?course=edition",
            f"/reports/organisations/{org.id}/export.csv?course=edition",
            f"/reports/people/{person}",
            f"/reports/people/{person}/record.csv",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "A private thought." not in page(response), url
    admin = login_as(role="admin")
    for url in ("/reports/network?course=edition", "/reports/questions?course=edition"):
        response = admin.get(url)
        assert response.status_code == 200, url
        assert "A private thought." not in page(response), url


def test_the_data_rights_export_holds_reflections_and_erasure_deletes_them(app, login_as):
    learner = login_as()
    learner.post(SAVE, data={FIELD: "Subject to erasure."})
    admin = login_as(role="admin")
    person = learner.user.id
    export = json.loads(page(admin.post(f"/admin/people/{person}/data/export.json")))
    assert [r["text"] for r in export["reflections"]] == ["Subject to erasure."]
    response = admin.post(f"/admin/people/{person}/data/erase", data={"email": learner.user.email})
    assert response.status_code in (302, 303)
    assert saved(app, person) == []
    export = json.loads(page(admin.post(f"/admin/people/{person}/data/export.json")))
    assert export["reflections"] == []
