"""calendar invites: what was sent to whom (revision held, answer), and personal calendar feeds

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 17:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_invites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind = 'event' AND event_id IS NOT NULL AND meeting_id IS NULL) OR (kind = 'meeting' AND meeting_id IS NOT NULL AND event_id IS NULL)", name=op.f('ck_calendar_invites_one_subject')),
    sa.CheckConstraint("ends_at > starts_at", name=op.f('ck_calendar_invites_ends_after_start')),
    sa.CheckConstraint("kind IN ('event', 'meeting')", name=op.f('ck_calendar_invites_kind_known')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_calendar_invites_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['b2b_meetings.id'], name=op.f('fk_calendar_invites_meeting_id_b2b_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_invites')),
    sa.UniqueConstraint('event_id', name=op.f('uq_calendar_invites_event_id')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_calendar_invites_meeting_id')),
    sa.UniqueConstraint('uid', name=op.f('uq_calendar_invites_uid'))
    )
    op.create_table('calendar_invite_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invite_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rsvp', sa.String(length=20), nullable=False),
    sa.Column('rsvp_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("method IN ('REQUEST', 'CANCEL')", name=op.f('ck_calendar_invite_recipients_method_known')),
    sa.CheckConstraint("rsvp IN ('needs-action', 'accepted', 'declined', 'tentative')", name=op.f('ck_calendar_invite_recipients_rsvp_known')),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_calendar_invite_recipients_sequence_nonnegative')),
    sa.ForeignKeyConstraint(['invite_id'], ['calendar_invites.id'], name=op.f('fk_calendar_invite_recipients_invite_id_calendar_invites'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_calendar_invite_recipients_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_invite_recipients')),
    sa.UniqueConstraint('invite_id', 'person_id', name=op.f('uq_calendar_invite_recipients_invite_id_person_id'))
    )
    with op.batch_alter_table('calendar_invite_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_invite_recipients_invite_id'), ['invite_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendar_invite_recipients_person_id'), ['person_id'], unique=False)

    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_calendar_feeds_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_calendar_feeds_secret_hash'))
    )
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feeds_person_id'), ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feeds_person_id'))
    op.drop_table('calendar_feeds')
    with op.batch_alter_table('calendar_invite_recipients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_invite_recipients_person_id'))
        batch_op.drop_index(batch_op.f('ix_calendar_invite_recipients_invite_id'))
    op.drop_table('calendar_invite_recipients')
    op.drop_table('calendar_invites')
