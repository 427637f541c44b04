"""A lesson picture wider than the narrowest column links to the lesson's page for it, to open
it full size."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from induction.content import Renderer, load_library
from induction.content.model import Course
from induction.content.pictures import NARROWEST_COLUMN_PX, natural_width
from tests.content.helpers import MakeTree, errors, lesson

WIDE = "/courses/course/media/wide.png"
WIDE_PAGE = "/courses/course/lessons/pictures/pictures/wide.png"  # the lesson's page for it
LINK_TEXT = "<span>Open the picture full size</span>"


def png(width: int, height: int = 100) -> bytes:
    """Return the start of a PNG file: enough for its size to be read."""
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + header + b"\0\0\0\0"


def svg(attributes: str) -> bytes:
    return f'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" {attributes}>'.encode()


def gif(width: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, 10) + b"\0" * 8


def jpeg(width: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0" + b"\0" * 9
    frame = b"\xff\xc0" + struct.pack(">HBHH", 17, 8, 50, width) + b"\0" * 10
    return b"\xff\xd8" + app0 + frame


def webp_extended(width: int) -> bytes:
    return b"RIFF\0\0\0\0WEBPVP8X" + b"\0" * 8 + (width - 1).to_bytes(3, "little") + b"\0\0\0"


def course_of(root: Path, renderer: Renderer | None = None) -> Course:
    library = load_library(root, renderer)
    assert errors(library.problems) == []
    return library.courses[0]


def lesson_html(course: Course, lesson_id: str = "pictures") -> str:
    found = course.lesson(lesson_id)
    assert found is not None
    return found.html


def test_a_picture_wider_than_the_narrowest_column_links_to_its_page(make_tree: MakeTree):
    root = make_tree(
        {
            "course/media/wide.png": png(NARROWEST_COLUMN_PX + 1),
            "course/media/small.png": png(NARROWEST_COLUMN_PX),
            "course/01-module/01-pictures.md": lesson(
                "Pictures", "![A wide chart](../media/wide.png)\n\n![A logo](../media/small.png)"
            ),
        }
    )
    html = lesson_html(course_of(root))
    assert (
        f'<p><a class="picture-link" href="{WIDE_PAGE}" '
        'rel="noopener noreferrer"><img alt="A wide chart" src="/courses/course/media/wide.png">'
        f"{LINK_TEXT}</a></p>"
    ) in html
    # The small picture is drawn at its own size everywhere: no link.
    assert '<p><img alt="A logo" src="/courses/course/media/small.png"></p>' in html
    assert html.count("picture-link") == 1


def test_a_picture_whose_width_cannot_be_told_links_too(make_tree: MakeTree):
    root = make_tree(
        {
            "course/media/fluid.svg": svg('width="100%" viewBox="0 0 200 100"'),
            "course/01-module/01-pictures.md": lesson("Pictures", "![Fluid](../media/fluid.svg)"),
        }
    )
    assert 'href="/courses/course/lessons/pictures/pictures/fluid.svg"' in lesson_html(
        course_of(root)
    )


def test_a_picture_already_in_a_link_is_not_linked_again(make_tree: MakeTree):
    root = make_tree(
        {
            "course/media/wide.png": png(800),
            "course/01-module/01-pictures.md": lesson(
                "Pictures", "[![A wide chart](../media/wide.png)](https://example.org/chart)"
            ),
        }
    )
    html = lesson_html(course_of(root))
    assert html.count("<a ") == 1
    assert 'href="https://example.org/chart"' in html
    assert "picture-link" not in html


def test_a_picture_from_elsewhere_never_becomes_a_link(make_tree: MakeTree):
    root = make_tree(
        {
            "course/media/wide.png": png(800),
            "course/01-module/01-pictures.md": lesson(
                "Pictures",
                '![Remote](https://example.org/x.png)\n\n<a class="picture-link" '
                'href="javascript:alert(1)">x</a>',
            ),
        }
    )
    library = load_library(root)
    assert errors(library.problems)  # an image from another host is an error ...
    renderer = Renderer()
    html = renderer.render(
        "![Remote](https://example.org/x.png)\n\n"
        '<a class="picture-link" href="javascript:alert(1)">x</a>',
        pictures=lambda url: "/a-page",
    ).html
    # ... and were it rendered anyway, it would have no source and no link.
    assert "example.org" not in html
    assert "javascript" not in html
    assert "/a-page" not in html
    assert "<span>Open the picture" not in html


def test_only_lessons_link_their_pictures(make_tree: MakeTree):
    """A module's introduction and a quiz (a form) keep their pictures as they are."""
    root = make_tree(
        {
            "course/media/wide.png": png(800),
            "course/01-module/module.md": (
                "---\ntitle: A module\nsummary: A module.\n---\n\n![Wide](../media/wide.png)\n"
            ),
            "course/01-module/01-pictures.md": lesson("Pictures", "![Wide](../media/wide.png)"),
            "course/01-module/quiz.md": (
                "---\ntitle: Check\n---\n\n## Which? {#which}\n\n![Wide](../media/wide.png)\n\n"
                "- [x] Yes\n- [ ] No\n"
            ),
        }
    )
    course = course_of(root)
    module = course.modules[0]
    assert module.quiz is not None
    assert "picture-link" in lesson_html(course)
    assert "<img" in module.html and "picture-link" not in module.html
    stem = module.quiz.questions[0].stem_html
    assert "<img" in stem and "picture-link" not in stem


