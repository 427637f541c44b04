"""The lead officer's dashboard in a real browser: its columns at 1280 px, no sideways
scrolling at 320 px, reminding everyone overdue by keyboard alone, and someone who
stopped reminder emails shown apart (screenshots at 1280 and 375 px to the artifacts).

axe-core and the reflow checks of every new page and state (the invited list, the
reminder preview and its errors) run from the list in pages.py.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from induction.extensions import db
from induction.mail import QueuedEmail
from tests.browser.axe import assert_no_violations
from tests.browser.harness import Site, artifacts_dir
from tests.browser.keyboard import activate
from tests.browser.test_journeys import button, link, sign_in_by_keyboard
from tests.browser.test_layout import assert_reflows

pytestmark = pytest.mark.browser

COLUMNS = ("Name", "Status", "Progress", "Due date", "Last activity")
JAVASCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])

# Where each column header and the table's box end, against the window's width.
_COLUMNS_SCRIPT = """
(names) => {
  const wrap = document.querySelector('.table-wrap');
  const headers = [...document.querySelectorAll('table.report-table thead th')];
  const right = {};
  for (const name of names) {
    const th = headers.find(h => h.textContent.trim().startsWith(name));
    right[name] = th ? Math.round(th.getBoundingClientRect().right) : null;
  }
  return {
    right, width: window.innerWidth,
    tableScrolls: wrap.scrollWidth > wrap.clientWidth + 1,
    pageWidth: document.documentElement.scrollWidth,
  };
}
"""


def _dashboard(site: Site, width: int, query: str = ""):
    context = site.new_context(
        person=site.person("walk-manager"), viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.goto(f"/reports/organisations/{site.seed.values['org_id']}{query}")
    return context, page


def test_at_1280_px_the_main_columns_show_without_scrolling_sideways(site: Site) -> None:
    context, page = _dashboard(site, 1280)
    try:
        found = page.evaluate(_COLUMNS_SCRIPT, list(COLUMNS))
        assert all(found["right"][name] is not None for name in COLUMNS), found
        assert all(found["right"][name] <= found["width"] for name in COLUMNS), found
        assert not found["tableScrolls"], found
        assert found["pageWidth"] <= found["width"], found
    finally:
        context.close()


@pytest.mark.parametrize("query", ["", "?status=invited"])
def test_at_320_px_people_are_cards_and_nothing_scrolls_sideways(site: Site, query: str) -> None:
    context, page = _dashboard(site, 320, query)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        wrap = page.locator(".table-wrap").first
        assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
        # Each person is a card: the column headers are hidden and each value is labelled.
        assert page.locator("table.report-table tr").nth(1).evaluate(
            "el => getComputedStyle(el).display"
        ) in ("block", "flex")
    finally:
        context.close()


# Each person's block on a phone and where its parts are: its height, and the tops of its
# tick box and of the name beside it.
_PERSON_BLOCKS_SCRIPT = """
() => [...document.querySelectorAll('table.people-table tbody tr')].map(row => {
  const box = row.querySelector('input[name=person]');
  const name = row.querySelector('th[scope=row] a');
  return {
    height: row.getBoundingClientRect().height,
    boxTop: box ? box.getBoundingClientRect().top : null,
    nameBottom: name.getBoundingClientRect().bottom,
  };
})
"""


def test_on_a_phone_the_filters_fold_away_and_each_person_takes_a_few_lines(site: Site) -> None:
    """At 375 px the filters wait folded until asked for, and each person is a short block
    with the tick box on the name's line (not a card with one line per column)."""
    context, page = _dashboard(site, 375)
    try:
        expect(page.locator("details#filters")).not_to_have_attribute("open", re.compile(".*"))
        expect(page.get_by_label("Status", exact=True)).to_be_hidden()
        blocks = page.evaluate(_PERSON_BLOCKS_SCRIPT)
        assert blocks, "the seed has people on the dashboard"
        # A line of text is about 24 px: a block has at most ten (a card had fifteen).
        assert max(block["height"] for block in blocks) <= 10 * 24, blocks
        for block in blocks:
            if block["boxTop"] is not None:
                assert block["boxTop"] < block["nameBottom"], block
        page.screenshot(path=str(artifacts_dir() / "dashboard-phone-375.png"), full_page=True)

        page.goto(f"/reports/organisations/{site.seed.values['org_id']}?status=in_progress")
        expect(page.locator("details#filters")).to_have_attribute("open", "")
        expect(page.get_by_label("Status", exact=True)).to_be_visible()
        expect(page.get_by_role("link", name="Clear the filters")).to_be_visible()
    finally:
        context.close()


