"""The course check's problems in an admin's words: the module and the lesson or quiz by
title, the line of the lesson's text or the quiz's question, what to do, and a link to
the page that fixes it, said the same way on the course page, the draft page and the
pages that refuse a change."""

from __future__ import annotations

import re

import pytest

from induction.admin.problem_words import say
from tests.authoring.conftest import BASICS, RULES, WELCOME, edit_url, open_editor, text_of
from tests.quizzes.pages import text_of as visible_text

BASE = f"/admin/courses/{BASICS}"
NEXT = "02-going-further/01-next.md"


def _files(files: dict[str, str]):
    def read(path: str) -> bytes | None:
        text = files.get(path)
        return None if text is None else text.encode("utf-8")

    return read


COURSE = {
    "01-first-steps/module.md": "---\ntitle: First steps\nsummary: S.\n---\n",
    "01-first-steps/02-rules.md": (
        "---\ntitle: The rules\nversion: 2\n---\n\n## Rules\n\nBe kind.\n"
    ),
    "01-first-steps/quiz.md": (
        "---\ntitle: Check\n---\n\n## One? {#one}\n\n- [x] Yes\n- [ ] No\n\n"
        "## Two? {#two}\n\n- [x] Yes\n- [ ] No\n"
    ),
}


def test_a_lesson_problem_names_the_lesson_and_module_and_the_line_of_its_text():
    said = say("01-first-steps/02-rules.md", 8, "link to 'x.md': no such lesson", _files(COURSE))
    assert said.place == "Lesson “The rules” in “First steps”"
    assert said.where == "line 4 of the text"  # the text box starts after the settings
    assert said.message == "Link to 'x.md': no such lesson."
    assert (said.page, said.target) == ("lesson", "01-first-steps/02-rules.md")
    in_settings = say("01-first-steps/02-rules.md", 3, "version must be", _files(COURSE))
    assert in_settings.where == "its settings"


def test_a_quiz_problem_names_its_question():
    read = _files(COURSE)
    said = say("01-first-steps/quiz.md", 12, "two answers are the same", read)
    assert (said.place, said.where) == ("Quiz of “First steps”", "question 2 (line 12)")
    assert (said.page, said.target) == ("text", "01-first-steps/quiz.md")
    assert say("01-first-steps/quiz.md", 2, "x", read).where == "line 2"  # its settings


def test_folders_pictures_and_the_course_are_named_for_their_page():
    read = _files(COURSE)
    module = say("01-first-steps", 0, "this module has no lessons", read)
    assert (module.place, module.page, module.target) == (
        "Module “First steps”",
        "module",
        "01-first-steps",
    )
    untitled = say("02-later", 0, "no module.md", read)
    assert untitled.place == "Module 02-later"
    picture = say("media/map.png", 0, "too big", read)
    assert (picture.place, picture.page) == ("The picture “map.png”", "media")
    course = say("course.md", 4, "unknown key", read)
    assert (course.place, course.where) == ("The course's settings and introduction", "line 4")
    stray = say("01-first-steps/notes/old.md", 0, "ignored: not a lesson", read)
    assert (stray.place, stray.page) == ("The file “notes/old.md” in “First steps”", "module")


def _problems(page: str) -> str:
    """Return the words of a page's first list of problems, as they read."""
    match = re.search(r'<ul class="problem-list".*?</ul>', page, re.DOTALL)
    assert match, "no list of problems"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(0)).split())


def _break_next(tree) -> None:
    """Give the lesson "What comes next" a mistake in its settings and a broken link."""
    lesson = tree / BASICS / NEXT
    text = lesson.read_text().replace("title:", "titel: x\ntitle:")
    lesson.write_text(text.replace("../01-first-steps/01-welcome.md", "gone.md"))


def test_the_course_page_says_each_problem_by_title_and_links_to_its_editor(admin, tree):
    _break_next(tree)
    page = text_of(admin.get(f"{BASE}/"))
    problems = _problems(page)
    assert "problem__path" not in page and NEXT not in problems
    assert "Lesson “What comes next” in “Going further”, its settings: The setting" in problems
    assert "Lesson “What comes next” in “Going further”, line 4 of the text: " in problems
    assert "gone.md" in problems  # the checker's own words say what is wrong
    assert f'<a href="{edit_url(NEXT)}">Lesson “What comes next” in “Going further”</a>' in page


@pytest.fixture
def broken_from_the_start(tree):
    """The course with a mistake before the app first loads it: it never loads."""
    _break_next(tree)
    return tree


def test_a_course_that_never_loaded_is_still_called_by_its_title(broken_from_the_start, admin):
    page = text_of(admin.get(f"{BASE}/"))
    assert "Has errors: not shown to learners" in page  # learners have no version of it
    assert "<h1>Course: Basics</h1>" in page and "<title>Basics – Course files" in page
    assert "Lesson “What comes next” in “Going further”, its settings: The setting" in _problems(
        page
    )


def test_the_draft_page_and_a_refused_change_say_problems_the_same_way(admin, tree):
    text, base = open_editor(admin, WELCOME)
    data = {"text": text + "\nA change.\n", "base_hash": base, "save": "Save"}
    assert admin.post(edit_url(WELCOME), data=data).status_code == 302
    _break_next(tree)
    # Publishing is refused: the problem is named as on the course page.
    refused = admin.post(f"{BASE}/draft/publish", data={"note": "x", "publish_all": "1"})
    assert refused.status_code == 400
    problems = _problems(text_of(refused))
    assert "Lesson “What comes next” in “Going further”, its settings: The setting" in problems
    # Deleting a lesson others link to lists the lessons and the quiz by title.
    page = text_of(admin.get(f"{BASE}/delete/{RULES}"))
    assert f'href="{edit_url("01-first-steps/01-welcome.md")}">Lesson “Welcome” in' in page
    words = visible_text(page)
    assert "Quiz of “First steps”" in words and "Question 1 (line 12): Link to" in words


def test_a_file_named_in_a_message_is_said_by_its_title_but_a_link_is_kept():
    read = _files(COURSE)
    said = say(
        "01-first-steps/quiz.md",
        0,
        "lesson id 'rules' is also used by 01-first-steps/02-rules.md:2: rename one",
        read,
    )
    assert said.message == "Lesson id 'rules' is also used by the lesson “The rules”: rename one."
    link = say("01-first-steps/quiz.md", 0, "link to '01-first-steps/02-rules.md': x", read)
    assert "'01-first-steps/02-rules.md'" in link.message


def test_the_lesson_form_names_the_lesson_a_change_would_break(admin):
    from tests.authoring.test_lesson_editor import form_of

    form = form_of(text_of(admin.get(edit_url(RULES))))
    body = form["body"][0].replace("{#the-rules}", "{#rules-of-the-game}")
    response = admin.post(edit_url(RULES), data={**form, "body": body, "save": "x"})
    assert response.status_code == 400
    page = text_of(response)
    summary = page.split('class="error-summary__list"', 1)[1].split("</ul>", 1)[0]
    assert (
        f'<a href="{edit_url("01-first-steps/01-welcome.md")}">This change would break the '
        "lesson “Welcome” in “First steps”, line 4 of the text: The link" in summary
    )
    elsewhere = page.split('id="elsewhere-title"', 1)[1]
    assert "Quiz of “First steps”</a>, <span" in elsewhere and "01-welcome.md</code>" not in page
