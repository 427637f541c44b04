"""Arranging a course: moving modules and lessons keeps every id and version; titles and
a module's audiences are written through the front matter writer."""

from __future__ import annotations

import html

import pytest

from induction.admin.course_files.ordering import numbered_name
from induction.catalogue import get_catalogue
from tests.authoring.conftest import (
    BASICS,
    FIRST,
    LESSONS,
    audit_events,
    move,
    publish_all,
    text_of,
)
from tests.factories import csrf_token_from

BASE = f"/admin/courses/{BASICS}"
MODULES = ["01-first-steps", "02-going-further"]


def structure(app) -> list[tuple[str, list[tuple[str, int]]]]:
    """Return (module id, [(lesson id, version)]) in order, as the published course has it."""
    with app.app_context():
        course = get_catalogue().reload().course("basics")
        assert course is not None
        return [
            (module.id, [(lesson.id, lesson.version) for lesson in module.lessons])
            for module in course.modules
        ]


def check_passes(runner, tree) -> None:
    result = runner.invoke(args=["courses", "check", str(tree)])
    assert result.exit_code == 0, result.output


def test_the_pages_show_titles_not_file_names(admin):
    course = text_of(admin.get(f"{BASE}/"))
    assert "Module: First steps" in course
    assert "Module: Going further" in course
    module = text_of(admin.get(f"{BASE}/modules/{FIRST}/"))
    assert "<h1>Module: First steps</h1>" in module
    for title in ("Welcome", "The rules", "For officers"):
        assert f">{title}</a>" in module


def test_moving_a_lesson_down_renumbers_the_files_and_keeps_ids_and_versions(
    app, admin, tree, runner
):
    before = structure(app)
    response = move(admin, "01-welcome.md", "down")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/modules/{FIRST}/#entry-02-welcome.md")
    page = text_of(admin.get(response.headers["Location"]))
    assert "Moved “Welcome” down: it is now lesson 2 of 3." in page
    assert page.index(">The rules</a>") < page.index(">Welcome</a>")
    publish_all(admin)
    folder = tree / BASICS / FIRST
    assert sorted(p.name for p in folder.glob("0*.md")) == [
        "01-rules.md",
        "02-welcome.md",
        "03-officers-only.md",
    ]
    after = structure(app)
    assert after[0][1] == [before[0][1][1], before[0][1][0], before[0][1][2]]
    assert sorted(after[0][1]) == sorted(before[0][1])  # same ids, same versions
    assert ("rules", 2) in after[0][1]
    # The links between the moved lessons follow them; the course still passes its check.
    assert "(01-rules.md#the-rules)" in (folder / "02-welcome.md").read_text()
    next_lesson = (tree / BASICS / "02-going-further" / "01-next.md").read_text()
    assert "(../01-first-steps/02-welcome.md)" in next_lesson
    check_passes(runner, tree)
    [event] = audit_events(app, "course_file.reordered")
    assert event.details["what"] == "the lessons of “First steps”"


def test_moving_a_lesson_up_and_back_leaves_no_draft(app, admin):
    from induction.admin.drafts.store import draft_rows

    assert move(admin, "03-officers-only.md", "up").status_code == 303
    with app.app_context():
        # The lessons and quiz linking to the rules follow them.
        assert {row.path for row in draft_rows(BASICS)} == {
            f"{FIRST}/01-welcome.md",
            f"{FIRST}/quiz.md",
            f"{FIRST}/02-rules.md",
            f"{FIRST}/03-officers-only.md",
            f"{FIRST}/02-officers-only.md",
            f"{FIRST}/03-rules.md",
        }
    shown = ["01-welcome.md", "02-officers-only.md", "03-rules.md"]
    assert move(admin, "02-officers-only.md", "down", shown=shown).status_code == 303
    with app.app_context():
        assert draft_rows(BASICS) == []


