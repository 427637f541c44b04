"""Publishing later: a scheduled publish runs once, even when two cron runs overlap."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from induction.accounts.audit import AuditEvent
from induction.admin.drafts import schedule
from induction.admin.drafts.models import Publication, ScheduledPublish
from induction.database import utcnow
from induction.extensions import db
from tests.authoring.conftest import BASICS, WELCOME, edit_url, open_editor, text_of
from tests.authoring.test_publish_kill import config_of

ROOT = Path(__file__).resolve().parents[2]
BASE = f"/admin/courses/{BASICS}"


def draft(admin, words="Published later."):
    text, base = open_editor(admin, WELCOME)
    data = {"text": text + f"\n{words}\n", "base_hash": base, "save": "Save"}
    assert admin.post(edit_url(WELCOME), data=data).status_code == 302


def schedule_form(day: str, time: str, note: str = "Later") -> dict:
    return {"schedule-day": day, "schedule-time": time, "schedule-note": note}


def test_an_admin_schedules_a_publish_and_can_cancel_it(app, admin, tree):
    draft(admin)
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = admin.post(f"{BASE}/draft/schedule", data=schedule_form(tomorrow, "09:00"))
    assert response.status_code == 302
    page = text_of(admin.get(f"{BASE}/draft"))
    assert "The draft will be published on" in page and "(UK time)" in page
    assert "Scheduled publishes" in page and "Cancel this publish" in page
    with app.app_context():
        [row] = db.session.scalars(db.select(ScheduledPublish)).all()
        # 09:00 in London is 08:00 or 09:00 UTC, depending on the season.
        assert row.due_at.hour in (8, 9) and row.state == "scheduled"
        row_id = row.id
    assert admin.post(f"{BASE}/draft/schedule/{row_id}/cancel").status_code == 302
    assert "Scheduled publishes" not in text_of(admin.get(f"{BASE}/draft"))
    assert "Published later." not in (tree / BASICS / WELCOME).read_text()


def test_a_time_in_the_past_or_nonsense_is_refused_with_a_message(admin):
    draft(admin)
    past = admin.post(f"{BASE}/draft/schedule", data=schedule_form("2020-01-01", "09:00"))
    assert past.status_code == 400
    assert "Choose a time in the future, or publish now" in text_of(past)
    nonsense = admin.post(f"{BASE}/draft/schedule", data=schedule_form("next week", "9 o'clock"))
    assert nonsense.status_code == 400
    assert "Enter a real date" in text_of(nonsense)


PUBLISH_DUE = """
import json, sys
from induction import create_app
from induction.admin.drafts import schedule
app = create_app(json.loads(sys.argv[1]))
with app.app_context():
    for ran in schedule.run_due():
        print(ran.folder, ran.state, flush=True)
"""


def test_a_due_publish_runs_exactly_once_with_two_overlapping_runs(app, admin, tree):
    draft(admin)
    with app.app_context():
        from induction.accounts.models import User

        actor = db.session.get(User, admin.user.id)
        row = ScheduledPublish(folder=BASICS, note="Due now", due_at=utcnow(), actor_id=actor.id)
        db.session.add(row)
        db.session.commit()
        db.session.remove()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for key in [k for k in env if k.startswith("INDUCTION_")] + ["DATABASE_URL"]:
        env.pop(key, None)
    command = [sys.executable, "-c", PUBLISH_DUE, json.dumps(config_of(app))]
    runs = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    lines = [line for out, _ in outputs for line in out.splitlines()]
    assert lines == [f"{BASICS} done"], outputs  # one run published it, the other found it taken
    assert "Published later." in (tree / BASICS / WELCOME).read_text()
    with app.app_context():
        [publication] = db.session.scalars(db.select(Publication)).all()
        assert publication.note == "Due now" and publication.actor_name == admin.user.name
        assert db.session.scalars(db.select(ScheduledPublish.state)).all() == ["done"]
        # Run again: nothing is due any more.
        assert schedule.run_due() == []


def test_a_due_publish_that_fails_its_checks_is_recorded_as_failed(app, admin, tree, runner):
    draft(admin)
    broken = tree / BASICS / "02-going-further" / "01-next.md"
    broken.write_text(broken.read_text().replace("title:", "titel:"))
    with app.app_context():
        db.session.add(ScheduledPublish(folder=BASICS, note="Due", due_at=utcnow()))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["courses", "publish-due"])
    assert result.exit_code == 0, result.output
    assert "01-basics/02-going-further/01-next.md:2: unknown front matter key" in result.output
    assert "Published later." not in (tree / BASICS / WELCOME).read_text()
    with app.app_context():
        [row] = db.session.scalars(db.select(ScheduledPublish)).all()
        assert row.state == "failed" and "unknown front matter key" in row.outcome
        actions = db.session.scalars(db.select(AuditEvent.action)).all()
        assert "course.scheduled_publish_failed" in actions
    again = app.test_cli_runner().invoke(args=["courses", "publish-due"])
    assert "Nothing is due." in again.output


def test_a_run_that_has_read_the_due_list_waits_for_another_runs_claim(
    app, admin, tree, monkeypatch
):
    """SQLite: the other run's claim lands between this run's reading of what is due and
    its own claim. This run must wait and find the row taken, not fail "database is
    locked" (a read transaction cannot become a write one after another write)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        pytest.skip("PostgreSQL claims rows with row locks; this is SQLite's lock")
    draft(admin)
    with app.app_context():
        row = ScheduledPublish(folder=BASICS, note="Due now", due_at=utcnow())
        db.session.add(row)
        db.session.commit()
        row_id = row.id
    claimed_by_other: list[int] = []

    def other_run_claims() -> None:
        other = sqlite3.connect(db_path(url), timeout=30)
        try:
            changed = other.execute(
                "UPDATE course_scheduled_publish SET state = 'running'"
                " WHERE id = ? AND state = 'scheduled'",
                (row_id,),
            ).rowcount
            other.commit()
        finally:
            other.close()
        claimed_by_other.append(changed)

    own_claim = schedule._claim
    others: list[threading.Thread] = []

    def claim_once_the_other_has_tried(schedule_id: int) -> bool:
        other = threading.Thread(target=other_run_claims)
        other.start()
        other.join(1.0)  # time enough to claim, if this run's lock lets it
        others.append(other)
        return own_claim(schedule_id)

    monkeypatch.setattr(schedule, "_claim", claim_once_the_other_has_tried)
    with app.app_context():
        ran = schedule.run_due()
    others[0].join(30)
    assert [(r.folder, r.state) for r in ran] == [(BASICS, "done")]
    assert claimed_by_other == [0]  # it waited, then found the row already taken
    assert "Published later." in (tree / BASICS / WELCOME).read_text()


def db_path(url: str) -> str:
    return url.removeprefix("sqlite:///").split("?", 1)[0]
