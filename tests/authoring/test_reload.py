"""After a publish, another process serving the same courses folder shows the new text within
COURSES_RELOAD_SECONDS, without a restart."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.authoring.conftest import WELCOME, edit_url, open_editor, publish_all

RELOAD_SECONDS = 0.5
MARKER = "Saved through the browser in another process."

# The other process: its own app on the same folder, asking its catalogue for the lesson
# the way a page does, until the new text appears (or it gives up).
WATCHER = """
import sys, time
from induction import create_app
from induction.catalogue import get_catalogue

courses, instance, marker, reload_seconds = sys.argv[1:5]
app = create_app({
    "TESTING": True,
    "SECRET_KEY": "watcher-secret-key-for-tests",
    "DATABASE_URL": "sqlite:///" + instance + "/watcher.sqlite",
    "INSTANCE_PATH": instance,
    "COURSES_DIR": courses,
    "COURSES_RELOAD_SECONDS": float(reload_seconds),
})
with app.app_context():
    catalogue = get_catalogue()
    lesson = catalogue.course("basics").lesson("welcome")
    assert marker not in lesson.html
    print("ready", flush=True)
    started = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = sys.stdin.readline() if started is None else ""
        if line.startswith("saved"):
            started = time.monotonic()
        if started is not None:
            if marker in catalogue.course("basics").lesson("welcome").html:
                print(f"seen {time.monotonic() - started:.3f}", flush=True)
                sys.exit(0)
            time.sleep(0.05)
    print("never seen", flush=True)
    sys.exit(1)
"""


def test_a_publish_is_seen_by_a_second_process(admin, tree, tmp_path):
    instance = tmp_path / "watcher-instance"
    instance.mkdir()
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("DATABASE_URL", None)
    env.pop("INDUCTION_DATABASE_URL", None)
    # Its messages go to a file: an unread pipe could fill up and stall it.
    log_path = tmp_path / "watcher.log"
    log = log_path.open("w")
    watcher = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", WATCHER, str(tree), str(instance), MARKER, str(RELOAD_SECONDS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env=env,
        cwd=str(root),
    )
    try:
        assert watcher.stdout is not None and watcher.stdin is not None
        ready = watcher.stdout.readline()
        assert ready.strip() == "ready", log_path.read_text()
        text, base = open_editor(admin, WELCOME)
        response = admin.post(
            edit_url(WELCOME),
            data={"text": text + f"\n{MARKER}\n", "base_hash": base, "save": "Save"},
        )
        assert response.status_code == 302
        publish_all(admin)
        saved_at = time.monotonic()
        watcher.stdin.write("saved\n")
        watcher.stdin.flush()
        outcome = watcher.stdout.readline().split()
        waited = time.monotonic() - saved_at
        assert outcome[:1] == ["seen"], log_path.read_text()
        # Polling every RELOAD_SECONDS: seen within that, plus the time to reload.
        assert float(outcome[1]) <= RELOAD_SECONDS + 2
        assert waited < 10
        assert watcher.wait(timeout=60) == 0, log_path.read_text()
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait()
        for stream in (watcher.stdin, watcher.stdout):
            if stream is not None:
                stream.close()
        log.close()
