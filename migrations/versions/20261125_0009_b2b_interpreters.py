"""b2b: a session's pool of interpreters, and the interpreter assigned to a meeting

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 18:40:00.000000

On SQLite the new column, its foreign key and its check are added with ALTER TABLE ... ADD COLUMN, and the
one-interpreter-per-slot rule is a unique index: rebuilding b2b_meetings (Alembic's batch mode) would run into
the foreign keys of the tables that refer to it (calendar invites, follow-ups) on a database with data.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

CHECK = "interpreter_id IS NULL OR (status = 'scheduled' AND needs_interpreter)"


def upgrade():
    op.create_table('b2b_session_interpreters',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_b2b_session_interpreters_person_id_people'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['session_id'], ['b2b_sessions.id'], name=op.f('fk_b2b_session_interpreters_session_id_b2b_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'person_id', name=op.f('pk_b2b_session_interpreters'))
    )
    op.create_index(op.f('ix_b2b_session_interpreters_person_id'), 'b2b_session_interpreters', ['person_id'], unique=False)

    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE b2b_meetings ADD COLUMN interpreter_id INTEGER '
                   'CONSTRAINT fk_b2b_meetings_interpreter_id_people REFERENCES people (id) '
                   f'CONSTRAINT ck_b2b_meetings_interpreter_only_when_placed_and_needed CHECK ({CHECK})')
    else:
        op.add_column('b2b_meetings', sa.Column('interpreter_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_b2b_meetings_interpreter_id_people'), 'b2b_meetings', 'people', ['interpreter_id'], ['id'])
        op.create_check_constraint(op.f('ck_b2b_meetings_interpreter_only_when_placed_and_needed'), 'b2b_meetings', CHECK)
    op.create_index(op.f('ix_b2b_meetings_interpreter_id'), 'b2b_meetings', ['interpreter_id'], unique=False)
    op.create_index('uq_b2b_meetings_session_id_slot_interpreter_id', 'b2b_meetings', ['session_id', 'slot', 'interpreter_id'], unique=True)


def downgrade():
    op.drop_index('uq_b2b_meetings_session_id_slot_interpreter_id', table_name='b2b_meetings')
    op.drop_index(op.f('ix_b2b_meetings_interpreter_id'), table_name='b2b_meetings')
    with op.batch_alter_table('b2b_meetings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_b2b_meetings_interpreter_only_when_placed_and_needed'), type_='check')
        if op.get_bind().dialect.name != 'sqlite':  # SQLite reflects the column's foreign key without its name;
            # rebuilding the table without the column drops it there
            batch_op.drop_constraint(batch_op.f('fk_b2b_meetings_interpreter_id_people'), type_='foreignkey')
        batch_op.drop_column('interpreter_id')

    op.drop_index(op.f('ix_b2b_session_interpreters_person_id'), table_name='b2b_session_interpreters')
    op.drop_table('b2b_session_interpreters')
