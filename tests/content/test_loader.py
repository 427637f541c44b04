"""Loading a courses folder: the valid fixture tree in detail, and the loader's rules."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

import induction.content
from induction.content import Renderer, load_library, summary_line
from induction.content.model import AUDIENCES, Course, Library, Severity
from tests.conftest import SHIPPED_COURSES
from tests.content.helpers import MODULE_MD, VALID_TREE, MakeTree, errors, formatted, lesson


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(VALID_TREE)


@pytest.fixture(scope="module")
def tour(library: Library) -> Course:
    course = library.course("feature-tour")
    assert course is not None, formatted(library.problems)
    return course


def test_the_valid_tree_loads_with_no_problems_but_its_audience_warnings(
    library: Library,
) -> None:
    # The welcome lesson (councillors and officers) links to lessons for officers only:
    # the only findings, warnings that councillors see those links as plain text.
    found = [(p.format().split(": link to ")[0], p.severity) for p in library.problems]
    assert found == [
        (f"01-full/01-basics/01-welcome.md:{line}: warning", Severity.WARNING)
        for line in (20, 26, 30)
    ]
    assert all(
        "councillors will see this link as plain text" in p.message for p in library.problems
    )
    assert library.broken == {}
    assert [course.id for course in library.courses] == ["feature-tour", "second-course"]


def test_course_settings(tour: Course, library: Library) -> None:
    assert tour.path == "01-full"
    assert tour.title == "Feature tour"
    assert tour.summary == "Every feature of the format: in one course"
    assert tour.audiences == {"councillor", "officer"}
    assert (tour.pass_mark, tour.due_days, tour.certificate, tour.draft) == (70, 14, False, False)
    assert 'href="/courses/feature-tour/lessons/welcome#welcome"' in tour.html
    draft = library.course("second-course")
    assert draft is not None
    assert (draft.draft, draft.certificate, draft.pass_mark, draft.due_days) == (
        True,
        True,
        80,
        None,
    )
    assert draft.audiences == frozenset(AUDIENCES)


def test_modules_and_lessons_in_order_with_their_ids(tour: Course) -> None:
    assert [m.id for m in tour.modules] == ["basics", "extra", "quiz-only"]
    assert [m.path for m in tour.modules] == [
        "01-full/01-basics",
        "01-full/02-more",
        "01-full/03-quiz-only",
    ]
    assert [lesson.id for lesson in tour.modules[0].lessons] == ["welcome", "renamed-lesson"]
    # Numbered files first (2 before 10), then the others by name.
    assert [lesson.id for lesson in tour.modules[1].lessons] == ["earlier", "later", "intro"]
    assert tour.modules[2].lessons == ()


def test_lesson_settings_and_defaults(tour: Course) -> None:
    welcome = tour.lesson("welcome")
    assert welcome is not None
    assert (welcome.minutes, welcome.version) == (3, 2)
    assert welcome.acknowledge == "I have read the welcome."
    assert welcome.audiences == {"councillor", "officer"}  # the module's, which are the course's
    assert (welcome.course_id, welcome.module_id) == ("feature-tour", "basics")
    assert welcome.path == "01-full/01-basics/01-welcome.md"
    renamed = tour.lesson("renamed-lesson")
    assert renamed is not None
    assert renamed.title == "No"
    assert renamed.audiences == {"officer"}
    assert (renamed.minutes, renamed.version, renamed.acknowledge) == (1, 1, None)


def test_audiences_narrow_from_module_to_lesson(tour: Course) -> None:
    extra = tour.module("extra")
    assert extra is not None
    assert extra.audiences == {"officer"}
    assert all(lesson.audiences == {"officer"} for lesson in extra.lessons)
    assert tour.modules_for("councillor") == (tour.modules[0], tour.modules[2])


def test_headings_carry_their_anchors(tour: Course) -> None:
    welcome = tour.lesson("welcome")
    assert welcome is not None
    assert [(h.level, h.text, h.anchor) for h in welcome.headings] == [
        (2, "Welcome", "welcome"),
        (2, "A table and a note", "table"),
        (2, "Links of every kind", "links-of-every-kind"),
    ]


def test_links_are_rewritten_to_platform_urls(tour: Course) -> None:
    welcome = tour.lesson("welcome")
    assert welcome is not None
    html = welcome.html
    assert 'href="/courses/feature-tour/lessons/renamed-lesson#details"' in html
    assert 'href="/courses/feature-tour/modules/basics/quiz"' in html
    assert 'href="/courses/feature-tour/lessons/intro#more-intro"' in html
    assert 'href="/courses/feature-tour/media/docs/handout.txt"' in html
    assert 'href="/courses/feature-tour/lessons/renamed-lesson"' in html  # a reference link
    assert 'src="/courses/feature-tour/media/diagram.svg"' in html
    assert 'href="https://example.org/ccin"' in html
    assert 'href="mailto:team@example.org"' in html
    assert 'href="#welcome"' in html
    assert "&lt;script&gt;" in html  # code stays code
    assert ".md" not in html.replace("missing.md", "").replace("nowhere.md", "")


def test_the_quiz_in_full(tour: Course) -> None:
    quiz = tour.modules[0].quiz
    assert quiz is not None
    assert (quiz.id, quiz.course_id, quiz.module_id) == ("basics", "feature-tour", "basics")
    assert (quiz.title, quiz.pass_mark, quiz.max_attempts, quiz.shuffle) == (
        "Basics quiz",
        60,
        3,
        True,
    )
    assert quiz.path == "01-full/01-basics/quiz.md"
    by_id = {q.id: q for q in quiz.questions}
    assert [(q.id, q.type, q.type_declared) for q in quiz.questions] == [
        ("fruit", "single", False),
        ("even", "multiple", False),
        ("prime", "multiple", True),
        ("declared-single", "single", True),
        ("sky", "truefalse", True),
        ("capital", "text", True),
    ]
    fruit = by_id["fruit"]
    assert fruit.prompt_html == "Which of these is a <em>fruit</em>?"
    assert fruit.options[0].feedback == "A carrot is a root.\n\nRoots are not fruit."
    assert (
        fruit.options[0].feedback_html == "<p>A carrot is a root.</p>\n<p>Roots are not fruit.</p>"
    )
    assert fruit.options[1].html == "Apple"
    assert fruit.options[1].feedback_html is None
    assert 'href="/courses/feature-tour/lessons/welcome#welcome"' in (fruit.explanation_html or "")
    assert fruit.review_links == ("welcome#welcome",)
    assert by_id["even"].review_links == ("welcome#table", "renamed-lesson#details")
    assert "<table>" in by_id["even"].stem_html
    assert by_id["declared-single"].options[1].html == "1. Not a list"
    assert 'src="/courses/feature-tour/media/diagram.svg"' in by_id["declared-single"].stem_html
    assert by_id["capital"].answers == ("Cardiff", "Caerdydd")
    assert by_id["capital"].review_links == ()


def test_a_quiz_takes_the_course_pass_mark_unless_it_sets_its_own(tour: Course) -> None:
    quiz = tour.modules[2].quiz
    assert quiz is not None
    assert (quiz.title, quiz.pass_mark, quiz.max_attempts, quiz.shuffle) == (
        "Check your understanding",
        70,
        0,
        False,
    )


def test_bom_and_crlf_do_not_change_the_content_hash(tour: Course) -> None:
    earlier = tour.lesson("earlier")
    assert earlier is not None
    assert (
        earlier.body == "\n## Saved on Windows {#windows}\n\n"
        "This file has a byte-order mark and CRLF line ends.\n"
    )
    plain = "---\ntitle: Earlier\n---\n" + earlier.body
    assert earlier.content_hash == hashlib.sha256(plain.encode()).hexdigest()


def test_summary_lines(library: Library) -> None:
    assert [summary_line(course) for course in library.courses] == [
        "feature-tour: 3 modules, 5 lessons, 2 quizzes (7 questions), OK with 3 warnings",
        "second-course (draft): 1 module, 1 lesson, 0 quizzes (0 questions), OK",
    ]


def test_a_summary_counts_warnings(make_tree: MakeTree) -> None:
    root = make_tree({"course/01-module/01-a.md": lesson(body="<marquee>x</marquee>")})
    (course,) = load_library(root).courses
    assert (
        summary_line(course)
        == "course: 1 module, 1 lesson, 0 quizzes (0 questions), OK with 1 warning"
    )
    assert [p.message.split(":")[0] for p in course.problems] == [
        "raw HTML <marquee> will be removed (its text stays)"
    ]


def test_minutes_are_estimated_from_the_word_count(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "course/01-module/01-short.md": lesson(body="word " * 10),
            "course/01-module/02-long.md": lesson(body="word " * 401),
        }
    )
    (course,) = load_library(root).courses
    assert [lesson.minutes for lesson in course.modules[0].lessons] == [1, 3]


def test_every_problem_in_every_file_is_reported_in_one_run(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "course/01-module/01-a.md": lesson(body="[x](nowhere.md)", minutes="ten"),
            "course/01-module/02-b.md": lesson(body="![](../media/none.png)"),
            "course/01-module/quiz.md": "## Q {#q}\n\n- [ ] A\n- [ ] B\n",
            "other/course.md": "---\ntitle: Other\n---\n",
        }
    )
    library = load_library(root)
    assert [(p.path, p.line) for p in library.errors] == [
        ("course/01-module/01-a.md", 3),  # minutes: ten
        ("course/01-module/01-a.md", 6),  # the broken link
        ("course/01-module/02-b.md", 5),  # no alt text
        ("course/01-module/02-b.md", 5),  # no such image
        ("course/01-module/quiz.md", 1),  # no correct option
        ("other/course.md", 1),  # no summary
    ]
    assert set(library.broken) == {"course", "other"}


QUIZ_WITH_ID = "---\nid: final-check\n---\n\n## Q {#q}\n\n- [x] A\n- [ ] B\n"


def test_ids_set_in_front_matter_override_names(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "Course Folder/course.md": "---\nid: my-course\ntitle: C\nsummary: S\n---\n",
            "Course Folder/Module One/module.md": "---\nid: module-one\ntitle: M\nsummary: S\n---",
            "Course Folder/Module One/Lesson One.md": lesson(id="lesson-one"),
            "Course Folder/Module One/quiz.md": QUIZ_WITH_ID,
        }
    )
    library = load_library(root)
    assert formatted(library.problems) == []
    (course,) = library.courses
    module = course.modules[0]
    assert (course.id, module.id, module.lessons[0].id) == ("my-course", "module-one", "lesson-one")
    assert module.quiz is not None
    assert (module.quiz.id, module.quiz.module_id) == ("final-check", "module-one")


def test_two_modules_cannot_share_a_lesson_id(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "course/01-a/module.md": "---\ntitle: A\nsummary: S\n---\n",
            "course/01-a/01-introduction.md": lesson(),
            "course/02-b/module.md": "---\nid: a\ntitle: B\nsummary: S\n---\n",
            "course/02-b/01-introduction.md": lesson(),
        }
    )
    fix = "ids must be unique in a course, so rename one or give it another 'id:'"
    assert formatted(errors(load_library(root).problems)) == [
        f"course/01-a/01-introduction.md:1: lesson id 'introduction' is also used by "
        f"02-b/01-introduction.md:1: {fix}",
        f"course/01-a/module.md:1: module id 'a' is also used by 02-b/module.md:2: {fix}",
        f"course/02-b/01-introduction.md:1: lesson id 'introduction' is also used by "
        f"01-a/01-introduction.md:1: {fix}",
        f"course/02-b/module.md:2: module id 'a' is also used by 01-a/module.md:1: {fix}",
    ]


def test_module_audiences_must_be_within_the_course(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "course/course.md": "---\ntitle: C\nsummary: S\naudiences: [officer]\n---\n",
            "course/01-module/module.md": (
                "---\ntitle: M\nsummary: S\naudiences: [officer, affiliate]\n---\n"
            ),
            "course/01-module/01-a.md": lesson(),
        }
    )
    assert formatted(load_library(root).problems) == [
        "course/01-module/module.md:4: 'audiences' includes 'affiliate', which course.md does not: "
        "remove it here, or add it to the audiences of course.md"
    ]


def test_a_missing_courses_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    library = load_library(tmp_path / "nowhere")
    assert library.courses == ()
    assert [p.message for p in library.problems] == [
        "the courses folder 'nowhere' does not exist: create it"
    ]


def test_reloading_unchanged_files_renders_nothing_again(make_tree: MakeTree) -> None:
    files = {
        f"course/01-module/{n:02d}-lesson-{n}.md": lesson(body=f"## Part {n}\n\nText {n}.")
        for n in range(50)
    }
    files["course/01-module/quiz.md"] = (
        "## Q {#q}\n\n- [x] *A*\n  > Yes.\n- [ ] B\n\n> See [one](01-lesson-1.md#part-1).\n"
    )
    root = make_tree(files)
    renderer = Renderer()
    first = load_library(root, renderer)
    assert formatted(first.problems) == []
    rendered = renderer.conversions
    second = load_library(root, renderer)
    assert renderer.conversions == rendered
    assert second.courses == first.courses
    (root / "course/01-module/07-lesson-7.md").write_text(lesson(body="Changed."), encoding="utf-8")
    load_library(root, renderer)
    assert renderer.conversions == rendered + 1


def test_renaming_a_linked_lesson_re_renders_the_lesson_that_links_to_it(
    make_tree: MakeTree,
) -> None:
    root = make_tree(
        {
            "course/01-module/01-a.md": lesson(body="See [b](02-b.md)."),
            "course/01-module/02-b.md": lesson(),
        }
    )
    renderer = Renderer()
    load_library(root, renderer)
    (root / "course/01-module/02-b.md").write_text(lesson(id="renamed"), encoding="utf-8")
    (course,) = load_library(root, renderer).courses
    a = course.lesson("a")
    assert a is not None
    assert 'href="/courses/course/lessons/renamed"' in a.html


def test_the_content_core_imports_no_web_or_database_framework() -> None:
    # The parent package builds the app, so load the content package without running it.
    code = (
        "import pkgutil, sys, types, importlib\n"
        "package = types.ModuleType('induction')\n"
        f"package.__path__ = [{str(Path(induction.content.__file__).parent.parent)!r}]\n"
        "sys.modules['induction'] = package\n"
        "import induction.content\n"
        "for info in pkgutil.iter_modules(induction.content.__path__):\n"
        "    importlib.import_module('induction.content.' + info.name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}"
        " & {'flask', 'werkzeug', 'sqlalchemy', 'flask_sqlalchemy'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_unsafe_html_is_removed_from_the_page_and_warned_about_at_its_line(
    make_tree: MakeTree,
) -> None:
    body = (
        "Safe text.\n\n"
        "<script>steal()</script>\n\n"
        '<img src="../media/x.png" onerror="steal()">\n\n'
        "[Click me](javascript:steal())\n"
    )
    root = make_tree({"course/01-module/01-a.md": lesson(body=body)})
    library = load_library(root)
    assert [(p.line, p.message.split(":")[0]) for p in library.problems] == [
        (7, "raw HTML <script> will be removed with its content"),
        (9, "raw HTML <img> is not checked and loses its source"),
        (11, "link to 'javascript"),
    ]
    (course,) = library.courses  # warnings do not stop a course loading
    html = course.modules[0].lessons[0].html
    assert "<p>Safe text.</p>" in html
    for fragment in ("<script", "steal", "onerror", "javascript:", "../media/x.png"):
        assert fragment not in html


class AppLinks:
    key = "app"

    def lesson(self, course_id: str, lesson_id: str, anchor: str | None = None) -> str:
        return f"/app/{course_id}/{lesson_id}" + (f"#{anchor}" if anchor else "")

    def quiz(self, course_id: str, module_id: str) -> str:
        return f"/app/{course_id}/{module_id}/quiz"

    def media(self, course_id: str, filename: str) -> str:
        return f"/app/{course_id}/files/{filename}"

    def picture(self, course_id: str, lesson_id: str, filename: str) -> str:
        return f"/app/{course_id}/{lesson_id}/picture/{filename}"


def test_the_app_can_use_its_own_url_scheme(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "course/media/a.png": b"png",
            "course/01-module/01-a.md": lesson(
                body="[B](02-b.md#x) [Quiz](quiz.md) ![A](../media/a.png)"
            ),
            "course/01-module/02-b.md": lesson(body="## X {#x}"),
            "course/01-module/quiz.md": "## Q {#q}\n\n- [x] A\n- [ ] B\n\n> See [B](02-b.md#x).\n",
        }
    )
    (course,) = load_library(root, Renderer(AppLinks())).courses
    html = course.modules[0].lessons[0].html
    assert 'href="/app/course/b#x"' in html
    assert 'href="/app/course/module/quiz"' in html
    assert 'src="/app/course/files/a.png"' in html
    # A picture whose width cannot be told opens on the app's own page for it.
    assert 'href="/app/course/a/picture/a.png"' in html
    quiz = course.modules[0].quiz
    assert quiz is not None
    assert 'href="/app/course/b#x"' in (quiz.questions[0].explanation_html or "")
    assert quiz.questions[0].review_links == ("b#x",)


def test_order_in_course_md_sets_the_place_in_the_catalogue(make_tree: MakeTree) -> None:
    def course_md(title: str, order: str = "") -> str:
        extra = f"order: {order}\n" if order else ""
        return f"---\ntitle: {title}\nsummary: S\n{extra}---\n"

    module = {"module.md": MODULE_MD, "01-a.md": lesson()}
    files: dict[str, str | bytes] = {}
    for folder, text in (
        ("01-alpha", course_md("Alpha")),  # no order: after every course that sets one
        ("02-beta", course_md("Beta", "2")),
        ("03-gamma", course_md("Gamma", "1")),
        ("04-delta", course_md("Delta")),
    ):
        files[f"{folder}/course.md"] = text
        files.update({f"{folder}/01-m/{name}": body for name, body in module.items()})
    library = load_library(make_tree(files))
    assert formatted(library.problems) == []
    assert [c.title for c in library.courses] == ["Gamma", "Beta", "Alpha", "Delta"]
    assert [c.order for c in library.courses] == [1, 2, None, None]


@pytest.mark.parametrize(
    ("setting", "hint"), [("order: first", "order: 1"), ("public: yes please", "true")]
)
def test_order_and_public_refuse_values_of_the_wrong_kind(
    make_tree: MakeTree, setting: str, hint: str
) -> None:
    root = make_tree(
        {
            "c/course.md": f"---\ntitle: C\nsummary: S\n{setting}\n---\n",
            "c/m/module.md": MODULE_MD,
            "c/m/a.md": lesson(),
        }
    )
    library = load_library(root)
    assert library.courses == ()
    (problem,) = errors(library.problems)
    assert (problem.path, problem.line) == ("c/course.md", 4)
    assert hint in problem.message


def test_the_shipped_getting_started_course_comes_first() -> None:
    library = load_library(SHIPPED_COURSES)
    assert [c.id for c in library.courses] == ["getting-started", "ccin-induction"]


def test_public_lets_a_published_course_show_on_the_front_page(make_tree: MakeTree) -> None:
    module = {"module.md": MODULE_MD, "01-a.md": lesson()}
    files: dict[str, str | bytes] = {}
    for folder, extra in (
        ("01-open", "public: true\n"),
        ("02-closed", "public: false\n"),
        ("03-unsaid", ""),
        ("04-open-draft", "public: true\ndraft: true\n"),
    ):
        files[f"{folder}/course.md"] = f"---\ntitle: {folder}\nsummary: S\n{extra}---\n"
        files.update({f"{folder}/01-m/{name}": body for name, body in module.items()})
    library = load_library(make_tree(files))
    assert formatted(library.problems) == []
    assert [c.public for c in library.courses] == [True, False, False, True]
    assert [c.title for c in library.public_courses()] == ["01-open"]