# Each person's row on the dashboard: how many lines the parts shown make,
# whether "Reminded" is one of them, and what shows of their email and last activity.
_PERSON_LINES_SCRIPT = """
() => [...document.querySelectorAll('table.people-table tbody tr')].map(row => {
  const shown = [...row.children].filter(cell => cell.getClientRects().length);
  // Parts on one line line up by their text, so their tops differ by a few pixels.
  const tops = shown.map(cell => cell.getBoundingClientRect().top).sort((a, b) => a - b);
  const lines = tops.filter((top, i) => i === 0 || top - tops[i - 1] > 12).length;
  const visible = el => el !== null && el.getClientRects().length > 0;
  return {
    name: row.querySelector('th[scope=row] a').textContent,
    lines,
    reminded: visible(row.querySelector('td.cell-reminded')),
    emailInRow: visible(row.querySelector('th[scope=row] .cell-email')),
    activityInRow: visible(row.querySelector('td.cell-activity')),
    summary: row.querySelector('.module-details > summary').innerText.replace(/\\s+/g, ' ').trim(),
  };
})
"""


def test_on_a_phone_each_person_is_three_short_lines_and_more_is_a_press_away(
    site: Site,
) -> None:
    """At 375 px a person takes three lines (name; status and progress; due date and "More
    details"), a fourth once reminded; their email address and last activity are under
    "More details". At 1280 px every column is there, with "By module" as before."""
    context, page = _dashboard(site, 375)
    try:
        rows = page.evaluate(_PERSON_LINES_SCRIPT)
        assert rows, "the seed has people on the dashboard"
        for row in rows:
            assert row["lines"] <= (4 if row["reminded"] else 3), row
            assert not row["emailInRow"] and not row["activityInRow"], row
            assert row["summary"] == f"More details for {row['name']}", row
        first = page.locator("table.people-table tbody tr").first
        more = first.locator(".module-details")
        expect(more.get_by_text("Email address")).to_be_hidden()
        activate(page, more.locator("summary"))
        expect(more.get_by_text("Email address")).to_be_visible()
        expect(more.get_by_text("Last activity")).to_be_visible()
        expect(more.locator(".cell-email")).to_contain_text("@")
        assert_no_violations(page, "the dashboard on a phone, one person's details open")
        assert_reflows(page, "the dashboard on a phone, one person's details open")
    finally:
        context.close()
    context, page = _dashboard(site, 1280)
    try:
        for row in page.evaluate(_PERSON_LINES_SCRIPT):
            assert row["emailInRow"] and row["activityInRow"], row
            assert row["summary"] == f"By module for {row['name']}", row
        more = page.locator("table.people-table tbody tr").first.locator(".module-details")
        more.locator("summary").click()
        expect(more.get_by_text("Email address")).to_be_hidden()
    finally:
        context.close()


def _chaser_on_the_dashboard(site: Site, javascript: bool):
    """Sign the officer of the Latecomers council in by keyboard (with or without scripts)
    and open Reports: return their suffix ("js", "nojs"), browser context and page."""
    suffix = "js" if javascript else "nojs"
    chaser = site.person(f"chaser-{suffix}")
    context = site.new_context(javascript=javascript)
    page = context.new_page()
    page.goto("/login")
    sign_in_by_keyboard(page, chaser.email, chaser.password)
    activate(page, page.get_by_role("link", name="Reports", exact=True))
    return suffix, context, page


@JAVASCRIPT
def test_an_officer_reminds_everyone_overdue_by_keyboard(site: Site, javascript: bool) -> None:
    suffix, context, page = _chaser_on_the_dashboard(site, javascript)
    try:
        expect(page.locator("h1")).to_contain_text(f"Latecomers {suffix} Council")
        overdue = page.locator(".figure--overdue .figure__number")
        expect(overdue).to_have_text("2")

        activate(page, link(page, "Remind everyone overdue"))
        expect(page.locator("h1")).to_contain_text("Remind everyone overdue")
        expect(page.locator("main")).to_contain_text("2 people will get this reminder")
        activate(page, button(page, "Send 2 reminders"))
        expect(page.locator("body")).to_contain_text("Reminded 2 people about")
        expect(page).to_have_url(re.compile(r"/reports/organisations/\d+"))

        # Straight away again: nobody is reminded twice.
        activate(page, link(page, "Remind everyone overdue"))
        expect(page.locator("main")).to_contain_text("There is no one to remind now")
        days = site.app.config["OFFICER_REMINDER_DAYS"]
        expect(page.locator("main")).to_contain_text(
            f"Left out: already reminded in the last {days} days (2)"
        )
    finally:
        context.close()
    with site.app.app_context():
        sent = db.session.scalars(
            select(QueuedEmail.to_address).where(
                QueuedEmail.subject.like("Reminder: please %"),
                QueuedEmail.to_address.like(f"late-{suffix}-%"),
            )
        ).all()
        db.session.remove()
    assert sorted(sent) == [f"late-{suffix}-1@example.org", f"late-{suffix}-2@example.org"]


