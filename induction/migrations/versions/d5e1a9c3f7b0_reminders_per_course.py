"""people: when each was last reminded is read per course from the reminders sent

Revision ID: d5e1a9c3f7b0
Revises: a7c3e5f9b2d4
Create Date: 2026-12-07 09:00:00.000000

A reminder about one course no longer holds back a reminder about another: when a person
was last reminded about a course is the latest `reminder_sent` row of that person and
course (progress/reminded.py), which every reminder already wrote. The one time per
person it replaces is dropped; going back fills it again from those rows.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5e1a9c3f7b0'
down_revision = 'a7c3e5f9b2d4'
branch_labels = None
depends_on = None


def upgrade():
    # ALTER TABLE ... DROP COLUMN, on SQLite too (3.35 and later), never a batch copy: on
    # SQLite that drops and recreates user_account, and dropping it deletes, by their
    # ON DELETE CASCADE, the rows of every table that refers to it.
    op.drop_column('user_account', 'last_reminded_at')


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_reminded_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE user_account SET last_reminded_at = (SELECT max(reminder_sent.created_at)"
        " FROM reminder_sent WHERE reminder_sent.user_id = user_account.id"
        " AND reminder_sent.kind != 'manager_digest')"
    )
