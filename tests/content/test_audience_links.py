"""The checker warns when a lesson links to a lesson or quiz some of its readers are not shown."""

from __future__ import annotations

from induction.content import check_tree, load_library
from tests.conftest import SHIPPED_COURSES
from tests.content.helpers import MakeTree, errors, formatted, lesson, warnings

OFFICERS_MODULE = "---\ntitle: For officers\nsummary: Officers only.\naudiences: [officer]\n---\n"
QUIZ = "---\ntitle: Check\n---\n\n## Is this a test? {#is-test}\n\n- [x] Yes\n- [ ] No\n"


def test_a_link_to_a_lesson_for_officers_only_warns_the_other_readers(make_tree: MakeTree):
    root = make_tree(
        {
            "course/01-module/01-for-all.md": lesson(
                "For all", "Intro.\n\nOfficers have [their own lesson](02-officers.md)."
            ),
            "course/01-module/02-officers.md": lesson("Officer work", audiences="[officer]"),
        }
    )
    library, problems = check_tree(root)
    assert errors(problems) == []
    assert formatted(warnings(problems)) == [
        "course/01-module/01-for-all.md:7: warning: link to '02-officers.md': councillors "
        "and affiliates will see this link as plain text, not a link: the lesson it links "
        "to, 'Officer work', is for officers only (fine if the sentence still reads well "
        "without the link)"
    ]
    course = library.courses[0]
    assert course.problems == tuple(warnings(problems))  # the course still loads, warned


def test_only_the_readers_who_cannot_follow_the_link_are_named(make_tree: MakeTree):
    root = make_tree(
        {
            "course/01-module/01-two.md": lesson(
                "Two", "See [the next one](02-one.md#part).", audiences="[councillor, officer]"
            ),
            "course/01-module/02-one.md": lesson(
                "One", "## Part {#part}\n\nText.", audiences="[councillor, affiliate]"
            ),
        }
    )
    _, problems = check_tree(root)
    assert errors(problems) == []
    [warning] = warnings(problems)
    assert warning.line == 6
    assert "link to '02-one.md#part': officers will see this link as plain text" in (
        warning.message
    )
    assert "is for councillors and affiliates only" in warning.message


def test_links_every_reader_can_follow_raise_nothing(make_tree: MakeTree):
    root = make_tree(
        {
            "course/01-module/01-officers.md": lesson(
                "Officers",
                "See [the other](02-more.md) and [the quiz](quiz.md).",
                audiences="[officer]",
            ),
            "course/01-module/02-more.md": lesson("More officers", audiences="[officer]"),
            "course/01-module/03-all.md": lesson("All", "Back to [the first](01-officers.md)."),
            "course/01-module/quiz.md": QUIZ,
        }
    )
    _, problems = check_tree(root)
    # A lesson for everyone linking to one for officers is the only link that warns.
    assert [(p.path, p.line) for p in problems] == [("course/01-module/03-all.md", 5)]


def test_a_link_to_the_quiz_of_a_module_for_officers_warns_of_page_not_found(
    make_tree: MakeTree,
):
    root = make_tree(
        {
            "course/01-module/01-all.md": lesson(
                "All", "Try [the officers' quiz](../02-o/quiz.md)."
            ),
            "course/02-o/module.md": OFFICERS_MODULE,
            "course/02-o/01-work.md": lesson("Work"),
            "course/02-o/02-back.md": lesson("Back", "Back to [all](../01-module/01-all.md)."),
            "course/02-o/quiz.md": QUIZ,
        }
    )
    _, problems = check_tree(root)
    assert formatted(problems) == [
        "course/01-module/01-all.md:5: warning: link to '../02-o/quiz.md': councillors and "
        "affiliates would reach 'Page not found' from this link: the quiz it links to is in "
        "the module 'For officers', which is for officers only: link to it only from lessons "
        "for officers only, or remove the link"
    ]


def test_a_lesson_in_a_module_for_officers_links_for_officers_only(make_tree: MakeTree):
    """The lesson's readers are those of its module: a module's audiences count too."""
    root = make_tree(
        {
            "course/01-module/01-all.md": lesson("All"),
            "course/02-o/module.md": OFFICERS_MODULE,
            "course/02-o/01-work.md": lesson(
                "Work", "Links to [the first](../01-module/01-all.md)."
            ),
            "course/03-x/module.md": OFFICERS_MODULE.replace("For officers", "Also officers"),
            "course/03-x/01-more.md": lesson("More", "And [work](../02-o/01-work.md)."),
        }
    )
    _, problems = check_tree(root)
    assert problems == []


def test_the_shipped_course_warns_where_the_lesson_page_shows_words():
    """The two links the lesson page turns into words for some readers are the two warned."""
    library = load_library(SHIPPED_COURSES)
    course = library.course("ccin-induction")
    assert course is not None
    found = [
        (p.path.split("/")[-1], p.message.split(":", 1)[0])
        for p in warnings(course.problems)
        if "plain text" in p.message
    ]
    assert sorted(found) == [
        ("02-governance.md", "link to '03-serving-on-the-network-committees.md#eoc-seats'"),
        ("02-governance.md", "link to '04-the-officer-network.md#groups'"),
    ]
