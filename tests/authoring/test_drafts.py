"""Drafts: what authors save waits in the database, learners never see it until it is
published, two authors never overwrite each other, and publishing is checked first."""

from __future__ import annotations

import io
import re

import pytest

from induction.admin.drafts import store
from induction.admin.drafts.models import DraftFile, Publication
from induction.extensions import db
from tests.authoring.conftest import (
    BASICS,
    QUIZ,
    RULES,
    WELCOME,
    edit_url,
    hidden,
    open_editor,
    publish_all,
    text_of,
    without_technical_detail,
)

BASE = f"/admin/courses/{BASICS}"
NEW_LESSON = "01-first-steps/04-budgets.md"
NEW_LESSON_TEXT = (
    "---\ntitle: Budgets in a draft\n---\n\n## Budgets {#budgets}\n\nHow the money works.\n"
)


def save(client, path, text, base):
    return client.post(edit_url(path), data={"text": text, "base_hash": base, "save": "Save"})


def draft_everything(admin):
    """Draft a lesson edit, a new lesson, a module title and a quiz question."""
    text, base = open_editor(admin, WELCOME)
    changed = text.replace("Read this first.", "Draft sentence.")
    assert save(admin, WELCOME, changed, base).status_code == 302
    response = admin.post(
        f"{BASE}/modules/01-first-steps/new-lesson",
        data={"file_name": "04-budgets.md", "text": NEW_LESSON_TEXT, "save": "Create"},
    )
    assert response.status_code == 302
    module = "01-first-steps/module.md"
    text, base = open_editor(admin, module)
    changed = text.replace("First steps", "Draft module title")
    assert save(admin, module, changed, base).status_code == 302
    text, base = open_editor(admin, QUIZ)
    changed = text.replace("What should you be?", "Draft question?")
    assert save(admin, QUIZ, changed, base).status_code == 302  # nobody has taken it yet


def quiz_questions(learner):
    """Start (or resume) the first module's quiz; return the page of its questions."""
    started = learner.post("/courses/basics/modules/first-steps/quiz")
    assert started.status_code == 303
    return text_of(learner.get(started.headers["Location"]))


def learner_and_admin_views(learner, admin, make_org_id):
    return [
        learner.get("/courses/basics/lessons/welcome"),
        learner.get("/courses/basics/"),
        learner.get("/courses/basics/modules/first-steps"),
        learner.get("/courses/basics/modules/first-steps/quiz"),
        learner.get("/"),
        learner.get("/my/record"),
        learner.get("/my/record.csv"),
        admin.get("/reports/network"),
        admin.get("/reports/network.csv"),
        admin.get(f"/reports/organisations/{make_org_id}"),
        admin.get(f"/reports/organisations/{make_org_id}/modules.csv"),
    ]


DRAFT_WORDS = ("Draft sentence.", "Budgets in a draft", "Draft module title", "Draft question?")


def test_a_draft_is_invisible_to_learners_pages_reports_and_exports_until_published(
    app, admin, login_as, tree
):
    learner = login_as(audience="officer")
    with app.app_context():
        from induction.accounts.models import User

        org_id = db.session.get(User, learner.user.id).organisation_id
    before = [r.get_data(as_text=True) for r in learner_and_admin_views(learner, admin, org_id)]
    draft_everything(admin)
    questions = quiz_questions(learner)
    assert "What should you be?" in questions and "Draft question?" not in questions
    for response in learner_and_admin_views(learner, admin, org_id):
        page = response.get_data(as_text=True)
        for words in DRAFT_WORDS:
            assert words not in page, (response.request.path, words)
    # The draft page lists each changed file with its diff against what learners see.
    draft = text_of(admin.get(f"{BASE}/draft"))
    for place in ("Lesson 1 of module 1", "Lesson 4 of module 1", "Module 1", "Quiz of module 1"):
        assert f'<span class="cell-note small">{place}: “Draft module title”</span>' in draft
    assert "-Read this first. Then" in draft and "+Draft sentence. Then" in draft
    assert "New file" in draft
    publish_all(admin, note="Everything at once")
    after = "".join(
        r.get_data(as_text=True) for r in learner_and_admin_views(learner, admin, org_id)
    )
    after += quiz_questions(login_as(audience="officer"))  # a new attempt asks the new quiz
    for words in DRAFT_WORDS:
        assert words in after, words
    assert before  # the pages answered before the draft too
    assert "There are no draft changes" in text_of(admin.get(f"{BASE}/draft"))


