"""The editor: check and preview, save valid text, refuse invalid text, detect conflicts."""

from __future__ import annotations

from tests.authoring.conftest import (
    BASICS,
    QUIZ,
    RULES,
    WELCOME,
    audit_events,
    edit_url,
    hidden,
    open_editor,
    publish_all,
    text_of,
)


def save(client, path, text, base_hash, **extra):
    data = {"text": text, "base_hash": base_hash, "save": "Save", **extra}
    return client.post(edit_url(path), data=data)


def test_the_editor_shows_the_text_the_preview_and_no_problems(admin):
    page = text_of(admin.get(edit_url(WELCOME) + "?as=text"))
    assert "<h1>Lesson: Welcome (the whole file as text)</h1>" in page
    assert 'spellcheck="false"' in page
    assert '<label class="label" for="text">' in page
    # The preview is the learners' HTML: links and images rewritten to the app's URLs.
    assert 'href="/courses/basics/lessons/rules#the-rules"' in page
    # A lesson's pictures are shown as the draft holds them (a new one shows at once).
    assert 'src="/admin/courses/01-basics/media-file/diagram.svg"' in page
    assert page.count("<p>None.</p>") == 2


def test_the_quiz_preview_names_each_question_type_in_plain_words(admin):
    page = text_of(admin.get(edit_url(QUIZ)))
    for words in ("one answer", "select all that apply", "true or false", "typed answer"):
        assert f'<span class="muted small">({words})</span>' in page


def test_a_valid_save_writes_the_file_logs_a_diff_and_is_served_at_once(app, admin, tree):
    text, base = open_editor(admin, WELCOME)
    new_text = text.replace("Read this first.", "Read this first, please.")
    response = save(admin, WELCOME, new_text, base)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(edit_url(WELCOME))
    assert "Read this first, please." not in (tree / BASICS / WELCOME).read_text()  # a draft
    publish_all(admin)
    on_disk = (tree / BASICS / WELCOME).read_text()
    assert "Read this first, please." in on_disk
    assert "\r" not in on_disk  # the browser's CRLF does not leak into an LF file
    [event] = audit_events(app, "course_file.saved")
    assert event.actor_id == admin.user.id
    assert event.target_type == "course" and event.target_id == "basics"
    assert event.details["paths"] == [WELCOME]
    assert "-Read this first. Then" in event.details["diff"]
    assert "+Read this first, please. Then" in event.details["diff"]
    lesson = text_of(admin.get("/courses/basics/lessons/welcome"))
    assert "Read this first, please." in lesson


def test_check_previews_without_writing(admin, tree):
    before = (tree / BASICS / WELCOME).read_bytes()
    text, base = open_editor(admin, WELCOME)
    response = admin.post(
        edit_url(WELCOME),
        data={"text": text + "\nA **new** paragraph.\n", "base_hash": base, "check": "Check"},
    )
    assert response.status_code == 200
    assert "A <strong>new</strong> paragraph." in text_of(response)
    assert (tree / BASICS / WELCOME).read_bytes() == before


def test_an_invalid_save_is_refused_with_errors_and_the_text_kept(app, admin, tree):
    before = (tree / BASICS / WELCOME).read_bytes()
    text, base = open_editor(admin, WELCOME)
    broken = text.replace("title: Welcome", "titel: Welcome") + "\nMy unsaved sentence.\n"
    response = save(admin, WELCOME, broken, base)
    page = text_of(response)
    assert response.status_code == 400
    assert "<title>Error:" in page
    assert "Not saved: the course would not pass its check" in page
    assert "The setting &#39;titel&#39; is not one the platform knows" in page
    assert 'data-line="2"' in page  # the key's line, linked to the text box
    assert "My unsaved sentence." in page  # kept in the editor
    assert (tree / BASICS / WELCOME).read_bytes() == before
    assert audit_events(app, "course_file.saved") == []


def test_breaking_another_file_is_refused_too(admin, tree):
    # Removing the anchor that other files link to breaks those files, not this one.
    text, base = open_editor(admin, RULES)
    response = save(admin, RULES, text.replace("{#the-rules}", "{#rules-of-the-game}"), base)
    page = text_of(response)
    assert response.status_code == 400
    assert "01-first-steps/01-welcome.md" in page
    assert "no heading there is named &#39;the-rules&#39;" in page
    assert "{#the-rules}" in (tree / BASICS / RULES).read_text()


