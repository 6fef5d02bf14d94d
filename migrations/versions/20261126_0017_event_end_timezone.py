"""events.end_timezone: the clock an event ends on when it differs from its start's (a flight leaving Narita at
11:00 JST lands in Delhi at 16:30 IST).  The instant was stored right; pages, the agenda and the CSV showed the
arrival on the departure's clock (20:00 JST).  NULL: the start's zone, as before.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('end_timezone', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('end_timezone')
