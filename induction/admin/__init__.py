"""Admin: authoring and management screens built on the other features' services."""
