"""events.kind 'stay': a hotel stay, from check-in to check-out (up to 30 nights), which clashes only with another
stay of the same people. Recorded before as 'other', a stay ran into the 72-hour limit and clashed with every
event of the days it spans.

On SQLite the CHECK constraint changes by rebuilding the table (batch mode); env.py turns foreign keys off for
it, so the tables referring to events (attendees, invites, B2B sessions) keep their rows, and checks afterwards
that none points nowhere.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-27 00:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

BEFORE = "kind IN ('meeting', 'site_visit', 'seminar', 'reception', 'b2b', 'travel', 'other')"
AFTER = "kind IN ('meeting', 'site_visit', 'seminar', 'reception', 'b2b', 'travel', 'stay', 'other')"


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_events_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_events_kind_known'), AFTER)


def downgrade():
    # a stay has no kind before this revision: it becomes 'other' (its length and clashes are not checked again)
    op.execute("UPDATE events SET kind = 'other' WHERE kind = 'stay'")
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_events_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_events_kind_known'), BEFORE)
