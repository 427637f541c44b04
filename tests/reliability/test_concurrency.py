"""Fifty learners at once on two hosts, every form (the quiz's Start included) sent twice in
parallel: each record once."""

from __future__ import annotations

import itertools
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from induction.accounts.audit import AuditEvent
from induction.catalogue import get_catalogue
from induction.progress.models import (
    Certificate,
    CourseCompletion,
    CourseStatus,
    LessonCompletion,
    ModuleCompletion,
)
from induction.progress.status_query import COMPLETE
from induction.progress.stored_status import fingerprints
from induction.quizzes.models import QuizAttempt
from tests.reliability import journeys, seed
from tests.reliability.cluster import PASSWORD, Cluster
from tests.reliability.visitor import Reply, Visitor

pytestmark = [pytest.mark.concurrency, pytest.mark.slow]

LEARNERS = 50


def _journey(cluster: Cluster, learner: seed.Learner, number: int) -> list[Reply]:
    """Sign in, complete the course; every completion and the quiz submit sent to both hosts."""
    first, second = (server.url for server in cluster.servers)
    if number % 2:
        first, second = second, first
    visitor = Visitor(first, ip=f"10.0.{number // 250}.{number % 250 + 1}")
    visitor.sign_in(learner.email, PASSWORD)
    replies: list[Reply] = []
    for lesson_id, _version in journeys.LESSONS[:2]:
        replies += journeys.complete_lesson_twice(visitor, lesson_id, [first, second])
    starts = journeys.start_quiz_twice(visitor, [first, second])
    # Both presses land on the one attempt that the first of them started.
    assert len({reply.location for reply in starts}) == 1, starts
    replies += starts
    attempt = journeys.check_answers(visitor, starts[0].location, journeys.RIGHT_ANSWERS)
    submits = journeys.submit_twice(visitor, attempt, [first, second])
    assert all(reply.location == attempt.path for reply in submits), submits
    replies += submits
    replies += journeys.complete_lesson_twice(visitor, "next", [first, second])
    result = visitor.get(attempt.path)
    assert result.status == 200
    assert "You scored 4 of 4" in result.body
    return replies


def test_fifty_learners_at_once_record_everything_exactly_once(two_hosts: Cluster) -> None:
    with two_hosts.app():
        learners = seed.add_learners(LEARNERS)
    ids = [learner.id for learner in learners]

    with ThreadPoolExecutor(max_workers=LEARNERS) as pool:
        futures = [
            pool.submit(_journey, two_hosts, learner, number)
            for number, learner in enumerate(learners)
        ]
        replies = list(itertools.chain.from_iterable(f.result(timeout=240) for f in futures))

    # Every duplicate was answered normally: a redirect, never an error page.
    assert Counter(reply.status for reply in replies).keys() <= {302, 303}, Counter(
        reply.status for reply in replies
    )

    with two_hosts.app():
        from induction.extensions import db

        lessons = db.session.execute(
            select(
                LessonCompletion.user_id,
                LessonCompletion.lesson_id,
                LessonCompletion.lesson_version,
                LessonCompletion.acknowledged_statement,
            ).where(LessonCompletion.user_id.in_(ids))
        ).all()
        assert len(lessons) == LEARNERS * len(journeys.LESSONS)
        assert {(row.user_id, row.lesson_id, row.lesson_version) for row in lessons} == {
            (user_id, lesson_id, version)
            for user_id in ids
            for lesson_id, version in journeys.LESSONS
        }
        assert {row.acknowledged_statement for row in lessons if row.lesson_id == "rules"} == {
            journeys.RULES_STATEMENT
        }

        attempts = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id.in_(ids))).all()
        assert sorted(a.user_id for a in attempts) == ids  # one attempt each
        for attempt in attempts:
            assert attempt.submitted_at is not None
            assert (attempt.right, attempt.total, attempt.is_passed) == (4, 4, True)
            assert attempt.answers and len(attempt.answers) == 4

        def per_person(model) -> Counter:
            return Counter(
                db.session.scalars(select(model.user_id).where(model.user_id.in_(ids))).all()
            )

        assert per_person(ModuleCompletion) == Counter({user_id: 2 for user_id in ids})
        assert per_person(CourseCompletion) == Counter(ids)
        assert per_person(Certificate) == Counter(ids)
        issued = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "certificate.issued", AuditEvent.actor_id.in_(ids))
        )
        assert issued == LEARNERS
        sign_ins = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "auth.login", AuditEvent.actor_id.in_(ids))
        )
        assert sign_ins == LEARNERS

        # Each learner's stored status, rewritten by every request, ends complete and current.
        course = get_catalogue().course(journeys.COURSE)
        stored = db.session.scalars(select(CourseStatus).where(CourseStatus.user_id.in_(ids))).all()
        assert sorted(row.user_id for row in stored) == ids
        current = set(fingerprints(course).values())
        for row in stored:
            assert row.fingerprint in current
            assert (row.status, row.done, row.percent) == (COMPLETE, row.total, 100)
            assert row.completed_at is not None

    two_hosts.assert_clean_logs()
