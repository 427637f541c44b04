"""Signals the quizzes feature sends, so features above it can react without being imported."""

from blinker import Namespace

_signals = Namespace()

# Sent after an attempt's result is stored (in the same transaction, before the commit),
# with sender=None and keyword arguments user_id, course_id, quiz_id, is_passed.
attempt_submitted = _signals.signal("attempt-submitted")
