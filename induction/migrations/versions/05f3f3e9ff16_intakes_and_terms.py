"""intake: an organisation's waves of people (an election's councillors) and their date;
organisation.term_years: how long its councillors serve; user_account.intake_id

Revision ID: 05f3f3e9ff16
Revises: d9a3c5e7f1b2
Create Date: 2026-12-06 02:20:00.000000

Nothing to fill in: nobody belongs to an intake yet, so every due date stays as it was.
On SQLite the new column and its foreign key are added in place: copying user_account to
a new table (batch mode) with foreign keys on would delete, by their cascades, the
records that point to it.
"""
from alembic import op
import sqlalchemy as sa

import induction.database


# revision identifiers, used by Alembic.
revision = '05f3f3e9ff16'
down_revision = 'd9a3c5e7f1b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'intake',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('created_at', induction.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_intake_organisation_id_organisation'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_intake')),
        sa.UniqueConstraint('organisation_id', 'name', name=op.f('uq_intake_organisation_id_name')),
    )
    op.create_index(op.f('ix_intake_organisation_id'), 'intake', ['organisation_id'], unique=False)
    op.add_column('organisation', sa.Column('term_years', sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(
            'ALTER TABLE user_account ADD COLUMN intake_id INTEGER'
            ' CONSTRAINT fk_user_account_intake_id_intake REFERENCES intake (id)'
        )
    else:
        op.add_column('user_account', sa.Column('intake_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_user_account_intake_id_intake'), 'user_account', 'intake', ['intake_id'], ['id'])
    op.create_index(op.f('ix_user_account_intake_id'), 'user_account', ['intake_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_user_account_intake_id'), table_name='user_account')
    # Copying the table on SQLite, as the earlier migrations' downgrades do.
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('intake_id')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('term_years')
    op.drop_index(op.f('ix_intake_organisation_id'), table_name='intake')
    op.drop_table('intake')
