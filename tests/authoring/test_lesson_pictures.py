"""A new picture is uploaded from the lesson editor itself: it joins the course's draft
pictures and its line is added to the end of the lesson's text, without leaving the page."""

from __future__ import annotations

import io

from tests.authoring.conftest import BASICS, WELCOME, audit_events, edit_url, text_of
from tests.authoring.test_lesson_editor import draft_text, form_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"\x00" * 64
MODULE = "01-first-steps"
NEW_LESSON = f"/admin/courses/{BASICS}/modules/{MODULE}/new-lesson"
MEDIA_FILE = f"/admin/courses/{BASICS}/media-file/"


def with_picture(form: dict, name: str, data: bytes, alt: str, **fields) -> dict:
    sent = {key: value for key, value in form.items() if key != "picture"}
    return {**sent, "picture": (io.BytesIO(data), name), "picture_alt": alt, **fields}


def post(client, url: str, data: dict):
    return client.post(url, data=data, content_type="multipart/form-data")


def test_saving_a_lesson_with_a_new_picture_uploads_it_and_adds_its_line(app, admin):
    form = form_of(text_of(admin.get(edit_url(WELCOME))))
    data = with_picture(form, "Council Map.PNG", PNG, "A map of the member councils", save="x")
    response = post(admin, edit_url(WELCOME), data)
    assert response.status_code == 302
    page = text_of(admin.get(response.headers["Location"]))
    assert "Added the picture council-map.png to the course&#39;s pictures" in page
    assert admin.get(MEDIA_FILE + "council-map.png").data == PNG  # in the draft's pictures
    assert draft_text(admin, WELCOME).endswith(
        "\n\n![A map of the member councils](../media/council-map.png)\n"
    )
    [event] = audit_events(app, "course_media.uploaded")
    assert event.details["name"] == "council-map.png"


def test_previewing_a_new_lesson_with_a_picture_keeps_the_picture_and_shows_it(admin, tree):
    form = form_of(text_of(admin.get(NEW_LESSON)))
    data = with_picture(
        form, "map.png", PNG, "A map", title="On the map", body="Where we are.\n", check="x"
    )
    response = post(admin, NEW_LESSON, data)
    assert response.status_code == 200
    page = text_of(response)
    # The line is in the text box, the preview shows the draft's picture, nothing created yet.
    assert form_of(page)["body"][0].replace("\r\n", "\n") == (
        "Where we are.\n\n![A map](../media/map.png)\n"
    )
    assert f'src="{MEDIA_FILE}map.png"' in page
    assert admin.get(MEDIA_FILE + "map.png").status_code == 200
    assert not (tree / BASICS / MODULE / "04-on-the-map.md").exists()
    # Pressing Save later does not upload it twice: the picture field is empty then.
    again = form_of(page)
    assert post(admin, NEW_LESSON, {**again, "save": "x"}).status_code == 302


def test_a_new_picture_needs_its_description_and_nothing_is_uploaded_without_it(admin):
    form = form_of(text_of(admin.get(edit_url(WELCOME))))
    response = post(admin, edit_url(WELCOME), with_picture(form, "map.png", PNG, " ", save="x"))
    assert response.status_code == 400
    assert "Describe what the picture shows" in text_of(response)
    assert admin.get(MEDIA_FILE + "map.png").status_code == 404


def test_a_file_that_is_not_a_picture_is_refused_with_a_message(admin):
    form = form_of(text_of(admin.get(edit_url(WELCOME))))
    response = post(
        admin, edit_url(WELCOME), with_picture(form, "notes.pdf", PDF, "Notes", save="x")
    )
    assert response.status_code == 400
    assert "notes.pdf is not a picture: choose a PNG, JPEG, GIF, WebP or SVG file" in text_of(
        response
    )
    assert "notes.pdf" not in draft_text(admin, WELCOME)


def test_another_picture_with_the_same_name_is_not_replaced(admin):
    form = form_of(text_of(admin.get(edit_url(WELCOME))))
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><circle r="3"/></svg>'
    response = post(admin, edit_url(WELCOME), with_picture(form, "diagram.svg", svg, "X", save="x"))
    assert response.status_code == 400
    assert "The course already has another picture called diagram.svg" in text_of(response)
    assert admin.get(MEDIA_FILE + "diagram.svg").data != svg


def test_the_editor_offers_the_upload_without_javascript(admin):
    page = text_of(admin.get(edit_url(WELCOME)))
    assert 'enctype="multipart/form-data"' in page
    assert '<legend class="fieldset__legend">Add a new picture</legend>' in page
    assert 'type="file"' in page and 'name="picture"' in page


# -- the whole file as text ------------------------------------------------------------------

AS_TEXT = edit_url(WELCOME) + "?as=text"


def test_the_whole_file_editor_offers_the_same_new_picture_fields(admin):
    page = text_of(admin.get(AS_TEXT))
    assert 'enctype="multipart/form-data"' in page
    assert '<legend class="fieldset__legend">Add a new picture</legend>' in page
    assert 'name="picture"' in page and 'name="picture_alt"' in page
    # A course file that is not a lesson has no picture to add.
    assert 'name="picture"' not in text_of(admin.get(edit_url("course.md")))


def test_checking_the_whole_file_with_a_new_picture_uploads_it_and_adds_its_line(app, admin):
    form = form_of(text_of(admin.get(AS_TEXT)))
    data = with_picture(form, "Council Map.PNG", PNG, "A map of the member councils", check="x")
    response = post(admin, AS_TEXT, data)
    assert response.status_code == 200
    page = text_of(response)
    text = form_of(page)["text"][0].replace("\r\n", "\n")
    assert text.startswith("---\ntitle: Welcome\n---\n")  # the settings stay as written
    assert text.endswith("\n\n![A map of the member councils](../media/council-map.png)\n")
    assert "Added the picture council-map.png" in page
    assert f'src="{MEDIA_FILE}council-map.png"' in page  # the preview shows it already
    assert admin.get(MEDIA_FILE + "council-map.png").data == PNG
    [event] = audit_events(app, "course_media.uploaded")
    assert event.details["name"] == "council-map.png"
    # Saving the text keeps the line; the picture is not sent again.
    saved = post(admin, AS_TEXT, {**form_of(page), "save": "x"})
    assert saved.status_code == 302
    assert draft_text(admin, WELCOME).endswith("(../media/council-map.png)\n")
    assert len(audit_events(app, "course_media.uploaded")) == 1


def test_the_whole_file_editor_refuses_a_picture_as_the_form_does(admin):
    form = form_of(text_of(admin.get(AS_TEXT)))
    no_words = post(admin, AS_TEXT, with_picture(form, "map.png", PNG, " ", save="x"))
    assert no_words.status_code == 400
    assert "Describe what the picture shows" in text_of(no_words)
    assert admin.get(MEDIA_FILE + "map.png").status_code == 404
    not_picture = post(admin, AS_TEXT, with_picture(form, "notes.pdf", PDF, "Notes", save="x"))
    assert not_picture.status_code == 400
    assert "notes.pdf is not a picture" in text_of(not_picture)
    assert "notes.pdf" not in draft_text(admin, WELCOME)
