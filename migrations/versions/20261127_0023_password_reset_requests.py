"""password_reset_requests: each "Forgot your password?" asked, by client address, so that one client cannot
have the planner mail links to address after address (PLANNER_PASSWORD_RESET_MAX_PER_ADDRESS an hour).

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-27 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'password_reset_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_requests')),
    )
    op.create_index('ix_password_reset_requests_address_at', 'password_reset_requests', ['address', 'at'])


def downgrade():
    op.drop_index('ix_password_reset_requests_address_at', table_name='password_reset_requests')
    op.drop_table('password_reset_requests')
