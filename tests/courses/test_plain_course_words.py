"""The shipped courses speak to councillors in plain words and count their modules right."""

from __future__ import annotations

from induction.content.check import check_tree
from tests.conftest import SHIPPED_COURSES

WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def test_getting_started_has_no_technical_words():
    for lesson in (SHIPPED_COURSES / "02-getting-started").rglob("*.md"):
        text = lesson.read_text(encoding="utf-8")
        for word in ("JavaScript", "screen reader", "Screen reader"):
            assert word not in text, f"{lesson.name} says {word!r} to councillors"


def test_the_ccin_course_states_the_number_of_modules_it_has():
    library, _ = check_tree(SHIPPED_COURSES)
    course = library.course("ccin-induction")
    assert course is not None
    modules = len(course.modules)
    text = (SHIPPED_COURSES / "01-ccin-induction" / "course.md").read_text(encoding="utf-8")
    assert f"The course has {WORDS[modules]} modules." in text
    assert "one in each module" not in text  # the appendix answers none of the questions
    # As the course page's rule says it ("complete all 5 modules").
    assert f"To complete\nthe course, complete all {WORDS[modules]}." in text
