"""site identity: the course the reports open on

Revision ID: f3b8d2a6c9e1
Revises: e6f2a8c4d1b3
Create Date: 2026-12-07 05:20:00.000000

Empty (as every row has before this revision): the reports open on the configuration's
REPORT_COURSE, else the first course in the catalogue, as before.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3b8d2a6c9e1'
down_revision = 'e6f2a8c4d1b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('site_identity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_course_id', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('site_identity', schema=None) as batch_op:
        batch_op.drop_column('report_course_id')