@JAVASCRIPT
def test_an_officer_filters_to_the_overdue_and_reminds_that_list_by_keyboard(
    site: Site, javascript: bool
) -> None:
    suffix, context, page = _chaser_on_the_dashboard(site, javascript)
    try:
        activate(page, page.locator(".figure--overdue a"))
        expect(page).to_have_url(re.compile(r"overdue=yes"))
        # Under the list's count, without ticking anyone or going back up the page.
        activate(page, link(page, "Remind everyone in this list"))
        expect(page).to_have_url(re.compile(r"group=overdue"))
        expect(page.locator("h1")).to_contain_text("Remind everyone overdue")
        expect(page.locator("main")).to_contain_text(f"late-{suffix}-1@example.org")
        expect(page.locator("main")).to_contain_text(f"late-{suffix}-2@example.org")
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_someone_who_stopped_reminder_emails_is_shown_apart_and_not_reminded(
    site: Site, width: int
) -> None:
    """The colleague stops reminder emails with the link in one; the officer is told."""
    colleague = site.person("colleague")
    viewport = {"width": width, "height": 900}
    visitor = site.new_context(viewport=viewport)
    officer = site.new_context(person=site.person("walk-manager"), viewport=viewport)
    own_page = visitor.new_page()
    page = officer.new_page()
    try:
        own_page.goto(site.fill("/unsubscribe/{unsubscribe}"))
        activate(own_page, button(own_page, "Stop reminder emails"))
        expect(own_page.locator("main")).to_contain_text("gets no more reminder emails")

        page.goto(
            site.fill("/reminders/organisations/{org_id}?course=getting-started&person={person_id}")
        )
        main = page.locator("main")
        expect(main).to_contain_text("There is no one to remind now")
        expect(main).to_contain_text("Stopped reminder emails: 1")
        expect(main).to_contain_text(colleague.name)
        expect(page.get_by_role("button", name=re.compile("^Send"))).to_have_count(0)
        assert_no_violations(page, f"remind, stopped, {width} px")
        assert_reflows(page, f"remind, stopped, {width} px")
        page.screenshot(path=str(artifacts_dir() / f"remind-stopped-{width}.png"), full_page=True)

        page.goto(site.fill("/reports/people/{person_id}"))
        expect(main).to_contain_text(f"Stopped by {colleague.name} on")
        assert_no_violations(page, f"person, stopped, {width} px")
        assert_reflows(page, f"person, stopped, {width} px")
        page.screenshot(path=str(artifacts_dir() / f"person-stopped-{width}.png"), full_page=True)

        page.goto(site.fill("/reports/organisations/{org_id}"))
        row = page.locator("tr", has_text=colleague.email)
        expect(row).to_contain_text("Stopped reminder emails")
        assert_reflows(page, f"dashboard, stopped, {width} px")
        page.screenshot(
            path=str(artifacts_dir() / f"dashboard-stopped-{width}.png"), full_page=True
        )
    finally:
        own_page.goto(site.fill("/unsubscribe/{unsubscribe}"))
        own_page.get_by_role("button", name="Send me reminder emails again").click()
        expect(own_page.locator("main")).to_contain_text("gets an email when a course is due")
        visitor.close()
        officer.close()


