"""accounts: identity providers (OpenID Connect) and sign-in links by email

Revision ID: b4d1f0e7a2c3
Revises: b4d7e1a9c2f3
Create Date: 2026-12-05 23:20:00.000000

Each organisation may have one identity provider; its client secret is stored
encrypted. Organisations may let their people ask for a one-time sign-in link by email
(off for every organisation until an admin turns it on).
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'b4d1f0e7a2c3'
down_revision = 'b4d7e1a9c2f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'identity_provider',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('issuer', sa.String(length=500), nullable=False),
        sa.Column('client_id', sa.String(length=255), nullable=False),
        sa.Column('client_secret_encrypted', sa.Text(), nullable=False),
        sa.Column('domains', sa.String(length=1000), nullable=False),
        sa.Column('audience', sa.String(length=20), nullable=False),
        sa.Column('is_creating_accounts', sa.Boolean(), nullable=False),
        sa.Column('is_mfa_claim_trusted', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['organisation_id'], ['organisation.id'],
            name=op.f('fk_identity_provider_organisation_id_organisation'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_provider')),
        sa.UniqueConstraint('organisation_id', name=op.f('uq_identity_provider_organisation_id')),
    )
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('has_sign_in_links', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('has_sign_in_links')
    op.drop_table('identity_provider')