@pytest.mark.parametrize(
    ("item", "direction", "message"),
    [
        ("01-welcome.md", "up", "The lesson is already first: it cannot move up"),
        ("03-officers-only.md", "down", "The lesson is already last: it cannot move down"),
        ("09-nothing.md", "down", "There is no lesson &#39;09-nothing.md&#39; here"),
        ("01-welcome.md", "sideways", "Choose Move up or Move down"),
    ],
)
def test_a_move_that_cannot_be_made_says_why(admin, tree, item, direction, message):
    response = move(admin, item, direction)
    assert response.status_code == 400
    page = text_of(response)
    assert message in page
    assert "The order was not changed" in page
    assert '<a href="#lessons">' in page  # the message points at the list
    assert (tree / BASICS / FIRST / "01-welcome.md").exists()


def test_a_page_that_shows_an_old_order_is_refused_as_stale(admin):
    assert move(admin, "01-welcome.md", "down").status_code == 303
    # The same page again: it still shows the old order.
    response = move(admin, "01-welcome.md", "down")
    assert response.status_code == 409
    page = text_of(response)
    assert "The lessons were changed since you opened this page" in page
    assert page.index(">The rules</a>") < page.index(">Welcome</a>")  # the current order


@pytest.mark.parametrize(
    "data",
    [
        {"parent": "09-nowhere", "shown": "a.md", "item": "a.md", "direction": "up"},
        {"parent": "../etc", "shown": "a.md", "item": "a.md", "direction": "up"},
        {"parent": FIRST, "item": "01-welcome.md", "direction": "up"},
        {"parent": FIRST, "shown": "/".join(LESSONS), "order": "01-welcome.md/x.md"},
        {"parent": FIRST, "shown": "/".join(LESSONS), "order": "01-welcome.md"},
        {"parent": "", "shown": "/".join(MODULES), "order": "media/course.md"},
    ],
)
def test_bad_input_gets_a_clear_message_never_a_server_error(admin, tree, data):
    response = admin.post(f"{BASE}/reorder", data=data)
    assert response.status_code in (400, 409)
    assert "The order was not changed" in text_of(response)
    assert sorted(p.name for p in (tree / BASICS / FIRST).glob("0*.md")) == LESSONS


def test_dragging_posts_the_whole_new_order(app, admin, tree, runner):
    before = structure(app)
    order = ["03-officers-only.md", "01-welcome.md", "02-rules.md"]
    response = admin.post(
        f"{BASE}/reorder",
        data={"parent": FIRST, "shown": "/".join(LESSONS), "order": "/".join(order)},
    )
    assert response.status_code == 303
    assert "Saved the new order of the lessons of “First steps”." in text_of(
        admin.get(response.headers["Location"])
    )
    publish_all(admin)
    assert sorted(p.name for p in (tree / BASICS / FIRST).glob("0*.md")) == [
        "01-officers-only.md",
        "02-welcome.md",
        "03-rules.md",
    ]
    after = structure(app)
    assert [lesson for lesson, _ in after[0][1]] == ["officers-only", "welcome", "rules"]
    assert sorted(after[0][1]) == sorted(before[0][1])
    check_passes(runner, tree)


def test_the_same_order_changes_nothing(app, admin):
    response = admin.post(
        f"{BASE}/reorder",
        data={"parent": FIRST, "shown": "/".join(LESSONS), "order": "/".join(LESSONS)},
    )
    assert response.status_code == 303
    assert "The order is unchanged." in text_of(admin.get(response.headers["Location"]))
    assert audit_events(app, "course_file.reordered") == []


