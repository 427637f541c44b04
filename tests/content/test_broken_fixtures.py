# ruff: noqa: E501 (one finding per line reads best in this table)
"""The broken fixture tree: one deliberately broken file per kind of error, each reported exactly.

Every finding of the checker on `tests/fixtures/courses/broken` is listed here
with its path, line, severity and a key part of its message, and nothing else
is reported: a new false alarm or a lost error fails the test.
"""

from __future__ import annotations

import pytest

from induction.content import check_tree
from induction.content.model import Library, Problem, Severity
from tests.content.helpers import BROKEN_TREE, formatted

E = Severity.ERROR
W = Severity.WARNING

FM = "front-matter/01-lessons"
LK = "links/01-links"

EXPECTED: list[tuple[str, int, Severity, str]] = [
    # front matter, one lesson per kind of error
    (f"{FM}/01-unknown-key.md", 3, E, "unknown front matter key 'minuts' (did you mean 'minutes'?)"),
    (f"{FM}/02-key-of-another-file.md", 3, E, "'pass_mark' is not allowed in a lesson"),
    (f"{FM}/03-no-front-matter.md", 1, E, "the file has no front matter: start it with a '---' line, then 'title: ...'"),
    (f"{FM}/04-unclosed.md", 1, E, "never closed: add a '---' line"),
    (f"{FM}/05-bad-yaml.md", 3, E, "not valid YAML"),
    (f"{FM}/06-fraction.md", 3, E, "'minutes' must be a whole number, 1 or more, not '1.5'"),
    (f"{FM}/07-word-number.md", 3, E, "'minutes' must be a whole number, 1 or more, not 'ten'"),
    (f"{FM}/08-boolean-number.md", 3, E, "'version' must be a whole number, 1 or more, not 'true'"),
    (f"{FM}/09-version-zero.md", 3, E, "'version' must be a whole number, 1 or more, not 0"),
    (f"{FM}/10-duplicate-key.md", 3, E, "'title' appears twice (also on line 2)"),
    (f"{FM}/11-missing-title.md", 1, E, "the front matter has no 'title'"),
    (f"{FM}/12-unknown-audience.md", 3, E, "unknown audience 'oficer' (did you mean 'officer'?)"),
    (f"{FM}/13-audience-not-in-module.md", 3, E, "includes 'affiliate', which module.md does not"),
    (f"{FM}/14-bad-id.md", 2, E, "not 'Not Valid': try 'id: not-valid'"),
    (f"{FM}/15-empty-title.md", 2, E, "'title' is empty"),
    (f"{FM}/16-not-a-mapping.md", 2, E, "must be 'key: value' lines"),
    (f"{FM}/17-text-as-list.md", 2, E, "'title' must be a single value, not a list"),
    (f"{FM}/18-quoted-number.md", 3, E, "not the quoted text '5': remove the quotes"),
    (f"{FM}/19-invalid-utf8.md", 5, E, "not valid UTF-8 (byte 0xe9 on this line)"),
    (f"{FM}/20-empty-audiences.md", 3, E, "'audiences' is empty"),
    (f"{FM}/Bad Name.md", 0, E, "file name 'Bad Name.md' does not give a valid id: rename it or add \"id: bad-name\""),
    # course and quiz keys
    ("course-keys/course.md", 1, E, "the front matter has no 'summary'"),
    ("course-keys/course.md", 3, E, "'pass_mark' must be a whole number from 0 to 100, not 150"),
    ("course-keys/course.md", 4, E, "'due_days' must be a whole number, 1 or more, not 0"),
    ("course-keys/course.md", 5, E, "'certificate' must be true or false, not 'yes'"),
    ("course-keys/course.md", 6, E, "'draft' must be true or false, not '1'"),
    ("course-keys/01-module/quiz.md", 2, E, "'max_attempts' must be a whole number, 0 or more, not -1"),
    ("course-keys/01-module/quiz.md", 3, E, "'shuffle' must be true or false, not '1'"),
    ("course-keys/01-module/quiz.md", 4, E, "unknown front matter key 'pass_mrk' (did you mean 'pass_mark'?)"),
    ("course-keys/02-Module Two", 0, E, "folder name '02-Module Two' does not give a valid id: rename it or add \"id: module-two\" to module.md"),
    # quizzes, one quiz.md per kind of error
    ("quizzes/01-no-correct-option/quiz.md", 1, E, "question 'budget-owner' has no correct option: tick one with \"- [x]\""),
    ("quizzes/02-single-with-two-ticks/quiz.md", 1, E, "is type=single but 2 options are ticked"),
    ("quizzes/03-multiple-with-no-tick/quiz.md", 1, E, "question 'no-ticks' has no correct option: tick at least one"),
    ("quizzes/04-blank-between-options/quiz.md", 4, E, "blank line between the options of question 'spaced'"),
    ("quizzes/05-text-after-options/quiz.md", 6, E, "unexpected text after the options of question 'chatty'"),
    ("quizzes/06-feedback-indent/quiz.md", 4, E, "indented by 2 to 4 spaces (this line has 6)"),
    ("quizzes/07-quote-touching-options/quiz.md", 5, E, "this '>' line touches the options"),
    ("quizzes/08-heading-without-id/quiz.md", 1, E, "must end with its id in braces: '## Where is my id? {#where-is-my-id}'"),
    ("quizzes/09-extra-attribute/quiz.md", 1, E, "holds only its id, a type and audiences, like {#extra type=multiple audiences=councillor}: remove '.wide'"),
    ("quizzes/10-unknown-type/quiz.md", 1, E, "unknown question type 'multi' (did you mean 'multiple'?)"),
    ("quizzes/11-no-questions/quiz.md", 4, E, "the quiz has no questions"),
    ("quizzes/12-one-option/quiz.md", 1, E, "question 'lonely' has only one option"),
    ("quizzes/13-answer-in-choice/quiz.md", 5, E, "question 'mixed' has options, so 'Answer:' lines do not belong"),
    ("quizzes/14-options-in-text/quiz.md", 3, E, "is type=text, so it takes 'Answer:' lines, not options"),
    ("quizzes/15-text-without-answers/quiz.md", 1, E, "is type=text but has no 'Answer:' lines"),
    ("quizzes/16-answers-without-type/quiz.md", 3, E, "end the heading with {#undeclared type=text}"),
    ("quizzes/17-truefalse-options/quiz.md", 1, E, "exactly two options: write '- [ ] True' and '- [ ] False'"),
    ("quizzes/18-explanation-missing-lesson/quiz.md", 6, E, "link to '../00-lessons/02-missing.md': no such lesson in this course"),
    ("quizzes/19-explanation-missing-anchor/quiz.md", 6, E, "lesson 'topic' has no heading with anchor 'nowhere' (anchors: section)"),
    ("quizzes/20-unclosed-fence/quiz.md", 3, E, "this code block is never closed"),
    ("quizzes/21-text-before-questions/quiz.md", 1, E, "put the quiz title in the front matter"),
    ("quizzes/22-empty-option/quiz.md", 4, E, "this option has no text"),
    ("quizzes/23-duplicate-option/quiz.md", 4, E, "option 'A' appears twice in question 'twice' (also on line 3)"),
    ("quizzes/24-two-explanations/quiz.md", 8, E, "already has an explanation"),
    ("quizzes/25-bad-question-id/quiz.md", 1, E, "question id 'Bad_Id' must be lowercase letters and digits"),
    ("quizzes/26-duplicate-question-id/quiz.md", 1, E, "question id 'copy' is also used by 26-duplicate-question-id/quiz.md:6"),
    ("quizzes/26-duplicate-question-id/quiz.md", 6, E, "question id 'copy' is also used by 26-duplicate-question-id/quiz.md:1"),
    # layout
    ("layout/notes.txt", 0, W, "ignored: a course folder holds only course.md, media/ and module folders"),
    ("layout/01-a/image.png", 0, W, "ignored: a module folder holds only Markdown files"),
    ("layout/01-a/sub", 0, W, "ignored: a module folder holds only Markdown files, not folders"),
    ("layout/01-a/01-intro.md", 1, E, "lesson id 'intro' is also used by 02-b/01-intro.md:1"),
    ("layout/02-b/01-intro.md", 1, E, "lesson id 'intro' is also used by 01-a/01-intro.md:1"),
    ("layout/03-no-module-md", 0, E, "this module folder has no module.md"),
    ("layout/04-empty", 0, E, "this module has no lessons and no quiz"),
    ("no-course-md", 0, E, "this course folder has no course.md"),
    ("same-id-b/course.md", 4, E, "course id 'same-id' is also used by same-id-a/course.md"),
    # links, one lesson per kind of error
    (f"{LK}/02-missing-lesson.md", 5, E, "link to '03-benefits.md#fees': no such lesson in this module"),
    (f"{LK}/03-missing-anchor.md", 5, E, "link to '01-target.md#fees': lesson 'target' has no heading with anchor 'fees' (anchors: fee, costs)"),
    (f"{LK}/04-outside-course.md", 5, E, "points outside this course"),
    (f"{LK}/05-missing-media.md", 5, E, "there is no file 'handout.pdf' in media/"),
    (f"{LK}/06-image-without-alt.md", 5, E, "image '../media/real.svg' has no alt text"),
    (f"{LK}/07-external-image.md", 5, E, "pages must not load anything from another host, put the image in media/"),
    (f"{LK}/08-image-outside-media.md", 5, E, "is not in the course's media/ folder"),
    (f"{LK}/09-missing-image.md", 5, E, "image '../media/chart.svg': there is no file 'chart.svg' in media/"),
    (f"{LK}/10-duplicate-anchors.md", 7, E, "two headings have the anchor 'same' (also on line 5)"),
    (f"{LK}/11-link-to-module.md", 5, E, "module.md is not a page of its own"),
    (f"{LK}/12-same-page-anchor.md", 7, E, "link to '#there': this lesson has no heading with anchor 'there' (anchors: here)"),
    (f"{LK}/13-quiz-anchor.md", 5, E, "a link to a quiz cannot point inside it: remove '#q1'"),
    (f"{LK}/14-not-linkable.md", 5, E, "only lessons, quizzes and files in media/ can be linked"),
    (f"{LK}/15-javascript-link.md", 5, W, "link to 'javascript:alert(1)' will be removed"),
    (f"{LK}/16-raw-script.md", 7, W, "raw HTML <script> will be removed with its content"),
    (f"{LK}/17-event-handler.md", 5, W, "event handler 'onmouseover' on raw HTML <span> will be removed"),
    (f"{LK}/18-heading-class.md", 5, W, "heading attribute '.big' will be removed"),
    (f"{LK}/19-absolute-link.md", 5, W, "link to '/help' depends on where the platform runs"),
]  # fmt: skip


