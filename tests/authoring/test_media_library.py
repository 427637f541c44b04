"""The pictures-and-files page: thumbnails served by the app, where each file is used, and
deleting refused while a lesson still uses the file."""

from __future__ import annotations

import pytest

from tests.authoring.conftest import BASICS, audit_events, text_of
from tests.authoring.test_media import PDF, PNG, upload

BASE = f"/admin/courses/{BASICS}"


def test_the_page_shows_a_thumbnail_and_where_each_file_is_used(admin):
    assert upload(admin, "guide.pdf", PDF).status_code == 302
    page = text_of(admin.get(f"{BASE}/media"))
    assert f'<img src="{BASE}/media-file/diagram.svg" alt=""' in page
    assert "Used in:" in page
    assert f'<a href="{BASE}/files/01-first-steps/01-welcome.md">Welcome</a>' in page
    # A document has no picture: a label says what it is, and nobody uses it yet.
    assert f"{BASE}/media-file/guide.pdf" not in page
    assert ">PDF</span>" in page
    assert "Not used in any lesson." in page


def test_the_page_is_titled_by_the_course_not_its_folder(admin):
    page = text_of(admin.get(f"{BASE}/media"))
    assert "<title>Pictures and files – Basics –" in page
    assert "<h1>Pictures and files of Basics</h1>" in page
    assert BASICS not in page.split("</title>", 1)[0]


def test_a_thumbnail_is_served_from_the_draft_with_a_safe_type(admin):
    assert upload(admin, "fresh.png", PNG).status_code == 302  # only in the draft so far
    response = admin.get(f"{BASE}/media-file/fresh.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data == PNG
    assert "sandbox" in response.headers["Content-Security-Policy"]
    svg = admin.get(f"{BASE}/media-file/diagram.svg")
    assert svg.mimetype == "image/svg+xml"


@pytest.mark.parametrize(
    "name",
    ["guide.pdf", "missing.png", "../course.md", "../01-first-steps/01-welcome.md", ".x.png"],
)
def test_only_images_of_the_media_folder_are_served(admin, name):
    upload(admin, "guide.pdf", PDF)
    assert admin.get(f"{BASE}/media-file/{name}").status_code == 404


@pytest.mark.parametrize("who", ["learner", "manager"])
def test_thumbnails_are_for_admins(login_as, who):
    assert login_as(role=who).get(f"{BASE}/media-file/diagram.svg").status_code == 403


def test_deleting_a_file_in_use_is_refused_with_the_lessons_that_use_it(app, admin, tree):
    url = f"{BASE}/delete/media/diagram.svg"
    page = text_of(admin.get(url))
    assert "diagram.svg cannot be deleted: lessons use it" in page
    assert f'<a href="{BASE}/files/01-first-steps/01-welcome.md">Welcome</a>' in page
    assert "lesson 01-first-steps/01-welcome.md, line 9" in page
    assert "Delete the file</button>" not in page
    response = admin.post(url)
    assert response.status_code == 409
    assert "Remove the picture or link from it first" in text_of(response)
    assert (tree / BASICS / "media" / "diagram.svg").exists()
    assert audit_events(app, "course_media.deleted") == []


def test_a_file_used_only_by_a_link_counts_as_used(admin, tree):
    lesson = tree / BASICS / "02-going-further" / "01-next.md"
    lesson.write_text(lesson.read_text() + "\nSee [the guide](../media/guide.pdf).\n")
    assert upload(admin, "guide.pdf", PDF).status_code == 302
    response = admin.post(f"{BASE}/delete/media/guide.pdf")
    assert response.status_code == 409
    assert "What comes next" in text_of(response)


def test_an_unused_file_is_deleted_after_confirmation(app, admin, tree):
    assert upload(admin, "spare.png", PNG).status_code == 302
    page = text_of(admin.get(f"{BASE}/delete/media/spare.png"))
    assert "No lesson uses this file." in page
    assert "Delete the file</button>" in page
    response = admin.post(f"{BASE}/delete/media/spare.png")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{BASE}/media")
    assert 'id="media-spare.png"' not in text_of(admin.get(f"{BASE}/media"))
    assert [e.action for e in audit_events(app, "course_media.deleted")] == ["course_media.deleted"]


def test_the_usage_scan_ignores_code_and_other_folders(app, tree):
    from induction.admin.course_files.listing import list_course
    from induction.admin.course_files.paths import CourseFolder
    from induction.admin.course_files.usage import media_uses

    lesson = tree / BASICS / "02-going-further" / "01-next.md"
    lesson.write_text(
        lesson.read_text()
        + "\n```\n![not real](../media/diagram.svg)\n```\n\n![Elsewhere](https://example.org/x.png)\n"
    )
    folder = CourseFolder(tree, BASICS)
    uses = media_uses(folder, list_course(folder))
    assert set(uses) == {"media/diagram.svg"}
    [use] = uses["media/diagram.svg"]
    assert (use.path, use.kind, use.title) == ("01-first-steps/01-welcome.md", "lesson", "Welcome")
