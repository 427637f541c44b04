"""Create, rename, delete, publish: every operation goes through the same check and the log."""

from __future__ import annotations

import html

from induction.catalogue import get_catalogue
from tests.authoring.conftest import (
    BASICS,
    RULES,
    WELCOME,
    audit_events,
    edit_url,
    open_editor,
    publish_all,
    text_of,
)
from tests.quizzes.pages import text_of as visible_text

MODULE = "01-first-steps"
BASE = f"/admin/courses/{BASICS}"


def lesson_ids(app) -> list[str]:
    with app.app_context():
        course = get_catalogue().reload().course("basics")
        assert course is not None
        return [lesson.id for module in course.modules for lesson in module.lessons]


# -- create -------------------------------------------------------------------------------------


def test_the_new_lesson_page_offers_a_valid_template(admin):
    page = text_of(admin.get(f"{BASE}/modules/{MODULE}/new-lesson?as=text"))
    assert 'value="04-new-lesson.md"' in page
    assert "title: New lesson" in page
    assert "<p>None.</p>" in page  # the template passes the check


def test_creating_a_lesson_checks_it_and_writes_it(app, admin, tree):
    text = "---\ntitle: Budgets\n---\n\n## Budgets {#budgets}\n\nHow the money works.\n"
    response = admin.post(
        f"{BASE}/modules/{MODULE}/new-lesson",
        data={"file_name": "04-budgets", "text": text, "save": "Create"},
    )
    assert response.status_code == 302
    publish_all(admin)
    assert response.headers["Location"].endswith(edit_url(f"{MODULE}/04-budgets.md"))
    assert (tree / BASICS / MODULE / "04-budgets.md").read_text() == text
    assert "budgets" in lesson_ids(app)
    [event] = audit_events(app, "course_file.created")
    assert "+How the money works." in event.details["diff"]


def test_a_new_lesson_with_a_taken_id_is_refused(admin, tree):
    response = admin.post(
        f"{BASE}/modules/02-going-further/new-lesson",
        data={"file_name": "02-welcome.md", "text": "---\ntitle: Again\n---\n", "save": "Create"},
    )
    assert response.status_code == 400
    assert "Lesson id &#39;welcome&#39; is also used by" in text_of(response)
    assert not (tree / BASICS / "02-going-further" / "02-welcome.md").exists()


def test_a_new_lesson_cannot_take_an_existing_name_or_a_fixed_one(admin, tree):
    for name, message in [("01-welcome.md", "already exists"), ("quiz.md", "not a lesson")]:
        response = admin.post(
            f"{BASE}/modules/{MODULE}/new-lesson",
            data={"file_name": name, "text": "---\ntitle: X\n---\n", "save": "Create"},
        )
        assert response.status_code == 400
        assert message in text_of(response)
    assert "title: Welcome" in (tree / BASICS / WELCOME).read_text()


def test_creating_a_quiz_from_its_template(app, admin, tree):
    page = text_of(admin.get(f"{BASE}/modules/02-going-further/new-quiz"))
    assert "going-further-question-1" in page
    assert "<p>None.</p>" in page
    text = "## Is this the second module? {#second type=truefalse}\n\n- [x] True\n- [ ] False\n"
    response = admin.post(
        f"{BASE}/modules/02-going-further/new-quiz", data={"text": text, "save": "Create"}
    )
    assert response.status_code == 302
    publish_all(admin)
    assert (tree / BASICS / "02-going-further" / "quiz.md").read_text() == text
    # A module with a quiz offers no second one.
    again = admin.get(f"{BASE}/modules/02-going-further/new-quiz")
    assert again.status_code == 302


