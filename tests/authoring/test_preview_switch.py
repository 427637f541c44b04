"""Switching the audience of a preview from its banner, and staying on the page.

The banner has a button for each other audience ("Preview as council officers"); it is
a plain form, so it works without JavaScript. The admin comes back to the page they were
on, or to the course's page when the audience they switched to does not see that page.
"""

from __future__ import annotations

import html
import re

from tests.authoring.conftest import BASICS, edit_url, open_editor, text_of

OFFICER_LESSON = "/courses/basics/lessons/officers-only"
RULES_LESSON = "/courses/basics/lessons/rules"


def start(client, audience: str) -> None:
    assert client.post("/admin/courses/preview", data={"audience": audience}).status_code == 302


def banner(page: str) -> str:
    match = re.search(r'<section class="preview-banner".*?</section>', page, re.DOTALL)
    assert match, "no preview banner"
    return match.group(0)


def switch(client, page_path: str, audience: str):
    """Press the banner's "Preview as …" button for `audience` on the page at `page_path`."""
    shown = banner(text_of(client.get(page_path)))
    sent = re.search(r'name="next" value="([^"]*)"', shown)
    assert sent, "the banner does not say which page it is on"
    assert f'name="audience" value="{audience}"' in shown
    return client.post(
        "/admin/courses/preview", data={"audience": audience, "next": html.unescape(sent[1])}
    )


def test_the_banner_offers_the_other_audiences_and_says_which_is_shown(admin):
    start(admin, "councillor")
    shown = banner(text_of(admin.get(RULES_LESSON)))
    assert "Previewing as councillors." in shown
    assert "anything only for council officers or affiliate members is hidden" in shown
    assert ">Preview as council officers</button>" in shown
    assert ">Preview as affiliate members</button>" in shown
    assert "Preview as councillors" not in shown  # the audience already shown
    assert f'name="next" value="{RULES_LESSON}"' in shown


def test_switching_stays_on_the_page_and_keeps_the_new_audience(admin):
    start(admin, "councillor")
    assert admin.get(OFFICER_LESSON).status_code == 404
    response = switch(admin, RULES_LESSON + "?from=here", "officer")
    assert response.status_code == 302
    assert response.headers["Location"] == RULES_LESSON + "?from=here"
    page = text_of(admin.get(response.headers["Location"]))
    assert "You are now seeing this page as council officers see it." in page
    assert "Previewing as council officers." in banner(page)
    # The new audience holds while the admin moves through the preview.
    assert admin.get(OFFICER_LESSON).status_code == 200
    assert "Previewing as council officers." in text_of(admin.get("/courses/basics/"))
    # Only a page of this site is gone back to; anything else leads to the list of courses.
    for elsewhere in ("https://evil.example/", "//evil.example/", "courses"):
        response = admin.post(
            "/admin/courses/preview", data={"audience": "affiliate", "next": elsewhere}
        )
        assert response.headers["Location"] == "/courses/"


def test_a_page_the_new_audience_does_not_see_leads_to_its_course(admin):
    start(admin, "officer")
    response = switch(admin, OFFICER_LESSON, "councillor")
    assert response.headers["Location"] == "/courses/basics/"
    page = text_of(admin.get("/courses/basics/"))
    assert (
        "The page you were on is not shown to councillors, so here is the course as "
        "councillors see it." in page
    )
    assert "Previewing as councillors." in page


def test_a_course_the_new_audience_does_not_see_leads_to_the_list(admin, tree):
    course_md = tree / BASICS / "course.md"
    course_md.write_text(
        course_md.read_text().replace("pass_mark:", "audiences: [officer]\npass_mark:")
    )
    start(admin, "officer")
    response = switch(admin, RULES_LESSON, "affiliate")
    assert response.headers["Location"] == "/courses/"
    page = text_of(admin.get("/courses/"))
    assert "That course is not for affiliate members, so here are the courses" in page


def test_switching_while_previewing_a_draft_keeps_the_draft(admin):
    # In the draft, the officers' lesson is for everyone: councillors see it there.
    path = "01-first-steps/03-officers-only.md"
    text, base = open_editor(admin, path)
    saved = admin.post(
        edit_url(path),
        data={
            "text": text.replace("audiences: [officer]\n", ""),
            "base_hash": base,
            "save": "Save",
        },
    )
    assert saved.status_code == 302
    previewed = admin.post(f"/admin/courses/{BASICS}/draft/preview", data={"audience": "officer"})
    assert previewed.status_code == 302
    response = switch(admin, OFFICER_LESSON, "councillor")
    assert response.headers["Location"] == OFFICER_LESSON
    page = text_of(admin.get(OFFICER_LESSON))
    assert "Preview of the draft of “Basics”, as councillors." in banner(page)
    assert "Only officers see this lesson." in page


def test_switching_on_an_admin_page_stays_there_and_says_what_changed(admin):
    start(admin, "councillor")
    response = switch(admin, "/admin/courses/", "affiliate")
    assert response.headers["Location"] == "/admin/courses/"
    page = text_of(admin.get("/admin/courses/"))
    assert (
        "You are now previewing as affiliate members: the course pages show what they see." in page
    )


def _preview_a_draft_where_councillors_see_the_officers_lesson(admin) -> None:
    path = "01-first-steps/03-officers-only.md"
    text, base = open_editor(admin, path)
    data = {"text": text.replace("audiences: [officer]\n", ""), "base_hash": base, "save": "Save"}
    assert admin.post(edit_url(path), data=data).status_code == 302
    previewed = admin.post(
        f"/admin/courses/{BASICS}/draft/preview", data={"audience": "councillor"}
    )
    assert previewed.status_code == 302
    assert "Only officers see this lesson." in text_of(admin.get(OFFICER_LESSON))


def test_a_preview_started_from_course_files_shows_the_published_courses(admin):
    _preview_a_draft_where_councillors_see_the_officers_lesson(admin)
    listing = text_of(admin.get("/admin/courses/"))
    assert "You are previewing the draft of “Basics”." in html.unescape(listing)
    assert 'name="published" value="yes"' in listing
    response = admin.post(
        "/admin/courses/preview", data={"audience": "councillor", "published": "yes"}
    )
    assert response.status_code == 302
    said = html.unescape(text_of(admin.get(response.headers["Location"])))
    assert (
        "The preview of the draft of “Basics” has ended: you are now seeing the published "
        "courses as councillors see them."
    ) in said
    shown = banner(said)
    assert "Previewing as councillors." in shown and "draft" not in shown
    # The lesson is for officers only in the published course: councillors do not see it.
    assert admin.get(OFFICER_LESSON).status_code == 404


def test_the_draft_preview_banner_offers_the_published_course_instead(admin):
    _preview_a_draft_where_councillors_see_the_officers_lesson(admin)
    shown = banner(text_of(admin.get(RULES_LESSON)))
    assert ">See the published course instead</button>" in shown
    form = shown.split("See the published course instead", 1)[0].rsplit("<form", 1)[1]
    assert 'name="published" value="yes"' in form
    assert 'name="audience" value="councillor"' in form
    response = admin.post(
        "/admin/courses/preview",
        data={"audience": "councillor", "published": "yes", "next": RULES_LESSON},
    )
    assert response.headers["Location"] == RULES_LESSON
    page = text_of(admin.get(RULES_LESSON))
    assert "Previewing as councillors." in banner(page)
    assert "Preview of the draft" not in page
