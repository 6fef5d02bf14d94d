"""b2b_solver_runs: whether the run kept every placed meeting where it was (only the others were placed)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('b2b_solver_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keep_placed', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('b2b_solver_runs', schema=None) as batch_op:
        batch_op.drop_column('keep_placed')
