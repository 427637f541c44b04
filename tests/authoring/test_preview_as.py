"""'Preview as': an admin sees the course pages exactly as one audience does, until stopped."""

from __future__ import annotations

import pytest

from tests.authoring.conftest import text_of

OFFICER_LESSON = "/courses/basics/lessons/officers-only"


def start(client, audience: str):
    return client.post("/admin/courses/preview", data={"audience": audience})


def test_admins_see_every_audience_until_they_preview(admin):
    page = text_of(admin.get("/courses/basics/"))
    assert "For officers" in page
    assert "Previewing as" not in page


def test_previewing_as_councillors_hides_what_councillors_do_not_see(admin, tree):
    course_md = tree / "02-drafty" / "course.md"
    course_md.write_text(
        course_md.read_text().replace("draft: true", "draft: true\naudiences: [officer]")
    )
    response = start(admin, "councillor")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/courses/")
    listing = text_of(admin.get("/courses/"))
    assert "Previewing as councillors." in listing
    assert "Stop preview" in listing
    assert "Basics" in listing and "Drafty" not in listing
    course = text_of(admin.get("/courses/basics/"))
    assert "For officers" not in course
    assert "0 of 4 done" in course  # 2 + 1 lessons and the quiz, as a councillor counts them
    module = text_of(admin.get("/courses/basics/modules/first-steps"))
    assert "For officers" not in module
    assert admin.get(OFFICER_LESSON).status_code == 404
    lesson = text_of(admin.get("/courses/basics/lessons/rules"))
    assert "For officers" not in lesson


def test_previewing_as_officers_shows_their_lessons(admin):
    start(admin, "officer")
    assert admin.get(OFFICER_LESSON).status_code == 200
    assert "Previewing as council officers." in text_of(admin.get("/courses/basics/"))


def test_stopping_the_preview(admin):
    start(admin, "councillor")
    response = admin.post("/admin/courses/preview/stop")
    assert response.status_code == 302
    assert admin.get(OFFICER_LESSON).status_code == 200
    assert "Previewing as" not in text_of(admin.get("/courses/"))


@pytest.mark.parametrize("audience", ["", "admin", "everyone"])
def test_an_unknown_audience_is_a_form_error(admin, audience):
    response = start(admin, audience)
    assert response.status_code == 400
    assert "There is a problem" in text_of(response)
    assert "Previewing as" not in text_of(admin.get("/courses/"))


def test_a_learner_cannot_preview_another_audience(app, login_as):
    learner = login_as(audience="councillor")
    assert start(learner, "officer").status_code == 403
    with learner.session_transaction() as session:
        session["preview_audience"] = "officer"  # even a forged session changes nothing
    assert learner.get(OFFICER_LESSON).status_code == 404


def test_admins_find_edit_links_on_the_course_pages(admin, login_as):
    lesson = text_of(admin.get("/courses/basics/lessons/rules"))
    assert (
        'href="/admin/courses/01-basics/files/01-first-steps/02-rules.md">Edit this lesson'
        in lesson
    )
    module = text_of(admin.get("/courses/basics/modules/first-steps"))
    assert 'href="/admin/courses/01-basics/files/01-first-steps/module.md"' in module
    course = text_of(admin.get("/courses/basics/"))
    assert 'href="/admin/courses/01-basics/"' in course
    assert "/admin/courses/" not in text_of(login_as().get("/courses/basics/lessons/rules"))


def test_templates_drawn_without_a_request_still_render(app):
    # Emails are rendered from commands and jobs, with no request and no session.
    from flask import render_template_string

    with app.app_context():
        assert render_template_string("{{ preview_audience is none }}") == "True"


QUIZ_PAGE = "/courses/basics/modules/first-steps/quiz"


def test_quiz_pages_respect_the_preview_like_lesson_pages(admin, tree):
    from tests.quizzes.pages import start as start_quiz

    module_md = tree / "01-basics" / "01-first-steps" / "module.md"
    module_md.write_text(module_md.read_text().replace("title:", "audiences: [officer]\ntitle:", 1))
    assert start_quiz(admin, QUIZ_PAGE)  # every audience's quiz, before the preview
    start(admin, "councillor")
    # Councillors do not see the module, so neither its lessons nor its quiz are there.
    assert admin.get("/courses/basics/lessons/rules").status_code == 404
    assert admin.get(QUIZ_PAGE).status_code == 404
    assert admin.post(QUIZ_PAGE).status_code == 404
    start(admin, "officer")
    assert admin.get(QUIZ_PAGE).status_code == 200
