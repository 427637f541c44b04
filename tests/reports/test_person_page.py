"""A person's page: a summary first (each course and module, dates, last reminder), then
the lessons, with the record and every quiz attempt folded; a printable version unfolds them."""

from __future__ import annotations

import re

from tests.quizzes.pages import page, text_of
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
