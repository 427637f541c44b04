"""Fixtures of the reliability tests: two gunicorn "hosts" in production mode on one database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.cluster import Cluster, make_cluster

# Failed sign-ins allowed per account in the two-host cluster: small, so the test that
# proves the counters are shared reaches the limit quickly.
ACCOUNT_LOGIN_LIMIT = 3


@pytest.fixture(scope="package")
def two_hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Two gunicorn processes of two workers each, sharing one fresh, migrated database."""
    cluster = make_cluster(
        tmp_path_factory.mktemp("two-hosts"),
        LOGIN_LIMIT_PER_ACCOUNT=f"{ACCOUNT_LOGIN_LIMIT} per 15 minutes",
        LOGIN_LIMIT_PER_IP="1000 per 15 minutes",
    )
    try:
        cluster.add_servers(2, workers=2)
        yield cluster
    finally:
        cluster.stop()
