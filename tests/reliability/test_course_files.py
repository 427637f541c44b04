"""A lesson with 30,000 '[' placed on disk while gunicorn serves: no worker stalls or is killed,
every page answers, and the course keeps its last good version."""

from __future__ import annotations

import shutil
import time

import pytest

from tests.reliability import seed
from tests.reliability.cluster import PASSWORD, SITE_COURSES, make_cluster
from tests.reliability.visitor import Visitor

pytestmark = [pytest.mark.concurrency, pytest.mark.slow]

RULES = "01-basics/01-first-steps/02-rules.md"
PAGES = ("/courses/", "/courses/basics/", "/courses/basics/lessons/welcome",
         "/courses/basics/lessons/rules", "/")  # fmt: skip


def test_a_pathological_lesson_on_disk_stalls_no_worker(tmp_path):
    courses = tmp_path / "courses"
    shutil.copytree(SITE_COURSES, courses)
    cluster = make_cluster(tmp_path / "cluster", COURSES_DIR=str(courses),
                           COURSES_RELOAD_SECONDS=0.2)  # fmt: skip
    try:
        [server] = cluster.add_servers(1, workers=2)
        with cluster.app():
            (learner,) = seed.add_learners(1)
        # Well under gunicorn's 30 s worker time-out: a stalled worker fails the test.
        visitor = Visitor(server.url, timeout=10)
        visitor.sign_in(learner.email, PASSWORD)
        for _ in range(4):  # both workers load the good version
            assert "Be kind. Be on time." in visitor.get("/courses/basics/lessons/rules").body

        rules = courses / RULES
        rules.write_text(rules.read_text().replace("Be on time.", "\n\n" + "[" * 30_000))
        time.sleep(0.5)  # past COURSES_RELOAD_SECONDS: the next request in each worker reloads

        for _ in range(3):
            for page in PAGES:
                reply = visitor.get(page)
                assert reply.status == 200, page
                assert "[[[" not in reply.body
        assert "Be kind. Be on time." in visitor.get("/courses/basics/lessons/rules").body
        assert "WORKER TIMEOUT" not in server.log_text()
        assert len(server.worker_pids()) == 2
    finally:
        cluster.stop()
