"""Limits on course files: every shape that makes Markdown slow is refused at its file and line,
never rendered; the render budget refuses what the limits do not foresee."""

from __future__ import annotations

import pytest

from induction.content import budget, check_tree
from induction.content.limits import (
    MAX_BRACKET_WORK,
    Limits,
    bracket_work,
    shape_problems,
)
from induction.content.render import Renderer
from tests.content.helpers import errors, formatted, lesson

LESSON = "course/01-module/01-lesson.md"
# lesson() writes 3 front matter lines: the body (a blank line, then the text) starts on line 4.
BODY_LINE = 4


def _para(lines: int, text: str) -> str:
    return "\n".join([text] * lines)


SHAPES = {
    "a long run of [": ("[" * 30_000, 5, "never closed"),
    "[ spread over a paragraph": (_para(300, "see [this " * 10), 5, "never closed"),
    "link parentheses never closed": (_para(200, "[a](" * 20), 5, "never closed"),
    "brackets nested deep": ("[" * 700 + "x" + "]" * 700, 5, "never closed, or are nested"),
    "lists nested deep": ("\n".join("    " * i + "- item" for i in range(12)), 15, "nested more"),
    "list markers on one line": ("- " * 40 + "a", 5, "nested more than 10"),
    "block quotes nested deep": ("> " * 40 + "a", 5, "nested more than 10"),
    "quotes deepening line by line": ("\n".join(">" * i + " a" for i in range(1, 30)), 15, "10"),
    "a long emphasis run": ("*" * 200, 5, "200 '*' characters in a row"),
    "a long underscore run": ("a " + "_" * 60 + " b", 5, "60 '_' characters in a row"),
    "a table with too many rows": ("a | b\n--|--\n" + "x | y\n" * 1_100, 1_006, "1,000 rows"),
    "a table with too many columns": ("|".join("h" * 70) + "\n" + "|".join("-" * 70), 6, "70 col"),
    "a very long line": ("word " * 2_000, 5, "10,000 characters long"),
    "too many headings": ("# Heading\n\n" * 400, 605, "more than 300 headings"),
    "too many raw HTML tags": ("<a " * 600, 5, "more than 500 raw HTML tags"),
    "too many code fences": ("```a\n" * 600, 505, "more than 500 code fence lines"),
}


def recording(renderer: Renderer) -> list[str]:
    """Return the list of every text the renderer's Markdown instance converts from now on."""
    seen: list[str] = []
    convert = renderer._md.convert

    def record(source: str) -> str:
        seen.append(source)
        return convert(source)

    renderer._md.convert = record  # type: ignore[method-assign]
    return seen


@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_pathological_shape_is_an_error_at_its_file_and_line(make_tree, shape):
    body, line, words = SHAPES[shape]
    root = make_tree({LESSON: lesson(body=body)})
    renderer = Renderer()
    converted = recording(renderer)
    library, problems = check_tree(root, renderer)
    found = [p for p in errors(problems) if words in p.message]
    assert found, formatted(problems)
    assert (found[0].path, found[0].line) == (LESSON, line)
    assert library.courses == ()  # the course does not load
    assert converted and not any(body.strip() in text for text in converted)


def test_a_quiz_is_held_to_the_same_limits(make_tree):
    quiz = (
        "---\ntitle: Quiz\n---\n\n## Which one? {#which}\n\n" + "[" * 30_000 + "\n\n"
        "- [x] This\n- [ ] That\n"
    )
    root = make_tree({"course/01-module/quiz.md": quiz})
    _, problems = check_tree(root)
    assert ("course/01-module/quiz.md", 7) in [
        (p.path, p.line) for p in errors(problems) if "never closed" in p.message
    ]


def test_front_matter_nested_deep_is_refused_before_yaml_reads_it(make_tree):
    root = make_tree({LESSON: "---\ntitle: A\nsummary: " + "[" * 30_000 + "\n---\n\nText.\n"})
    _, problems = check_tree(root)
    assert [p.format() for p in errors(problems)] == [
        f"{LESSON}:3: the front matter nests '[' or '{{' more than 20 deep: "
        "write plain 'key: value' lines"
    ]


