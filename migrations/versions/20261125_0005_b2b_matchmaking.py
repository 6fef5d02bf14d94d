"""b2b matchmaking: B2B sessions, tables, participants, meeting requests, meetings and solver runs

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 16:54:07.690179

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('b2b_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('first_slot', sa.Time(), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('pause_minutes', sa.Integer(), nullable=False),
    sa.Column('slot_count', sa.Integer(), nullable=True),
    sa.Column('day_end', sa.Time(), nullable=True),
    sa.Column('lunch_start', sa.Time(), nullable=True),
    sa.Column('lunch_minutes', sa.Integer(), nullable=True),
    sa.Column('fairness', sa.Integer(), nullable=True),
    sa.Column('interpreters', sa.Integer(), nullable=True),
    sa.Column('reminder_hours', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(lunch_start IS NULL) = (lunch_minutes IS NULL)', name=op.f('ck_b2b_sessions_lunch_complete')),
    sa.CheckConstraint('(slot_count IS NULL) <> (day_end IS NULL)', name=op.f('ck_b2b_sessions_count_or_day_end')),
    sa.CheckConstraint('fairness IS NULL OR fairness >= 0', name=op.f('ck_b2b_sessions_fairness_not_negative')),
    sa.CheckConstraint('interpreters IS NULL OR interpreters >= 0', name=op.f('ck_b2b_sessions_interpreters_not_negative')),
    sa.CheckConstraint('pause_minutes BETWEEN 0 AND 120', name=op.f('ck_b2b_sessions_pause_minutes_range')),
    sa.CheckConstraint('reminder_hours BETWEEN 1 AND 720', name=op.f('ck_b2b_sessions_reminder_hours_range')),
    sa.CheckConstraint('slot_minutes BETWEEN 5 AND 240', name=op.f('ck_b2b_sessions_slot_minutes_range')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_b2b_sessions_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_b2b_sessions')),
    sa.UniqueConstraint('event_id', name=op.f('uq_b2b_sessions_event_id'))
    )
    op.create_table('b2b_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('firm_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=2), nullable=False),
    sa.Column('unavailable_slots', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("side IN ('IN', 'JP')", name=op.f('ck_b2b_participants_side_known')),
    sa.ForeignKeyConstraint(['firm_id'], ['firms.id'], name=op.f('fk_b2b_participants_firm_id_firms'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['session_id'], ['b2b_sessions.id'], name=op.f('fk_b2b_participants_session_id_b2b_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_b2b_participants')),
    sa.UniqueConstraint('session_id', 'firm_id', name=op.f('uq_b2b_participants_session_id_firm_id'))
    )
    with op.batch_alter_table('b2b_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_b2b_participants_firm_id'), ['firm_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_b2b_participants_session_id'), ['session_id'], unique=False)

    op.create_table('b2b_solver_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('allow_moves', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('time_limit', sa.Integer(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('problem', sa.JSON(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('reasons', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('ready', 'failed', 'applied', 'discarded')", name=op.f('ck_b2b_solver_runs_status_known')),
    sa.CheckConstraint('time_limit BETWEEN 1 AND 120', name=op.f('ck_b2b_solver_runs_time_limit_range')),
    sa.ForeignKeyConstraint(['session_id'], ['b2b_sessions.id'], name=op.f('fk_b2b_solver_runs_session_id_b2b_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_b2b_solver_runs_started_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_b2b_solver_runs'))
    )
    with op.batch_alter_table('b2b_solver_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_b2b_solver_runs_session_id'), ['session_id'], unique=False)

    op.create_table('b2b_tables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.CheckConstraint("name <> ''", name=op.f('ck_b2b_tables_name_given')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_b2b_tables_number_positive')),
    sa.ForeignKeyConstraint(['session_id'], ['b2b_sessions.id'], name=op.f('fk_b2b_tables_session_id_b2b_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_b2b_tables')),
    sa.UniqueConstraint('session_id', 'name', name=op.f('uq_b2b_tables_session_id_name')),
    sa.UniqueConstraint('session_id', 'number', name=op.f('uq_b2b_tables_session_id_number'))
    )
    with op.batch_alter_table('b2b_tables', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_b2b_tables_session_id'), ['session_id'], unique=False)

    op.create_table('b2b_participant_people',
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['b2b_participants.id'], name=op.f('fk_b2b_participant_people_participant_id_b2b_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_b2b_participant_people_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('participant_id', 'person_id', name=op.f('pk_b2b_participant_people'))
    )
    with op.batch_alter_table('b2b_participant_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_b2b_participant_people_person_id'), ['person_id'], unique=False)

    op.create_table('b2b_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('day_part', sa.String(length=10), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("day_part IN ('any', 'morning', 'afternoon')", name=op.f('ck_b2b_requests_day_part_known')),
    sa.CheckConstraint("status IN ('requested', 'accepted', 'declined')", name=op.f('ck_b2b_requests_status_known')),
    sa.CheckConstraint('priority IN (1, 2)', name=op.f('ck_b2b_requests_priority_known')),
    sa.CheckConstraint('requester_id <> target_id', name=op.f('ck_b2b_requests_two_participants')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_b2b_requests_answered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_b2b_requests_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requester_id'], ['b2b_participants.id'], name=op.f('fk_b2b_requests_requester_id_b2b_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['b2b_sessions.id'], name=op.f('fk_b2b_requests_session_id_b2b_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['b2b_participants.id'], name=op.f('fk_b2b_requests_target_id_b2b_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_b2b_requests')),
    sa.UniqueConstraint('requester_id', 'target_id', name=op.f('uq_b2b_requests_requester_id_target_id'))
    )
    with op.batch_alter_table('b2b_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_b2b_requests_requester_id'), ['requester_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_b2b_requests_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_b2b_requests_target_id'), ['target_id'], unique=False)

    op.create_table('b2b_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('indian_participant_id', sa.Integer(), nullable=False),
    sa.Column('japanese_participant_id', sa.Integer(), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=True),
    sa.Column('table_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('needs_interpreter', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('day_part', sa.String(length=10), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('uid', sa.String(length=255), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('invites_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(status = 'scheduled' AND slot IS NOT NULL AND table_id IS NOT NULL) OR (status <> 'scheduled' AND slot IS NULL AND table_id IS NULL)", name=op.f('ck_b2b_meetings_placed_iff_scheduled')),
    sa.CheckConstraint("day_part IN ('any', 'morning', 'afternoon')", name=op.f('ck_b2b_meetings_day_part_known')),
    sa.CheckConstraint("status IN ('scheduled', 'unscheduled', 'cancelled')", name=op.f('ck_b2b_meetings_status_known')),
    sa.CheckConstraint('indian_participant_id <> japanese_participant_id', name=op.f('ck_b2b_meetings_two_participants')),
    sa.CheckConstraint('priority IN (1, 2)', name=op.f('ck_b2b_meetings_priority_known')),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_b2b_meetings_sequence_nonnegative')),
    sa.CheckConstraint('slot IS NULL OR slot >= 1', name=op.f('ck_b2b_meetings_slot_positive')),
    sa.ForeignKeyConstraint(['indian_participant_id'], ['b2b_participants.id'], name=op.f('fk_b2b_meetings_indian_participant_id_b2b_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['japanese_participant_id'], ['b2b_participants.id'], name=op.f('fk_b2b_meetings_japanese_participant_id_b2b_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['b2b_requests.id'], name=op.f('fk_b2b_meetings_request_id_b2b_requests'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['b2b_sessions.id'], name=op.f('fk_b2b_meetings_session_id_b2b_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['table_id'], ['b2b_tables.id'], name=op.f('fk_b2b_meetings_table_id_b2b_tables'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_b2b_meetings')),
    sa.UniqueConstraint('request_id', name=op.f('uq_b2b_meetings_request_id')),
    sa.UniqueConstraint('session_id', 'slot', 'indian_participant_id', name=op.f('uq_b2b_meetings_session_id_slot_indian_participant_id')),
    sa.UniqueConstraint('session_id', 'slot', 'japanese_participant_id', name=op.f('uq_b2b_meetings_session_id_slot_japanese_participant_id')),
    sa.UniqueConstraint('session_id', 'slot', 'table_id', name=op.f('uq_b2b_meetings_session_id_slot_table_id')),
    sa.UniqueConstraint('uid', name=op.f('uq_b2b_meetings_uid'))
    )
    with op.batch_alter_table('b2b_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_b2b_meetings_indian_participant_id'), ['indian_participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_b2b_meetings_japanese_participant_id'), ['japanese_participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_b2b_meetings_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_b2b_meetings_table_id'), ['table_id'], unique=False)



def downgrade():
    with op.batch_alter_table('b2b_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_b2b_meetings_table_id'))
        batch_op.drop_index(batch_op.f('ix_b2b_meetings_session_id'))
        batch_op.drop_index(batch_op.f('ix_b2b_meetings_japanese_participant_id'))
        batch_op.drop_index(batch_op.f('ix_b2b_meetings_indian_participant_id'))

    op.drop_table('b2b_meetings')
    with op.batch_alter_table('b2b_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_b2b_requests_target_id'))
        batch_op.drop_index(batch_op.f('ix_b2b_requests_session_id'))
        batch_op.drop_index(batch_op.f('ix_b2b_requests_requester_id'))

    op.drop_table('b2b_requests')
    with op.batch_alter_table('b2b_participant_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_b2b_participant_people_person_id'))

    op.drop_table('b2b_participant_people')
    with op.batch_alter_table('b2b_tables', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_b2b_tables_session_id'))

    op.drop_table('b2b_tables')
    with op.batch_alter_table('b2b_solver_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_b2b_solver_runs_session_id'))

    op.drop_table('b2b_solver_runs')
    with op.batch_alter_table('b2b_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_b2b_participants_session_id'))
        batch_op.drop_index(batch_op.f('ix_b2b_participants_firm_id'))

    op.drop_table('b2b_participants')
    op.drop_table('b2b_sessions')
