"""`renew:` in course.md: "each term" or a whole number of days, read, checked and written."""

from __future__ import annotations

import pytest

from induction.content.frontmatter import split
from induction.content.loader import load_library
from induction.content.model import RENEW_EACH_TERM
from induction.content.writer import write_front_matter
from tests.content.helpers import MakeTree, lesson
from tests.content.test_frontmatter import messages, parse

COURSE = "---\ntitle: C\nsummary: S\nrenew: {}\n---\n"


@pytest.mark.parametrize(
    ("written", "value"),
    [("each term", RENEW_EACH_TERM), ("Each  Term", RENEW_EACH_TERM), ("365", 365), ("1", 1)],
)
def test_renew_takes_each_term_or_days(written: str, value: object) -> None:
    document = parse(COURSE.format(written), "course")
    assert messages(document) == []
    assert document.values["renew"] == value


@pytest.mark.parametrize("written", ["yearly", "0", "-5", "1.5", '"365"', "[365]", "true"])
def test_a_bad_renew_says_what_to_write(written: str) -> None:
    found = messages(parse(COURSE.format(written), "course"))
    assert len(found) == 1
    assert found[0].startswith("x.md:4: 'renew' must be 'each term' or a whole number of days")
    assert "write 'renew: 365' or 'renew: each term'" in found[0]


def test_renew_belongs_in_course_md_only() -> None:
    found = messages(parse("---\ntitle: T\nsummary: S\nrenew: 30\n---\n", "module"))
    assert found == [
        "x.md:4: front matter key 'renew' is not allowed in module.md "
        "(it belongs in course.md): remove it"
    ]


def test_the_writer_puts_renew_after_due_days() -> None:
    text = write_front_matter(
        "course",
        {"certificate": True, "renew": RENEW_EACH_TERM, "due_days": 30, "title": "T"},
    )
    assert text.splitlines()[1:-1] == [
        "title: T",
        "due_days: 30",
        "renew: each term",
        "certificate: true",
    ]
    assert split(text, "x.md").entries[2].key == "renew"


def _course(make_tree: MakeTree, renew: str | None) -> MakeTree:
    extra = f"renew: {renew}\n" if renew is not None else ""
    return make_tree(
        {
            "course/course.md": f"---\ntitle: A course\nsummary: S.\n{extra}---\n\nHi.\n",
            "course/01-module/01-a.md": lesson(),
        }
    )


def test_the_loaded_course_has_its_renewal(make_tree: MakeTree) -> None:
    assert load_library(_course(make_tree, "400")).courses[0].renew == 400


def test_a_course_without_renew_never_asks_for_one(make_tree: MakeTree) -> None:
    assert load_library(_course(make_tree, None)).courses[0].renew is None


def test_courses_check_reports_a_bad_renew_at_its_line(runner, make_tree: MakeTree) -> None:
    root = _course(make_tree, "every year")
    result = runner.invoke(args=["courses", "check", str(root)])
    assert result.exit_code == 1
    assert (
        "course/course.md:4: 'renew' must be 'each term' or a whole number of days, "
        "not 'every year'" in result.output
    )
