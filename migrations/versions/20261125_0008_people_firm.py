"""people: the registered firm a person represents

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 17:20:46.351822

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('firm_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_people_firm_id'), ['firm_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_people_firm_id_firms'), 'firms', ['firm_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_people_firm_id_firms'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_people_firm_id'))
        batch_op.drop_column('firm_id')

