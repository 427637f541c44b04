"""The CSV check page says when each line's courses will be due and flags the lines that
would be overdue as soon as they join; the importer's note reaches every email; the list
of people invited shows each one's audience and start date."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from induction.accounts import invitations
from induction.accounts.models import Invitation
from induction.database import utcnow
from induction.extensions import db
from induction.mail import QueuedEmail
from tests.quizzes.pages import form_with_button, page, text_of
from tests.reports.test_bulk_invitations import CONFIRM, counts, row_text, upload
from tests.reports.test_dashboard import dashboard_url


@pytest.fixture
def app(app_factory, tree):
    """The app on a private copy of the fixture courses, which a test may edit."""
    return app_factory(COURSES_DIR=str(tree))


def _uk(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _file(world) -> str:
    """Three people: starting soon, starting long ago, and with no start date."""
    return (
        "email,name,audience,start_date\n"
        f"soon@example.org,Sam Soon,councillor,{(world.day + dt.timedelta(days=10)).isoformat()}\n"
        f"late@example.org,Lee Late,officer,{(world.day - dt.timedelta(days=400)).isoformat()}\n"
        "open@example.org,Olu Open,affiliate,\n"
    )


def test_each_line_says_when_its_course_will_be_due(app, world, login_as):
    html = page(upload(login_as(world.manager), _file(world), world.own.id))
    soon = row_text(html, "soon@example.org")
    assert f"Basics: due {_uk(world.day + dt.timedelta(days=24))}" in soon
    assert "Overdue as soon as they join" not in soon
    open_row = row_text(html, "open@example.org")
    assert "The day they join" in open_row
    assert "Basics: due 14 days after they join" in open_row
    # Nothing was written: the check page only reads.
    assert counts(app) == (0, 0)


def test_a_line_overdue_as_soon_as_they_join_is_flagged_in_words(app, world, login_as):
    html = page(upload(login_as(world.manager), _file(world), world.own.id))
    start = world.day - dt.timedelta(days=400)
    due = _uk(start + dt.timedelta(days=14))
    late = row_text(html, "late@example.org")
    assert "Overdue as soon as they join" in late
    assert f"Basics: due {due}" in late
    text = text_of(html)
    assert "1 person would be overdue as soon as they join" in text
    assert (
        f"Line 3, Lee Late (start date {_uk(start)}): Overdue as soon as they join: "
        f"Basics due {due}." in text
    )
    # A warning, not a problem: they can still be invited.
    assert "3 will be invited" in text
    assert "Invite 3 people" in text


def test_the_due_date_shown_follows_the_course_files(app, tree, world, login_as):
    """The due period is the course's own (due_days): change it and the page follows."""
    course = tree / "01-basics" / "course.md"
    course.write_text(course.read_text().replace("due_days: 14", "due_days: 500"))
    html = page(upload(login_as(world.manager), _file(world), world.own.id))
    assert f"Basics: due {_uk(world.day + dt.timedelta(days=510))}" in row_text(
        html, "soon@example.org"
    )
    assert "Overdue as soon as they join" not in row_text(html, "late@example.org")


def test_the_note_goes_in_every_email_of_the_file(app, world, login_as):
    client = login_as(world.manager)
    html = page(upload(client, _file(world), world.own.id))
    form = form_with_button(html, "Invite")
    note = "Please finish it before the first full council.\n<b>Thank you</b>"
    response = client.post(CONFIRM, data={**form.hidden(), "note": note})
    assert response.status_code == 302
    with app.app_context():
        mails = db.session.scalars(select(QueuedEmail)).all()
    assert len(mails) == 3
    for mail in mails:
        assert "Mona Manager writes:\n\nPlease finish it before the first full council." in (
            mail.text_body
        )
        assert "&lt;b&gt;Thank you&lt;/b&gt;" in mail.html_body
        assert "\n" not in mail.subject
    late = next(m for m in mails if m.to_address == "late@example.org").text_body
    assert "That date has already passed" in late


def test_a_note_too_long_is_said_on_the_check_page_and_nothing_is_sent(app, world, login_as):
    client = login_as(world.manager)
    html = page(upload(client, _file(world), world.own.id))
    form = form_with_button(html, "Invite")
    response = client.post(CONFIRM, data={**form.hidden(), "note": "x" * 501})
    assert response.status_code == 200
    again = page(response)
    text = text_of(again)
    assert f"Keep your note to {invitations.MAX_NOTE} characters or fewer" in text
    assert "There is a problem" in text
    assert "x" * 501 in again  # kept in the box, to shorten
    assert counts(app) == (0, 0)
    # The same page still invites, once the note is short enough.
    fixed = form_with_button(again, "Invite")
    response = client.post(CONFIRM, data={**fixed.hidden(), "note": "Short."})
    assert response.status_code == 302
    assert counts(app) == (3, 3)


def test_the_invited_list_shows_each_persons_audience_and_start_date(app, world, login_as):
    with app.app_context():
        now = utcnow()
        for email, audience, start in (
            ("dated@example.org", "councillor", dt.date(2027, 5, 6)),
            ("undated@example.org", "affiliate", None),
        ):
            db.session.add(
                Invitation(
                    token_hash=email.ljust(64, "0")[:64],
                    email=email,
                    role="learner",
                    audience=audience,
                    organisation_id=world.own.id,
                    start_date=start,
                    created_at=now,
                    expires_at=now + dt.timedelta(days=14),
                )
            )
        db.session.commit()
    client = login_as(world.manager)
    html = page(client.get(dashboard_url(world, status="invited")))
    assert '<th scope="col">Audience</th><th scope="col">Start date</th>' in html
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {re.search(r"[\w.]+@example\.org", row).group(0): row for row in body.split("<tr>")[1:]}
    # Labelled cells: on a phone each person is a card, each value named.
    assert '<td data-label="Audience">Councillor</td>' in rows["dated@example.org"]
    assert re.search(r'<td data-label="Start date"[^>]*>6 May 2027</td>', rows["dated@example.org"])
    assert '<td data-label="Audience">Affiliate</td>' in rows["undated@example.org"]
    assert "The day they join" in rows["undated@example.org"]
    people = text_of(page(client.get("/admin/people")))
    assert "Learner (councillor), Own Council. Start date: 6 May 2027." in people
    assert "Learner (affiliate), Own Council. Start date: the day they join." in people


@pytest.mark.parametrize("from_joining", [True, False])
def test_the_lines_overdue_at_once_may_count_from_the_day_they_join(
    app, world, login_as, from_joining
):
    """Ticked, only the lines that would be overdue lose their start date; the others keep
    theirs. Not ticked, every start date is kept, as the file says."""
    client = login_as(world.manager)
    html = page(upload(client, _file(world), world.own.id))
    assert "For them, count due dates from the day each one joins" in text_of(html)
    form = form_with_button(html, "Invite")
    data = {**form.hidden(), **({"from_joining": "y"} if from_joining else {})}
    response = client.post(CONFIRM, data=data)
    assert response.status_code == 302
    with app.app_context():
        starts = {i.email: i.start_date for i in db.session.scalars(select(Invitation))}
    soon = world.day + dt.timedelta(days=10)
    late = None if from_joining else world.day - dt.timedelta(days=400)
    assert starts == {"soon@example.org": soon, "late@example.org": late, "open@example.org": None}
    flashed = text_of(page(client.get(response.location)))
    assert "Invited 3 people to Own Council. Their emails are on their way." in flashed
    assert "0 skipped" not in flashed
