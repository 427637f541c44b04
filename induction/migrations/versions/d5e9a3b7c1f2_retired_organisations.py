"""organisations: when each was retired; an uploaded member list belongs to no organisation

Revision ID: d5e9a3b7c1f2
Revises: c4d81f2a9e37
Create Date: 2026-12-06 00:30:00.000000

Every organisation starts in use (retired_at empty). A pending upload's organisation
becomes optional: the member list of the whole network is previewed for no one organisation.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5e9a3b7c1f2'
down_revision = 'c4d81f2a9e37'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('pending_upload', schema=None) as batch_op:
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    op.execute("DELETE FROM pending_upload WHERE organisation_id IS NULL")
    with op.batch_alter_table('pending_upload', schema=None) as batch_op:
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('retired_at')
