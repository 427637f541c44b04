"""The pure content core: course Markdown files -> immutable course objects (no Flask, no SQLAlchemy)."""
