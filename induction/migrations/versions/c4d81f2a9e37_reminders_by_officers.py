"""people: when each was last reminded, and each lead officer's digest frequency

Revision ID: c4d81f2a9e37
Revises: b7d3e1f0a2c4
Create Date: 2026-12-05 23:15:00.000000

Everyone starts never reminded (the reminders recorded so far still count in their own
throttle) and with the weekly digest.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d81f2a9e37'
down_revision = 'b7d3e1f0a2c4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('digest_frequency', sa.String(length=10), nullable=False, server_default='weekly')
        )


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('digest_frequency')
        batch_op.drop_column('last_reminded_at')