@pytest.fixture(scope="module")
def checked() -> tuple[Library, list[Problem]]:
    return check_tree(BROKEN_TREE)


def test_every_finding_is_expected_and_every_expected_finding_is_reported(
    checked: tuple[Library, list[Problem]],
) -> None:
    _, problems = checked
    found = sorted((p.path, p.line, p.severity) for p in problems)
    wanted = sorted((path, line, severity) for path, line, severity, _ in EXPECTED)
    assert found == wanted, "\n".join(formatted(problems))


@pytest.mark.parametrize(
    ("path", "line", "severity", "fragment"), EXPECTED, ids=[f"{p}:{n}" for p, n, _, _ in EXPECTED]
)
def test_message_says_what_is_wrong(
    checked: tuple[Library, list[Problem]], path: str, line: int, severity: Severity, fragment: str
) -> None:
    _, problems = checked
    messages = [
        p.message for p in problems if (p.path, p.line, p.severity) == (path, line, severity)
    ]
    assert any(fragment in message for message in messages), messages


def test_every_error_message_says_how_to_fix_it(checked: tuple[Library, list[Problem]]) -> None:
    _, problems = checked
    vague = [
        p.format() for p in problems if ":" not in p.message and "(did you mean" not in p.message
    ]
    assert vague == []


def test_courses_with_errors_are_broken_and_the_rest_load(
    checked: tuple[Library, list[Problem]],
) -> None:
    library, _ = checked
    assert [course.id for course in library.courses] == ["same-id"]
    assert library.courses[0].path == "same-id-a"
    assert set(library.broken) == {
        "course-keys",
        "front-matter",
        "layout",
        "links",
        "no-course-md",
        "quizzes",
        "same-id-b",  # its id is taken, so it is known by its folder
    }


def test_a_broken_course_lists_only_its_own_problems(
    checked: tuple[Library, list[Problem]],
) -> None:
    library, _ = checked
    layout = library.broken["layout"]
    assert {p.path.split("/")[0] for p in layout} == {"layout"}
    assert any(p.severity is Severity.WARNING for p in layout)


def test_library_problems_are_sorted_by_path_then_line(
    checked: tuple[Library, list[Problem]],
) -> None:
    library, _ = checked
    keys = [(p.path, p.line) for p in library.problems]
    assert keys == sorted(keys)
