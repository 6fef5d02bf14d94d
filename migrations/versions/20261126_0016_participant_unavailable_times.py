"""b2b_participants.unavailable_times: the times a firm said it is away ([["12:00", "12:40"], …], venue time), kept
when the session's slots change, from which its unavailable slot numbers are worked out again (the numbers
alone drifted: removing a lunch break made them mean an hour earlier, and shifting the slots back and forth
widened them).  NULL for what was saved before: the times are then read off the current slots.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('b2b_participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unavailable_times', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('b2b_participants', schema=None) as batch_op:
        batch_op.drop_column('unavailable_times')
