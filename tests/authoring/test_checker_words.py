"""The course check's problems as admins see them say the check's code words plainly
("the settings at the top of the lesson", "a link to a heading that does not exist in
this lesson"), on real problem files; the command line keeps its own wording."""

from __future__ import annotations

import html
import re

import pytest

from induction.admin.course_files.listing import kind_of
from induction.admin.problem_words import say
from induction.content.check import check_tree
from tests.authoring.conftest import RULES, edit_url, open_editor, text_of
from tests.content.helpers import BROKEN_TREE

CODE_WORDS = ("front matter", "anchor", "YAML", "attribute block", "raw HTML", "alt text")


def _broken_problems():
    _, problems = check_tree(BROKEN_TREE)
    return problems


def _reader(course: str):
    def read(path: str) -> bytes | None:
        try:
            return (BROKEN_TREE / course / path).read_bytes()
        except OSError:
            return None

    return read


def _said(problem) -> str:
    course, _, relative = problem.path.partition("/")
    return say(relative, problem.line, problem.message, _reader(course)).message


@pytest.mark.parametrize("word", CODE_WORDS)
def test_no_problem_of_the_broken_courses_uses_a_code_word(word):
    problems = _broken_problems()
    assert any(word.lower() in p.message.lower() for p in problems)  # the check says it
    said = [_said(p) for p in problems]
    assert not [message for message in said if word.lower() in message.lower()]


def _message_of(name: str) -> str:
    [problem] = [p for p in _broken_problems() if p.path.endswith(name)]
    assert kind_of(problem.path.partition("/")[2]) == "lesson"
    return _said(problem)


def test_the_settings_and_links_to_headings_are_said_in_plain_words():
    assert _message_of("01-unknown-key.md") == (
        "The setting 'minuts' is not one the platform knows (did you mean 'minutes'?): "
        "check the settings at the top of the lesson."
    )
    assert _message_of("11-missing-title.md") == (
        "The settings at the top of the lesson have no 'title': add a line 'title: ...' "
        "between the two '---' lines."
    )
    assert _message_of("12-same-page-anchor.md") == (
        "The link '#there' is a link to a heading that does not exist in this lesson: "
        "no heading is named 'there' (its headings are named: here)."
    )
    assert _message_of("05-bad-yaml.md").startswith(
        "The settings at the top of the lesson cannot be read: check this line;"
    )


def test_the_command_line_check_keeps_its_wording(runner, app):
    app.config["COURSES_DIR"] = str(BROKEN_TREE)
    result = runner.invoke(args=["courses", "check"])
    assert "unknown front matter key 'minuts'" in result.output
    assert "has no heading with anchor 'there'" in result.output


def test_the_editor_refusing_a_broken_link_to_a_heading_says_it_plainly(admin):
    text, base = open_editor(admin, RULES)
    changed = text.replace("Be kind. Be on time.", "Be kind. Read [why](#no-such-part).")
    data = {"text": changed, "base_hash": base, "save": "Save"}
    refused = admin.post(edit_url(RULES), data=data)
    assert refused.status_code == 400
    words = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(text_of(refused))).split())
    assert (
        "The link '#no-such-part' is a link to a heading that does not exist in this lesson"
        in words
    )
    assert "heading with anchor" not in words
