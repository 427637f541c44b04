"""Workers killed with SIGKILL during a storm of quiz submissions leave every attempt whole."""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

import pytest
from sqlalchemy import select, text

from induction.extensions import db
from induction.quizzes.models import QuestionResult, QuizAttempt
from tests.reliability import journeys, seed
from tests.reliability.cluster import PASSWORD, Cluster
from tests.reliability.visitor import Visitor

pytestmark = [pytest.mark.concurrency, pytest.mark.slow]

LEARNERS = 16
ATTEMPTS_EACH = 3
KILL_EVERY = (0.3, 1.2)  # seconds between two kills, drawn at random
ENOUGH_KILLS = 5  # the storm goes on until at least this many workers were killed...
MOST_ATTEMPTS = 40  # ...but no learner submits more than this
RETRIES = 30

T = TypeVar("T")


@dataclass
class Outcome:
    """What one learner's browser saw: attempts confirmed submitted and how, and interruptions."""

    confirmed: dict[int, bool] = field(default_factory=dict)  # attempt id -> answered right
    interrupted: int = 0


def _retrying(outcome: Outcome, step: Callable[[], T]) -> T:
    """Run `step`, again from the start whenever the connection dies under it."""
    for _ in range(RETRIES):
        try:
            return step()
        except (OSError, http.client.HTTPException):
            # The worker serving the request was killed; a browser would retry.
            outcome.interrupted += 1
            time.sleep(0.1)
    raise AssertionError(f"still failing after {RETRIES} tries")


def _storm(
    cluster: Cluster, learner: seed.Learner, number: int, enough: threading.Event
) -> Outcome:
    servers = [server.url for server in cluster.servers]
    visitor = Visitor(servers[number % len(servers)], ip=f"10.1.0.{number + 1}")
    outcome = Outcome()
    _retrying(outcome, lambda: visitor.sign_in(learner.email, PASSWORD))
    rng = random.Random(number)
    while len(outcome.confirmed) < ATTEMPTS_EACH or (
        not enough.is_set() and len(outcome.confirmed) < MOST_ATTEMPTS
    ):
        right = rng.random() < 0.5
        answers = journeys.RIGHT_ANSWERS if right else journeys.WRONG_ANSWERS
        path = _retrying(outcome, lambda: journeys.start_quiz(visitor))
        attempt = _retrying(
            outcome, lambda p=path, a=answers: journeys.check_answers(visitor, p, a)
        )

        def submit(a: journeys.OpenAttempt = attempt) -> int:
            # Either host may receive it: a retry after a dead connection often goes elsewhere.
            reply = visitor.post(f"{a.path}/submit", a.submit_fields, base_url=rng.choice(servers))
            assert reply.status == 303, f"submit answered {reply.status}"
            assert reply.location == a.path, reply.location
            return a.id

        outcome.confirmed[_retrying(outcome, submit)] = right
    return outcome


def _kill_workers(
    cluster: Cluster, stop: threading.Event, enough: threading.Event, kills: list[int]
) -> None:
    rng = random.Random()
    while not stop.wait(rng.uniform(*KILL_EVERY)):
        server = rng.choice(cluster.servers)
        pids = server.worker_pids()
        if pids and server.kill_worker(rng.choice(pids)):
            kills.append(1)
            if len(kills) >= ENOUGH_KILLS:
                enough.set()


def test_killed_workers_leave_every_attempt_whole(two_hosts: Cluster) -> None:
    with two_hosts.app():
        learners = seed.add_learners(LEARNERS)
    ids = [learner.id for learner in learners]
    stop = threading.Event()
    enough = threading.Event()
    kills: list[int] = []
    killer = threading.Thread(target=_kill_workers, args=(two_hosts, stop, enough, kills))
    killer.start()
    try:
        with ThreadPoolExecutor(max_workers=LEARNERS) as pool:
            futures = [
                pool.submit(_storm, two_hosts, learner, number, enough)
                for number, learner in enumerate(learners)
            ]
            outcomes = [future.result(timeout=240) for future in futures]
    finally:
        stop.set()
        killer.join(timeout=30)
    for server in two_hosts.servers:
        server.wait_ready()  # the masters replaced every killed worker

    assert len(kills) >= ENOUGH_KILLS, "too few workers were killed for the test to mean anything"
    assert sum(o.interrupted for o in outcomes) > 0, "no request was ever cut off"
    confirmed = {attempt: right for o in outcomes for attempt, right in o.confirmed.items()}
    # Every submit a browser saw succeed is a different attempt.
    assert len(confirmed) == sum(len(o.confirmed) for o in outcomes)
    assert len(confirmed) >= LEARNERS * ATTEMPTS_EACH

    with two_hosts.app():
        attempts = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id.in_(ids))).all()
        for attempt in attempts:
            if attempt.submitted_at is None:
                assert (attempt.answers, attempt.right, attempt.total, attempt.is_passed) == (
                    None,
                    None,
                    None,
                    None,
                ), f"attempt {attempt.id} is half-submitted"
            else:
                assert attempt.answers is not None and len(attempt.answers) == 4
                assert attempt.total == 4
                assert attempt.right is not None and attempt.is_passed is not None
                assert attempt.draft_answers is None
            assert attempt.questions and len(attempt.questions) == 4, "snapshot missing"
        submitted = {a.id: a for a in attempts if a.submitted_at is not None}
        # Each submitted attempt has its per-question results, written in the same
        # transaction; an unsubmitted one has none.
        results = Counter(
            db.session.scalars(
                select(QuestionResult.attempt_id).where(
                    QuestionResult.attempt_id.in_([a.id for a in attempts])
                )
            )
        )
        assert results == Counter({attempt_id: 4 for attempt_id in submitted})
        # Nothing lost and nothing extra: exactly the submits the browsers saw succeed...
        assert set(submitted) == set(confirmed)
        # ...each stored with the answers that browser sent.
        for attempt_id, right in confirmed.items():
            attempt = submitted[attempt_id]
            assert (attempt.right, attempt.is_passed) == ((4, True) if right else (0, False))
        # A start whose reply was lost is resumed by the retry, never started twice.
        assert [a.id for a in attempts if a.submitted_at is None] == []
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    two_hosts.assert_clean_logs()
