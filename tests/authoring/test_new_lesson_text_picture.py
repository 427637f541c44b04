"""A new lesson written as text ("Write a new lesson", then the whole file as text) has
the same "Add a new picture" as the lesson's form and the whole-file editor: the picture
joins the course's draft pictures and its line is added to the end of the text."""

from __future__ import annotations

from tests.authoring.conftest import BASICS, audit_events, text_of
from tests.authoring.test_lesson_editor import form_of
from tests.authoring.test_lesson_pictures import (
    MEDIA_FILE,
    MODULE,
    NEW_LESSON,
    PDF,
    PNG,
    post,
    with_picture,
)

NEW_AS_TEXT = NEW_LESSON + "?as=text"


def test_the_new_lesson_text_form_offers_the_same_new_picture_fields(admin):
    page = text_of(admin.get(NEW_AS_TEXT))
    assert 'enctype="multipart/form-data"' in page
    assert '<legend class="fieldset__legend">Add a new picture</legend>' in page
    assert 'name="picture"' in page and 'name="picture_alt"' in page
    assert "When you press Check and preview or Create the lesson" in page


def test_a_new_lesson_written_as_text_takes_a_picture_then_is_created_with_it(app, admin, tree):
    form = form_of(text_of(admin.get(NEW_AS_TEXT)))
    form["file_name"] = ["04-on-the-map.md"]
    form["text"] = ["---\ntitle: On the map\n---\n\nWhere we are.\n"]
    data = with_picture(form, "Council Map.PNG", PNG, "A map of the member councils", check="x")
    response = post(admin, NEW_AS_TEXT, data)
    assert response.status_code == 200
    page = text_of(response)
    text = form_of(page)["text"][0].replace("\r\n", "\n")
    assert text.endswith(
        "Where we are.\n\n![A map of the member councils](../media/council-map.png)\n"
    )
    assert "Added the picture council-map.png" in page
    assert admin.get(MEDIA_FILE + "council-map.png").data == PNG
    assert not (tree / BASICS / MODULE / "04-on-the-map.md").exists()  # only previewed
    # Creating it keeps the line; the picture is not sent again.
    created = post(admin, NEW_AS_TEXT, {**form_of(page), "save": "x"})
    assert created.status_code == 302
    assert len(audit_events(app, "course_media.uploaded")) == 1


def test_the_new_lesson_text_form_refuses_a_file_that_is_not_a_picture(admin):
    form = form_of(text_of(admin.get(NEW_AS_TEXT)))
    form["file_name"] = ["04-notes.md"]
    refused = post(admin, NEW_AS_TEXT, with_picture(form, "notes.pdf", PDF, "Notes", save="x"))
    assert refused.status_code == 400
    assert "notes.pdf is not a picture" in text_of(refused)
