"""The lesson editor: fields for the settings, saves to the draft, errors at their field or line."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.authoring.conftest import (
    BASICS,
    RULES,
    WELCOME,
    audit_events,
    edit_url,
    publish_all,
    text_of,
)
from tests.factories import csrf_token_from

MODULE = "01-first-steps"
PREVIEW = f"/admin/courses/{BASICS}/lesson-preview/"
LESSONS = [WELCOME, RULES, f"{MODULE}/03-officers-only.md", "02-going-further/01-next.md"]


class _FormReader(HTMLParser):
    """Collects what the editor form would send, as a browser would, without pressing a button."""

    def __init__(self) -> None:
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self._in_form = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "editor-form":
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit",):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.data.append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            text = self._text.replace("\r\n", "\n")
            text = text[1:] if text.startswith("\n") else text  # the line HTML drops
            self.data.append((self._textarea, text.replace("\n", "\r\n")))  # as browsers send
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form = False


def form_of(page: str) -> dict[str, list[str]]:
    reader = _FormReader()
    reader.feed(page)
    found: dict[str, list[str]] = {}
    for name, value in reader.data:
        found.setdefault(name, []).append(value)
    return found


def post(client, path, form, **changes):
    data = {**form, **{k: v if isinstance(v, list) else [v] for k, v in changes.items()}}
    return client.post(edit_url(path), data=data)


def draft_text(client, path) -> str:
    return form_of(text_of(client.get(edit_url(path) + "?as=text")))["text"][0].replace(
        "\r\n", "\n"
    )


def test_a_lesson_opens_titled_by_what_it_holds_with_its_settings_as_fields(admin):
    page = text_of(admin.get(edit_url(RULES)))
    assert "<h1>Lesson: The rules</h1>" in page
    assert "<title>Lesson: The rules – Basics" in page
    assert '<li aria-current="page">Lesson: The rules</li>' in page
    assert ">First steps</a>" in page  # the module by its title in the breadcrumb
    form = form_of(page)
    assert form["title"] == ["The rules"]
    assert form["audiences"] == ["councillor", "officer", "affiliate"]
    assert form["acknowledge"] == ["I have read and understood the rules."]
    assert "read_again" not in form
    assert "Learners have version 2 now." in page
    assert form["body"][0].startswith("\r\n## The rules {#the-rules}")  # a blank line first
    assert "---" not in form["body"][0]
    assert "data-toolbar hidden" in page  # shown by the script only
    assert "Edit the whole file as text" in page


def test_the_pickers_list_other_lessons_sections_and_the_media_library(admin):
    page = text_of(admin.get(edit_url(WELCOME)))
    assert "<code>[Why](02-rules.md#why)</code>" in page
    assert "<code>[Next steps](../02-going-further/01-next.md)</code>" in page or (
        "../02-going-further/01-next.md" in page
    )
    assert '<option value="02-rules.md#the-rules" data-label="The rules">' in page
    assert "<code>![Describe the picture](../media/diagram.svg)</code>" in page
    assert '<option value="../media/diagram.svg">diagram.svg</option>' in page
    # The picture dialog says where a new picture is uploaded: here, under the text box.
    assert "A new picture? Close this and use <strong>Add a new picture</strong>" in page
    assert 'href="/admin/courses/01-basics/media">pictures and files</a>' in page


@pytest.mark.parametrize("path", LESSONS)
def test_every_lesson_saved_unchanged_is_not_a_change(app, admin, tree, path):
    before = (tree / BASICS / path).read_bytes()
    form = form_of(text_of(admin.get(edit_url(path))))
    response = post(admin, path, form, save="Save")
    assert response.status_code == 302
    assert "No changes to save." in text_of(admin.get(response.headers["Location"]))
    assert audit_events(app, "course_file.saved") == []
    assert (tree / BASICS / path).read_bytes() == before


def test_a_changed_title_is_saved_to_the_draft_with_comments_kept(app, admin, tree):
    path = tree / BASICS / WELCOME
    path.write_text("---\n# Keep this note\ntitle: Welcome\n---\n\n## Hi {#welcome}\n")
    form = form_of(text_of(admin.get(edit_url(WELCOME))))
    response = post(admin, WELCOME, form, title="Welcome aboard", save="Save")
    assert response.status_code == 302
    assert "Saved in the draft" in text_of(admin.get(response.headers["Location"]))
    assert path.read_text() == "---\n# Keep this note\ntitle: Welcome\n---\n\n## Hi {#welcome}\n"
    assert (
        draft_text(admin, WELCOME)
        == "---\n# Keep this note\ntitle: Welcome aboard\n---\n\n## Hi {#welcome}\n"
    )
    [event] = audit_events(app, "course_file.saved")
    assert "+title: Welcome aboard" in event.details["diff"]
    publish_all(admin)
    assert (
        path.read_text()
        == "---\n# Keep this note\ntitle: Welcome aboard\n---\n\n## Hi {#welcome}\n"
    )


def test_minutes_audiences_and_statement_are_written_and_emptied(admin):
    form = form_of(text_of(admin.get(edit_url(WELCOME))))
    response = post(
        admin,
        WELCOME,
        form,
        minutes="7",
        audiences=["officer"],
        acknowledge="I have read the welcome.",
        save="Save",
    )
    assert response.status_code == 302
    text = draft_text(admin, WELCOME)
    assert text.startswith(
        "---\ntitle: Welcome\nminutes: 7\naudiences: [officer]\n"
        "acknowledge: I have read the welcome.\n---\n"
    )
    form = form_of(text_of(admin.get(edit_url(WELCOME))))
    assert form["minutes"] == ["7"]
    response = post(admin, WELCOME, form, minutes="", acknowledge="", save="Save")
    assert response.status_code == 302
    assert draft_text(admin, WELCOME).startswith("---\ntitle: Welcome\naudiences: [officer]\n---\n")


def test_read_again_raises_the_version_after_confirming_who_it_affects(admin):
    form = form_of(text_of(admin.get(edit_url(RULES))))
    saved = post(admin, RULES, form, read_again="y", save="Save")
    if saved.status_code == 200:  # asked to confirm who it affects
        assert "Check who this change affects" in text_of(saved)
        saved = post(admin, RULES, form_of(text_of(saved)), read_again="y", save="Save")
    assert saved.status_code == 302
    assert "version: 3" in draft_text(admin, RULES)
    # The box stays ticked on the draft; saving again does not raise it twice.
    form = form_of(text_of(admin.get(edit_url(RULES))))
    assert form["read_again"] == ["y"]


@pytest.mark.parametrize(
    ("changes", "anchor", "message"),
    [
        ({"title": "  "}, "#title", "Enter the lesson&#39;s title"),
        ({"minutes": "ten"}, "#minutes", "Minutes to read must be a whole number, like 5"),
        ({"minutes": "0"}, "#minutes", "Minutes to read must be from 1 to 600"),
        ({"audiences": []}, "#audiences-0", "Tick at least one group of people"),
        ({"acknowledge": "Two\nlines"}, "#acknowledge", "Write the statement on one line"),
    ],
)
def test_a_bad_field_is_named_in_the_summary_and_beside_the_field(
    admin, tree, changes, anchor, message
):
    before = (tree / BASICS / WELCOME).read_bytes()
    form = form_of(text_of(admin.get(edit_url(WELCOME))))
    response = post(admin, WELCOME, form, save="Save", **changes)
    page = text_of(response)
    assert response.status_code == 400
    assert "<title>Error:" in page
    assert f'<li><a href="{anchor}">{message}' in page
    assert '<p class="error-message"' in page
    assert (tree / BASICS / WELCOME).read_bytes() == before


def test_a_broken_link_in_the_text_points_at_its_line_of_the_box(admin):
    form = form_of(text_of(admin.get(edit_url(WELCOME))))
    body = "Intro.\n\nSee [nothing](02-rules.md#no-such-part).\n"
    response = post(admin, WELCOME, form, body=body, save="Save")
    page = text_of(response)
    assert response.status_code == 400
    assert 'href="#body" data-line="3">Line 3 of the lesson&#39;s text:' in page
    assert "no-such-part" in page
    assert "See [nothing](02-rules.md#no-such-part)." in page  # the text is kept


def test_preview_shows_the_lesson_as_learners_will_without_saving(admin, tree):
    before = (tree / BASICS / WELCOME).read_bytes()
    form = form_of(text_of(admin.get(edit_url(WELCOME))))
    response = post(admin, WELCOME, form, body="A **bold** move.\n", check="Preview")
    assert response.status_code == 200
    assert "A <strong>bold</strong> move." in text_of(response)
    assert (tree / BASICS / WELCOME).read_bytes() == before


def test_the_live_preview_is_sanitized(admin):
    form = form_of(text_of(admin.get(edit_url(WELCOME))))
    body = (
        "## Part {#part}\n\n<script>alert(1)</script>\n\n"
        '[bad](javascript:alert(1)) <img src=x onerror="alert(2)">\n\n'
        "[the rules](02-rules.md#why)\n"
    )
    response = admin.post(PREVIEW + WELCOME, data={**form, "body": body})
    fragment = text_of(response)
    assert response.status_code == 200
    assert "<html" not in fragment
    assert '<h2 id="part">Part</h2>' in fragment
    assert "<script" not in fragment
    assert 'href="javascript:' not in fragment and "onerror=" not in fragment
    assert "will be removed" in fragment  # the author is told


def test_the_live_preview_turns_links_to_lessons_into_their_addresses(admin):
    form = form_of(text_of(admin.get(edit_url(WELCOME))))
    body = "## Welcome {#welcome}\n\nSee [the rules](02-rules.md#why).\n"
    fragment = text_of(admin.post(PREVIEW + WELCOME, data={**form, "body": body}))
    assert 'href="/courses/basics/lessons/rules#why"' in fragment
    assert "Problems in this lesson" not in fragment


def test_the_live_preview_names_problems_at_their_line_of_the_box(admin):
    form = form_of(text_of(admin.get(edit_url(WELCOME))))
    response = admin.post(
        PREVIEW + WELCOME, data={**form, "body": "One.\n\n![](../media/diagram.svg)\n"}
    )
    fragment = text_of(response)
    assert 'href="#body" data-line="3">line 3 of the text</a>' in fragment


@pytest.mark.parametrize("who", ["anonymous", "learner", "manager"])
def test_non_admins_are_refused_the_editor_and_the_preview(app, login_as, who):
    client = app.test_client() if who == "anonymous" else login_as(role=who)
    for method, url in [("GET", edit_url(WELCOME)), ("POST", PREVIEW + WELCOME)]:
        response = client.open(url, method=method, data={"title": "x", "body": "y"})
        if who == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == 403


class TestWithCsrf:
    @pytest.fixture
    def app(self, app_factory, tree):
        return app_factory(COURSES_DIR=str(tree), WTF_CSRF_ENABLED=True)

    def test_the_preview_needs_the_pages_token(self, admin):
        page = text_of(admin.get(edit_url(WELCOME)))
        form = form_of(page)
        assert form["csrf_token"] == [csrf_token_from(page)]
        without = {k: v for k, v in form.items() if k != "csrf_token"}
        refused = admin.post(PREVIEW + WELCOME, data={**without, "body": "**Hi**"})
        assert refused.status_code == 400
        assert "<strong>" not in text_of(refused)
        allowed = admin.post(PREVIEW + WELCOME, data={**form, "body": "**Hi**"})
        assert allowed.status_code == 200
        assert "<strong>Hi</strong>" in text_of(allowed)

    def test_saving_needs_the_token(self, admin, tree):
        form = form_of(text_of(admin.get(edit_url(WELCOME))))
        without = {k: v for k, v in form.items() if k != "csrf_token"}
        assert post(admin, WELCOME, without, title="T", save="Save").status_code == 400
        assert post(admin, WELCOME, form, title="T", save="Save").status_code == 302


def test_a_new_lesson_is_titled_by_its_module_and_created_from_its_fields(app, admin, tree):
    url = f"/admin/courses/{BASICS}/modules/{MODULE}/new-lesson"
    page = text_of(admin.get(url))
    assert "<h1>New lesson in First steps</h1>" in page
    form = form_of(page)
    assert form["audiences"] == ["councillor", "officer", "affiliate"]
    response = admin.post(
        url,
        data={
            **form,
            "title": "Budgets",
            "body": "## Money {#money}\n\nHow it works.\n",
            "save": "x",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(edit_url(f"{MODULE}/04-budgets.md"))
    assert draft_text(admin, f"{MODULE}/04-budgets.md") == (
        "---\ntitle: Budgets\n---\n\n## Money {#money}\n\nHow it works.\n"
    )
    assert not (tree / BASICS / MODULE / "04-budgets.md").exists()  # a draft
    [event] = audit_events(app, "course_file.created")
    assert event.details["paths"] == [f"{MODULE}/04-budgets.md"]


def test_a_new_lessons_file_name_is_folded_away_unless_typed_or_wrong(admin):
    url = f"/admin/courses/{BASICS}/modules/{MODULE}/new-lesson"
    summary = "<summary>File name (optional: made from the title)</summary>"
    page = text_of(admin.get(url))
    assert '<details class="more-options">' in page and summary in page
    form = form_of(page)
    wrong = text_of(
        admin.post(
            url, data={**form, "title": "Budgets", "file_name": "../budgets.md", "save": "x"}
        )
    )
    assert '<details class="more-options" open>' in wrong


def test_a_new_lessons_live_preview_renders_its_text(admin):
    url = f"/admin/courses/{BASICS}/modules/{MODULE}/new-lesson/preview"
    response = admin.post(url, data={"title": "Fresh", "audiences": ["officer"], "body": "*New*"})
    assert response.status_code == 200
    assert "<em>New</em>" in text_of(response)


def test_a_lesson_whose_settings_the_form_cannot_show_opens_as_text(admin, tree):
    (tree / BASICS / WELCOME).write_text("---\ntitle: Welcome\nminutes: soon\n---\n\nHello.\n")
    response = admin.get(edit_url(WELCOME))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(edit_url(WELCOME) + "?as=text")
    page = text_of(admin.get(response.headers["Location"]))
    assert "minutes" in page and "a mistake the form cannot show" in page


def test_the_text_editor_is_titled_by_what_the_file_holds_not_its_name(admin):
    page = text_of(admin.get(edit_url("course.md")))
    assert "<h1>Course: Basics</h1>" in page
    assert "<title>Course: Basics – Basics" in page
    page = text_of(admin.get(edit_url(f"{MODULE}/module.md")))
    assert "<h1>Module: First steps</h1>" in page
    page = text_of(admin.get(edit_url(WELCOME) + "?as=text"))
    assert "<h1>Lesson: Welcome (the whole file as text)</h1>" in page
    assert ">First steps</a>" in page  # the module by its title in the breadcrumb
    assert "Back to the lesson's form" in page


def test_ticking_a_group_the_module_is_not_for_is_explained_at_the_boxes(admin, tree):
    module_md = tree / BASICS / MODULE / "module.md"
    module_md.write_text(module_md.read_text().replace("title:", "audiences: [officer]\ntitle:"))
    (tree / BASICS / MODULE / "01-welcome.md").write_text(
        "---\ntitle: Welcome\naudiences: officer\n---\n\n## Welcome {#welcome}\n"
    )
    (tree / BASICS / RULES).write_text(
        (tree / BASICS / RULES).read_text().replace("title:", "audiences: officer\ntitle:")
    )
    form = form_of(text_of(admin.get(edit_url(WELCOME))))
    assert form["audiences"] == ["officer"]
    response = post(admin, WELCOME, form, audiences=["officer", "affiliate"], save="Save")
    page = text_of(response)
    assert response.status_code == 400
    assert (
        '<li><a href="#audiences-0">The module is only for council officers: untick '
        "affiliate members, or first add them to the module&#39;s audiences</a></li>"
    ) in page
