"""Signals the progress feature sends, so features above it can react without being imported."""

from blinker import Namespace

_signals = Namespace()

# Sent when a person's records in a course have changed (a lesson completed, a quiz
# submitted, and the completions these reached recorded), in the same transaction
# before the commit, with sender=None and keyword arguments user (a User) and course.
progress_recorded = _signals.signal("progress-recorded")
