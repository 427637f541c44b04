"""With CSRF protection on (as in production), every authoring form carries its token."""

from __future__ import annotations

import io

import pytest

from tests.authoring.conftest import BASICS, WELCOME, edit_url, open_editor, text_of
from tests.factories import csrf_token_from


@pytest.fixture
def app(app_factory, tree):
    return app_factory(COURSES_DIR=str(tree), WTF_CSRF_ENABLED=True)


def token(client, url: str) -> str:
    value = csrf_token_from(text_of(client.get(url)))
    assert value, f"no CSRF token on {url}"
    return value


def test_the_editor_saves_with_its_token_and_refuses_without(admin, tree):
    text, base = open_editor(admin, WELCOME)
    data = {"text": text + "\nWith a token.\n", "base_hash": base, "save": "Save"}
    refused = admin.post(edit_url(WELCOME), data=data)
    assert refused.status_code == 400
    assert "With a token." not in (tree / BASICS / WELCOME).read_text()
    data["csrf_token"] = token(admin, edit_url(WELCOME))
    assert admin.post(edit_url(WELCOME), data=data).status_code == 302
    assert "With a token." not in (tree / BASICS / WELCOME).read_text()  # a draft
    draft = f"/admin/courses/{BASICS}/draft"
    publish = {"note": "Tokens", "publish_all": "1"}
    assert admin.post(f"{draft}/publish", data=publish).status_code == 400
    publish["csrf_token"] = token(admin, draft)
    assert admin.post(f"{draft}/publish", data=publish).status_code == 302
    assert "With a token." in (tree / BASICS / WELCOME).read_text()


@pytest.mark.parametrize(
    ("page", "action", "data"),
    [
        ("/admin/courses/", "/admin/courses/preview", {"audience": "officer"}),
        (f"/admin/courses/{BASICS}/", f"/admin/courses/{BASICS}/unpublish", {}),
        (
            f"/admin/courses/{BASICS}/new-module",
            f"/admin/courses/{BASICS}/new-module",
            {"title": "T", "summary": "S.", "lesson_title": "Fresh start"},
        ),
        (
            f"/admin/courses/{BASICS}/rename/01-first-steps/03-officers-only.md",
            f"/admin/courses/{BASICS}/rename/01-first-steps/03-officers-only.md",
            {"new_name": "04-officers.md"},
        ),
        (
            f"/admin/courses/{BASICS}/delete/01-first-steps/03-officers-only.md",
            f"/admin/courses/{BASICS}/delete/01-first-steps/03-officers-only.md",
            {},
        ),
    ],
)
def test_each_form_page_carries_a_working_token(admin, page, action, data):
    response = admin.post(action, data={**data, "csrf_token": token(admin, page)})
    assert response.status_code == 302, text_of(response)


def test_uploads_carry_a_working_token(admin, tree):
    media = f"/admin/courses/{BASICS}/media"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    response = admin.post(
        media,
        data={"upload": (io.BytesIO(png), "a.png"), "csrf_token": token(admin, media)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    module = f"/admin/courses/{BASICS}/modules/02-going-further/"
    response = admin.post(
        f"{module}import-gift",
        data={
            "upload": (io.BytesIO(b"::Q::Is it?{T}\n"), "q.gift"),
            "csrf_token": token(admin, module),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert not (tree / BASICS / "02-going-further" / "quiz.md").exists()  # a draft
    assert "02-going-further/quiz.md" in text_of(admin.get(f"/admin/courses/{BASICS}/draft"))


def test_the_preview_banner_stops_with_its_token(admin):
    admin.post(
        "/admin/courses/preview",
        data={"audience": "councillor", "csrf_token": token(admin, "/admin/courses/")},
    )
    banner = text_of(admin.get("/courses/"))
    assert "Previewing as councillors." in banner
    response = admin.post(
        "/admin/courses/preview/stop", data={"csrf_token": csrf_token_from(banner)}
    )
    assert response.status_code == 302
    assert "Previewing as" not in text_of(admin.get("/courses/"))
