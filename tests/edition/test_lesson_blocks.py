"""Reflection and council-notes blocks in lessons: how they are read, checked and rendered."""

from __future__ import annotations

import pytest

from induction.content.blocks import find_blocks, render_lesson
from induction.content.loader import load_library
from induction.content.render import Renderer
from tests.content.helpers import MakeTree, formatted, lesson

GOOD = """\
Intro.

::: reflection {#think}
What do *you* think?
:::

::: council-notes {#contacts}
:::
"""


def problems_of(body: str) -> list[str]:
    return formatted(find_blocks(body, 5, "lesson.md")[1])


def test_blocks_are_read_with_their_kind_id_text_and_lines() -> None:
    blocks, problems = find_blocks(GOOD, 5, "lesson.md")
    assert problems == []
    assert [(b.kind, b.id, b.text, b.line, b.end_line) for b in blocks] == [
        ("reflection", "think", "What do *you* think?", 7, 9),
        ("council-notes", "contacts", "", 11, 12),
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "::: reflexion {#a}\nText\n:::\n",
            "lesson.md:5: unknown kind of block 'reflexion': use reflection or council-notes, "
            "like '::: reflection {#reflect-values}'",
        ),
        (
            "::: reflection\nText\n:::\n",
            "lesson.md:5: a reflection block needs an id: write '::: reflection {#reflection-1}' "
            "(lowercase letters and digits joined by hyphens)",
        ),
        (
            "::: reflection {#Bad_Id}\nText\n:::\n",
            "lesson.md:5: block id 'Bad_Id' must be lowercase letters and digits joined by single "
            "hyphens: try {#bad-id}",
        ),
        (
            "Intro.\n\n::: council-notes {#a}\nText\n",
            "lesson.md:7: this council-notes block is never closed: add a line ':::' where it ends",
        ),
        (
            "Text\n:::\n",
            "lesson.md:6: this ':::' closes no block: remove it, or open a block above it with "
            "'::: reflection {#an-id}' or '::: council-notes {#an-id}'",
        ),
    ],
)
def test_each_mistake_is_reported_at_its_line(body: str, expected: str) -> None:
    assert problems_of(body) == [expected]


def test_an_id_used_twice_in_a_lesson_is_an_error_at_the_second() -> None:
    body = "::: reflection {#a}\nOne\n:::\n\n::: council-notes {#a}\n:::\n"
    assert problems_of(body) == [
        "lesson.md:9: the id 'a' is already used by the block on line 5: give each block of a "
        "lesson its own id"
    ]


def test_a_block_inside_a_block_is_an_error() -> None:
    body = "::: reflection {#a}\n::: reflection {#b}\n:::\n"
    assert problems_of(body) == [
        "lesson.md:6: a block starts inside the block opened on line 5: close that one first "
        "with a line ':::'"
    ]


def test_blocks_inside_fenced_code_are_examples_not_blocks() -> None:
    body = "```\n::: reflection {#a}\n:::\n```\n"
    assert find_blocks(body, 1, "lesson.md") == ((), [])


def test_rendering_cuts_the_blocks_out_in_order() -> None:
    renderer = Renderer()

    def render(text: str):
        rendered = renderer.render(text)
        return rendered.html, rendered.headings

    html, headings, parts = render_lesson("## Top {#top}\n\n" + GOOD + "\nAfter.\n", render)
    assert [(p.kind, p.id) for p in parts] == [
        ("html", None),
        ("reflection", "think"),
        ("council-notes", "contacts"),
        ("html", None),
    ]
    assert parts[1].html == "<p>What do <em>you</em> think?</p>"
    assert parts[2].html == ""
    assert [h.anchor for h in headings] == ["top"]
    assert 'id="reflection-think"' in html
    assert "INDUCTIONBLOCK" not in html
    assert html.endswith("<p>After.</p>")


def test_courses_check_reports_block_problems_with_file_and_line(make_tree: MakeTree) -> None:
    root = make_tree(
        {"course/01-module/01-a.md": lesson(body="::: reflection {#a}\nText\n::: \n\n:::\n")}
    )
    assert formatted(load_library(root).problems) == [
        "course/01-module/01-a.md:9: this ':::' closes no block: remove it, or open a block "
        "above it with '::: reflection {#an-id}' or '::: council-notes {#an-id}'"
    ]


def test_the_courses_check_command_fails_on_a_bad_block(make_tree: MakeTree, runner) -> None:
    root = make_tree({"course/01-module/01-a.md": lesson(body="::: notes {#a}\n:::\n")})
    result = runner.invoke(args=["courses", "check", str(root)])
    assert result.exit_code == 1
    assert "course/01-module/01-a.md:5: unknown kind of block 'notes'" in result.output
