"""A completion due for renewal, in a real browser: the officer's dashboard with its "Due
for renewal" figure, My learning with the learner's next step, the quiz's attempts and
the certificate check pass axe-core and do not scroll sideways at 320 px; screenshots at
1280 and 375 px go to the artefacts.

The site here is private: its getting-started course asks for renewal every 365 days,
and the walk's learner, who finished it, did so 400 days ago. Its first quiz allows one
attempt: the renewal gets it afresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from induction.accounts.models import User
from induction.catalogue import get_catalogue
from induction.extensions import db
from induction.progress.models import (
    Certificate,
    CourseCompletion,
    LessonCompletion,
    ModuleCompletion,
)
from induction.progress.status_rewrite import rewrite_person
from induction.quizzes.models import QuizAttempt
from tests.browser.axe import assert_no_violations
from tests.browser.conftest import running_site
from tests.browser.harness import Site, artifacts_dir
from tests.browser.test_layout import assert_reflows

pytestmark = pytest.mark.browser

COURSE_FILE = "02-getting-started/course.md"
COURSE = "getting-started"
QUIZ_FILE = "02-getting-started/01-finding-your-way/quiz.md"
QUIZ = f"/courses/{COURSE}/modules/finding-your-way/quiz"


def _age(user_id: int, days: int) -> None:
    """Move the person's records in the course `days` days into the past."""
    shift = dt.timedelta(days=days)
    for model, name in (
        (LessonCompletion, "completed_at"),
        (ModuleCompletion, "completed_at"),
        (CourseCompletion, "completed_at"),
        (QuizAttempt, "submitted_at"),
        (Certificate, "completed_on"),
    ):
        rows = db.session.scalars(
            select(model).where(model.user_id == user_id, model.course_id == COURSE)
        )
        for row in rows:
            if getattr(row, name) is not None:
                setattr(row, name, getattr(row, name) - shift)


@pytest.fixture(scope="module")
def renewal_site(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A site whose getting-started course is renewed every 365 days; the walk's learner
    completed it 400 days ago."""
    with running_site(browser, tmp_path_factory.mktemp("renewal-site"), "renewal") as site:
        path = Path(site.config("COURSES_DIR")) / COURSE_FILE
        text = path.read_text()
        path.write_text(text.replace("\n---\n", "\nrenew: 365\n---\n", 1))
        # Its first quiz allows one attempt, which the learner used the first time.
        quiz = Path(site.config("COURSES_DIR")) / QUIZ_FILE
        quiz.write_text(quiz.read_text().replace("\n---\n", "\nmax_attempts: 1\n---\n", 1))
        with site.app.app_context():
            learner = db.session.get(User, site.person("walk-learner").id)
            _age(learner.id, 400)
            course = get_catalogue().course(COURSE)
            assert course is not None
            rewrite_person(learner, course)  # the stored row holds the latest completion
            db.session.commit()
            db.session.remove()
        yield site


def open_as(site: Site, key: str | None, path: str, width: int) -> Page:
    """Open `path` as the seed's person `key` (None: signed out) in a window `width` wide."""
    person = site.person(key) if key else None
    context = site.new_context(person=person, viewport={"width": width, "height": 900})
    page = context.new_page()
    response = page.goto(path)
    assert response is not None and response.status == 200, page.url
    return page


def looked_at(page: Page, where: str, shot: str, width: int) -> None:
    """Check the page with axe-core and for sideways scrolling; save its screenshot."""
    assert_no_violations(page, f"{where} at {width} px")
    assert_reflows(page, f"{where} at {width} px")
    page.screenshot(path=str(artifacts_dir() / f"{shot}-{width}.png"), full_page=True)


def dashboard(site: Site) -> str:
    return f"/reports/organisations/{site.seed.values['org_id']}?course={COURSE}"


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_the_dashboard_counts_due_for_renewal(renewal_site: Site, width: int) -> None:
    page = open_as(renewal_site, "walk-manager", dashboard(renewal_site), width)
    try:
        figure = page.locator(".figure--due-for-renewal")
        expect(figure).to_contain_text("1 due for renewal")
        expect(page.locator(".tag--due-for-renewal").first).to_have_text("Due for renewal")
        looked_at(page, "the dashboard with someone due for renewal", "dashboard-renewal", width)
        figure.get_by_role("link").click()
        expect(page.locator("#people-caption")).to_be_attached()
        rows = page.locator("table.report-table tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("Lee Learner")
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_my_learning_says_due_for_renewal_with_a_next_step(renewal_site: Site, width: int) -> None:
    page = open_as(renewal_site, "walk-learner", "/", width)
    try:
        expect(page.locator(".tag--due-for-renewal").first).to_have_text("Due for renewal")
        expect(page.locator(".renewal-step")).to_contain_text("To renew it, read each lesson again")
        expect(page.get_by_role("link", name="Start your renewal")).to_be_visible()
        looked_at(page, "My learning due for renewal", "my-learning-renewal", width)
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_a_quiz_with_an_attempt_limit_gives_the_renewal_its_attempts(
    renewal_site: Site, width: int
) -> None:
    page = open_as(renewal_site, "walk-learner", QUIZ, width)
    try:
        main = page.locator("main")
        expect(main).to_contain_text("1 allowed for your renewal: 0 used, 1 left")
        expect(main).to_contain_text("were for your earlier completion and do not count")
        expect(page.get_by_role("button", name="Start the quiz")).to_be_visible()
        # The attempts table fits the page: on a phone each attempt is a block of its own.
        attempts = page.locator(".table-wrap", has=page.locator("#attempts-caption"))
        fits = attempts.evaluate("wrap => wrap.scrollWidth <= wrap.clientWidth")
        assert fits, "the attempts table scrolls inside its box"
        looked_at(page, "a quiz page during a renewal", "quiz-renewal", width)
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_the_certificate_check_says_the_completion_ran_out(renewal_site: Site, width: int) -> None:
    page = open_as(renewal_site, None, renewal_site.fill("/verify/{certificate}"), width)
    try:
        main = page.locator("main")
        expect(main).to_contain_text("Valid")
        expect(main).to_contain_text("Due for renewal")
        expect(main).to_contain_text("has not been renewed since")
        looked_at(page, "a certificate check, completion run out", "certificate-renewal", width)
    finally:
        page.context.close()
