"""A PostgreSQL outage under load: friendly 503s while it lasts, then work resumes, nothing lost.

The outage is a TCP proxy this test owns, between the app and the shared PostgreSQL
server: cutting it refuses new connections and resets open ones. The server itself is
never stopped or reconfigured.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from induction.extensions import db
from induction.progress.models import LessonCompletion
from induction.quizzes.models import QuizAttempt
from tests.reliability import journeys, seed
from tests.reliability.cluster import PASSWORD, Cluster, make_cluster, postgres_url
from tests.reliability.proxy import TcpProxy
from tests.reliability.visitor import Reply, Visitor, form_posting_to

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.slow,
    pytest.mark.skipif(postgres_url() is None, reason="the outage test runs on PostgreSQL"),
]

LEARNERS = 8
BEFORE_SECONDS = 3.0
OUTAGE_SECONDS = 6.0
AFTER_SECONDS = 4.0
SLOWEST_ANSWER = 10.0  # seconds: no request may hang longer than this
FRIENDLY = "The service is unavailable"


@dataclass
class Seen:
    """What one learner's browser saw during the load."""

    replies: list[tuple[float, float, Reply]] = field(default_factory=list)  # start, seconds
    confirmed: set[int] = field(default_factory=set)  # attempts whose submit succeeded
    lessons: set[str] = field(default_factory=set)  # lessons whose completion succeeded
    unavailable: int = 0


class _Timed(Visitor):
    """A Visitor that notes every reply with when it was asked and how long it took."""

    def __init__(self, *args, seen: Seen, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.seen = seen

    def request(self, method: str, path: str, **kwargs) -> Reply:  # noqa: ANN003
        started = time.monotonic()
        reply = super().request(method, path, **kwargs)
        self.seen.replies.append((started, time.monotonic() - started, reply))
        return reply


@pytest.fixture
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cluster, TcpProxy]]:
    """One gunicorn process of two workers reaching PostgreSQL only through a TcpProxy."""
    url = postgres_url()
    assert url is not None
    parts = urllib.parse.urlsplit(url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432).start()
    netloc = parts.netloc.rpartition("@")
    proxied_netloc = f"{netloc[0]}{netloc[1]}127.0.0.1:{proxy.port}"
    proxied_url = urllib.parse.urlunsplit(parts._replace(netloc=proxied_netloc))
    cluster = make_cluster(
        tmp_path_factory.mktemp("outage"),
        database_url=proxied_url,
        LOGIN_LIMIT_PER_IP="1000 per 15 minutes",
        DATABASE_CONNECT_TIMEOUT_SECONDS=3,
    )
    try:
        cluster.add_servers(1, workers=2)
        yield cluster, proxy
    finally:
        cluster.stop()
        proxy.close()


def _load(cluster: Cluster, learner: seed.Learner, number: int, stop: threading.Event) -> Seen:
    seen = Seen()
    visitor = _Timed(cluster.servers[0].url, ip=f"10.2.0.{number + 1}", seen=seen)
    visitor.sign_in(learner.email, PASSWORD)
    lessons = [lesson_id for lesson_id, _ in journeys.LESSONS]
    while not stop.is_set():
        try:
            if len(seen.lessons) < len(lessons):
                lesson_id = lessons[len(seen.lessons)]
                url = journeys.lesson_url(lesson_id)
                page = journeys.expect(visitor.get(url), 200, "lesson page")
                if "You completed this lesson" not in page.body:
                    # (Already completed when a 503 came after the commit: a later step failed.)
                    form = form_posting_to(page.body, f"{url}/complete")
                    fields = [*form.hidden, ("acknowledge", "y")]
                    journeys.expect(
                        visitor.post(f"{url}/complete", fields), 302, "completing a lesson"
                    )
                seen.lessons.add(lesson_id)
            attempt = journeys.check_answers(
                visitor, journeys.start_quiz(visitor), journeys.RIGHT_ANSWERS
            )
            submit = visitor.post(f"{attempt.path}/submit", attempt.submit_fields)
            journeys.expect(submit, 303, "submitting")
            seen.confirmed.add(attempt.id)
        except journeys.Unavailable:
            seen.unavailable += 1
            time.sleep(0.2)
    return seen


def _healthz(url: str) -> tuple[int, dict]:
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=SLOWEST_ANSWER)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_an_outage_answers_503_then_work_resumes_and_nothing_is_half_written(proxied) -> None:
    cluster, proxy = proxied
    url = cluster.servers[0].url
    with cluster.app():
        learners = seed.add_learners(LEARNERS)
    ids = [learner.id for learner in learners]

    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=LEARNERS) as pool:
        futures = [
            pool.submit(_load, cluster, learner, number, stop)
            for number, learner in enumerate(learners)
        ]
        time.sleep(BEFORE_SECONDS)
        proxy.cut()
        cut_at = time.monotonic()
        time.sleep(OUTAGE_SECONDS / 2)
        health_during = _healthz(url)
        time.sleep(OUTAGE_SECONDS / 2)
        proxy.restore()
        restored_at = time.monotonic()
        time.sleep(AFTER_SECONDS)
        stop.set()
        seen = [future.result(timeout=120) for future in futures]

    assert health_during == (503, {"status": "unavailable", "database": "not answering"})
    replies = [entry for s in seen for entry in s.replies]
    statuses = {reply.status for _, _, reply in replies}
    assert statuses <= {200, 302, 303, 503}, statuses
    slowest = max(seconds for _, seconds, _ in replies)
    assert slowest < SLOWEST_ANSWER, f"a request took {slowest:.1f} s"
    unavailable = [reply for _, _, reply in replies if reply.status == 503]
    assert unavailable, "the outage was never noticed"
    for reply in unavailable:
        assert FRIENDLY in reply.body
        assert "Nothing you sent was half-saved" in reply.body
        assert "Traceback" not in reply.body
    # Every 503 came while the database was away (or while a request begun then ended).
    assert all(
        cut_at - SLOWEST_ANSWER <= started <= restored_at + 1
        for started, _, reply in replies
        if reply.status == 503
    )
    # Work resumed once the database was back.
    assert any(
        reply.status in (302, 303) and started > restored_at for started, _, reply in replies
    )
    assert _healthz(url)[0] == 200

    with cluster.app():
        attempts = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id.in_(ids))).all()
        for attempt in attempts:
            whole = (
                attempt.answers is not None
                and attempt.right is not None
                and attempt.total == 4
                and attempt.is_passed is not None
            )
            empty = (attempt.answers, attempt.right, attempt.total, attempt.is_passed) == (
                None,
                None,
                None,
                None,
            )
            assert whole if attempt.submitted_at else empty, f"attempt {attempt.id} half-written"
        submitted = {a.id for a in attempts if a.submitted_at is not None}
        confirmed = set().union(*(s.confirmed for s in seen))
        assert confirmed <= submitted  # nothing that was confirmed is lost
        completions = db.session.execute(
            select(LessonCompletion.user_id, LessonCompletion.lesson_id).where(
                LessonCompletion.user_id.in_(ids)
            )
        ).all()
        assert len(completions) == len(set(completions))
        for learner, s in zip(learners, seen, strict=True):
            stored = {lesson for user_id, lesson in completions if user_id == learner.id}
            assert s.lessons <= stored
    log = cluster.logs()
    assert "unhandled error" not in log
