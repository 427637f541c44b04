"""Journeys by keyboard only: Tab, Shift+Tab, Enter, Space, arrow keys and typing.

No step clicks: every link and button is reached with Tab and used with Enter or
Space, and at every stop on the way the focused element must show a visible focus
indicator (see tests/browser/keyboard.py). Each journey runs with JavaScript and
without it, with its own people each time.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.axe import assert_no_violations
from tests.browser.harness import Site, artifacts_dir, plain_text
from tests.browser.keyboard import activate, choose, pick, press, tab_to, type_into
from tests.browser.seed import GETTING_STARTED, JOURNEY_MODULE, Person
from tests.browser.test_layout import assert_reflows

pytestmark = pytest.mark.browser

QUIZ_PATH = f"/courses/{GETTING_STARTED}/modules/{JOURNEY_MODULE}/quiz"
GETTING_STARTED_FOLDER = "02-getting-started"


def sign_in_by_keyboard(page: Page, email: str, password: str) -> None:
    """Sign in on the sign-in page with the keyboard alone."""
    type_into(page, page.get_by_label("Email address"), email)
    type_into(page, page.get_by_label("Password", exact=True), password)
    press(page, "Enter")  # Enter in a text field sends its form
    page.wait_for_load_state()


def sign_in_admin_by_keyboard(page: Page, site: Site, admin: Person) -> None:
    """Sign an admin in from the sign-in page, password then code, with the keyboard alone."""
    page.goto("/login")
    sign_in_by_keyboard(page, admin.email, admin.password)
    expect(page).to_have_url(re.compile(r"/login/two-factor$"))
    type_into(page, page.get_by_label("Code"), site.totp_code(admin))
    press(page, "Enter")
    expect(page.locator("h1")).to_have_text("My learning")


def button(page: Page, name: str) -> Locator:
    """Return the button of the main content with exactly this name."""
    return page.locator("main").get_by_role("button", name=name, exact=True)


def link(page: Page, name: str | re.Pattern[str]) -> Locator:
    """Return the first link with this name."""
    return page.get_by_role("link", name=name).first


def answer_quiz(page: Page, site: Site, *, right: bool) -> None:
    """Answer every question of the journey's quiz by keyboard: all right, or all wrong."""
    quiz = site.quiz(GETTING_STARTED, JOURNEY_MODULE)
    for question in quiz.questions:
        group = page.locator(f"#q-{question.id}")
        if question.type == "text":
            type_into(page, group, question.answers[0] if right else "Escape")
            continue
        wanted = [o for o in question.options if o.is_correct == right]
        for option in wanted if right else wanted[:1]:
            choose(page, group.get_by_label(plain_text(option.html), exact=True))


def check_and_submit(page: Page) -> None:
    """Go from the answers to the check page, then submit."""
    activate(page, button(page, "Check your answers"))
    expect(page).to_have_url(re.compile(r"/check$"))
    expect(page.locator("h1")).to_contain_text("Check your answers")
    activate(page, button(page, "Submit answers"))
    expect(page.locator("h1")).to_contain_text("Your result")


JAVASCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


def suffix(javascript: bool) -> str:
    """Return the ending of the seeded people's keys for a run with or without JavaScript."""
    return "js" if javascript else "nojs"


