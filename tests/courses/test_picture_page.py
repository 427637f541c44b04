"""The page a lesson's "Open the picture full size" link opens: the picture at its own size,
with the way back, for the people who may see the lesson and its own pictures only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

BASICS = "/courses/basics"
WIDE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="900" height="300" viewBox="0 0 900 300">'
    '<rect width="900" height="300" fill="#1d4f91"/></svg>'
)
WELCOME = "01-basics/01-first-steps/01-welcome.md"
OFFICERS_ONLY = "01-basics/01-first-steps/03-officers-only.md"
PAGE = f"{BASICS}/lessons/welcome/pictures/wide.svg"


@pytest.fixture
def app(app_factory, tree: Path):
    """The fixture courses with a wide diagram in the welcome lesson and in the lesson for
    officers only, and a PDF beside it."""
    media = tree / "01-basics" / "media"
    (media / "wide.svg").write_text(WIDE_SVG)
    (media / "notes.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    for lesson in (WELCOME, OFFICERS_ONLY):
        path = tree / lesson
        path.write_text(path.read_text() + "\n![A wide diagram of the rules](../media/wide.svg)\n")
    return app_factory(COURSES_DIR=str(tree))


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_lesson_links_its_wide_picture_to_the_picture_page(login_as):
    page = text(login_as().get(f"{BASICS}/lessons/welcome"))
    assert re.search(rf'<a class="picture-link" href="{re.escape(PAGE)}"[^>]*><img ', page)
    # The small diagram is drawn at its own size: no page of its own is linked.
    assert "pictures/diagram.svg" not in page


def test_the_picture_page_shows_the_picture_full_size_with_the_way_back(login_as):
    response = login_as().get(PAGE)
    assert response.status_code == 200
    page = text(response)
    assert (
        '<h1 id="picture-title" class="picture-viewer__title">A wide diagram of the rules</h1>'
        in (page)
    )
    assert (
        '<div class="picture-viewer__box" tabindex="0" role="region" '
        'aria-label="The picture at full size"'
    ) in page
    # At its natural width, read from the file.
    assert (
        '<img src="/courses/basics/media/wide.svg" alt="A wide diagram of the rules" width="900">'
    ) in page
    assert '<a href="/courses/basics/lessons/welcome">Back to the lesson</a>' in page
    assert '<a href="/courses/basics/media/wide.svg">Open the picture file on its own</a>' in page
    assert "<title>Picture: A wide diagram of the rules – Welcome" in page


def test_a_picture_the_lesson_draws_at_its_own_size_opens_too(login_as):
    """Any picture the lesson draws may be opened; its width is given when it can be read."""
    page = text(login_as().get(f"{BASICS}/lessons/welcome/pictures/diagram.svg"))
    assert '<h1 id="picture-title" class="picture-viewer__title">A small diagram</h1>' in page
    assert 'width="100"' in page


@pytest.mark.parametrize(
    "path",
    [
        "lessons/rules/pictures/wide.svg",  # a picture of another lesson
        "lessons/welcome/pictures/nothing.svg",  # no such file
        "lessons/welcome/pictures/notes.pdf",  # a file of the course, not a picture
        "lessons/welcome/pictures/../course.md",
        "lessons/welcome/pictures/..%2Fcourse.md",
        "lessons/no-such-lesson/pictures/wide.svg",
    ],
)
def test_only_the_lessons_own_pictures_have_a_page(login_as, path: str):
    assert login_as().get(f"{BASICS}/{path}").status_code == 404


def test_who_may_not_see_the_lesson_may_not_see_its_picture_page(login_as):
    page = f"{BASICS}/lessons/officers-only/pictures/wide.svg"
    assert login_as(audience="officer").get(page).status_code == 200
    assert login_as(audience="councillor").get(page).status_code == 404
    assert login_as(role="admin").get(page).status_code == 200


def test_the_picture_page_needs_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
