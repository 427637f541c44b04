"""Reports: read-only aggregate queries, charts and exports for managers and admins."""
