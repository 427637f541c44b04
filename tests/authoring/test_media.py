"""Media uploads: type, content, size and names checked; SVG with anything active refused."""

from __future__ import annotations

import io

import pytest

from induction.admin.course_files.media import MediaRefused, check_svg, check_upload, safe_name
from tests.authoring.conftest import BASICS, audit_events, publish_all, text_of
from tests.conftest import SHIPPED_COURSES

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"\x00" * 64
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><rect width="5"/></svg>'
URL = f"/admin/courses/{BASICS}/media"


def upload(client, name: str, data: bytes, **extra):
    return client.post(
        URL,
        data={"upload": (io.BytesIO(data), name), **extra},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.png", PNG),
        ("a.jpg", JPEG),
        ("a.jpeg", JPEG),
        ("a.gif", GIF),
        ("a.webp", WEBP),
        ("a.pdf", PDF),
        ("a.svg", SVG),
    ],
)
def test_each_allowed_kind_is_taken(name, data):
    assert check_upload(name, data).name == name


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("Council Map 2024.PNG", "council-map-2024.png"),
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\me\\Photo.JPG", "photo.jpg"),
        (".hidden.png", "hidden.png"),
        ("x.html.svg", "x-html.svg"),
        ("Ŵales café.webp", "wales-cafe.webp"),
        ("___.gif", "file.gif"),
    ],
)
def test_names_are_made_safe(filename, expected):
    assert safe_name(filename) == expected


@pytest.mark.parametrize(
    "name", ["page.html", "page.htm", "x.svg.html", "script.js", "noext", "a.exe"]
)
def test_other_kinds_are_refused_by_name(name):
    with pytest.raises(MediaRefused, match="only PNG, JPEG, GIF, WebP, SVG or PDF"):
        check_upload(name, b"<html><script>alert(1)</script></html>")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.png", b"<html>not a png</html>"),
        ("a.jpg", PNG),
        ("a.pdf", b"MZ\x90\x00"),
        ("a.webp", PNG),
    ],
)
def test_content_must_match_the_extension(name, data):
    with pytest.raises(MediaRefused, match="content is not"):
        check_upload(name, data)


UNSAFE_SVG = {
    "script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "namespaced script": (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:s="http://www.w3.org/2000/svg">'
        b"<s:script>alert(1)</s:script></svg>"
    ),
    "onload": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "onclick": b'<svg xmlns="http://www.w3.org/2000/svg"><rect onClick="alert(1)"/></svg>',
    "foreignObject": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><body>x</body>'
        b"</foreignObject></svg>"
    ),
    "javascript href": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)">x</a></svg>'
    ),
    "xlink external": (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<image xlink:href="https://evil.example/x.png"/></svg>'
    ),
    "use other file": b'<svg xmlns="http://www.w3.org/2000/svg"><use href="other.svg#a"/></svg>',
    "doctype": (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>'
    ),
    "stylesheet": (
        b'<?xml-stylesheet href="https://evil.example/a.css"?>'
        b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    ),
    "style import": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://e.x/a.css);</style>'
        b"</svg>"
    ),
    "style url": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://e.x/p)"/></svg>'
    ),
    "animated href": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" '
        b'to="javascript:alert(1)"/></a></svg>'
    ),
    "not svg": b"<html><body>hello</body></html>",
    "not xml": b"<svg <<<",
}


@pytest.mark.parametrize("case", sorted(UNSAFE_SVG))
def test_unsafe_svg_is_refused(case):
    with pytest.raises(MediaRefused):
        check_svg(UNSAFE_SVG[case])


def test_internal_references_in_svg_are_fine():
    check_svg(
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<defs><linearGradient id="g"/></defs><rect style="fill:url(#g)"/>'
        b'<use xlink:href="#g"/><title>A diagram</title></svg>'
    )


def test_the_shipped_course_images_pass():
    for path in sorted(SHIPPED_COURSES.glob("*/media/*.svg")):
        check_svg(path.read_bytes())


