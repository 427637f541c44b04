"""organisation_figure and organisation_headcount: per organisation and course, how many
people are in each state, kept current by every write, for the network overview

Revision ID: 89fa4be3f489
Revises: 92d4b7161ff4
Create Date: 2026-12-06 02:10:00.000000

Nothing to fill in: until `flask --app induction reports refresh` builds them, the network
overview works every organisation out from the stored statuses, as before.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '89fa4be3f489'
down_revision = '92d4b7161ff4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'organisation_figure',
        sa.Column('course_id', sa.String(length=100), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('audience_key', sa.String(length=20), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('status', sa.Integer(), nullable=False),
        sa.Column('due_start', sa.Date(), nullable=False),
        sa.Column('people', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_organisation_figure_organisation_id_organisation'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('course_id', 'organisation_id', 'audience_key', 'fingerprint', 'status', 'due_start', name=op.f('pk_organisation_figure')),
    )
    op.create_table(
        'organisation_headcount',
        sa.Column('course_id', sa.String(length=100), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('people', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_organisation_headcount_organisation_id_organisation'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('course_id', 'organisation_id', name=op.f('pk_organisation_headcount')),
    )


def downgrade():
    op.drop_table('organisation_headcount')
    op.drop_table('organisation_figure')
