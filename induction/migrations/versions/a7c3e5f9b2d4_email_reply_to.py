"""email: the Reply-To of a message sent on a person's behalf (an officer's reminder)

Revision ID: a7c3e5f9b2d4
Revises: f3b8d2a6c9e1
Create Date: 2026-12-07 09:40:00.000000

Messages queued before have no Reply-To: a reply reaches the sender, as before.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e5f9b2d4'
down_revision = 'f3b8d2a6c9e1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('email_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_to', sa.String(length=1000), nullable=True))


def downgrade():
    with op.batch_alter_table('email_message', schema=None) as batch_op:
        batch_op.drop_column('reply_to')
