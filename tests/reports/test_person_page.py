"""A person's page: a summary first (each course and module, dates, last reminder), then
the lessons, with the record and every quiz attempt folded; a printable version unfolds them."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from induction.extensions import db
from induction.progress.models import CourseCompletion, ReminderSent
from induction.progress.services import today
from induction.web.templating import uk_date
from tests.quizzes.pages import page, text_of
from tests.reports.helpers import add_attempt, add_lesson
from tests.reports.test_chasing import _send, remind_url


def test_the_summary_comes_first_and_attempts_are_folded(world, login_as):
    client = login_as(world.manager)
    html = page(client.get(f"/reports/people/{world.complete.id}"))
    text = text_of(html)
    assert (
        text.index("At a glance") < text.index("Lessons and quizzes") < text.index("Quiz attempts")
    )
    summary = text.split("At a glance", 1)[1].split("Reminders sent", 1)[0]
    assert "Basics Complete 5 of 5" in summary
    assert "Last reminded Never" in text
    attempts = html.split("<h2>Quiz attempts</h2>", 1)[1]
    assert attempts.count('<details class="fold attempt-fold">') == 2  # folded
    assert "open" not in re.findall(r"<details[^>]*>", attempts)[0]
    # Each folded attempt gives its score in right answers, as the quiz page does.
    scores = re.findall(r"</strong>\s*(\d+) of (\d+) right</summary>", attempts)
    assert len(scores) == 2 and "%</summary>" not in attempts
    printable = page(client.get(f"/reports/people/{world.complete.id}?print=1"))
    assert printable.count('<details class="fold attempt-fold" open>') == 2


def test_a_reminder_shows_on_the_persons_page(world, login_as):
    client = login_as(world.manager)
    before = text_of(page(client.get(f"/reports/people/{world.partway.id}")))
    assert "Reminders sent None yet." in before
    assert "Remind Bob Partway about Basics" in before
    _send(client, remind_url(world, person=[world.partway.id]))
    after = text_of(page(client.get(f"/reports/people/{world.partway.id}")))
    assert "Last reminded Never" not in after
    assert re.search(r"Last reminded \d+ \w+ \d{4}, \d\d:\d\d (GMT|BST)", after)
    assert re.search(
        r"Reminders sent \d+ \w+ \d{4}, \d\d:\d\d (GMT|BST): "
        r"Reminder from a lead officer about Basics",
        after,
    )


def test_another_organisations_person_is_not_found(world, login_as):
    client = login_as(world.other_manager)
    assert client.get(f"/reports/people/{world.partway.id}").status_code == 404
    assert client.get(f"/reports/people/{world.partway.id}?print=1").status_code == 404


def _still_to_do(html: str) -> str:
    """Return the words of the "still to do" line under the person's name."""
    found = re.search(r'id="still-to-do">(.*?)</(p|ul)>', html, re.S)
    assert found, "no still-to-do line"
    return text_of(found.group(1))


def test_the_record_says_first_what_is_still_to_do(world, login_as, app, make_user):
    client = login_as(world.manager)
    # Bob, a councillor, read the welcome: the rules, the next lesson and the quiz are left.
    bob = page(client.get(f"/reports/people/{world.partway.id}"))
    assert _still_to_do(bob) == (
        "Still to do: 2 lessons in 2 modules and the quiz of “First steps”. "
        "Next: the lesson “The rules” in “First steps”."
    )
    assert bob.index('id="still-to-do"') < bob.index("At a glance")
    alice = page(client.get(f"/reports/people/{world.complete.id}"))
    with app.app_context():
        done_at = db.session.scalar(
            select(CourseCompletion.completed_at).where(
                CourseCompletion.user_id == world.complete.id
            )
        )
    assert _still_to_do(alice) == f"Nothing left to do: completed on {uk_date(done_at)}."
    # Someone with only a lesson whose version was raised since they read it.
    dora = make_user(organisation=world.own, name="Dora Updated", audience="councillor")
    with app.app_context():
        add_lesson(dora.id, "basics", "welcome", 1)
        add_lesson(dora.id, "basics", "rules", 1, statement="I have read the rules.")
        add_lesson(dora.id, "basics", "next", 1)
        add_attempt(dora.id, "basics", "first-steps", right=4, total=4, passed=True)
        db.session.commit()
    dora_page = page(client.get(f"/reports/people/{dora.id}"))
    assert _still_to_do(dora_page) == (
        "Still to do: 1 lesson to read again in “First steps”. "
        "Next: the lesson “The rules” in “First steps”."
    )


def test_the_record_says_who_sent_each_reminder_and_their_message(world, login_as, app):
    client = login_as(world.manager)
    _send(client, remind_url(world, person=[world.partway.id]), "Please finish by Friday.\nMona")
    _send(client, remind_url(world, person=[world.formula.id]))
    with app.app_context():
        day = today() - dt.timedelta(days=3)
        db.session.add(
            ReminderSent(user_id=world.partway.id, course_id="basics", kind="overdue", sent_on=day)
        )
        db.session.commit()
    html = page(client.get(f"/reports/people/{world.partway.id}"))
    reminders = text_of(html.split("Reminders sent", 1)[1].split("Download this record", 1)[0])
    assert (
        "Reminder from a lead officer about Basics, sent by Mona Manager, with this message: "
        "Please finish by Friday. Mona" in reminders
    )
    assert "Overdue reminder about Basics, sent automatically (the daily reminder emails)." in (
        reminders
    )
    assert "Please finish by Friday.\nMona</blockquote>" in html  # the lines as written
    other = text_of(page(client.get(f"/reports/people/{world.formula.id}")))
    assert "sent by Mona Manager, with no message of their own." in other
    assert "Please finish by Friday" not in other  # each reminder its own message
    # One sent before senders were kept (or whose sender's account is gone): not known.
    with app.app_context():
        db.session.add_all(
            [
                ReminderSent(user_id=world.formula.id, course_id="basics", kind=kind, sent_on=day)
                for kind in ("officer", "renewal")
            ]
        )
        db.session.commit()
    gone = text_of(page(client.get(f"/reports/people/{world.formula.id}")))
    assert "sent by a lead officer (who, and their message, are not recorded)." in gone
    assert "sent by Mona Manager, with no message of their own." in gone  # today's still
    assert "Renewal reminder about Basics, sent automatically" in gone
