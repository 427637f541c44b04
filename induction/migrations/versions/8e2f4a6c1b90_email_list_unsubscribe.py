"""email: the List-Unsubscribe header of reminders and digests

Revision ID: 8e2f4a6c1b90
Revises: 3c7d2b9e4f10
Create Date: 2026-12-05 21:10:00.000000

Messages queued before have no such header, as before.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8e2f4a6c1b90'
down_revision = '3c7d2b9e4f10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('email_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('list_unsubscribe', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('email_message', schema=None) as batch_op:
        batch_op.drop_column('list_unsubscribe')
