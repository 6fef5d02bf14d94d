"""people.diet: a person's diet as one of a few known ones (vegetarian, vegetarian eating egg, Jain, vegan,
halal, no beef), beside the free text 'dietary' that keeps allergies and anything else, so that an event's
dietary sheet counts them and tells a kitchen what each rules out. '' for none: existing people keep their
free text as it was.

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-27 07:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

DIETS = "('', 'vegetarian', 'vegetarian_egg', 'jain', 'vegan', 'halal', 'no_beef')"


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('diet', sa.String(length=20), nullable=False, server_default=''))
        batch_op.create_check_constraint(batch_op.f('ck_people_diet_known'), f"diet IN {DIETS}")


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_people_diet_known'), type_='check')
        batch_op.drop_column('diet')
