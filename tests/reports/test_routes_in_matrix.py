"""Every report route is covered by the permission matrix of tests/accounts."""

from __future__ import annotations

from tests.accounts.test_permissions_matrix import ENDPOINTS


def test_every_report_route_is_in_the_permission_matrix(app):
    covered = {(row.method, row.path.split("{")[0].rstrip("/")) for row in ENDPOINTS}
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("reports.")]
    assert len(rules) >= 12
    for rule in rules:
        prefix = rule.rule.split("<")[0].rstrip("/")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert any(m == method and p.startswith(prefix) for m, p in covered), (
                method,
                rule.rule,
            )