def test_creating_a_module_with_its_first_lesson(app, admin, tree):
    response = admin.post(
        f"{BASE}/new-module",
        data={"title": "Money", "summary": "Where it goes.", "lesson_title": "Budgets basics"},
    )
    assert response.status_code == 302
    folder = tree / BASICS / "03-money"
    assert not folder.exists()  # a draft: learners see nothing yet
    # The new lesson still holds the placeholder text: publishing it is refused.
    refused = admin.post(f"{BASE}/draft/publish", data={"note": "Money", "publish_all": "1"})
    page = text_of(refused)
    assert refused.status_code == 400
    assert "Not published: fix these first" in page
    assert "Lesson “Budgets basics” in “Money”</a>" in page and "line 4 of the text" in page
    assert "still holds the placeholder" in page
    assert not folder.exists()
    lesson = "03-money/01-budgets-basics.md"
    text, base = open_editor(admin, lesson)
    written = text.replace("Write the lesson here, in Markdown.", "Budgets are plans.")
    data = {"text": written, "base_hash": base, "save": "Save"}
    assert admin.post(edit_url(lesson), data=data).status_code == 302
    publish_all(admin)
    assert "title: Money" in (folder / "module.md").read_text()
    assert "title: Budgets basics" in (folder / "01-budgets-basics.md").read_text()
    assert "budgets-basics" in lesson_ids(app)


def test_a_new_module_whose_lesson_id_is_taken_is_refused_whole(admin, tree):
    response = admin.post(
        f"{BASE}/new-module",
        data={"title": "Again", "summary": "Again.", "lesson_title": "Welcome"},
    )
    assert response.status_code == 400
    assert "Lesson id &#39;welcome&#39; is also used by" in text_of(response)
    assert not (tree / BASICS / "03-again").exists()


# -- rename -------------------------------------------------------------------------------------


def test_renaming_a_lesson_keeps_its_id_and_updates_links(app, admin, tree):
    response = admin.post(f"{BASE}/rename/{RULES}", data={"new_name": "05-house-rules.md"})
    assert response.status_code == 302
    publish_all(admin)
    folder = tree / BASICS / MODULE
    assert not (folder / "02-rules.md").exists()
    renamed = (folder / "05-house-rules.md").read_text()
    assert renamed.startswith("---\nid: rules\ntitle: The rules\n")
    assert "[the rules](05-house-rules.md#the-rules)" in (folder / "01-welcome.md").read_text()
    quiz = (folder / "quiz.md").read_text()
    assert "(05-house-rules.md#the-rules)" in quiz and "(05-house-rules.md#why)" in quiz
    assert "rules" in lesson_ids(app)  # same id: progress is kept
    [event] = audit_events(app, "course_file.renamed")
    assert event.details["from"] == RULES and event.details["to"] == f"{MODULE}/05-house-rules.md"


def test_renaming_a_module_folder_keeps_its_id_and_links_from_other_modules(app, admin, tree):
    response = admin.post(f"{BASE}/rename/{MODULE}", data={"new_name": "03-first-steps-now"})
    assert response.status_code == 302
    publish_all(admin)
    module_md = (tree / BASICS / "03-first-steps-now" / "module.md").read_text()
    assert module_md.startswith("---\nid: first-steps\n")
    nxt = (tree / BASICS / "02-going-further" / "01-next.md").read_text()
    assert "(../03-first-steps-now/01-welcome.md)" in nxt
    with app.app_context():
        course = get_catalogue().reload().course("basics")
        assert [m.id for m in course.modules] == ["going-further", "first-steps"]


def chosen_publish(client, paths: list[str]):
    return client.post(
        f"{BASE}/draft/publish",
        data={"note": "Chosen files", "paths": paths, "publish_chosen": "1"},
    )