def test_moving_a_module_keeps_module_and_lesson_ids(app, admin, tree, runner):
    before = structure(app)
    response = admin.post(
        f"{BASE}/reorder",
        data={"parent": "", "shown": "/".join(MODULES), "item": MODULES[1], "direction": "up"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{BASE}/#entry-01-going-further")
    publish_all(admin)
    assert (tree / BASICS / "01-going-further" / "module.md").exists()
    assert (tree / BASICS / "02-first-steps" / "02-rules.md").exists()
    after = structure(app)
    assert after == [before[1], before[0]]
    check_passes(runner, tree)


def test_an_entry_without_a_number_gets_its_id_pinned(app, admin, tree, runner):
    folder = tree / BASICS / FIRST
    (folder / "03-officers-only.md").rename(folder / "officers-only.md")
    shown = ["01-welcome.md", "02-rules.md", "officers-only.md"]
    before = structure(app)
    assert move(admin, "officers-only.md", "up", shown=shown).status_code == 303
    publish_all(admin)
    moved = (folder / "02-officers-only.md").read_text()
    assert moved.startswith("---\nid: officers-only\n")
    assert structure(app)[0][1] == [before[0][1][0], before[0][1][2], before[0][1][1]]
    check_passes(runner, tree)


def test_two_lessons_with_the_same_name_after_the_number_can_swap(app, admin, tree, runner):
    # Possible when ids are set in the front matter: the names swap through a parked name.
    folder = tree / BASICS / "02-going-further"
    (folder / "02-next.md").write_text("---\nid: after\ntitle: After\n---\n\nLater.\n")
    text = (folder / "01-next.md").read_text().replace("---\ntitle:", "---\nid: next\ntitle:", 1)
    (folder / "01-next.md").write_text(text)
    response = admin.post(
        f"{BASE}/reorder",
        data={
            "parent": "02-going-further",
            "shown": "01-next.md/02-next.md",
            "item": "02-next.md",
            "direction": "up",
        },
    )
    assert response.status_code == 303, text_of(response)
    publish_all(admin)
    assert "id: after" in (folder / "01-next.md").read_text()
    assert "id: next" in (folder / "02-next.md").read_text()
    assert not list(folder.glob("_*"))
    assert [lesson for lesson, _ in structure(app)[1][1]] == ["after", "next"]
    check_passes(runner, tree)


def test_numbering_keeps_the_rest_of_the_name():
    assert numbered_name("07-welcome.md", 1, 3) == "01-welcome.md"
    assert numbered_name("intro.md", 2, 3) == "02-intro.md"
    assert numbered_name("01-02-x.md", 3, 3) == "03-02-x.md"
    assert numbered_name("05-budgets", 4, 120) == "004-budgets"


# -- titles --------------------------------------------------------------------------------------


def test_changing_a_lesson_title_writes_only_the_front_matter(app, admin, tree):
    url = f"{BASE}/rename/{FIRST}/02-rules.md"
    page = text_of(admin.get(url))
    assert "Change the title of the lesson “The rules”" in page
    assert 'value="The rules"' in page
    response = admin.post(url, data={"title": "House rules: be kind"})
    assert response.status_code == 303
    assert "the lesson is now called “House rules: be kind”" in text_of(
        admin.get(response.headers["Location"])
    )
    publish_all(admin)
    text = (tree / BASICS / FIRST / "02-rules.md").read_text()
    assert text.startswith(
        '---\ntitle: "House rules: be kind"\nversion: 2\n'
        "acknowledge: I have read and understood the rules.\n---\n\n## The rules {#the-rules}\n"
    )
    assert structure(app)[0][1][1] == ("rules", 2)
    [event] = audit_events(app, "course_file.retitled")
    assert (event.details["from"], event.details["title"]) == ("The rules", "House rules: be kind")


def test_changing_a_module_title(admin, tree):
    response = admin.post(f"{BASE}/rename/{FIRST}", data={"title": "Getting started"})
    assert response.status_code == 303
    assert "Module: Getting started" in text_of(admin.get(f"{BASE}/"))
    publish_all(admin)
    assert "title: Getting started\n" in (tree / BASICS / FIRST / "module.md").read_text()


@pytest.mark.parametrize(
    ("title", "message"),
    [("", "Enter the title"), ("   ", "Enter the title"), ("x" * 201, "200 characters")],
)
def test_a_bad_title_is_refused_at_its_field(admin, tree, title, message):
    response = admin.post(f"{BASE}/rename/{FIRST}/02-rules.md", data={"title": title})
    assert response.status_code == 400
    page = text_of(response)
    assert message in page
    assert 'href="#title"' in page
    assert "title: The rules" in (tree / BASICS / FIRST / "02-rules.md").read_text()


def test_renaming_the_file_is_still_offered(admin):
    response = admin.post(f"{BASE}/rename/{FIRST}/02-rules.md", data={"new_name": "02-conduct"})
    assert response.status_code == 302


# -- audiences -----------------------------------------------------------------------------------


def test_a_module_audiences_round_trip(app, admin, tree, runner):
    url = f"{BASE}/modules/{FIRST}/audiences"
    page = text_of(admin.get(f"{BASE}/modules/{FIRST}/"))
    assert page.count('name="audiences" type="checkbox"') == 3
    assert page.count("checked") == 3  # no audiences key: the course's
    response = admin.post(url, data={"audiences": ["councillor", "officer"]})
    assert response.status_code == 303
    page = text_of(admin.get(response.headers["Location"]))
    assert "is for councillors, council officers." in page
    assert 'value="affiliate">' in page and page.count("checked") == 2
    publish_all(admin)
    module_md = (tree / BASICS / FIRST / "module.md").read_text()
    assert module_md.startswith("---\ntitle: First steps\nsummary: Where everyone starts.\n")
    assert "audiences: [councillor, officer]\n" in module_md
    assert module_md.endswith("---\n\nThe first module.\n")
    check_passes(runner, tree)
    # Ticking every audience removes the key again: the module follows the course.
    assert (
        admin.post(url, data={"audiences": ["councillor", "officer", "affiliate"]}).status_code
        == 303
    )
    publish_all(admin)
    assert "audiences" not in (tree / BASICS / FIRST / "module.md").read_text()
    [first, second] = audit_events(app, "course_module.audiences_changed")
    assert first.details["audiences"] == "councillors, council officers"


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ([], "Choose at least one of the course&#39;s audiences"),
        (["nobody"], "Choose only among the course&#39;s audiences"),
    ],
)
def test_bad_audiences_are_refused_at_the_field(admin, tree, chosen, message):
    response = admin.post(f"{BASE}/modules/{FIRST}/audiences", data={"audiences": chosen})
    assert response.status_code == 400
    page = text_of(response)
    assert message in page
    assert 'href="#audiences"' in page
    assert "audiences" not in (tree / BASICS / FIRST / "module.md").read_text()


