"""invitations: who wrote the note, so an invitation sent again names them, not the sender

Revision ID: 661df2d1e0e3
Revises: 7ea82a115957
Create Date: 2026-12-07 15:15:00.000000

An invitation sent again when its link expires keeps the note; the new invitation's
sender is whoever sent it again, so a third sending credited the note to the second
sender. Each invitation now records the note's writer. Invitations made before this
revision get, as the writer of their note, whoever sent the first invitation to the
same address, into the same organisation, with the same note (the invitations sent
again are later ones); with no note, none.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '661df2d1e0e3'
down_revision = '7ea82a115957'
branch_labels = None
depends_on = None


def upgrade():
    # On SQLite the table is copied, so that the new foreign key keeps its name and its
    # ON DELETE rule (no table refers to invitation, and env.py turns foreign keys off
    # while it is copied); on PostgreSQL these are plain ALTER TABLE statements.
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_invitation_note_by_id_user_account'),
            'user_account',
            ['note_by_id'],
            ['id'],
            ondelete='SET NULL',
        )
    op.execute(
        "UPDATE invitation SET note_by_id = (SELECT earliest.invited_by_id"
        " FROM invitation AS earliest WHERE earliest.email = invitation.email"
        " AND earliest.note = invitation.note"
        " AND (earliest.organisation_id = invitation.organisation_id"
        " OR (earliest.organisation_id IS NULL AND invitation.organisation_id IS NULL))"
        " ORDER BY earliest.created_at, earliest.id LIMIT 1)"
        " WHERE note <> ''"
    )


def downgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_invitation_note_by_id_user_account'), type_='foreignkey'
        )
        batch_op.drop_column('note_by_id')
