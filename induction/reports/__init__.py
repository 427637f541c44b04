"""Reports: read-only aggregate queries, charts and exports for managers and admins.

Nothing here writes; the pages and commands that start a write (bulk invitations, the
stored statuses' refresh, export audit entries) call the owning feature's services and
commit at the boundary (views.py, cli.py). tests/reports/test_read_only.py checks it.
"""