def test_the_draft_shows_a_renamed_lesson_and_the_links_that_follow_it(app, admin, tree):
    from induction.admin.drafts.store import draft_rows

    renamed = f"{MODULE}/05-house-rules.md"
    assert (
        admin.post(f"{BASE}/rename/{RULES}", data={"new_name": "05-house-rules.md"}).status_code
        == 302
    )
    draft = text_of(admin.get(f"{BASE}/draft"))
    assert "Deleted" not in draft and "New file" not in draft
    assert draft.count(">Renamed</strong>") == 2
    # 05-house-rules.md comes after the third lesson: the renaming moves it to third place.
    assert (
        "Renamed: its file has a new name, and it was lesson 2 of module 1: “First steps”. "
        "Nobody's progress is lost." in html.unescape(draft)
    )
    assert (
        "Renamed: its file has a new name, and it is now lesson 3 of module 1: “First steps”. "
        "Nothing is lost." in html.unescape(draft)
    )
    # The welcome lesson and the quiz link to it; their links are all that changed.
    follows = (
        "Only its links changed, to follow the lesson “The rules” to its new place. "
        "It goes out with that move."
    )
    assert html.unescape(draft).count(follows) == 2
    assert "Discard the renaming of the lesson “The rules”" in html.unescape(draft)
    assert "Discard the changes to the lesson “Welcome”" not in html.unescape(draft)  # goes with it

    # Ticking the new name alone publishes the whole renaming: nothing is left half done.
    response = chosen_publish(admin, [renamed])
    assert response.status_code == 302, text_of(response)
    folder = tree / BASICS / MODULE
    assert not (folder / "02-rules.md").exists()
    assert "[the rules](05-house-rules.md#the-rules)" in (folder / "01-welcome.md").read_text()
    assert "(05-house-rules.md#why)" in (folder / "quiz.md").read_text()
    with app.app_context():
        assert draft_rows(BASICS) == []
    assert "rules" in lesson_ids(app)


def test_a_renamed_module_folder_is_shown_renamed_file_by_file(admin):
    assert (
        admin.post(f"{BASE}/rename/{MODULE}", data={"new_name": "03-first-steps-now"}).status_code
        == 302
    )
    draft = text_of(admin.get(f"{BASE}/draft"))
    assert "Deleted" not in draft and "New file" not in draft
    words = html.unescape(draft)
    # The folder's new name puts it after the second module: the first module is second now.
    assert (
        "Renamed: its file has a new name, and it was lesson 2 of module 1: “First steps”." in words
    )
    assert "Renamed: its file has a new name, and it was module 1: “First steps”." in words
    # The next module's lesson links into the renamed folder: it follows.
    assert "Only its links changed, to follow the lesson “Welcome”" in words


def test_the_draft_names_each_file_by_what_it_is_and_its_title(admin, tree):
    assert (
        admin.post(f"{BASE}/rename/{RULES}", data={"new_name": "05-house-rules.md"}).status_code
        == 302
    )
    draft = text_of(admin.get(f"{BASE}/draft"))

    def named(description: str, path: str) -> str:
        return f'<strong>{description}</strong> <span class="cell-note small">{path}</span>'

    assert named("Lesson “The rules”", "Lesson 3 of module 1: “First steps”") in draft
    # The file the draft deletes is named from the published one, at its published place.
    assert named("Lesson “The rules”", "Lesson 2 of module 1: “First steps”") in draft
    assert named("Quiz of “First steps”", "Quiz of module 1: “First steps”") in draft


def test_a_file_edited_besides_its_links_is_not_published_with_a_renaming(app, admin, tree):
    assert (
        admin.post(f"{BASE}/rename/{RULES}", data={"new_name": "05-house-rules.md"}).status_code
        == 302
    )
    text, base = open_editor(admin, WELCOME)
    data = {"text": text + "\nOne more line.\n", "base_hash": base, "save": "Save"}
    assert admin.post(edit_url(WELCOME), data=data).status_code == 302
    draft = text_of(admin.get(f"{BASE}/draft"))
    assert "Discard the changes to the lesson “Welcome”" in html.unescape(draft)  # on its own
    # Published without it, the welcome lesson would link to a lesson that is gone: refused,
    # with the file and line, and nothing changes.
    response = chosen_publish(admin, [f"{MODULE}/05-house-rules.md"])
    assert response.status_code == 400
    assert "02-rules.md" in text_of(response) and WELCOME in text_of(response)
    assert (tree / BASICS / RULES).exists()
    assert chosen_publish(admin, [f"{MODULE}/05-house-rules.md", WELCOME]).status_code == 302
    assert "One more line." in (tree / BASICS / WELCOME).read_text()