def test_a_draft_survives_a_new_app_and_another_host(app_factory, app, admin, tree):
    text, base = open_editor(admin, WELCOME)
    assert save(admin, WELCOME, text + "\nKept for later.\n", base).status_code == 302
    # Another process (or host) with the same database and courses sees the same draft.
    other = app_factory(COURSES_DIR=str(tree))
    with other.app_context():
        [row] = store.draft_rows(BASICS)
        assert row.path == WELCOME and b"Kept for later." in row.content
    assert "Kept for later." not in (tree / BASICS / WELCOME).read_text()


def test_two_authors_saving_the_same_file_the_later_is_refused_and_nothing_is_lost(
    app, admin, login_as, tree
):
    other = login_as(role="admin")
    mine, my_base = open_editor(admin, WELCOME)
    theirs, their_base = open_editor(other, WELCOME)
    assert my_base == their_base
    first = save(other, WELCOME, theirs.replace("Read this first.", "Their words."), their_base)
    assert first.status_code == 302
    later = save(admin, WELCOME, mine.replace("Read this first.", "My words."), my_base)
    page = text_of(later)
    assert later.status_code == 409
    assert "This file changed since you opened it" in page
    assert "not saved" in page
    assert "-Their words. Then" in page and "+My words. Then" in page  # both texts
    assert "My words." in page.split("<textarea")[1]  # my text is kept in the box
    with app.app_context():
        [row] = store.draft_rows(BASICS)
        assert b"Their words." in row.content  # theirs is kept
    # Having seen theirs, saving again is a deliberate replacement.
    again = save(
        admin, WELCOME, mine.replace("Read this first.", "My words."), hidden(page, "base_hash")
    )
    assert again.status_code == 302
    with app.app_context():
        [row] = store.draft_rows(BASICS)
        assert b"My words." in row.content


def test_a_save_racing_another_in_the_database_is_refused(app_ctx):
    store.save_file(BASICS, WELCOME, b"first", found=None, live=b"live", author=None)
    db.session.commit()
    # A second author who also found no draft row cannot insert another one...
    with pytest.raises(store.DraftConflict):
        store.save_file(BASICS, WELCOME, b"second", found=None, live=b"live", author=None)
    # ...nor update a row that changed since they read it.
    with pytest.raises(store.DraftConflict):
        store.save_file(
            BASICS, WELCOME, b"second", found=store.content_hash(b"old"), live=b"live", author=None
        )
    store.save_file(
        BASICS, WELCOME, b"second", found=store.content_hash(b"first"), live=b"live", author=None
    )
    db.session.commit()
    [row] = store.draft_rows(BASICS)
    assert row.content == b"second" and row.base_hash == store.content_hash(b"live")
    # Saving the live text again is no draft at all.
    store.save_file(
        BASICS, WELCOME, b"live", found=store.content_hash(b"second"), live=b"live", author=None
    )
    assert store.draft_rows(BASICS) == []