def test_audiences_that_leave_a_lesson_out_are_refused_with_the_errors(admin, tree):
    # 03-officers-only.md is for officers: a module for councillors alone cannot hold it.
    response = admin.post(f"{BASE}/modules/{FIRST}/audiences", data={"audiences": ["councillor"]})
    assert response.status_code == 400
    page = text_of(response)
    assert "This choice leaves lessons or questions for people the module is no longer for" in page
    assert "03-officers-only.md" in page


# -- who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["learner", "manager"])
def test_only_admins_arrange_a_course(login_as, tree, who):
    client = login_as(role=who)
    assert move(client, "01-welcome.md", "down").status_code == 403
    response = client.post(f"{BASE}/modules/{FIRST}/audiences", data={"audiences": ["officer"]})
    assert response.status_code == 403
    assert (tree / BASICS / FIRST / "01-welcome.md").exists()


class TestWithCsrf:
    @pytest.fixture
    def app(self, app_factory, tree):
        return app_factory(COURSES_DIR=str(tree), WTF_CSRF_ENABLED=True)

    def test_moving_needs_the_page_token(self, app, admin, tree):
        from tests.factories import csrf_token_from

        refused = move(admin, "01-welcome.md", "down")
        assert refused.status_code == 400
        assert "The form had expired" in text_of(refused)
        page = text_of(admin.get(f"{BASE}/modules/{FIRST}/"))
        token = csrf_token_from(page)
        response = admin.post(
            f"{BASE}/reorder",
            data={
                "csrf_token": token,
                "parent": FIRST,
                "shown": "/".join(LESSONS),
                "item": "01-welcome.md",
                "direction": "down",
            },
        )
        assert response.status_code == 303
        refused = admin.post(f"{BASE}/modules/{FIRST}/audiences", data={"audiences": ["officer"]})
        assert refused.status_code == 400
        assert audit_events(app, "course_module.audiences_changed") == []


