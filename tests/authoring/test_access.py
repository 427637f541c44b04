"""Only admins reach the authoring pages: others get 403 on every authoring URL, or sign in."""

from __future__ import annotations

import io

import pytest
from flask import Flask

from tests.authoring.conftest import BASICS, edit_url, open_editor, publish_all

VALUES = {
    "folder": BASICS,
    "module": "01-first-steps",
    "path": "01-first-steps/01-welcome.md",
    "file_id": 1,
    "schedule_id": 1,
    "name": "diagram.svg",
}


def authoring_urls(app: Flask) -> list[tuple[str, str]]:
    """Return (method, URL) for every route of the authoring blueprint, with real values."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("authoring."):
                continue
            url = rule.build({name: VALUES[name] for name in rule.arguments})[1]
            found.extend((method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return found


def test_every_authoring_endpoint_is_listed(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    authoring = {e for e in endpoints if e.startswith("authoring.")}
    # A new endpoint must come with this test's guarantee: if this fails, check the list.
    assert authoring == {
        "authoring.index",
        "authoring.preview_start",
        "authoring.preview_stop",
        "authoring.course",
        "authoring.module",
        "authoring.edit",
        "authoring.new_lesson",
        "authoring.lesson_preview",
        "authoring.new_lesson_preview",
        "authoring.new_quiz",
        "authoring.quiz_builder",
        "authoring.new_module",
        "authoring.rename",
        "authoring.delete",
        "authoring.publish",
        "authoring.unpublish",
        "authoring.confirm_unpublish",
        "authoring.media",
        "authoring.import_gift",
        "authoring.draft",
        "authoring.publish_draft",
        "authoring.discard_draft",
        "authoring.preview_draft",
        "authoring.course_history",
        "authoring.history_file",
        "authoring.restore_version",
        "authoring.confirm_removal",
        "authoring.schedule_draft",
        "authoring.cancel_schedule",
        "authoring.approve_draft",
        "authoring.set_review",
        "authoring.reorder",
        "authoring.module_audiences",
        "authoring.media_file",
    }
    assert len(authoring_urls(app)) >= 20


@pytest.mark.parametrize("who", ["anonymous", "learner", "manager"])
def test_non_admins_are_refused_on_every_authoring_url(app, tree, login_as, who):
    client = app.test_client() if who == "anonymous" else login_as(role=who)
    before = sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*"))
    for method, url in authoring_urls(app):
        response = client.open(url, method=method, data={"text": "x", "audience": "officer"})
        if who == "anonymous":
            assert response.status_code == 302, f"{method} {url} gave {response.status_code}"
            assert response.headers["Location"].startswith("/login?next=")
        else:
            assert response.status_code == 403, f"{method} {url} gave {response.status_code}"
            assert "You do not have access" in response.get_data(as_text=True)
    assert sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*")) == before


def test_admins_open_every_authoring_page(app, admin):
    # One publish, so the history has a file to show (its id is 1).
    text, base = open_editor(admin, VALUES["path"])
    data = {"text": text + "\nMore.\n", "base_hash": base, "save": "Save"}
    assert admin.post(edit_url(VALUES["path"]), data=data).status_code == 302
    publish_all(admin)
    for method, url in authoring_urls(app):
        if method != "GET":
            continue
        response = admin.get(url)
        assert response.status_code in (200, 302), f"GET {url} gave {response.status_code}"


@pytest.mark.parametrize("csrf", [False, True])
def test_an_oversized_upload_from_a_signed_out_visitor_is_still_refused(app_factory, tree, csrf):
    # With CSRF on, the body is read (and found too large) before the admin check runs.
    app = app_factory(COURSES_DIR=str(tree), MEDIA_MAX_BYTES=100, WTF_CSRF_ENABLED=csrf)
    response = app.test_client().post(
        f"/admin/courses/{BASICS}/media",
        data={"upload": (io.BytesIO(b"x" * 200_000), "big.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
