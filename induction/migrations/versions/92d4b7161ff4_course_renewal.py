"""course_renewal: each time a person completes a course again once it was due for renewal;
lesson_completion.renewal: the renewal a lesson was read again for (0 otherwise), part of
the completion's uniqueness; course_status.last_completed_at: the latest completion

Revision ID: 92d4b7161ff4
Revises: 05f3f3e9ff16
Create Date: 2026-12-06 02:30:00.000000

Existing lesson completions were all read outside any renewal (0). Existing stored
statuses are rewritten by the next refresh (their row format changed).
"""
from alembic import op
import sqlalchemy as sa

import induction.database


# revision identifiers, used by Alembic.
revision = '92d4b7161ff4'
down_revision = '05f3f3e9ff16'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'course_renewal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('course_id', sa.String(length=100), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('completed_at', induction.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_course_renewal_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_course_renewal')),
        sa.UniqueConstraint('user_id', 'course_id', 'number', name=op.f('uq_course_renewal_user_id_course_id_number')),
    )
    op.create_index('ix_course_renewal_course', 'course_renewal', ['course_id'], unique=False)
    with op.batch_alter_table('lesson_completion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('renewal', sa.Integer(), server_default='0', nullable=False))
        batch_op.drop_constraint('uq_lesson_completion_user_id_course_id_lesson_id_lesson_version', type_='unique')
        batch_op.create_unique_constraint('uq_lesson_completion_once_per_round', ['user_id', 'course_id', 'lesson_id', 'lesson_version', 'renewal'])
    with op.batch_alter_table('course_status', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_completed_at', induction.database.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('course_status', schema=None) as batch_op:
        batch_op.drop_column('last_completed_at')
    # Lesson completions read again for a renewal go: the first reading of each version stays.
    op.execute('DELETE FROM lesson_completion WHERE renewal <> 0')
    with op.batch_alter_table('lesson_completion', schema=None) as batch_op:
        batch_op.drop_constraint('uq_lesson_completion_once_per_round', type_='unique')
        batch_op.create_unique_constraint('uq_lesson_completion_user_id_course_id_lesson_id_lesson_version', ['user_id', 'course_id', 'lesson_id', 'lesson_version'])
        batch_op.drop_column('renewal')
    op.drop_index('ix_course_renewal_course', table_name='course_renewal')
    op.drop_table('course_renewal')
