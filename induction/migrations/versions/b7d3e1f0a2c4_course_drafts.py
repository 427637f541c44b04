"""course drafts: the draft set of each course folder and the history of publishes

Revision ID: b7d3e1f0a2c4
Revises: b4d1f0e7a2c3
Create Date: 2026-12-05 23:20:00.000000

Course files stay on disk; these tables hold changes not yet published and the
text of every file before and after each publish.
"""
from alembic import op
import sqlalchemy as sa

import induction.database


# revision identifiers, used by Alembic.
revision = 'b7d3e1f0a2c4'
down_revision = 'b4d1f0e7a2c3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'course_draft_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('folder', sa.String(length=200), nullable=False),
        sa.Column('path', sa.String(length=500), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('base_hash', sa.String(length=64), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', induction.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_course_draft_file_author_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_course_draft_file')),
        sa.UniqueConstraint('folder', 'path', name=op.f('uq_course_draft_file_folder_path')),
    )
    op.create_table(
        'course_publication',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('folder', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_name', sa.String(length=200), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('published_at', induction.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_course_publication_actor_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_course_publication')),
    )
    op.create_index('ix_course_publication_folder', 'course_publication', ['folder', 'published_at'], unique=False)
    op.create_table(
        'course_published_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('publication_id', sa.Integer(), nullable=False),
        sa.Column('path', sa.String(length=500), nullable=False),
        sa.Column('before', sa.LargeBinary(), nullable=True),
        sa.Column('after', sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(['publication_id'], ['course_publication.id'], name=op.f('fk_course_published_file_publication_id_course_publication'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_course_published_file')),
    )
    op.create_index('ix_course_published_file_path', 'course_published_file', ['path'], unique=False)
    op.create_index(op.f('ix_course_published_file_publication_id'), 'course_published_file', ['publication_id'], unique=False)
    op.create_table(
        'course_scheduled_publish',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('folder', sa.String(length=200), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('due_at', induction.database.UTCDateTime(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('outcome', sa.Text(), nullable=False),
        sa.Column('created_at', induction.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_course_scheduled_publish_actor_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_course_scheduled_publish')),
    )
    op.create_index('ix_course_scheduled_publish_due', 'course_scheduled_publish', ['state', 'due_at'], unique=False)
    op.create_table(
        'course_draft_setting',
        sa.Column('folder', sa.String(length=200), nullable=False),
        sa.Column('needs_review', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('folder', name=op.f('pk_course_draft_setting')),
    )
    op.create_table(
        'course_draft_approval',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('folder', sa.String(length=200), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('approver_id', sa.Integer(), nullable=True),
        sa.Column('approved_at', induction.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['approver_id'], ['user_account.id'], name=op.f('fk_course_draft_approval_approver_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_course_draft_approval')),
    )
    op.create_index('ix_course_draft_approval_folder', 'course_draft_approval', ['folder', 'digest'], unique=False)


def downgrade():
    op.drop_index('ix_course_draft_approval_folder', table_name='course_draft_approval')
    op.drop_table('course_draft_approval')
    op.drop_table('course_draft_setting')
    op.drop_index('ix_course_scheduled_publish_due', table_name='course_scheduled_publish')
    op.drop_table('course_scheduled_publish')
    op.drop_index(op.f('ix_course_published_file_publication_id'), table_name='course_published_file')
    op.drop_index('ix_course_published_file_path', table_name='course_published_file')
    op.drop_table('course_published_file')
    op.drop_index('ix_course_publication_folder', table_name='course_publication')
    op.drop_table('course_publication')
    op.drop_table('course_draft_file')