def test_a_picture_made_wider_is_linked_on_the_next_load(make_tree: MakeTree):
    """The render cache keeps the rule's answers: a wider file re-renders the lesson."""
    root = make_tree(
        {
            "course/media/wide.png": png(100),
            "course/01-module/01-pictures.md": lesson("Pictures", "![Chart](../media/wide.png)"),
        }
    )
    renderer = Renderer()
    assert "picture-link" not in lesson_html(course_of(root, renderer))
    (root / "course" / "media" / "wide.png").write_bytes(png(900))
    assert "picture-link" in lesson_html(course_of(root, renderer))
    (root / "course" / "media" / "wide.png").write_bytes(png(90))
    assert "picture-link" not in lesson_html(course_of(root, renderer))


def test_the_same_text_in_two_lessons_links_each_to_its_own_page(make_tree: MakeTree):
    """The render cache is by content: the same words in another lesson must not keep the
    first lesson's address for the picture's page."""
    body = "![Chart](../media/wide.png)"
    root = make_tree(
        {
            "course/media/wide.png": png(900),
            "course/01-module/01-first.md": lesson("First", body),
            "course/01-module/02-second.md": lesson("Second", body),
        }
    )
    course = course_of(root)
    assert 'href="/courses/course/lessons/first/pictures/wide.png"' in lesson_html(course, "first")
    assert 'href="/courses/course/lessons/second/pictures/wide.png"' in lesson_html(
        course, "second"
    )


@pytest.mark.parametrize(
    ("data", "width"),
    [
        (png(640), 640),
        (gif(300), 300),
        (jpeg(1024), 1024),
        (webp_extended(500), 500),
        (svg('viewBox="0 0 800 720" width="800" height="720"'), 800),
        (svg('width="480px" height="220px"'), 480),
        (svg('viewBox="0 0 720 500"'), 720),
        (svg('width="20em"'), None),
        (svg('width="100%"'), None),
        (b"not a picture at all", None),
        (b"\x89PNG\r\n\x1a\n", None),
        (b"\xff\xd8\xff", None),
    ],
)
def test_natural_width(tmp_path: Path, data: bytes, width: int | None):
    path = tmp_path / "picture"
    path.write_bytes(data)
    assert natural_width(path) == width


def test_natural_width_of_a_missing_file_is_unknown(tmp_path: Path):
    assert natural_width(tmp_path / "gone.png") is None


def test_the_shipped_diagrams_open_full_size():
    from tests.conftest import SHIPPED_COURSES

    library = load_library(SHIPPED_COURSES)
    course = library.course("ccin-induction")
    assert course is not None
    html = lesson_html(course, "governance")
    assert re.search(
        r'<a class="picture-link" href="/courses/ccin-induction/lessons/governance/pictures/'
        r'governance\.svg"[^>]*>'
        r'<img alt="Diagram of CCIN governance[^"]*" src="[^"]+">' + re.escape(LINK_TEXT) + "</a>",
        html,
    )
