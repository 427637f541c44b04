"""quizzes: at most one open attempt per person and quiz version

Revision ID: 3c7d2b9e4f10
Revises: 3c5e9a7b1d42
Create Date: 2026-12-05 20:00:00.000000

Two starts of the same quiz at once (a double click) could each insert an attempt.
Before the unique index is created, duplicates already made that way are resolved:
of a person's open (unsubmitted) attempts at one version of a quiz, the newest is
kept (the one "Continue the quiz" leads to) and the older ones are deleted. An open
attempt has no result, and an older one was never shown again, so nothing a learner
could reach is lost and no attempt count changes (only submitted attempts count).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c7d2b9e4f10'
down_revision = '3c5e9a7b1d42'
branch_labels = None
depends_on = None

OPEN = sa.text("submitted_at IS NULL")


def upgrade():
    op.execute(
        """
        DELETE FROM quiz_attempt
        WHERE submitted_at IS NULL
          AND EXISTS (
            SELECT 1 FROM quiz_attempt AS newer
            WHERE newer.submitted_at IS NULL
              AND newer.user_id = quiz_attempt.user_id
              AND newer.course_id = quiz_attempt.course_id
              AND newer.quiz_id = quiz_attempt.quiz_id
              AND newer.quiz_hash = quiz_attempt.quiz_hash
              AND (newer.started_at > quiz_attempt.started_at
                   OR (newer.started_at = quiz_attempt.started_at
                       AND newer.id > quiz_attempt.id))
          )
        """
    )
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.create_index(
            'uq_quiz_attempt_open',
            ['user_id', 'course_id', 'quiz_id', 'quiz_hash'],
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )


def downgrade():
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.drop_index('uq_quiz_attempt_open', sqlite_where=OPEN, postgresql_where=OPEN)
