"""reminders: who sent a lead officer's reminder, and the words they added

Revision ID: e6f2a8c4d1b3
Revises: 89fa4be3f489
Create Date: 2026-12-07 02:10:00.000000

Reminders sent before this revision keep no sender and no message (both empty): a
person's record says they were not recorded.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e6f2a8c4d1b3'
down_revision = '89fa4be3f489'
branch_labels = None
depends_on = None


def upgrade():
    # On SQLite the table is copied, so that the new foreign key keeps its name and its
    # ON DELETE rule; on PostgreSQL these are plain ALTER TABLE statements.
    with op.batch_alter_table('reminder_sent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sent_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('message', sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_reminder_sent_sent_by_id_user_account'),
            'user_account',
            ['sent_by_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('reminder_sent', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_reminder_sent_sent_by_id_user_account'), type_='foreignkey'
        )
        batch_op.drop_column('message')
        batch_op.drop_column('sent_by_id')