def test_publishing_chosen_files_leaves_the_others_in_the_draft(app, admin, tree):
    for path, words in ((WELCOME, "Welcome change."), (RULES, "Rules change.")):
        text, base = open_editor(admin, path)
        assert save(admin, path, text + f"\n{words}\n", base).status_code == 302
    response = admin.post(
        f"{BASE}/draft/publish",
        data={"note": "Only the welcome", "paths": [WELCOME], "publish_chosen": "1"},
    )
    assert response.status_code == 302
    assert "Welcome change." in (tree / BASICS / WELCOME).read_text()
    assert "Rules change." not in (tree / BASICS / RULES).read_text()
    with app.app_context():
        assert [row.path for row in store.draft_rows(BASICS)] == [RULES]
        [publication] = db.session.scalars(db.select(Publication)).all()
        assert publication.note == "Only the welcome"
        assert publication.actor_name == admin.user.name
        [changed] = publication.files
        assert changed.path == WELCOME
        assert b"Welcome change." not in changed.before and b"Welcome change." in changed.after


def test_publishing_nothing_ticked_or_without_a_note_says_what_to_do(admin, tree):
    text, base = open_editor(admin, WELCOME)
    assert save(admin, WELCOME, text + "\nA change.\n", base).status_code == 302
    no_files = admin.post(f"{BASE}/draft/publish", data={"note": "x", "publish_chosen": "1"})
    assert no_files.status_code == 400
    assert "Tick the files to publish" in text_of(no_files)
    no_note = admin.post(f"{BASE}/draft/publish", data={"publish_all": "1"})
    assert no_note.status_code == 400
    assert "Say in one line what changed" in text_of(no_note)
    assert "A change." not in (tree / BASICS / WELCOME).read_text()


def test_publishing_checks_the_whole_course_and_names_file_and_line(admin, tree):
    text, base = open_editor(admin, WELCOME)
    assert save(admin, WELCOME, text + "\nA change.\n", base).status_code == 302
    # A file outside the draft breaks on disk: the course as published would not pass.
    broken = tree / BASICS / "02-going-further" / "01-next.md"
    broken.write_text(broken.read_text().replace("title:", "titel:"))
    response = admin.post(f"{BASE}/draft/publish", data={"note": "x", "publish_all": "1"})
    page = text_of(response)
    assert response.status_code == 400
    assert "Not published: fix these first" in page
    # Named by its module, linked to its editor, the mistake in its settings (see
    # test_problem_words.py).
    assert (
        f'<a href="{BASE}/files/02-going-further/01-next.md">The lesson in the file 01-next.md '
        'in “Going further”</a>, <span class="problem__line">its settings</span>:' in page
    )
    assert "is not one the platform knows" in page
    assert "A change." not in (tree / BASICS / WELCOME).read_text()


def test_a_live_file_changed_since_its_draft_began_is_not_overwritten(app, admin, tree):
    text, base = open_editor(admin, WELCOME)
    assert save(admin, WELCOME, text + "\nMine.\n", base).status_code == 302
    live = tree / BASICS / WELCOME
    live.write_text(live.read_text() + "\nPulled from git.\n")
    assert "changed on disk since this draft began" in text_of(admin.get(f"{BASE}/draft"))
    response = admin.post(f"{BASE}/draft/publish", data={"note": "x", "publish_all": "1"})
    assert response.status_code == 400
    assert "changed (on disk) since this draft began" in text_of(response)
    assert "Pulled from git." in live.read_text() and "Mine." not in live.read_text()


def test_discarding_a_draft_keeps_the_published_file(app, admin, tree):
    before = (tree / BASICS / WELCOME).read_bytes()
    text, base = open_editor(admin, WELCOME)
    assert save(admin, WELCOME, text + "\nThrown away.\n", base).status_code == 302
    response = admin.post(f"{BASE}/draft/discard", data={"path": WELCOME})
    assert response.status_code == 302
    assert (tree / BASICS / WELCOME).read_bytes() == before
    assert "Thrown away." not in open_editor(admin, WELCOME)[0]
    with app.app_context():
        assert db.session.scalars(db.select(DraftFile)).all() == []


