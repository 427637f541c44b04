"""reports: question results, reminders sent, invitation start dates, an index for scores

Revision ID: 7a41c2e9d3b5
Revises: 5d8c58db48b6
Create Date: 2026-11-28 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a41c2e9d3b5'
down_revision = '5d8c58db48b6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('question_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.String(length=100), nullable=False),
    sa.Column('quiz_id', sa.String(length=100), nullable=False),
    sa.Column('question_id', sa.String(length=100), nullable=False),
    sa.Column('is_correct', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['quiz_attempt.id'], name=op.f('fk_question_result_attempt_id_quiz_attempt'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_result')),
    sa.UniqueConstraint('attempt_id', 'question_id', name=op.f('uq_question_result_attempt_id_question_id'))
    )
    with op.batch_alter_table('question_result', schema=None) as batch_op:
        batch_op.create_index('ix_question_result_course_quiz', ['course_id', 'quiz_id', 'question_id', 'is_correct'], unique=False)

    op.create_table('reminder_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_reminder_sent_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_sent')),
    sa.UniqueConstraint('user_id', 'course_id', 'kind', 'sent_on', name=op.f('uq_reminder_sent_user_id_course_id_kind_sent_on'))
    )
    with op.batch_alter_table('reminder_sent', schema=None) as batch_op:
        batch_op.create_index('ix_reminder_sent_course_kind', ['course_id', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_sent_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('start_date', sa.Date(), nullable=True))

    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_quiz_attempt_results', ['user_id', 'course_id', 'quiz_id', 'submitted_at', 'right', 'total', 'is_passed'], unique=False)


def downgrade():
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_attempt_results')

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('start_date')

    with op.batch_alter_table('reminder_sent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_sent_user_id'))
        batch_op.drop_index('ix_reminder_sent_course_kind')

    op.drop_table('reminder_sent')
    with op.batch_alter_table('question_result', schema=None) as batch_op:
        batch_op.drop_index('ix_question_result_course_quiz')

    op.drop_table('question_result')
