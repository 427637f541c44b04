"""reports: each person's status in each course, as last computed

Revision ID: 1f88284fc820
Revises: 7a41c2e9d3b5
Create Date: 2026-11-28 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1f88284fc820'
down_revision = '7a41c2e9d3b5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_status',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.String(length=100), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_activity', sa.DateTime(timezone=True), nullable=True),
    sa.Column('module_statuses', sa.Text(), nullable=False),
    sa.Column('module_best', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_course_status_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_course_status_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'course_id', name=op.f('pk_course_status'))
    )
    with op.batch_alter_table('course_status', schema=None) as batch_op:
        batch_op.create_index('ix_course_status_course_organisation', ['course_id', 'organisation_id'], unique=False)



def downgrade():
    with op.batch_alter_table('course_status', schema=None) as batch_op:
        batch_op.drop_index('ix_course_status_course_organisation')

    op.drop_table('course_status')
