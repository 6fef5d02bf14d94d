"""people.diet read from the dietary text people were recorded with before there was a diet ('Jain',
'Vegetarian (no egg), allergic to nuts' → jain, 'allergic to nuts'), as the members import reads a list's
dietary cell. Left '' (0024), every one of them counted as 'no particular diet' on the events' dietary sheets,
and a kitchen was told of no vegetarian at all. Text that names no known diet stays as it was.

The downgrade writes the diet back in front of the notes ('Jain, allergic to nuts'), so that going below 0024,
which drops the column, loses no one's diet.

The words are a copy of planner/delegations/diets.py's as of this revision (a migration must not change with
the code).

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-27 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

people = sa.table('people', sa.column('id', sa.Integer), sa.column('diet', sa.String),
                  sa.column('dietary', sa.String))

LABELS = {'vegetarian': 'Vegetarian', 'vegetarian_egg': 'Vegetarian (eats egg)', 'jain': 'Jain', 'vegan': 'Vegan',
          'halal': 'Halal', 'no_beef': 'No beef'}
WRITTEN = {
    'vegetarian': ('vegetarian', 'veg', 'pure veg', 'pure vegetarian', 'lacto vegetarian', 'vegetarian no egg',
                   'veg no egg', 'ベジタリアン', '菜食', '菜食主義'),
    'vegetarian_egg': ('vegetarian egg', 'vegetarian eats egg', 'eggetarian', 'ovo lacto vegetarian',
                       'vegetarian with egg', 'veg with egg', 'ベジタリアン 卵可'),
    'jain': ('jain', 'jain food', 'jain vegetarian', 'ジャイナ教', 'ジャイナ教食', 'ジャイナ教徒の菜食'),
    'vegan': ('vegan', 'ビーガン', 'ヴィーガン'),
    'halal': ('halal', 'ハラル', 'ハラール'),
    'no_beef': ('no beef', 'beef free', '牛肉不可'),
}
KEY_OF = {written: key for key, words in WRITTEN.items() for written in words}


def _written(text):
    for mark in '-()（）.,、・/;':
        text = text.replace(mark, ' ')
    return ' '.join(text.lower().split())


def split_diet(text):
    text = (text or '').strip()
    if 'non veg' in _written(text):
        return '', text
    key = KEY_OF.get(_written(text))
    if key:
        return key, ''
    for separator in (',', ';', '、', '/', '・', '(', '（', ' - ', ' – '):
        head, found, rest = text.partition(separator)
        if found and (key := KEY_OF.get(_written(head))):
            return key, rest.strip().strip('()（）').strip()
    return '', text


def upgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.select(people.c.id, people.c.dietary).where(people.c.diet == '',
                                                                       people.c.dietary != '')).all()
    for person_id, dietary in rows:
        diet, notes = split_diet(dietary)
        if diet:
            bind.execute(people.update().where(people.c.id == person_id).values(diet=diet, dietary=notes))


def downgrade():
    bind = op.get_bind()
    for person_id, diet, dietary in bind.execute(sa.select(people.c.id, people.c.diet, people.c.dietary)
                                                 .where(people.c.diet != '')).all():
        text = ', '.join(part for part in (LABELS.get(diet, ''), (dietary or '').strip()) if part)[:500]
        bind.execute(people.update().where(people.c.id == person_id).values(diet='', dietary=text))
