"""Course files that would stall rendering, and symbolic links, while the app serves: every
page keeps answering, the course keeps its last good version, `courses check` names the place."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from induction.catalogue import get_catalogue

RULES = "01-basics/01-first-steps/02-rules.md"
SECRET = "SECRET-KEY-never-to-be-served"


@pytest.fixture
def app(app_factory, tree):
    return app_factory(COURSES_DIR=str(tree))


def text(response) -> str:
    return response.get_data(as_text=True)


def served(client, name: str) -> int:
    """Return the status of a media file's URL (closing the file sent)."""
    response = client.get(f"/courses/basics/media/{name}")
    response.close()
    return response.status_code


def converted_texts(app) -> list[str]:
    """Record every text the app's renderer gives to Markdown from now on."""
    with app.app_context():
        renderer = get_catalogue().renderer
    assert renderer is not None
    seen: list[str] = []
    convert = renderer._md.convert

    def record(source: str) -> str:
        seen.append(source)
        return convert(source)

    renderer._md.convert = record
    return seen


def test_a_lesson_with_30000_brackets_arriving_on_disk_stalls_nothing(app, tree, login_as, runner):
    learner = login_as()
    assert "Be kind. Be on time." in text(learner.get("/courses/basics/lessons/rules"))
    converted = converted_texts(app)
    rules = tree / RULES
    good = rules.read_text()
    rules.write_text(good.replace("Be kind. Be on time.", "Be kind.\n\n" + "[" * 30_000))
    line = good.splitlines().index("Be kind. Be on time.") + 3

    for url in ("/courses/", "/courses/basics/", "/courses/basics/lessons/welcome",
                "/courses/basics/lessons/next", "/"):  # fmt: skip
        assert learner.get(url).status_code == 200, url
    page = text(learner.get("/courses/basics/lessons/rules"))
    assert "Be kind. Be on time." in page  # the last good version
    assert "[[[" not in page
    assert not any("[[[" in source for source in converted)  # never given to Markdown

    with app.app_context():
        [state] = [s for s in get_catalogue().states() if s.course_id == "basics"]
    assert state.is_stale
    assert any(p.path == RULES and p.line == line for p in state.problems)

    result = runner.invoke(args=["courses", "check"])
    assert result.exit_code == 1
    assert f"{RULES}:{line}: this paragraph has too many '['" in result.output


def test_a_linked_media_file_answers_404_and_is_a_check_error(app, tree, tmp_path, login_as,
                                                             runner):  # fmt: skip
    secret = tmp_path / "secret.key"
    secret.write_text(SECRET)
    learner = login_as()
    assert served(learner, "diagram.svg") == 200
    os.symlink(secret, tree / "01-basics/media/secret.png")
    (tree / "01-basics/media/folder").symlink_to(tmp_path, target_is_directory=True)
    for name in ("secret.png", "folder/secret.key", "folder/courses/01-basics/course.md"):
        response = learner.get(f"/courses/basics/media/{name}")
        assert response.status_code == 404, name
        assert SECRET not in text(response)
    assert served(learner, "diagram.svg") == 200

    result = runner.invoke(args=["courses", "check"])
    assert result.exit_code == 1
    assert "01-basics/media/secret.png: this is a symbolic link" in result.output
    assert "01-basics/media/folder: this is a symbolic link" in result.output


def test_a_linked_lesson_is_not_loaded(app, tree, tmp_path, login_as, runner):
    outside = tmp_path / "outside.md"
    outside.write_text(f"---\ntitle: Linked\n---\n\n{SECRET}\n")
    learner = login_as()
    assert learner.get("/courses/basics/").status_code == 200
    os.symlink(outside, tree / "01-basics/01-first-steps/04-linked.md")
    assert learner.get("/courses/basics/lessons/linked").status_code == 404
    assert SECRET not in text(learner.get("/courses/basics/"))
    with app.app_context():
        course = get_catalogue().course("basics")
    assert course is not None
    assert "linked" not in [lesson.id for module in course.modules for lesson in module.lessons]

    result = runner.invoke(args=["courses", "check"])
    assert result.exit_code == 1
    assert "01-basics/01-first-steps/04-linked.md: this is a symbolic link" in result.output


def test_file_limits_are_settings(app_factory, tree, runner):
    app = app_factory(COURSES_DIR=str(tree), COURSE_FILE_MAX_BYTES=100)
    result = app.test_cli_runner().invoke(args=["courses", "check"])
    assert result.exit_code == 1
    assert "more than the 1 KB a course file may be (setting COURSE_FILE_MAX_BYTES)" in (
        result.output
    )
    assert isinstance(Path(app.config["COURSES_DIR"]), Path)
