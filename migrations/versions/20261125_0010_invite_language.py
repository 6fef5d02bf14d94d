"""delegations: the language of invitations and mails (each recipient's, or both)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 19:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invite_language', sa.String(length=10), server_default='recipient',
                                      nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_delegations_invite_language_known'),
                                         "invite_language IN ('recipient', 'both')")


def downgrade():
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_delegations_invite_language_known'), type_='check')
        batch_op.drop_column('invite_language')