def test_a_file_larger_than_the_setting_is_refused_unread(make_tree):
    root = make_tree({LESSON: lesson(body="Plain words.\n" * 400)})
    _, problems = check_tree(root, Renderer(limits=Limits(max_file_bytes=2048)))
    [problem] = errors(problems)
    assert problem.path == LESSON
    assert "this file is 5 KB, more than the 2 KB a course file may be" in problem.message
    assert "COURSE_FILE_MAX_BYTES" in problem.message
    _, problems = check_tree(root, Renderer(limits=Limits(max_file_bytes=10_000)))
    assert errors(problems) == []


def test_ordinary_markdown_is_within_every_limit():
    text = (
        "# A heading {#a}\n\nSee [the guide](https://example.org/a_(b)) and [this](x.md), "
        "![an image](../media/x.png) and [[nested]](y.md).\n\n"
        "- one\n    - two\n        - three\n\n> quoted\n> > twice\n\n"
        "**bold** and _italic_ and ~~gone~~; a blank to fill: ________\n\n"
        "| a | b |\n|---|---|\n" + "| x | y |\n" * 200 + "\n"
        "Escaped brackets are text: " + "\\[" * 2_000 + "\n"
    )
    assert shape_problems(text, "x.md") == []


def test_bracket_work_counts_what_markdown_reads():
    assert bracket_work([(1, "[a](b) [c]")]) == (6, 1)  # 2 characters from each to its closer
    work, line = bracket_work([(1, "fine [a](b)"), (2, "[" * 1_000)])
    assert work > MAX_BRACKET_WORK // 2 and line == 2  # the first bracket never closed


def test_a_file_over_the_render_budget_is_refused_and_not_rendered_here(make_tree):
    # Within every shape limit, but more than a tiny budget allows.
    body = "\n\n".join(f"Paragraph {i}, [a link](https://example.org/{i})." for i in range(3000))
    root = make_tree({LESSON: lesson(body=body)})
    renderer = Renderer(limits=Limits(max_file_bytes=1_000_000, render_seconds=0.01))
    converted = recording(renderer)
    library, problems = check_tree(root, renderer)
    assert converted and body not in converted  # never rendered in this process
    [problem] = errors(problems)
    assert (problem.path, problem.line) == (LESSON, BODY_LINE)
    assert "takes more than 0.01 seconds to turn into a page" in problem.message
    assert library.courses == ()
    # With the default budget (far above the few hundredths of a second it takes) it loads.
    library, problems = check_tree(root, Renderer(limits=Limits(max_file_bytes=1_000_000)))
    assert errors(problems) == [] and len(library.courses) == 1


def test_render_shows_refused_text_as_plain_text_without_markdown():
    renderer = Renderer()
    rendered = renderer.render("[" * 30_000 + " <b>")
    assert rendered.html.startswith("<p>[[[") and "&lt;b&gt;" in rendered.html
    assert renderer.conversions == 0


def test_a_text_that_never_finishes_is_stopped_at_the_guard_and_the_rest_still_timed(
    monkeypatch,
):
    # A stand-in child that converts nothing but hangs on any text containing "forever",
    # as an endless Markdown conversion would; the real child is tested above.
    monkeypatch.setattr(
        budget,
        "_CHILD",
        "import json, sys, time\n"
        "payload = json.load(sys.stdin)\n"
        "print('ready', flush=True)\n"
        "for text in payload['texts']:\n"
        "    while 'forever' in text: time.sleep(1)\n"
        "    print(repr(0.001), flush=True)\n",
    )
    monkeypatch.setattr(budget, "GUARD_FACTOR", 1.0)
    monkeypatch.setattr(budget, "GUARD_SECONDS", 0.5)
    texts = ["first text, unique 5b1", "forever, unique 5b1", "third text, unique 5b1"]
    assert budget.slow_texts(texts, 0.5, [], {}) == {1}
    # Remembered: asking again starts no child (a child that would now fail says nothing).
    monkeypatch.setattr(budget, "_CHILD", "raise SystemExit(1)")
    assert budget.slow_texts(texts, 0.5, [], {}) == {1}