def test_a_file_changed_on_disk_since_it_was_opened_is_not_overwritten(app, admin, tree):
    path = tree / BASICS / WELCOME
    text, base = open_editor(admin, WELCOME)
    theirs = path.read_text().replace("Read this first.", "Their change.")
    path.write_text(theirs)
    response = save(admin, WELCOME, text.replace("Read this first.", "My change."), base)
    page = text_of(response)
    assert response.status_code == 409
    assert "This file changed since you opened it" in page
    assert "not saved" in page
    assert "-Their change. Then" in page and "+My change. Then" in page  # the diff
    assert "My change." in page  # my text kept
    assert path.read_text() == theirs
    assert audit_events(app, "course_file.saved") == []
    # Saving again, having seen their version, is a deliberate replacement.
    new_base = hidden(page, "base_hash")
    assert new_base != base
    again = save(admin, WELCOME, text.replace("Read this first.", "My change."), new_base)
    assert again.status_code == 302
    publish_all(admin)
    assert "My change." in path.read_text()


def test_saving_a_file_deleted_since_it_was_opened_answers_404(admin, tree):
    text, base = open_editor(admin, "01-first-steps/03-officers-only.md")
    (tree / BASICS / "01-first-steps" / "03-officers-only.md").unlink()
    response = save(admin, "01-first-steps/03-officers-only.md", text, base)
    assert response.status_code == 404  # the file is gone: nothing to edit


def test_saving_unchanged_text_changes_nothing(app, admin, tree):
    path = tree / BASICS / WELCOME
    stat = path.stat()
    text, base = open_editor(admin, WELCOME)
    response = save(admin, WELCOME, text.replace("\n", "\r\n"), base)  # as a browser sends it
    assert response.status_code == 302
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert audit_events(app, "course_file.saved") == []
    assert "No changes to save." in text_of(admin.get(edit_url(WELCOME)))


def test_a_file_keeps_its_byte_order_mark_and_line_ends(admin, tree):
    path = tree / BASICS / WELCOME
    original = path.read_text()
    path.write_bytes(b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode())
    text, base = open_editor(admin, WELCOME)
    assert not text.startswith("\ufeff")
    response = save(admin, WELCOME, (text + "Added.\n").replace("\n", "\r\n"), base)
    assert response.status_code == 302
    publish_all(admin)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n")
    assert data.endswith(b"Added.\r\n")


def test_warnings_do_not_stop_a_save_and_show_their_line(admin, tree):
    text, base = open_editor(admin, WELCOME)
    response = save(admin, WELCOME, text + "\n<script>alert(1)</script>\n", base)
    assert response.status_code == 302
    page = text_of(admin.get(edit_url(WELCOME)))
    assert "Web page code &lt;script&gt; will be removed" in page
    assert "Warning" in page
    assert "<script>alert(1)</script>" not in page.split('id="preview-title"')[1]


def test_a_course_already_broken_on_disk_can_be_mended_file_by_file(admin, tree):
    broken = tree / BASICS / "02-going-further" / "01-next.md"
    broken.write_text(broken.read_text().replace("title:", "titel:"))
    # Another file may still be saved: it adds no error.
    text, base = open_editor(admin, WELCOME)
    assert save(admin, WELCOME, text + "\nMore.\n", base).status_code == 302
    # The broken file cannot be saved with its error still in it...
    text, base = open_editor(admin, "02-going-further/01-next.md")
    response = admin.post(
        edit_url("02-going-further/01-next.md"),
        data={"text": text + "\nStill broken.\n", "base_hash": base, "save": "Save"},
    )
    assert response.status_code == 400
    # ...and mending it is a save like any other.
    fixed = text.replace("titel:", "title:")
    response = admin.post(
        edit_url("02-going-further/01-next.md"),
        data={"text": fixed, "base_hash": base, "save": "Save"},
    )
    assert response.status_code == 302
    publish_all(admin)
    assert "title: What comes next" in broken.read_text()


def test_the_preview_without_a_loadable_course_shows_the_text_alone(admin, tree):
    text, base = open_editor(admin, WELCOME)
    response = admin.post(
        edit_url(WELCOME),
        data={
            "text": text.replace("02-rules.md", "09-missing.md"),
            "base_hash": base,
            "check": "c",
        },
    )
    page = text_of(response)
    assert response.status_code == 200
    assert "without its links and images" in page
    assert "no such lesson in this module" in page
