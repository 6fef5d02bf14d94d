"""delegations: the region that planned the visit, kept as it was when the delegation was recorded

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organiser_region_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_delegations_organiser_region_id_regions'), 'regions',
                                    ['organiser_region_id'], ['id'], ondelete='SET NULL')
    # existing delegations: the region their creator's account has now (the best there is), when that region
    # takes part in the delegation
    op.execute("""
        UPDATE delegations SET organiser_region_id = (
            SELECT users.region_id FROM users
            WHERE users.id = delegations.created_by_id
              AND EXISTS (SELECT 1 FROM delegation_regions
                          WHERE delegation_regions.delegation_id = delegations.id
                            AND delegation_regions.region_id = users.region_id))
    """)


def downgrade():
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_delegations_organiser_region_id_regions'), type_='foreignkey')
        batch_op.drop_column('organiser_region_id')
