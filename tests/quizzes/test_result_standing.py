"""The result of a passed quiz says where the module and the course stand: the lessons still
to mark complete when the module is not complete, the certificate when the course is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from induction.database import utcnow
from induction.extensions import db
from induction.progress.models import Certificate
from tests.quizzes.pages import (
    ALL_RIGHT,
    ALL_WRONG,
    link,
    page,
    read,
    read_lessons,
    take,
    text_of,
)

NOT_COMPLETE = "Module not complete yet"
LESSONS = "/courses/basics/lessons"


@pytest.fixture
def courses(site_tree):
    """The courses the app serves: an editable copy of the site fixture courses."""
    return site_tree


@pytest.fixture
def app(app_factory, courses):
    return app_factory(COURSES_DIR=str(courses))


def notice(html: str, title: str) -> str:
    """Return the HTML of the notice whose heading says `title`."""
    found = re.search(
        rf'<div class="notice[^"]*"[^>]*>\s*<h2[^>]*>{re.escape(title)}.*?</div>', html, re.S
    )
    assert found, f"no notice {title!r}"
    return found.group(0)


def complete(client, lesson_id: str) -> None:
    data = {"acknowledge": "y"} if lesson_id == "rules" else {}
    response = client.post(f"{LESSONS}/{lesson_id}/complete", data=data)
    assert response.status_code == 302, page(response)


def test_a_pass_with_lessons_to_read_says_the_module_is_not_complete(app, login_as):
    client = login_as()  # an officer: three lessons in the module
    complete(client, "welcome")
    html = take(client, ALL_RIGHT)
    box = notice(html, NOT_COMPLETE)
    text = text_of(box)
    assert "You passed the quiz, but the module “First steps” is not complete." in text
    assert (
        "To complete this module, read all 3 lessons and pass the quiz with 50% or more "
        "(you need at least 2 of the 4 right)." in text
    )
    assert "Mark these lessons complete:" in text
    assert read(box).links == [
        ("The rules", f"{LESSONS}/rules"),
        ("For officers", f"{LESSONS}/officers-only"),
    ]
    assert "The rules For officers" in text  # nothing more to say about lessons not read
    # The notice comes before the way on, so it is seen first, and the way on is the
    # first lesson left in this module, not the next module.
    assert html.index(NOT_COMPLETE) < html.index("Continue: The rules")
    assert "Continue: What comes next" not in html
    assert link(html, "Continue") == f"{LESSONS}/rules"


def test_the_lessons_listed_follow_the_audience(app, login_as):
    client = login_as(audience="councillor")  # the officers' lesson is not theirs
    html = take(client, ALL_RIGHT)
    box = notice(html, NOT_COMPLETE)
    assert [href for _, href in read(box).links] == [f"{LESSONS}/welcome", f"{LESSONS}/rules"]
    assert "read both lessons" in text_of(box)


def test_an_updated_lesson_is_listed_as_updated(app, site_tree: Path, login_as):
    client = login_as()
    read_lessons(client)
    rules = site_tree / "01-basics" / "01-first-steps" / "02-rules.md"
    rules.write_text(rules.read_text().replace("version: 2", "version: 3"))
    box = notice(take(client, ALL_RIGHT), NOT_COMPLETE)
    assert read(box).links == [("The rules", f"{LESSONS}/rules")]
    assert "The rules (updated since you read it)" in text_of(box)


def test_no_notice_when_the_module_is_complete(app, login_as):
    client = login_as()
    read_lessons(client)
    html = take(client, ALL_RIGHT)
    assert NOT_COMPLETE not in html
    assert "Course complete" not in text_of(html)  # a lesson of the next module is left
    assert link(html, "Continue") == f"{LESSONS}/next"


def test_no_notice_after_a_fail(app, login_as):
    client = login_as()
    html = take(client, ALL_WRONG)
    assert NOT_COMPLETE not in html
    assert "Download your certificate" not in html


def certificate_of(app, user_id: int) -> Certificate:
    with app.app_context():
        row = db.session.scalars(select(Certificate).where(Certificate.user_id == user_id)).one()
        db.session.expunge(row)
        return row


def test_a_pass_that_completes_the_course_offers_the_certificate(app, login_as):
    client = login_as()
    read_lessons(client)
    complete(client, "next")  # the other module: now only the quiz is left
    html = take(client, ALL_RIGHT)
    box = notice(html, "Course complete: Basics")
    certificate = certificate_of(app, client.user.id)
    assert read(box).links == [
        ("Download your certificate (PDF)", f"/certificates/{certificate.code}.pdf")
    ]
    assert NOT_COMPLETE not in html
    assert "Back to Basics" in text_of(html)
    response = client.get(f"/certificates/{certificate.code}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"


def test_a_withdrawn_certificate_is_not_offered(app, login_as):
    client = login_as()
    read_lessons(client)
    complete(client, "next")
    take(client, ALL_RIGHT)
    certificate = certificate_of(app, client.user.id)
    with app.app_context():
        db.session.get(Certificate, certificate.id).revoked_at = utcnow()
        db.session.commit()
    quiz_page = page(client.get("/courses/basics/modules/first-steps/quiz"))
    again = page(client.get(link(quiz_page, "Review")))
    assert "Course complete: Basics" in text_of(again)
    assert "Download your certificate" not in again


class TestACourseWithoutCertificates:
    @pytest.fixture
    def courses(self, quiz_tree):
        return quiz_tree

    def test_completing_it_offers_no_certificate(self, app, login_as):
        client = login_as()
        assert client.post("/courses/uncertified/lessons/note/complete").status_code == 302
        quiz = "/courses/uncertified/modules/only/quiz"
        html = take(client, {"two-and-two": {"text": "four"}}, quiz)
        assert "Course complete: Uncertified" in text_of(html)
        assert "Download your certificate" not in html
