"""invitations: the inviter's note is kept, so a renewed invitation says it again

Revision ID: 7ea82a115957
Revises: d5e1a9c3f7b0
Create Date: 2026-12-07 11:30:00.000000

Invitations made before have no note recorded ("", as if none was written): a new
invitation sent to replace one of them carries none, as before.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7ea82a115957'
down_revision = 'd5e1a9c3f7b0'
branch_labels = None
depends_on = None


def upgrade():
    # ALTER TABLE ... ADD COLUMN, on SQLite too, never a batch copy: on SQLite a copy drops
    # and recreates invitation, a table with foreign keys.
    op.add_column('invitation', sa.Column('note', sa.Text(), server_default='', nullable=False))


def downgrade():
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later), for the same reason.
    op.drop_column('invitation', 'note')