def test_uploading_an_image_stores_it_with_a_safe_name_and_logs_it(app, admin, tree):
    response = upload(admin, "Council Map.PNG", PNG)
    assert response.status_code == 302
    assert not (tree / BASICS / "media" / "council-map.png").exists()  # a draft
    assert "council-map.png" in text_of(admin.get(f"/admin/courses/{BASICS}/media"))
    publish_all(admin)
    assert (tree / BASICS / "media" / "council-map.png").read_bytes() == PNG
    [event] = audit_events(app, "course_media.uploaded")
    assert event.details["name"] == "council-map.png"
    assert "binary, 72 bytes" in event.details["diff"]
    # It is served by the course media route, with its fixed type.
    served = admin.get("/courses/basics/media/council-map.png")
    served.close()
    assert served.status_code == 200 and served.mimetype == "image/png"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("page.html", b"<html></html>", "only PNG, JPEG, GIF, WebP, SVG or PDF"),
        ("x.svg.html", SVG, "only PNG, JPEG, GIF, WebP, SVG or PDF"),
        ("evil.svg", UNSAFE_SVG["script"], "could run code"),
        ("fake.png", b"<script>alert(1)</script>", "content is not a PNG image"),
    ],
)
def test_refused_uploads_say_why_and_store_nothing(admin, tree, name, data, message):
    before = sorted(p.name for p in (tree / BASICS / "media").iterdir())
    response = upload(admin, name, data)
    assert response.status_code == 400
    assert message.lower() in text_of(response).lower()
    assert sorted(p.name for p in (tree / BASICS / "media").iterdir()) == before


def test_a_file_over_the_media_limit_is_refused_with_a_message(app, admin, tree):
    app.config["MEDIA_MAX_BYTES"] = 1000
    response = upload(admin, "big.png", PNG + b"\x00" * 2000)
    assert response.status_code == 400
    assert "more than the limit of 0.0 MB" in text_of(response)
    assert not (tree / BASICS / "media" / "big.png").exists()


@pytest.mark.parametrize("csrf", [False, True])
def test_a_request_far_over_the_limit_gets_a_friendly_page(app, login_as, tree, csrf):
    # With CSRF on, the token check reads the body first: the limit must already hold.
    app.config.update(MEDIA_MAX_BYTES=1000, WTF_CSRF_ENABLED=csrf)
    client = login_as(role="admin")
    response = upload(client, "huge.png", PNG + b"\x00" * 500_000)
    page = text_of(response)
    assert response.status_code == 413
    assert "The file is too large" in page
    assert "Uploads can be at most" in page
    assert "Traceback" not in page
    assert not (tree / BASICS / "media" / "huge.png").exists()


def test_an_existing_name_needs_replace(admin, tree):
    response = upload(admin, "diagram.svg", SVG)
    assert response.status_code == 400
    assert "already in media/" in text_of(response)
    assert upload(admin, "diagram.svg", SVG, replace="y").status_code == 302
    publish_all(admin)
    assert (tree / BASICS / "media" / "diagram.svg").read_bytes() == SVG


def test_an_image_in_use_cannot_be_deleted(admin, tree):
    response = admin.post(f"/admin/courses/{BASICS}/delete/media/diagram.svg")
    assert response.status_code == 409
    assert "01-first-steps/01-welcome.md" in text_of(response)
    assert (tree / BASICS / "media" / "diagram.svg").exists()


def test_an_unused_image_can_be_deleted(app, admin, tree):
    assert upload(admin, "spare.png", PNG).status_code == 302
    response = admin.post(f"/admin/courses/{BASICS}/delete/media/spare.png")
    assert response.status_code == 302
    assert not (tree / BASICS / "media" / "spare.png").exists()
    assert [e.action for e in audit_events(app) if e.action.startswith("course_media")] == [
        "course_media.uploaded",
        "course_media.deleted",
    ]
