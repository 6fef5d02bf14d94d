"""Japanese titles beside the English ones: delegations.title_ja, events.title_ja, venues.name_ja.  A visit to
静岡県庁 planned by the Shizuoka office mailed its Japanese title to Indian delegates, or an English one to Japanese
delegates: each reader now gets the title in their language when one is given.  '' (no Japanese title): the
title as entered, everywhere, as before.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-27 03:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

COLUMNS = (('delegations', 'title_ja'), ('events', 'title_ja'), ('venues', 'name_ja'))


def upgrade():
    for table, column in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, sa.String(length=200), nullable=False, server_default=''))


def downgrade():
    for table, column in reversed(COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
