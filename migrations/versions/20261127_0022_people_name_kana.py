"""people.name_kana: the reading of a person's name (フリガナ), in katakana, family name first.  Japanese offices
list and find people by it (五十音順); '' (no reading given): listed after those with one, by the romanised name.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-27 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_kana', sa.String(length=200), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('name_kana')
