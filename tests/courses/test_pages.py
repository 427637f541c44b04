"""Course, module and lesson pages: rendering once, bounded queries, media, broken courses."""

from __future__ import annotations

from pathlib import Path

import pytest

from induction.catalogue import get_catalogue


@pytest.fixture
def app(app_factory, tree):
    return app_factory(COURSES_DIR=str(tree))


def text(response) -> str:
    return response.get_data(as_text=True)


def write_big_course(root: Path, modules: int, lessons: int) -> None:
    course = root / "09-big"
    course.mkdir()
    (course / "course.md").write_text("---\ntitle: Big\nsummary: Many lessons.\n---\n\nBig.\n")
    for m in range(1, modules + 1):
        folder = course / f"{m:02d}-part-{m}"
        folder.mkdir()
        (folder / "module.md").write_text(f"---\ntitle: Part {m}\nsummary: Part {m}.\n---\n")
        for n in range(1, lessons + 1):
            (folder / f"{n:02d}-m{m}-lesson-{n}.md").write_text(
                f"---\ntitle: Lesson {m}.{n}\n---\n\n## Heading {{#h}}\n\nText of lesson {m}.{n}.\n"
            )


def test_lesson_page_renders_links_and_images_through_the_app(login_as):
    client = login_as()
    page = text(client.get("/courses/basics/lessons/welcome"))
    assert 'href="/courses/basics/lessons/rules#the-rules"' in page
    assert 'src="/courses/basics/media/diagram.svg"' in page
    assert 'alt="A small diagram"' in page
    assert "Mark as complete and continue" in page
    assert 'rel="next"' in page and "The rules" in page


def test_lesson_page_queries_do_not_grow_with_course_size(tree, app, login_as, count_queries):
    write_big_course(tree, modules=6, lessons=10)
    client = login_as()
    client.get("/courses/basics/lessons/welcome")
    client.get("/courses/big/lessons/m1-lesson-1")
    with count_queries() as small:
        assert client.get("/courses/basics/lessons/welcome").status_code == 200
    with count_queries() as big:
        assert client.get("/courses/big/lessons/m6-lesson-10").status_code == 200
    assert big.count == small.count
    assert big.count <= 8, big.statements


def test_markdown_is_rendered_once_not_per_request(app, login_as):
    client = login_as()
    client.get("/courses/basics/lessons/welcome")
    with app.app_context():
        renderer = get_catalogue().renderer
    assert renderer is not None
    before = renderer.conversions
    for _ in range(3):
        client.get("/courses/basics/lessons/welcome")
        client.get("/courses/basics/")
    assert renderer.conversions == before


def test_edited_lesson_is_served_without_restart(tree, login_as):
    client = login_as()
    assert "Be kind." in text(client.get("/courses/basics/lessons/rules"))
    rules = tree / "01-basics" / "01-first-steps" / "02-rules.md"
    rules.write_text(rules.read_text().replace("Be kind.", "Be very kind."))
    assert "Be very kind." in text(client.get("/courses/basics/lessons/rules"))


def test_broken_edit_keeps_serving_last_good_version(tree, login_as, make_user):
    learner = login_as()
    assert learner.get("/courses/basics/").status_code == 200
    rules = tree / "01-basics" / "01-first-steps" / "02-rules.md"
    rules.write_text(rules.read_text().replace("title: The rules", "titel: The rules"))
    assert learner.get("/courses/basics/").status_code == 200
    assert "Be kind." in text(learner.get("/courses/basics/lessons/rules"))


def test_course_broken_from_the_start_is_hidden_from_learners(tree, login_as):
    broken = tree / "03-broken"
    broken.mkdir()
    (broken / "course.md").write_text("---\ntitle: Broken\n---\n")
    client = login_as()
    assert "Broken" not in text(client.get("/"))
    assert client.get("/courses/broken/").status_code == 404


def test_admin_sees_drafts_and_every_audience(login_as, make_user):
    admin = login_as(make_user(role="admin"))
    assert "Drafty" in text(admin.get("/courses/"))
    assert admin.get("/courses/drafty/").status_code == 200
    assert "For officers" in text(admin.get("/courses/basics/"))


def test_media_is_served_safely(login_as):
    client = login_as()
    svg = client.get("/courses/basics/media/diagram.svg")
    assert svg.status_code == 200
    assert svg.mimetype == "image/svg+xml"
    assert "sandbox" in svg.headers["Content-Security-Policy"]
    assert svg.headers["X-Content-Type-Options"] == "nosniff"
    svg.close()
    for bad in ("../course.md", "..%2Fcourse.md", "%2E%2E/course.md", "nothing.png", "x.html"):
        assert client.get(f"/courses/basics/media/{bad}").status_code == 404, bad


def test_media_needs_sign_in(client):
    assert client.get("/courses/basics/media/diagram.svg").status_code in (302, 401)


def test_content_link_urls_match_the_routes(app):
    adapter = app.url_map.bind("localhost")
    with app.app_context():
        links = get_catalogue().links
    assert adapter.match(links.lesson("c", "l", "a").split("#")[0])[0] == "courses.lesson"
    assert adapter.match(links.media("c", "x.png"))[0] == "courses.media"
    assert adapter.match(links.picture("c", "l", "x.png"))[0] == "courses.picture"


def test_unknown_course_module_and_lesson_are_404(login_as):
    client = login_as()
    for url in ("/courses/nope/", "/courses/basics/modules/nope", "/courses/basics/lessons/nope"):
        assert client.get(url).status_code == 404, url
