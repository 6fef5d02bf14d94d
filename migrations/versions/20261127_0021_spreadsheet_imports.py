"""firm_imports becomes spreadsheet_imports: the stored preview of any spreadsheet import, told apart by kind
('firms', or 'members' of a delegation, whose id it keeps). Existing rows are firm imports.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-27 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

# PostgreSQL keeps constraint and sequence names through a rename; SQLite's batch rebuild names them afresh
RENAMED = (('pk_firm_imports', 'pk_spreadsheet_imports'),
           ('fk_firm_imports_region_id_regions', 'fk_spreadsheet_imports_region_id_regions'),
           ('fk_firm_imports_uploaded_by_id_users', 'fk_spreadsheet_imports_uploaded_by_id_users'))


def _rename_constraints(table, pairs):
    if op.get_bind().dialect.name == 'postgresql':
        for old, new in pairs:
            op.execute(f'ALTER TABLE {table} RENAME CONSTRAINT {old} TO {new}')


def upgrade():
    with op.batch_alter_table('firm_imports', schema=None) as batch_op:
        batch_op.drop_index('ix_firm_imports_uploaded_by_id')
        batch_op.drop_index('ix_firm_imports_region_id')
    op.rename_table('firm_imports', 'spreadsheet_imports')
    _rename_constraints('spreadsheet_imports', RENAMED)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER SEQUENCE firm_imports_id_seq RENAME TO spreadsheet_imports_id_seq')
    with op.batch_alter_table('spreadsheet_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='firms'))
        batch_op.add_column(sa.Column('delegation_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_spreadsheet_imports_delegation_id_delegations'), 'delegations',
                                    ['delegation_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(batch_op.f('ck_spreadsheet_imports_kind_known'),
                                         "kind IN ('firms', 'members')")
        batch_op.create_check_constraint(batch_op.f('ck_spreadsheet_imports_delegation_for_members'),
                                         "(kind = 'members') = (delegation_id IS NOT NULL)")
        batch_op.create_index(batch_op.f('ix_spreadsheet_imports_delegation_id'), ['delegation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_spreadsheet_imports_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_spreadsheet_imports_uploaded_by_id'), ['uploaded_by_id'], unique=False)


def downgrade():
    op.execute("DELETE FROM spreadsheet_imports WHERE kind <> 'firms'")  # other imports' previews have no place
    with op.batch_alter_table('spreadsheet_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spreadsheet_imports_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_spreadsheet_imports_region_id'))
        batch_op.drop_index(batch_op.f('ix_spreadsheet_imports_delegation_id'))
        batch_op.drop_constraint(batch_op.f('ck_spreadsheet_imports_delegation_for_members'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_spreadsheet_imports_kind_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_spreadsheet_imports_delegation_id_delegations'), type_='foreignkey')
        batch_op.drop_column('delegation_id')
        batch_op.drop_column('kind')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER SEQUENCE spreadsheet_imports_id_seq RENAME TO firm_imports_id_seq')
    _rename_constraints('spreadsheet_imports', [(new, old) for old, new in RENAMED])
    op.rename_table('spreadsheet_imports', 'firm_imports')
    with op.batch_alter_table('firm_imports', schema=None) as batch_op:
        batch_op.create_index('ix_firm_imports_region_id', ['region_id'], unique=False)
        batch_op.create_index('ix_firm_imports_uploaded_by_id', ['uploaded_by_id'], unique=False)