@JAVASCRIPT
def test_learner_completes_a_lesson_and_a_quiz_and_gets_the_certificate(
    site: Site, javascript: bool
) -> None:
    person = site.person(f"journey-learner-{suffix(javascript)}")
    context = site.new_context(javascript=javascript)
    page = context.new_page()
    try:
        # A visitor arrives at the front page and goes on to sign in.
        page.goto("/")
        expect(page.locator("h1")).to_have_text("Welcome to the CCIN induction")
        activate(page, page.locator("main").get_by_role("link", name="Sign in").first)
        expect(page.locator("h1")).to_have_text("Sign in")
        sign_in_by_keyboard(page, person.email, person.password)
        expect(page.locator("h1")).to_have_text("My learning")

        # Continue the course where it was left: the one lesson not yet read.
        activate(page, link(page, re.compile(r"^Continue Getting started.*Reading a lesson")))
        expect(page.locator("h1")).to_have_text("Reading a lesson")

        # The lesson asks for an acknowledgement before it can be completed.
        choose(page, page.get_by_role("checkbox"))
        activate(page, button(page, "Mark as complete and continue"))
        expect(page.locator(".flashes")).to_contain_text("Lesson complete: Reading a lesson")
        expect(page).to_have_url(re.compile(re.escape(QUIZ_PATH) + "$"))

        # The quiz: fail it first.
        activate(page, button(page, "Start the quiz"))
        answer_quiz(page, site, right=False)
        check_and_submit(page)
        expect(page.locator(".result-summary")).to_contain_text("Not passed")

        # Review a lesson the result points to, then come back.
        review = page.locator(".review-list a").first
        expect(review).to_be_visible()
        activate(page, review)
        expect(page.locator(".lesson h1")).to_be_visible()
        page.go_back()
        expect(page.locator(".result-summary")).to_contain_text("Not passed")

        # Try again and pass: the course is complete.
        activate(page, button(page, "Try again"))
        answer_quiz(page, site, right=True)
        check_and_submit(page)
        expect(page.locator(".result-summary")).to_contain_text("Passed")
        expect(page.get_by_role("region", name=re.compile("^Course complete"))).to_be_visible()

        # The certificate, from My learning.
        activate(page, page.get_by_role("link", name="My learning", exact=True))
        expect(page.locator("h1")).to_have_text("My learning")
        download_link = link(page, re.compile(r"^Download your certificate for Getting started"))
        tab_to(page, download_link)
        with page.expect_download() as download_info:
            press(page, "Enter")
        download = download_info.value
        assert download.suggested_filename.startswith(f"certificate-{GETTING_STARTED}-")
        with open(download.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    finally:
        context.close()


@JAVASCRIPT
def test_admin_signs_in_with_a_code_and_invites_a_person(site: Site, javascript: bool) -> None:
    admin = site.person(f"journey-admin-{suffix(javascript)}")
    context = site.new_context(javascript=javascript)
    page = context.new_page()
    invitee = f"keyboard-invitee-{suffix(javascript)}@example.org"
    try:
        sign_in_admin_by_keyboard(page, site, admin)

        activate(page, page.get_by_role("link", name="People", exact=True))
        expect(page.locator("h1")).to_contain_text("People")
        activate(page, link(page, "Invite someone"))
        type_into(page, page.get_by_label("Email address"), invitee)
        type_into(page, page.get_by_label("Name (optional)"), "Kim Keyboard")
        choose(page, page.get_by_role("radio", name="Learner"))
        choose(page, page.get_by_role("radio", name=re.compile("^Councillor")))
        pick(page, page.get_by_label("Organisation", exact=True), "Browser Borough")
        activate(page, button(page, "Send the invitation"))
        expect(page.locator(".flashes")).to_contain_text(f"Invitation sent to {invitee}")
        expect(page.locator("main")).to_contain_text(invitee)

        # The invitation is in the outbox (no SMTP server here); read it there.
        activate(page, page.get_by_role("link", name="Admin", exact=True))
        activate(page, link(page, "Outbox"))
        invitation_link = page.locator("li").filter(has_text=invitee).get_by_role("link")
        expect(invitation_link).to_have_text(
            re.compile(r"^Your invitation to the .+ from Browser Borough")
        )
        activate(page, invitation_link.first)
        expect(page.locator("main")).to_contain_text(invitee)
        text = page.locator("main").inner_text()
        invitation = re.search(r"https?://\S+/invitations/\S+", text)
        assert invitation, f"no invitation link in the message:\n{text}"
    finally:
        context.close()

    # The invited person accepts by keyboard too, on their own browser.
    context = site.new_context(javascript=javascript)
    page = context.new_page()
    try:
        page.goto(invitation.group(0))
        expect(page.get_by_label("Full name")).to_have_value("Kim Keyboard")
        type_into(page, page.get_by_label("Password", exact=True), "Quiet rivers carry paper boats")
        activate(page, button(page, "Create account"))
        expect(page.locator(".flashes")).to_contain_text("Your account is ready")
    finally:
        context.close()


def test_the_focus_check_notices_a_focus_that_cannot_be_seen(site: Site) -> None:
    context = site.new_context()
    page = context.new_page()
    try:
        page.goto("/accessibility")
        tab_to(page, page.get_by_role("link", name="Skip to main content"))
        # Take the focus styles away (through the CSSOM, which the CSP allows).
        page.evaluate(
            "() => document.styleSheets[0].insertRule('a:focus, a:focus-visible { outline: none"
            " !important; box-shadow: none !important; background: none !important; }',"
            " document.styleSheets[0].cssRules.length)"
        )
        with pytest.raises(AssertionError, match="focus cannot be seen"):
            tab_to(page, page.get_by_role("link", name="Accessibility statement").last)
    finally:
        context.close()


@JAVASCRIPT
def test_manager_filters_the_dashboard_and_exports_it(site: Site, javascript: bool) -> None:
    manager = site.person(f"journey-manager-{suffix(javascript)}")
    context = site.new_context(javascript=javascript)
    page = context.new_page()
    try:
        page.goto("/login")
        sign_in_by_keyboard(page, manager.email, manager.password)
        activate(page, page.get_by_role("link", name="Reports", exact=True))
        expect(page.locator("h1")).to_contain_text("Browser Borough Council")

        # Only the people who have completed the getting-started course, chosen from the
        # list of courses (each with how far the council is).
        courses = page.get_by_role("navigation", name="Courses")
        activate(page, courses.get_by_role("link", name=re.compile("^Getting started")))
        expect(courses.locator("[aria-current=page]")).to_contain_text("Getting started")
        # The filters are folded until one is in use: open them as a person would.
        activate(page, page.get_by_text("Filter, search or sort the list of people"))
        pick(page, page.get_by_label("Status", exact=True), "Complete")
        activate(page, button(page, "Apply"))
        expect(page).to_have_url(re.compile(r"status=complete"))
        expect(page.locator(".lead")).to_contain_text(re.compile(r"match(es)? the filters"))
        table = page.locator("table.report-table")
        expect(table).to_contain_text("Lee Learner")
        expect(table).not_to_contain_text("Nia Newcomer")

        # The export holds the same people as the filtered page.
        export = link(page, "Download these people as CSV")
        tab_to(page, export)
        with page.expect_download() as download_info:
            press(page, "Enter")
        download = download_info.value
        assert download.suggested_filename.endswith(".csv")
        with open(download.path(), encoding="utf-8-sig") as handle:
            text = handle.read()
        assert "Lee Learner" in text
        assert "Nia Newcomer" not in text
        assert "Oli Outsider" not in text  # another organisation's person
    finally:
        context.close()


def check_page(page: Page, where: str, shot: str | None = None) -> None:
    """Run axe-core on the page, then check it does not scroll sideways at 320 px.

    With `shot`, screenshots at 1280 and 375 px go to the artifacts folder under that name.
    """
    assert_no_violations(page, where)
    size = page.viewport_size
    for width in (320, 375):
        page.set_viewport_size({"width": width, "height": 800})
        if width == 320:
            assert_reflows(page, f"{where} at 320 px")
        elif shot:
            page.screenshot(path=str(artifacts_dir() / f"{shot}-375.png"), full_page=True)
    assert size is not None
    page.set_viewport_size(size)
    if shot:
        page.screenshot(path=str(artifacts_dir() / f"{shot}-1280.png"), full_page=True)


@JAVASCRIPT
def test_admin_drafts_previews_publishes_and_restores_a_lesson_by_keyboard(
    site: Site, javascript: bool
) -> None:
    admin = site.person(f"journey-admin-{suffix(javascript)}")
    context = site.new_context(javascript=javascript)
    page = context.new_page()
    added = f"A line added by keyboard ({suffix(javascript)})."
    lesson_file = "01-finding-your-way/03-accessibility-and-help.md"
    shot = (lambda name: f"authoring-{name}") if javascript else (lambda name: None)

    def check(where: str, name: str | None = None) -> None:
        # axe-core runs in the page: it needs JavaScript, so the run without it skips this.
        if javascript:
            check_page(page, where, shot(name) if name else None)

    try:
        sign_in_admin_by_keyboard(page, site, admin)

        activate(page, page.get_by_role("link", name="Admin", exact=True))
        activate(page, link(page, "Course files"))
        activate(page, link(page, "Getting started with induction"))
        activate(page, link(page, "Module: Finding your way"))
        activate(page, link(page, "Accessibility and getting help"))
        expect(page.locator("h1")).to_contain_text("Lesson: ")

        # Add a paragraph at the end of the text, with the keyboard alone.
        text = page.get_by_label("The lesson's text")
        tab_to(page, text)
        page.keyboard.press("Control+End")
        page.keyboard.type(f"\n{added}\n")
        activate(page, button(page, "Preview"))
        expect(page.locator("main")).to_contain_text(added)  # the preview shows it
        activate(page, button(page, "Save"))
        expect(page.locator(".flashes")).to_contain_text("Saved in the draft")

        # The draft: the file and its diff; learners see nothing yet.
        activate(page, link(page, "Draft changes"))
        expect(page.locator("h1")).to_contain_text("Draft changes to")
        expect(page.locator("main")).to_contain_text(lesson_file)
        check("the draft page", "draft")

        # Preview the whole course as a councillor will see it.
        choose(page, page.get_by_label("Councillors", exact=True))
        activate(page, button(page, "Preview the draft"))
        banner = page.locator(".preview-banner")
        expect(banner).to_contain_text("Preview of the draft of “Getting started with induction”")
        check("the previewed course", "draft-preview")
        activate(page, link(page, "Accessibility and getting help"))
        expect(page.locator("main")).to_contain_text(added)
        check("a previewed lesson")
        activate(page, banner.get_by_role("link", name="Back to the draft"))

        # Publishing needs a note; then learners see it.
        activate(page, button(page, "Publish all changes"))
        expect(page.locator(".error-summary")).to_contain_text("Say in one line what changed")
        check("the draft page with an error", "draft-errors")
        type_into(page, page.get_by_label("What changed, in one line"), "A line on help")
        activate(page, button(page, "Publish all changes"))
        expect(page.locator(".flashes")).to_contain_text("Published 1 file")
        # The draft previewed is what learners see now: the preview has ended.
        expect(page.locator(".flashes")).to_contain_text("Your preview of the draft has ended.")
        expect(page.locator(".preview-banner")).to_have_count(0)
        expect(page.locator("main")).to_contain_text("There are no draft changes")

        # The history, the version compared, and the earlier one restored as a new draft.
        activate(page, link(page, "History of what was published"))
        expect(page.locator("main")).to_contain_text("A line on help")
        check("the history page", "history")
        # Files are named by their title, their path under it.
        expect(page.locator("main")).to_contain_text(f"File: {lesson_file}")
        activate(page, link(page, "Lesson “Accessibility and getting help”"))
        expect(page.locator("main")).to_contain_text(f"+{added}")
        check("a file's history", "history-file")
        activate(page, button(page, "Restore the version from before this publish"))
        expect(page.locator(".flashes")).to_contain_text("is in the draft as before that publish")
        expect(page.locator("main")).to_contain_text(f"-{added}")
        type_into(page, page.get_by_label("What changed, in one line"), "Back as it was")
        activate(page, button(page, "Publish all changes"))
        expect(page.locator(".flashes")).to_contain_text("Published 1 file")
        expect(page.locator(".preview-banner")).to_have_count(0)
    finally:
        context.close()
