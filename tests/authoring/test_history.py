"""History: each publish recorded with who, when, why and every file before and after;
versions viewed, compared and restored as a new draft; disk changes shown; the CLI."""

from __future__ import annotations

import html
import re

from tests.authoring.conftest import (
    BASICS,
    QUIZ,
    RULES,
    WELCOME,
    edit_url,
    move,
    open_editor,
    publish_all,
    text_of,
    without_technical_detail,
)

BASE = f"/admin/courses/{BASICS}"


def publish_text(admin, words: str, note: str) -> None:
    text, base = open_editor(admin, WELCOME)
    changed = re.sub(r"Read this first\.|Version \w+\.", words, text)
    response = admin.post(
        edit_url(WELCOME), data={"text": changed, "base_hash": base, "save": "Save"}
    )
    assert response.status_code == 302
    publish_all(admin, note=note)


def file_links(page: str) -> list[str]:
    return re.findall(rf'href="({BASE}/history/files/\d+)"', page)


def test_history_shows_compares_and_restores_an_earlier_version(app, admin, tree):
    assert "Nothing has been published from here yet" in text_of(admin.get(f"{BASE}/history"))
    publish_text(admin, "Version one.", "First wording")
    publish_text(admin, "Version two.", "Second wording")
    page = text_of(admin.get(f"{BASE}/history"))
    assert page.index("Second wording") < page.index("First wording")  # newest first
    assert f"published by {admin.user.name}" in page
    newest = file_links(page)[0]
    shown = text_of(admin.get(newest))
    assert "-Version one. Then" in shown and "+Version two. Then" in shown
    assert "The published file is the same as this version." in shown
    # Restore the version from before the second publish: it becomes a draft, not live.
    response = admin.post(f"{newest}/restore", data={"which": "before"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{BASE}/draft")
    live = tree / BASICS / WELCOME
    assert "Version two." in live.read_text()
    draft = text_of(admin.get(f"{BASE}/draft"))
    assert "-Version two. Then" in draft and "+Version one. Then" in draft
    publish_all(admin, note="Back to the first wording")
    assert "Version one." in live.read_text()
    assert "Back to the first wording" in text_of(admin.get(f"{BASE}/history"))


def test_an_unknown_version_is_not_found_and_a_wrong_choice_is_refused(admin, tree):
    assert admin.get(f"{BASE}/history/files/999").status_code == 404
    assert (
        admin.post(f"{BASE}/history/files/999/restore", data={"which": "before"}).status_code == 404
    )
    publish_text(admin, "Version one.", "First wording")
    [link] = file_links(text_of(admin.get(f"{BASE}/history")))
    assert admin.get(link.replace(BASICS, "02-drafty")).status_code == 404  # another course's
    refused = admin.post(f"{link}/restore", data={"which": "sideways"})
    assert refused.status_code == 400
    assert "Choose a version" in text_of(refused)


def test_a_change_made_on_disk_appears_as_changed_on_disk(app, admin, tree):
    publish_text(admin, "Version one.", "First wording")
    live = tree / BASICS / WELCOME
    live.write_text(live.read_text().replace("Version one.", "Pulled from git."))
    page = text_of(admin.get(f"{BASE}/history"))
    assert "Changed on disk" in page
    shown = text_of(admin.get(file_links(page)[0]))
    assert "-Version one. Then" in shown and "+Pulled from git. Then" in shown
    # Seen once, recorded once.
    assert text_of(admin.get(f"{BASE}/history")).count("Changed on disk") == 1


def test_the_history_command_prints_the_same(app, admin, tree):
    publish_text(admin, "Version one.", "First wording")
    publish_text(admin, "Version two.", "Second wording")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["courses", "history", "basics"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith(f"{admin.user.name}: Second wording")
    assert f"    changed: {WELCOME}" in lines
    assert any(line.endswith("First wording") for line in lines)
    one = runner.invoke(args=["courses", "history", BASICS, WELCOME])
    assert one.exit_code == 0, one.output
    assert "      -Version one. Then" in one.output and "      +Version two. Then" in one.output
    none = runner.invoke(args=["courses", "history", "basics", "01-first-steps/02-rules.md"])
    assert "No history for 01-first-steps/02-rules.md yet." in none.output
    unknown = runner.invoke(args=["courses", "history", "nope"])
    assert unknown.exit_code == 1
    assert "there is no course 'nope'" in unknown.output


def test_an_earlier_version_is_restored_where_the_lesson_is_now_with_links_that_work(
    app, admin, tree
):
    publish_text(admin, "Version one.", "First wording")
    [first] = file_links(text_of(admin.get(f"{BASE}/history")))
    # Since then the welcome lesson moved down and the rules up (a swap), and was published.
    response = admin.post(
        f"{BASE}/reorder",
        data={
            "parent": "01-first-steps",
            "shown": "01-welcome.md/02-rules.md/03-officers-only.md",
            "item": "01-welcome.md",
            "direction": "down",
        },
    )
    assert response.status_code == 303
    publish_all(admin, note="Welcome second")
    # Its version from before the first publish goes to where it is now, its link to the
    # rules pointing where the rules are now: the course's check passes.
    response = admin.post(f"{first}/restore", data={"which": "before"})
    assert response.status_code == 302, text_of(response)
    message = text_of(admin.get(response.headers["Location"]))
    assert "The lesson “Welcome” is in the draft as before that publish" in html.unescape(message)
    publish_all(admin, note="The first wording again")
    folder = tree / BASICS / "01-first-steps"
    assert not (folder / "01-welcome.md").exists()
    restored = (folder / "02-welcome.md").read_text()
    assert "Read this first." in restored and "Version one." not in restored
    assert "[the rules](01-rules.md#the-rules)" in restored


def test_a_file_of_the_history_is_named_by_its_title_and_its_changes_shown_readably(
    app, admin, tree
):
    publish_text(admin, "Version one.", "First wording")
    publish_text(admin, "Version two.", "Second wording")
    page = text_of(admin.get(file_links(text_of(admin.get(f"{BASE}/history")))[0]))
    # Headed by what the file is and its title; under it where it is, in words (as the
    # draft page says it); its path only inside the folded "Technical detail".
    assert "<h1>Lesson “Welcome”</h1>" in page
    assert "Lesson 1 of module 1: “First steps”, in the course as published now." in _words(page)
    assert "<title>Lesson “Welcome” – History – Basics –" in page
    readable = without_technical_detail(page)
    assert WELCOME not in readable and "<code>" not in readable
    assert '<p class="changes__where">Line 7</p>' in readable
    assert '<del><span class="visually-hidden">Removed: </span>one</del>' in readable
    assert '<ins><span class="visually-hidden">Added: </span>two</ins>' in readable
    for header in ("@@", "+++", f"a/{WELCOME}"):
        assert header not in readable, header
    # The unified diff is kept, folded away.
    assert "Technical detail: the lines as a diff" in page and "@@ -" in page


def test_a_version_says_where_its_file_is_now_after_a_move_in_words(app, admin, tree):
    _save_rules(admin, "Be kind. Be early.")
    publish_all(admin, note="Earlier")
    assert move(admin, "02-rules.md", "up").status_code == 303
    publish_all(admin, note="The rules first")
    link = file_links(text_of(admin.get(f"{BASE}/history")))[-1]  # the oldest publish's
    words = _words(without_technical_detail(text_of(admin.get(link))))
    # Published as the second lesson; the rules are the first lesson now.
    assert "Lesson “The rules”" in words
    assert "Lesson 1 of module 1: “First steps”, in the course as published now." in words
    assert RULES not in words and "01-first-steps" not in words and ".md" not in words


def test_a_version_of_a_file_deleted_since_says_it_is_no_longer_in_the_course(app, admin, tree):
    _save_rules(admin, "Be kind. Be early.")
    publish_all(admin, note="Earlier")
    [link] = file_links(text_of(admin.get(f"{BASE}/history", query_string={"file": RULES})))
    (tree / BASICS / RULES).unlink()
    words = _words(without_technical_detail(text_of(admin.get(link))))
    assert "No longer in the published course." in words
    assert "in the course as published now" not in words


def _save_rules(admin, words: str) -> None:
    text, base = open_editor(admin, RULES)
    changed = text.replace("Be kind. Be on time.", words)
    assert changed != text
    data = {"text": changed, "base_hash": base, "save": "Save"}
    assert admin.post(edit_url(RULES), data=data).status_code == 302


def test_a_quiz_in_the_history_is_named_by_its_module_and_markup_is_shown_as_text(app, admin, tree):
    publish_text(admin, "Version one.", "First wording")
    text, base = open_editor(admin, QUIZ)
    changed = text.replace("- [x] Being on time", "- [ ] Being on time")
    response = admin.post(edit_url(QUIZ), data={"text": changed, "base_hash": base, "save": "1"})
    assert response.status_code == 302
    publish_all(admin, note="One right answer fewer")
    welcome = tree / BASICS / WELCOME
    welcome.write_text(welcome.read_text() + "\n<script>alert(1)</script>\n")
    links = file_links(text_of(admin.get(f"{BASE}/history")))  # newest first
    pages = [text_of(admin.get(link)) for link in links[:2]]
    quiz_page = next(page for page in pages if "<h1>Quiz of “First steps”</h1>" in page)
    assert "Quiz of module 1: “First steps”, in the course as published now." in _words(quiz_page)
    # Said in words, as on the draft page (the quiz's lines are under "Technical detail").
    assert (
        "The right answers are now “Kindness”; they were “Kindness” and “Being on time”."
        in _words(quiz_page)
    )
    lesson_page = next(page for page in pages if "<h1>Lesson “Welcome”</h1>" in page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in lesson_page
    assert "<script>alert(1)" not in lesson_page


def _words(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_versions_of_a_file_follow_it_back_through_a_rename(app, admin, tree):
    publish_text(admin, "Version one.", "First wording")
    response = admin.post(f"{BASE}/rename/{WELCOME}", data={"new_name": "01-hello.md"})
    assert response.status_code in (302, 303), text_of(response)
    publish_all(admin, note="Renamed the welcome")
    renamed = "01-first-steps/01-hello.md"
    assert (tree / BASICS / renamed).exists()
    page = text_of(admin.get(f"{BASE}/history", query_string={"file": renamed}))
    words = _words(page)
    # Both publishes are listed: the rename, and the wording published under the old name.
    assert "Renamed the welcome" in words and "First wording" in words
    assert "renamed or moved: its new file" in words
    assert "renamed or moved: its old file" in words
    assert "It has been renamed or moved since it was first published" in words
    # Files are named by their titles, their paths said after.
    assert "Lesson “Welcome”" in words
    assert f"File: {renamed}" in words and f"File: {WELCOME}" in words
    # The version published under the old name opens, and can be compared.
    oldest = file_links(page)[-1]
    shown = html.unescape(text_of(admin.get(oldest)))
    assert "-Read this first." in shown
    # ... compared with the file where it is now, not as if it were gone.
    assert "+id: welcome" in shown and "-Version one." not in shown
    # The course's whole history says which files were renamed too.
    course = _words(text_of(admin.get(f"{BASE}/history")))
    assert "renamed or moved: its new file" in course


def test_the_course_history_names_files_by_title(app, admin, tree):
    publish_text(admin, "Version one.", "First wording")
    words = _words(text_of(admin.get(f"{BASE}/history")))
    assert f"Lesson “Welcome” changed File: {WELCOME}" in words