def test_previewing_a_draft_shows_the_whole_course_as_one_audience_with_a_banner(
    app, admin, login_as, tree
):
    learner = login_as(audience="councillor")
    draft_everything(admin)
    response = admin.post(f"{BASE}/draft/preview", data={"audience": "councillor"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/courses/basics/")
    course = text_of(admin.get("/courses/basics/"))
    assert "Preview of the draft of “Basics”, as councillors." in course
    assert "Budgets in a draft" in course and "Draft module title" in course
    assert "For officers" not in course  # the councillors' view of the course
    # The completion rule counts the draft's lessons for councillors: welcome, rules, budgets.
    module = text_of(admin.get("/courses/basics/modules/first-steps"))
    assert "read all 3 lessons and pass the quiz" in module
    published = text_of(learner.get("/courses/basics/modules/first-steps"))
    assert "read both lessons and pass the quiz" in published
    lesson = text_of(admin.get("/courses/basics/lessons/welcome"))
    assert "Draft sentence." in lesson and "Read this first." not in lesson
    assert "Budgets in a draft" in lesson  # the navigation holds the new lesson
    questions = quiz_questions(admin)
    assert "Draft question?" in questions
    # Nobody else sees it, and the files are untouched.
    assert "Draft sentence." not in text_of(learner.get("/courses/basics/lessons/welcome"))
    assert "Read this first." in (tree / BASICS / WELCOME).read_text()
    # The authoring pages still show the published state beside the draft.
    assert admin.post("/admin/courses/preview/stop").status_code == 302
    after = text_of(admin.get("/courses/basics/lessons/welcome"))
    assert "Read this first." in after and "Preview of the draft" not in after


def test_publishing_ends_the_preview_of_the_draft_it_published(admin):
    text, base = open_editor(admin, WELCOME)
    assert save(admin, WELCOME, text + "\nPreviewed, then published.\n", base).status_code == 302
    assert admin.post(f"{BASE}/draft/preview", data={"audience": "councillor"}).status_code == 302
    assert "Preview of the draft" in text_of(admin.get("/courses/basics/lessons/welcome"))
    draft = text_of(admin.get(publish_all(admin, note="Published after a preview").location))
    assert "Your preview of the draft has ended." in draft
    lesson = text_of(admin.get("/courses/basics/lessons/welcome"))
    assert "Previewed, then published." in lesson
    assert "Preview of the draft" not in lesson
    # The audience chosen with the preview ends with it: no banner at all.
    assert "Previewing as" not in lesson and "preview-banner" not in lesson


def test_previewing_needs_an_audience(admin):
    text, base = open_editor(admin, WELCOME)
    assert save(admin, WELCOME, text + "\nMore.\n", base).status_code == 302
    response = admin.post(f"{BASE}/draft/preview", data={})
    assert response.status_code == 400
    assert "Choose whose view to preview" in text_of(response)


def test_the_audit_log_says_each_draft_and_publish_in_words(admin):
    text, base = open_editor(admin, WELCOME)
    assert save(admin, WELCOME, text + "\nWords.\n", base).status_code == 302
    publish_all(admin, note="Clearer welcome")
    page = " ".join(re.sub(r"<[^>]+>", " ", text_of(admin.get("/admin/audit"))).split())
    assert "changed the lesson “Welcome” in the draft of Basics" in page
    assert "published 1 change to Basics : “Clearer welcome”" in page


def test_the_draft_shows_each_change_readably_with_the_words_that_changed_marked(admin, tree):
    text, base = open_editor(admin, WELCOME)
    changed = text.replace("Read this first.", "Read this before anything else.")
    assert save(admin, WELCOME, changed, base).status_code == 302
    text, base = open_editor(admin, QUIZ)
    changed = text.replace("- [x] Being on time", "- [ ] Being on time")
    assert save(admin, QUIZ, changed, base).status_code == 302
    page = text_of(admin.get(f"{BASE}/draft"))
    readable = without_technical_detail(page)
    # Each changed place by its line, the words removed and added marked (and said).
    assert '<p class="changes__where">Line 7</p>' in readable
    assert '<del><span class="visually-hidden">Removed: </span>first</del>' in readable
    assert '<ins><span class="visually-hidden">Added: </span>before anything else</ins>' in readable
    # A quiz answer no longer ticked as right: said in words (see test_draft_quiz_changes.py).
    assert (
        "The right answers are now “Kindness”; they were “Kindness” and “Being on time”."
        in readable
    )
    # No unified diff headers, but the diff is kept, folded away, for those who want it.
    for header in ("@@", "+++", "---", f"a/{WELCOME}"):
        assert header not in readable.split("<h1>", 1)[1], header
    assert page.count("Technical detail: the lines as a diff") == 2
    assert "@@ -" in page and "-Read this first. Then" in page


def test_a_draft_that_holds_markup_shows_it_as_text(admin, tree):
    text, base = open_editor(admin, WELCOME)
    assert save(admin, WELCOME, text + "\n<script>alert(1)</script>\n", base).status_code == 302
    readable = without_technical_detail(text_of(admin.get(f"{BASE}/draft")))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in readable
    assert "<script>alert(1)" not in readable


def test_discarding_a_file_with_no_draft_says_so(admin):
    response = admin.post(f"{BASE}/draft/discard", data={"path": "no/such-file.md"})
    assert response.status_code == 302
    assert "That file has no draft any more." in text_of(admin.get(response.location))


def upload_fresh_png(admin) -> bytes:
    """Upload "fresh.png" to the course's pictures (in the draft); return its bytes."""
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    uploaded = admin.post(
        f"{BASE}/media",
        data={"upload": (io.BytesIO(png), "fresh.png")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    return png


def test_a_picture_only_the_draft_has_shows_in_the_preview_and_nowhere_else(admin, login_as):
    """A picture uploaded since the last publish is served, from the draft, to the admin
    previewing that draft; learners, and the admin once the preview stops, get 404."""
    png = upload_fresh_png(admin)
    picture = "/courses/basics/media/fresh.png"
    assert admin.get(picture).status_code == 404  # not published, not previewed
    assert admin.post(f"{BASE}/draft/preview", data={"audience": "councillor"}).status_code == 302
    shown = admin.get(picture)
    assert shown.status_code == 200
    assert shown.data == png
    assert shown.mimetype == "image/png"
    assert shown.headers["Cache-Control"] == "private, no-cache"
    assert login_as(audience="councillor").get(picture).status_code == 404
    published = admin.get("/courses/basics/media/diagram.svg")  # the published ones still
    assert published.status_code == 200
    published.close()
    assert admin.post("/admin/courses/preview/stop").status_code == 302
    assert admin.get(picture).status_code == 404


def test_the_picture_page_of_a_previewed_draft_shows_a_picture_only_the_draft_has(admin):
    """A lesson's picture page, in the preview of a draft that adds the picture, shows it
    (served from the draft); without the preview the draft's picture has no page."""
    upload_fresh_png(admin)
    text, base = open_editor(admin, WELCOME)
    edited = text + "\n![A fresh picture](../media/fresh.png)\n"
    assert save(admin, WELCOME, edited, base).status_code == 302
    page = "/courses/basics/lessons/welcome/pictures/fresh.png"
    assert admin.get(page).status_code == 404  # not published, not previewed
    assert admin.post(f"{BASE}/draft/preview", data={"audience": "councillor"}).status_code == 302
    shown = admin.get(page)
    assert shown.status_code == 200
    body = shown.get_data(as_text=True)
    assert 'src="/courses/basics/media/fresh.png" alt="A fresh picture">' in body
    assert admin.get("/courses/basics/lessons/welcome/pictures/other.png").status_code == 404
    assert admin.post("/admin/courses/preview/stop").status_code == 302
    assert admin.get(page).status_code == 404
