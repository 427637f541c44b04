"""Unpublished draft changes are flagged where admins look: Admin home names each course
with changes learners cannot see yet, and the course list, a course's page and a module's
page mark each file the draft adds, changes, moves or deletes, until it is published or
discarded."""

from __future__ import annotations

import html
import re
import shutil

import pytest

from induction.admin.drafts.pending import change_kind
from tests.authoring.conftest import (
    BASICS,
    FIRST,
    RULES,
    WELCOME,
    edit_url,
    move,
    open_editor,
    publish_all,
)
from tests.factories import csrf_token_from
from tests.quizzes.pages import text_of as visible_text

BASE = f"/admin/courses/{BASICS}"
NEW_LESSON_TEXT = "---\ntitle: Budgets\n---\n\n## Budgets {#budgets}\n\nHow the money works.\n"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def edit_welcome(admin, words: str = "A drafted sentence.") -> None:
    text, base = open_editor(admin, WELCOME)
    response = admin.post(
        edit_url(WELCOME),
        data={"text": text.replace("Read this first.", words), "base_hash": base, "save": "Save"},
    )
    assert response.status_code == 302


def add_lesson(admin, name: str = "04-budgets.md", text: str = NEW_LESSON_TEXT) -> None:
    response = admin.post(
        f"{BASE}/modules/{FIRST}/new-lesson",
        data={"file_name": name, "text": text, "save": "Create"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def marks_of(html_page: str) -> dict[str, list[str]]:
    """Return each entry of a page's ordered list (modules or lessons), by its title, with
    the draft tags beside it."""
    found = {}
    for item in re.findall(r'<li class="structure-item".*?</li>', html_page, re.DOTALL):
        title = re.search(r'class="structure-item__title"[^>]*>([^<]*)<', item)
        assert title
        tags = re.findall(r'<strong class="tag tag--draft">([^<]*)</strong>', item)
        found[html.unescape(title.group(1))] = tags
    return found


def home_notice(admin) -> str:
    """Return the words of Admin home's notice of unpublished changes ("" when none)."""
    match = re.search(
        r'<section class="notice[^"]*" id="unpublished-changes".*?</section>',
        page(admin, "/admin/"),
        re.DOTALL,
    )
    return visible_text(match.group(0)) if match else ""


def discard(admin, path: str) -> None:
    token = csrf_token_from(page(admin, f"{BASE}/draft"))
    response = admin.post(f"{BASE}/draft/discard", data={"csrf_token": token, "path": path})
    assert response.status_code == 302


# -- Admin home ----------------------------------------------------------------------------------


def test_admin_home_says_which_course_has_changes_learners_cannot_see_until_published(admin):
    assert home_notice(admin) == ""
    assert "learners cannot see yet" not in page(admin, "/admin/")
    edit_welcome(admin)
    notice = home_notice(admin)
    assert "Basics has 1 change that learners cannot see yet. Review and publish it" in notice
    add_lesson(admin)
    notice = home_notice(admin)
    assert "Basics has 2 changes that learners cannot see yet. Review and publish them" in notice
    # The link goes to the course's draft page, where the changes are published.
    home = page(admin, "/admin/")
    assert f'<a href="{BASE}/draft">Review and publish them' in home
    publish_all(admin)
    assert home_notice(admin) == ""
    assert "learners cannot see yet" not in page(admin, "/admin/")


def test_admin_home_counts_what_the_draft_does_not_the_files_it_changes(admin):
    # A new order of the lessons renumbers two lessons (four files: each at both names)
    # and updates the links of two more: six files, two lines of the draft's summary.
    moved = move(admin, "03-officers-only.md", "up")
    assert moved.status_code == 303
    draft = page(admin, f"{BASE}/draft")
    summary = draft.split('<ul class="draft-summary">', 1)[1].split("</ul>", 1)[0]
    assert summary.count("<li>") == 2
    assert draft.count('class="draft-file"') == 6
    assert "Basics has 2 changes that learners cannot see yet" in home_notice(admin)


def test_the_course_list_and_the_course_page_count_the_draft_as_admin_home_does(admin):
    # Six files changed by one new order and its link updates: two things, everywhere.
    assert move(admin, "03-officers-only.md", "up").status_code == 303
    assert "Basics has 2 changes that learners cannot see yet" in home_notice(admin)
    assert "Changed in the draft 2 changes to publish" in visible_text(
        page(admin, "/admin/courses/")
    )
    course = visible_text(page(admin, f"{BASE}/"))
    assert "2 draft changes waiting to be published" in course
    assert "6 draft changes" not in course


def test_admin_home_notice_goes_when_the_draft_is_discarded(admin):
    edit_welcome(admin)
    assert "Basics has 1 change" in home_notice(admin)
    discard(admin, WELCOME)
    assert home_notice(admin) == ""


class TestTwoCourses:
    @pytest.fixture
    def app(self, app_factory, tree):
        shutil.copytree(tree / BASICS, tree / "02-second")
        course_md = tree / "02-second" / "course.md"
        text = course_md.read_text().replace("title: Basics", "title: Another course\nid: another")
        course_md.write_text(text)
        return app_factory(COURSES_DIR=str(tree))

    def test_admin_home_has_one_line_per_course_with_changes(self, admin):
        edit_welcome(admin)
        text, base = open_editor(admin, RULES, folder="02-second")
        response = admin.post(
            edit_url(RULES, folder="02-second"),
            data={"text": text + "\nMore.\n", "base_hash": base, "save": "Save"},
        )
        assert response.status_code == 302
        notice = home_notice(admin)
        assert "Another course has 1 change that learners cannot see yet." in notice
        assert "Basics has 1 change that learners cannot see yet." in notice
        assert notice.index("Another course") < notice.index("Basics")  # by title
        assert 'href="/admin/courses/02-second/draft"' in page(admin, "/admin/")


# -- the course list, a course's page, a module's page ------------------------------------------


def test_changed_and_new_lessons_are_marked_until_published(admin):
    assert "in the draft" not in page(admin, "/admin/courses/")
    assert "in the draft</strong>" not in page(admin, f"{BASE}/")
    assert all(tags == [] for tags in marks_of(page(admin, f"{BASE}/modules/{FIRST}/")).values())
    edit_welcome(admin)
    add_lesson(admin)

    courses = visible_text(page(admin, "/admin/courses/"))
    assert "Changed in the draft 2 changes to publish" in courses
    assert f'href="{BASE}/draft"' in page(admin, "/admin/courses/")

    course = page(admin, f"{BASE}/")
    assert marks_of(course) == {
        "Module: First steps": ["Changed in the draft"],
        "Module: Going further": [],
    }
    module = page(admin, f"{BASE}/modules/{FIRST}/")
    assert marks_of(module) == {
        "Welcome": ["Changed in the draft"],
        "The rules": [],
        "For officers": [],
        "Budgets": ["New in the draft"],
    }
    assert "Changes marked in the draft are not published yet" in visible_text(module)

    publish_all(admin)
    assert "in the draft" not in page(admin, "/admin/courses/")
    assert all(tags == [] for tags in marks_of(page(admin, f"{BASE}/")).values())
    module = page(admin, f"{BASE}/modules/{FIRST}/")
    assert all(tags == [] for tags in marks_of(module).values())
    assert "Changes marked" not in module


def test_marks_go_when_the_draft_is_discarded(admin):
    edit_welcome(admin)
    assert marks_of(page(admin, f"{BASE}/modules/{FIRST}/"))["Welcome"] == ["Changed in the draft"]
    discard(admin, WELCOME)
    assert marks_of(page(admin, f"{BASE}/modules/{FIRST}/"))["Welcome"] == []
    assert "in the draft" not in page(admin, "/admin/courses/")


def test_moved_and_renamed_lessons_are_marked_as_such(admin):
    response = move(admin, "01-welcome.md", "down")
    assert response.status_code == 303
    marks = marks_of(page(admin, f"{BASE}/modules/{FIRST}/"))
    assert marks["Welcome"] == ["Moved in the draft"]
    assert marks["The rules"] == ["Moved in the draft"]
    assert marks["For officers"] == []
    assert marks_of(page(admin, f"{BASE}/"))["Module: First steps"] == ["Changed in the draft"]

    response = admin.post(
        f"{BASE}/rename/{FIRST}/03-officers-only.md", data={"new_name": "03-staff.md"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert marks_of(page(admin, f"{BASE}/modules/{FIRST}/"))["For officers"] == [
        "Renamed in the draft"
    ]


def test_a_deleted_lesson_and_module_are_named_where_they_were(admin):
    assert admin.post(f"{BASE}/delete/{FIRST}/03-officers-only.md").status_code == 302
    module = page(admin, f"{BASE}/modules/{FIRST}/")
    assert "For officers" not in marks_of(module)  # the list shows the course as drafted
    assert (
        "Deleted in the draft The lesson “For officers”. Learners still see it until you "
        "publish the draft" in visible_text(module)
    )
    assert admin.post(f"{BASE}/delete/02-going-further").status_code == 302
    course = page(admin, f"{BASE}/")
    assert "Deleted in the draft The module “Going further”." in visible_text(course)
    publish_all(admin)
    assert "Deleted in the draft" not in page(admin, f"{BASE}/")
    assert "Deleted in the draft" not in page(admin, f"{BASE}/modules/{FIRST}/")


def test_the_course_settings_and_pictures_are_marked(admin):
    text, base = open_editor(admin, "course.md")
    response = admin.post(
        edit_url("course.md"),
        data={"text": text + "\nOne more line.\n", "base_hash": base, "save": "Save"},
    )
    assert response.status_code == 302
    course = visible_text(page(admin, f"{BASE}/"))
    assert "Course settings and introduction Changed in the draft" in course
    assert "Pictures and files Changed in the draft" not in course


def test_a_deleted_quiz_is_named_where_it_was(admin):
    assert admin.post(f"{BASE}/delete/{FIRST}/quiz.md").status_code == 302
    module = visible_text(page(admin, f"{BASE}/modules/{FIRST}/"))
    assert "Deleted in the draft The module's quiz. Learners still see it" in module


def test_marks_cost_one_query_whatever_the_number_of_drafted_lessons(admin, count_queries):
    url = f"{BASE}/modules/{FIRST}/"
    admin.get(url)
    with count_queries() as clean:
        page(admin, url)
    edit_welcome(admin)
    page(admin, url)
    with count_queries() as one:
        page(admin, url)
    for number in range(4, 8):
        add_lesson(
            admin,
            f"0{number}-extra-{number}.md",
            NEW_LESSON_TEXT.replace("Budgets", f"Extra {number}"),
        )
    page(admin, url)
    with count_queries() as many:
        assert marks_of(page(admin, url))["Extra 7"] == ["New in the draft"]
    assert many.count == one.count <= clean.count + 1


@pytest.mark.parametrize(
    ("content", "published", "moved", "kind"),
    [
        (b"x", True, False, "changed"),
        (b"x", False, False, "new"),
        (None, True, False, "deleted"),
        (b"x", False, True, "moved"),
        (None, True, True, "moved away"),
    ],
)
def test_change_kind_is_the_draft_pages_rule(content, published, moved, kind):
    assert change_kind(content, published, moved) == kind
