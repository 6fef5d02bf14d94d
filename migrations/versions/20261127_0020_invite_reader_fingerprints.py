"""calendar_invites.fingerprint_ja: what an invite said to its Japanese readers when last sent, beside what it
said to its English readers (fingerprint). A Japanese title or venue name given or changed sent an update to
every holder, English readers too, who read nothing new and had their answers reset; now only those who read
the changed text get one.  '' (invites sent before): fingerprint holds the one fingerprint they had.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-27 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('calendar_invites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fingerprint_ja', sa.String(length=64), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('calendar_invites', schema=None) as batch_op:
        batch_op.drop_column('fingerprint_ja')
