"""firms.name_kana in NFKC and katakana: readings saved before firms' saves normalised them (half-width
ｶﾌﾞｼｷｶﾞｲｼｬ from spreadsheets, hiragana かぶしきがいしゃ from some offices) now read as new ones do
(カブシキガイシャ), so that one reading sorts and matches as the other (hiragana sorted before all katakana).

Data only; the downgrade leaves the readings normalised (the other forms carried nothing of their own).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26 19:50:00.000000

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

firms = sa.table('firms', sa.column('id', sa.Integer), sa.column('name_kana', sa.String))


def upgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.select(firms.c.id, firms.c.name_kana).where(firms.c.name_kana != '')).all()
    for firm_id, reading in rows:
        normalised = ''.join(chr(ord(c) + 0x60) if '\u3041' <= c <= '\u3096' else c
                             for c in unicodedata.normalize('NFKC', reading).strip())
        if normalised != reading:
            bind.execute(firms.update().where(firms.c.id == firm_id).values(name_kana=normalised))


def downgrade():
    pass  # nothing to restore: the half-width forms meant the same readings