def test_the_draft_shows_a_moved_lesson_as_moved_and_publishes_both_halves_together(
    app, admin, tree, runner
):
    assert move(admin, "01-welcome.md", "down").status_code == 303
    draft = admin.get(f"{BASE}/draft").get_data(as_text=True)
    assert "Deleted" not in draft and "New file" not in draft
    assert draft.count(">Moved</strong>") == 4  # welcome and rules, each at both paths
    assert "Moved here: it was lesson 1 of module 1: “First steps”" in draft
    assert "Moved: it is now lesson 2 of module 1: “First steps”" in draft
    # The old path shows no removal; the rules, whose text is the same, say so.
    assert f"{FIRST}/01-welcome.md (draft)" not in draft
    assert f"{FIRST}/02-rules.md (draft)" not in draft
    assert "Its text is the same: only its place in the order changed." in draft
    # The moved file's changes are shown against the file it was: only its link moved.
    diff = draft.split(f"{FIRST}/02-welcome.md (draft)", 1)[1].split("</pre>", 1)[0]
    removed = [line for line in diff.split("\n") if line.startswith("-")]
    added = [line for line in diff.split("\n") if line.startswith("+")]
    assert removed == ["-Read this first. Then go on to [the rules](02-rules.md#the-rules)."]
    assert added == ["+Read this first. Then go on to [the rules](01-rules.md#the-rules)."]

    # Ticking one half of a move publishes the other with it, never one alone.
    paths = [f"{FIRST}/02-welcome.md", f"{FIRST}/01-rules.md", f"{FIRST}/02-rules.md"]
    paths += [f"{FIRST}/quiz.md", "02-going-further/01-next.md"]
    response = admin.post(
        f"{BASE}/draft/publish",
        data={"note": "Welcome second", "paths": paths, "publish_chosen": "1"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    names = sorted(p.name for p in (tree / BASICS / FIRST).glob("0*.md"))
    assert names == ["01-rules.md", "02-welcome.md", "03-officers-only.md"]
    check_passes(runner, tree)


def test_moves_pair_only_a_file_that_is_gone_with_one_that_is_new(tmp_path):
    from types import SimpleNamespace

    from induction.admin.drafts.moves import moves

    for name in ("01-a/01-x.md", "01-a/02-y.md", "01-a/03-y.md", "01-a/04-z.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("text")

    def row(path: str, content: bytes | None) -> SimpleNamespace:
        return SimpleNamespace(path=path, content=content)

    rows = [
        row("01-a/01-x.md", None),  # gone
        row("01-a/05-x.md", b"text"),  # new: the same lesson, renumbered
        row("01-a/02-y.md", None),
        row("01-a/03-y.md", None),  # two gone that could be the one new "y": no pair
        row("01-a/06-y.md", b"text"),
        row("01-a/04-z.md", b"changed"),  # changed where it is: no move
        row("02-b/01-z.md", b"text"),  # new in another module: not a move
    ]
    found = moves(SimpleNamespace(path=tmp_path), rows)  # type: ignore[arg-type]
    assert found == {"01-a/01-x.md": "01-a/05-x.md", "01-a/05-x.md": "01-a/01-x.md"}


def test_discarding_either_name_of_a_move_discards_both(app, admin):
    from induction.admin.drafts.store import draft_rows

    assert move(admin, "01-welcome.md", "down").status_code == 303
    draft = admin.get(f"{BASE}/draft").get_data(as_text=True)
    # One button for the new order, from a new name; none for the old names.
    assert draft.count("Discard the new order of the lessons in") == 1
    assert "Discard the move of" not in draft and "Discard the changes to" not in draft
    token = csrf_token_from(draft)
    response = admin.post(
        f"{BASE}/draft/discard", data={"csrf_token": token, "path": f"{FIRST}/01-welcome.md"}
    )
    assert response.status_code == 302
    message = text_of(admin.get(response.headers["Location"]))
    # The swap is one group: the quiz and the next module's lesson link to both lessons,
    # and their links only follow the two moves, so all of it goes.
    swap = [f"{FIRST}/01-rules.md", f"{FIRST}/01-welcome.md", f"{FIRST}/02-rules.md"]
    swap += [f"{FIRST}/02-welcome.md", f"{FIRST}/quiz.md", "02-going-further/01-next.md"]
    assert len(swap) == 6  # named by title, each once
    assert (
        html.unescape(message).count(
            "Discarded the draft of the lesson “The rules”, the lesson “Welcome”, the quiz of "
            "“First steps” and the lesson “What comes next”: they are as published again."
        )
        == 1
    )
    with app.app_context():
        assert draft_rows(BASICS) == []
