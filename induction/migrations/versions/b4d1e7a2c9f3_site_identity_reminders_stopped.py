"""site_identity: the network's identity as saved on the admin page; reminders stopped

Also user_account.reminders_stopped_at: when a person stopped reminder and digest emails
with the one-click unsubscribe (NULL: they get them, as before).

Revision ID: b4d1e7a2c9f3
Revises: 8e2f4a6c1b90
Create Date: 2026-12-05 23:30:00.000000

No row until an admin first saves the page: until then the configuration's values apply.
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'b4d1e7a2c9f3'
down_revision = '8e2f4a6c1b90'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'site_identity',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('short_name', sa.String(length=40), nullable=False),
        sa.Column('site_name', sa.String(length=200), nullable=False),
        sa.Column('brand_colour', sa.String(length=7), nullable=False),
        sa.Column('sender_name', sa.String(length=200), nullable=False),
        sa.Column('sender_address', sa.String(length=254), nullable=False),
        sa.Column('support_email', sa.String(length=254), nullable=True),
        sa.Column('footer_links', sa.JSON(), nullable=False),
        sa.Column('logo', sa.LargeBinary(), nullable=True),
        sa.Column('logo_type', sa.String(length=32), nullable=True),
        sa.Column('logo_alt', sa.String(length=200), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['updated_by_id'], ['user_account.id'],
            name=op.f('fk_site_identity_updated_by_id_user_account'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_site_identity')),
    )


    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('reminders_stopped_at', sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('reminders_stopped_at')
    op.drop_table('site_identity')
