"""Production mode: gunicorn workers on two "hosts" sharing one database and Redis counters."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import text

from induction.extensions import db
from tests.reliability.cluster import Cluster, redis_required
from tests.reliability.conftest import ACCOUNT_LOGIN_LIMIT
from tests.reliability.visitor import Visitor, form_posting_to

pytestmark = [pytest.mark.concurrency, pytest.mark.slow]


def test_each_host_runs_its_workers_on_the_shared_database(two_hosts: Cluster) -> None:
    assert len(two_hosts.servers) == 2
    for server in two_hosts.servers:
        assert len(server.worker_pids()) == 2
        reply = Visitor(server.url).get("/healthz")
        assert reply.status == 200
        assert json.loads(reply.body) == {"status": "ok", "database": "ok"}
    with two_hosts.app():
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        tables = db.session.execute(text("SELECT version_num FROM alembic_version")).all()
        assert len(tables) == 1  # migrated by `flask db upgrade`, as a deployment is


def test_production_pages_carry_secure_cookies_and_headers(two_hosts: Cluster) -> None:
    reply = Visitor(two_hosts.servers[0].url).get("/login")
    assert reply.status == 200
    cookie = reply.headers["set-cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert reply.headers["strict-transport-security"].startswith("max-age=")
    assert "default-src 'self'" in reply.headers["content-security-policy"]


def test_a_session_started_on_one_host_works_on_the_other(two_hosts: Cluster) -> None:
    from tests.reliability import seed
    from tests.reliability.cluster import PASSWORD

    with two_hosts.app():
        (learner,) = seed.add_learners(1)
    first, second = two_hosts.servers
    visitor = Visitor(first.url, ip="10.9.0.1")
    visitor.sign_in(learner.email, PASSWORD)
    assert visitor.get("/", base_url=second.url).status == 200
    page = visitor.get("/", base_url=second.url)
    logout = form_posting_to(page.body, "/logout")
    assert visitor.post("/logout", logout.hidden, base_url=second.url).status in (302, 303)
    # Signed out everywhere: the session lived in the database, not in either host.
    assert visitor.get("/my/record", base_url=first.url).status == 302


def test_sign_in_limits_are_counted_across_both_hosts(two_hosts: Cluster) -> None:
    if not two_hosts.uses_redis:
        if redis_required():
            pytest.fail("Redis does not answer at 127.0.0.1:6379, and INDUCTION_REQUIRE_REDIS=1")
        pytest.skip("Redis does not answer at 127.0.0.1:6379: rate limits cannot be shared")
    email = f"nobody-{uuid.uuid4().hex[:8]}@example.org"
    first, second = two_hosts.servers
    visitor = Visitor(first.url, ip="10.8.0.1")

    def try_wrong_password(server_url: str) -> int:
        page = visitor.get("/login", base_url=server_url)
        form = form_posting_to(page.body, "/login", here="/login")
        return visitor.post(
            "/login",
            [*form.hidden, ("email", email), ("password", "not the password")],
            base_url=server_url,
        ).status

    # Alternate hosts (and so, four workers): in-memory counters would never reach the limit.
    statuses = [
        try_wrong_password(server.url)
        for server in [first, second, first, second, first, second][: ACCOUNT_LOGIN_LIMIT + 1]
    ]
    assert statuses[:ACCOUNT_LOGIN_LIMIT] == [200] * ACCOUNT_LOGIN_LIMIT
    assert statuses[ACCOUNT_LOGIN_LIMIT] == 429
    assert try_wrong_password(second.url if ACCOUNT_LOGIN_LIMIT % 2 else first.url) == 429
