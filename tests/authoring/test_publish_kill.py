"""A publish of several files is all or nothing even when its process is killed half-way.

A real process publishes a draft of two files and is killed (SIGKILL, nothing to clean
up) between the two renames, or between staging the two files; the next start of the
app completes the first publish and rolls back the second.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from induction.admin.drafts import store
from induction.admin.drafts.models import Publication
from induction.catalogue import get_catalogue
from induction.content.journal import JOURNAL_NAME
from induction.extensions import db
from tests.authoring.conftest import BASICS, RULES, WELCOME, edit_url, open_editor

ROOT = Path(__file__).resolve().parents[2]

# The publishing process: the app on the test's database and courses, with one step of the
# publish replaced by a real SIGKILL of itself.
PUBLISHER = """
import json, os, signal, sys
from induction import create_app
from induction.admin.course_files.paths import CourseFolder
from induction.admin.drafts import publishing
from induction.content import journal
from induction.extensions import db

config, folder, where = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
app = create_app(config)
done = []
if where == "between-renames":
    real = os.replace
    def replace(source, target):
        if ".publish-" in str(source) and "publish-journal" not in str(source):
            if done:
                os.kill(os.getpid(), signal.SIGKILL)
            done.append(target)
        real(source, target)
    os.replace = replace
else:
    real = journal._write_durably
    def write(path, data):
        if done:
            os.kill(os.getpid(), signal.SIGKILL)
        done.append(path)
        real(path, data)
    journal._write_durably = write
with app.app_context():
    live = CourseFolder(publishing.get_catalogue().root, folder)
    publishing.publish(live, None, actor=None, note="Killed half-way", commit=db.session.commit)
print("not killed", flush=True)
"""


def config_of(app) -> dict:
    keys = (
        "TESTING",
        "SECRET_KEY",
        "DATABASE_URL",
        "SQLALCHEMY_ENGINE_OPTIONS",
        "INSTANCE_PATH",
        "COURSES_DIR",
        "COURSE_RENDER_SECONDS",
        "COURSES_RELOAD_SECONDS",
    )
    return {key: app.config[key] for key in keys if key in app.config}


def draft_two_files(admin):
    for path in (WELCOME, RULES):
        text, base = open_editor(admin, path)
        response = admin.post(
            edit_url(path),
            data={"text": text + f"\nNew text of {path}.\n", "base_hash": base, "save": "Save"},
        )
        assert response.status_code == 302


def run_publisher(app, where: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for key in [k for k in env if k.startswith("INDUCTION_")] + ["DATABASE_URL"]:
        env.pop(key, None)
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", PUBLISHER, json.dumps(config_of(app)), BASICS, where],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def hidden_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*"))


def test_killed_between_two_files_the_next_start_completes_the_publish(
    app, app_factory, admin, tree
):
    draft_two_files(admin)
    with app.app_context():
        db.session.remove()
    done = run_publisher(app, "between-renames")
    assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr
    course = tree / BASICS
    # Killed half-way: the first file is new, the second not yet; the journal says what is left.
    texts = [(course / p).read_text() for p in sorted((WELCOME, RULES))]
    assert ["New text of" in t for t in texts].count(True) == 1
    assert (course / JOURNAL_NAME).exists()
    # The next start completes it before any learner sees the course.
    restarted = app_factory(COURSES_DIR=str(tree))
    with restarted.app_context():
        lessons = get_catalogue().course("basics")
        for path, lesson_id in ((WELCOME, "welcome"), (RULES, "rules")):
            assert f"New text of {path}." in (course / path).read_text()
            assert f"New text of {path}." in lessons.lesson(lesson_id).html
        assert hidden_leftovers(course) == []
        # The record was committed before the renames: history and draft agree with the files.
        assert store.draft_rows(BASICS) == []
        [publication] = db.session.scalars(db.select(Publication)).all()
        assert publication.note == "Killed half-way"
        assert sorted(f.path for f in publication.files) == sorted((WELCOME, RULES))


def test_killed_while_staging_the_next_start_rolls_back_and_keeps_the_draft(
    app, app_factory, admin, tree
):
    course = tree / BASICS
    before = {p: (course / p).read_bytes() for p in (WELCOME, RULES)}
    draft_two_files(admin)
    with app.app_context():
        db.session.remove()
    done = run_publisher(app, "while-staging")
    assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr
    assert (course / JOURNAL_NAME).exists()
    assert hidden_leftovers(course)  # one file staged beside its place
    restarted = app_factory(COURSES_DIR=str(tree))
    with restarted.app_context():
        get_catalogue().library()
        assert {p: (course / p).read_bytes() for p in before} == before
        assert hidden_leftovers(course) == []
        assert sorted(r.path for r in store.draft_rows(BASICS)) == sorted((WELCOME, RULES))
        assert db.session.scalars(db.select(Publication)).all() == []
