"""lesson_update: the note, re-read period and changed sections of each new lesson version;
certificate.lesson_versions: the lesson versions a certificate was earned on

Revision ID: d9a3c5e7f1b2
Revises: d5e9a3b7c1f2
Create Date: 2026-12-06 00:30:00.000000

Nothing to fill in: versions published before this keep no note, and their readers see
only "Updated since you read it"; certificates issued before say nothing of versions.
"""
from alembic import op
import sqlalchemy as sa

import induction.database


# revision identifiers, used by Alembic.
revision = 'd9a3c5e7f1b2'
down_revision = 'd5e9a3b7c1f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'lesson_update',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('publication_id', sa.Integer(), nullable=True),
        sa.Column('course_id', sa.String(length=100), nullable=False),
        sa.Column('lesson_id', sa.String(length=100), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('reread_days', sa.Integer(), nullable=False),
        sa.Column('changed_sections', sa.Text(), nullable=False),
        sa.Column('published_at', induction.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['publication_id'], ['course_publication.id'], name=op.f('fk_lesson_update_publication_id_course_publication'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_update')),
    )
    op.create_index('ix_lesson_update_lesson', 'lesson_update', ['course_id', 'lesson_id', 'version'], unique=False)
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lesson_versions', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_column('lesson_versions')
    op.drop_index('ix_lesson_update_lesson', table_name='lesson_update')
    op.drop_table('lesson_update')