def test_a_renamed_file_with_its_own_id_is_left_alone(admin, tree):
    path = tree / BASICS / MODULE / "03-officers-only.md"
    path.write_text(path.read_text().replace("---\ntitle", "---\nid: officers-only\ntitle", 1))
    response = admin.post(
        f"{BASE}/rename/{MODULE}/03-officers-only.md", data={"new_name": "04-for-officers"}
    )
    assert response.status_code == 302
    publish_all(admin)
    text = (tree / BASICS / MODULE / "04-for-officers.md").read_text()
    assert text.count("id: officers-only") == 1


def test_a_rename_onto_an_existing_name_is_refused(admin, tree):
    response = admin.post(f"{BASE}/rename/{RULES}", data={"new_name": "01-welcome.md"})
    assert response.status_code == 400
    assert "already exists" in text_of(response)
    assert (tree / BASICS / RULES).exists()


# -- delete -------------------------------------------------------------------------------------


def test_deleting_a_lesson_that_others_link_to_is_refused_with_the_list(app, admin, tree):
    # Before anyone presses Delete, the page names the files that link to the lesson, by
    # title, each linked to its editor, with the lines; it offers no Delete button.
    html = text_of(admin.get(f"{BASE}/delete/{RULES}"))
    page = visible_text(html)
    assert "The lesson “The rules” cannot be deleted yet" in page
    assert "Deleting it would break the 4 links below." in page
    assert (
        f'href="{BASE}/files/{MODULE}/01-welcome.md">Lesson “Welcome” in “First steps”</a>' in html
    )
    assert f'href="{BASE}/files/{MODULE}/quiz.md">Quiz of “First steps”</a>' in html
    assert "Line 4 of the text: Link to '02-rules.md#the-rules'" in page
    assert "Delete the lesson" not in page and "button--warning" not in html
    response = admin.post(f"{BASE}/delete/{RULES}")
    page = text_of(response)
    assert response.status_code == 400
    assert "Not deleted: other files link to it" in page
    assert "01-first-steps/01-welcome.md" in page and "01-first-steps/quiz.md" in page
    assert (tree / BASICS / RULES).exists()
    assert audit_events(app, "course_file.deleted") == []


def test_deleting_a_lesson_nobody_links_to(app, admin, tree):
    confirm = visible_text(text_of(admin.get(f"{BASE}/delete/{MODULE}/03-officers-only.md")))
    # It says where the deletion goes, and how to take it back.
    assert "learners keep the lesson until someone publishes the draft" in confirm
    response = admin.post(f"{BASE}/delete/{MODULE}/03-officers-only.md")
    assert response.status_code == 302
    said = visible_text(text_of(admin.get(response.headers["Location"])))
    assert (
        "Deleted the lesson “For officers” from the draft. Learners keep it until the draft "
        "is published; Discard on the draft page brings it back." in said
    )
    assert (tree / BASICS / MODULE / "03-officers-only.md").exists()  # still published
    publish_all(admin)
    assert not (tree / BASICS / MODULE / "03-officers-only.md").exists()
    [event] = audit_events(app, "course_file.deleted")
    assert "-Only officers see this lesson." in event.details["diff"]


def test_deleting_a_module_another_module_links_to_is_refused(admin, tree):
    page = visible_text(text_of(admin.get(f"{BASE}/delete/{MODULE}")))
    assert "The module “First steps” cannot be deleted yet" in page
    assert "button--warning" not in text_of(admin.get(f"{BASE}/delete/{MODULE}"))
    response = admin.post(f"{BASE}/delete/{MODULE}")
    assert response.status_code == 400
    assert "02-going-further/01-next.md" in text_of(response)
    assert (tree / BASICS / MODULE / "module.md").exists()


def test_deleting_a_module(app, admin, tree):
    response = admin.post(f"{BASE}/delete/02-going-further")
    assert response.status_code == 302
    publish_all(admin)
    assert not (tree / BASICS / "02-going-further").exists()
    assert not [p for p in (tree / BASICS).iterdir() if p.name.startswith(".")]
    assert "next" not in lesson_ids(app)