@JAVASCRIPT
def test_the_dashboard_counts_the_people_ticked(site: Site, javascript: bool) -> None:
    context = site.new_context(
        person=site.person("walk-manager"),
        viewport={"width": 1280, "height": 900},
        javascript=javascript,
    )
    page = context.new_page()
    try:
        page.goto(f"/reports/organisations/{site.seed.values['org_id']}")
        counts = page.locator("[data-tick-count-output]")
        if not javascript:  # nothing to say, and nothing wrong said
            assert counts.count() == 2 and not counts.first.is_visible()
            return
        expect(counts.first).to_have_text("No one ticked yet.")
        boxes = page.locator("input[name=person]")
        assert boxes.count() >= 2
        boxes.nth(0).focus()
        page.keyboard.press("Space")
        expect(counts.first).to_have_text("1 person ticked.")
        expect(counts.last).to_have_text("1 person ticked.")
        boxes.nth(1).check()
        expect(counts.first).to_have_text("2 people ticked.")
        boxes.nth(0).uncheck()
        expect(counts.first).to_have_text("1 person ticked.")
        assert counts.first.get_attribute("aria-live") == "polite"
        assert_no_violations(page, "the dashboard with people ticked")
    finally:
        context.close()


def test_the_printed_dashboard_leaves_out_its_controls_and_keeps_the_figures(site: Site) -> None:
    """Printed, the dashboard has no Remind tick boxes, no words about them and no "By
    module" to press; the headline, progress and each person's modules (unfolded) stay."""
    context, page = _dashboard(site, 1280)
    try:
        expect(page.locator("[data-tick-count-output]").first).to_have_text("No one ticked yet.")
        expect(page.locator(".module-cells").first).to_be_hidden()  # folded on screen
        page.emulate_media(media="print")
        for control in (
            page.locator("input[name=person]"),
            page.locator("th.cell-pick"),  # "Choose to remind"
            page.get_by_text("To remind some of these people"),
            page.locator("[data-tick-count-output]"),
            page.locator(".module-details > summary"),
        ):
            assert control.count() >= 1
            for number in range(control.count()):
                expect(control.nth(number)).to_be_hidden()
        expect(page.locator("#headline")).to_be_visible()
        expect(page.locator(".cell-progress").first).to_be_visible()
        expect(page.locator(".module-cells").first).to_be_visible()
        page.screenshot(path=str(artifacts_dir() / "dashboard-print-1280.png"), full_page=True)
    finally:
        context.close()


@JAVASCRIPT
def test_updating_the_reminder_preview_comes_back_to_the_preview(
    site: Site, javascript: bool
) -> None:
    """After "Update the preview" the page opens at the preview, which has the focus, so
    the next Tab goes on from there, not from the top of the page."""
    context = site.new_context(
        person=site.person("walk-manager"),
        viewport={"width": 375, "height": 700},
        javascript=javascript,
    )
    page = context.new_page()
    try:
        page.goto(
            site.fill("/reminders/organisations/{org_id}?course=getting-started&group=not_started")
        )
        page.get_by_label("Your own message (optional)").fill("Ask me if you need help.")
        activate(page, button(page, "Update the preview"))
        expect(page).to_have_url(re.compile(r"#preview$"))
        preview = page.locator("#preview")
        expect(preview).to_contain_text("Preview updated with your message")
        expect(preview).to_contain_text("Ask me if you need help.")
        expect(preview).to_be_focused()
        expect(page.locator("#preview-heading")).to_be_in_viewport()
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Change your message")).to_be_focused()
        if javascript:  # axe and the reflow check run scripts in the page
            assert_no_violations(page, "remind, preview updated")
            assert_reflows(page, "remind, preview updated")
    finally:
        context.close()


@JAVASCRIPT
def test_an_officer_sends_new_invitations_to_everyone_whose_link_expired_by_keyboard(
    site: Site, javascript: bool
) -> None:
    suffix, context, page = _chaser_on_the_dashboard(site, javascript)
    try:
        expired = page.locator("#expired-links")
        expect(expired).to_contain_text("2 invitation links have expired")
        activate(page, button(page, "Send new invitations to all 2"))
        expect(page.locator("body")).to_contain_text(
            "New invitations are on their way to 2 people whose link had expired."
        )
        # Back on the list of people invited, every link works now.
        expect(page.locator("#people-caption")).to_contain_text("not joined yet")
        expect(page.locator("#expired-links")).to_have_count(0)
        expect(page.locator("main")).not_to_contain_text("Expired")
    finally:
        context.close()
    with site.app.app_context():
        sent = db.session.scalars(
            select(QueuedEmail.to_address).where(
                QueuedEmail.to_address.like(f"lapsed-{suffix}-%"),
            )
        ).all()
        db.session.remove()
    # One email when first invited (seeded), one with the new link.
    assert sorted(sent) == sorted(
        [f"lapsed-{suffix}-{n}@example.org" for n in (1, 2) for _ in range(2)]
    )