def test_deleting_the_last_lesson_of_a_module_without_a_quiz_is_refused(admin, tree):
    response = admin.post(f"{BASE}/delete/02-going-further/01-next.md")
    assert response.status_code == 400
    assert "no lessons and no quiz" in text_of(response)


def test_deleting_a_quiz(admin, tree):
    response = admin.post(f"{BASE}/delete/{MODULE}/quiz.md")
    assert response.status_code == 302
    publish_all(admin)
    assert not (tree / BASICS / MODULE / "quiz.md").exists()


# -- draft and publish ----------------------------------------------------------------------------


def test_publish_and_unpublish_change_only_the_draft_line(app, admin, login_as, tree):
    course_md = tree / "02-drafty" / "course.md"
    learner = login_as()
    assert learner.get("/courses/drafty/").status_code == 404
    response = admin.post("/admin/courses/02-drafty/publish")
    assert response.status_code == 302
    assert learner.get("/courses/drafty/").status_code == 404  # only in the draft so far
    publish_all(admin, "02-drafty")
    assert course_md.read_text() == (
        "---\ntitle: Drafty\nsummary: A draft course only admins see.\ndraft: false\n---\n\n"
        "Work in progress.\n"
    )
    assert learner.get("/courses/drafty/").status_code == 200
    response = admin.post("/admin/courses/02-drafty/unpublish")
    assert response.status_code == 302
    publish_all(admin, "02-drafty")
    assert "draft: true" in course_md.read_text()
    assert learner.get("/courses/drafty/").status_code == 404
    assert [e.action for e in audit_events(app) if e.action.startswith("course.")] == [
        "course.published",
        "course.changes_published",
        "course.unpublished",
        "course.changes_published",
    ]


def test_unpublishing_a_course_without_a_draft_line_adds_one(admin, tree):
    response = admin.post(f"{BASE}/unpublish")
    assert response.status_code == 302
    publish_all(admin)
    text = (tree / BASICS / "course.md").read_text()
    assert "due_days: 14\ndraft: true\n---\n" in text


def test_hiding_a_course_is_asked_first_and_the_draft_page_warns(app, admin, make_user, tree):
    from induction.extensions import db
    from tests.reports.helpers import add_lesson

    learner = make_user()
    with app.app_context():
        add_lesson(learner.id, "basics", "welcome", 1)
        db.session.commit()
    course_page = text_of(admin.get(f"{BASE}/"))
    assert f'href="{BASE}/unpublish">Hide this course from learners</a>' in course_page
    # The link asks first, saying whom it affects; nothing changes until the button.
    ask = text_of(admin.get(f"{BASE}/unpublish"))
    assert "Hide “Basics” from learners?" in ask
    assert "no learner can open the course" in ask and "1 person has started or finished it" in ask
    with app.app_context():
        from induction.admin.drafts.store import draft_rows

        assert draft_rows(BASICS) == []
    assert admin.post(f"{BASE}/unpublish").status_code == 302
    draft = text_of(admin.get(f"{BASE}/draft"))
    assert "Publishing this draft hides the course from every learner." in draft
    assert "1 person has started or finished it" in draft
    # Discarding course.md's draft takes the warning away.
    from tests.factories import csrf_token_from

    token = csrf_token_from(draft)
    admin.post(f"{BASE}/draft/discard", data={"csrf_token": token, "path": "course.md"})
    assert "hides the course" not in text_of(admin.get(f"{BASE}/draft"))


def test_the_draft_page_says_when_publishing_opens_a_course(admin):
    assert admin.post("/admin/courses/02-drafty/publish").status_code == 302
    draft = text_of(admin.get("/admin/courses/02-drafty/draft"))
    assert "Publishing this draft opens the course to learners" in draft
    assert "hides the course" not in draft


def test_a_broken_course_cannot_be_published(admin, tree):
    lesson = tree / "02-drafty" / "01-only" / "01-only-lesson.md"
    lesson.write_text("---\ntitel: Oops\n---\n")
    response = admin.post("/admin/courses/02-drafty/publish")
    assert response.status_code == 400
    assert "The course was not changed" in text_of(response)
    assert "draft: true" in (tree / "02-drafty" / "course.md").read_text()
