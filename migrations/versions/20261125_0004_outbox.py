"""outbox: messages waiting for, in, or past delivery, and the regions they concern

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 16:41:56.370329

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('to_email', sa.String(length=254), nullable=False),
    sa.Column('to_name', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('message_id', sa.String(length=250), nullable=False),
    sa.Column('raw', sa.LargeBinary(), nullable=False),
    sa.Column('calendar_method', sa.String(length=10), nullable=True),
    sa.Column('ics', sa.LargeBinary(), nullable=True),
    sa.Column('related_type', sa.String(length=40), nullable=False),
    sa.Column('related_id', sa.Integer(), nullable=True),
    sa.Column('enqueued_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(length=100), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('invite', 'update', 'cancel', 'notice')", name=op.f('ck_outbox_messages_kind_known')),
    sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')", name=op.f('ck_outbox_messages_status_known')),
    sa.CheckConstraint('(calendar_method IS NULL) = (ics IS NULL)', name=op.f('ck_outbox_messages_method_with_ics')),
    sa.CheckConstraint("calendar_method IS NULL OR calendar_method IN ('REQUEST', 'CANCEL', 'PUBLISH')", name=op.f('ck_outbox_messages_method_known')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_outbox_messages_attempts_not_negative')),
    sa.ForeignKeyConstraint(['enqueued_by_id'], ['users.id'], name=op.f('fk_outbox_messages_enqueued_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('message_id', name=op.f('uq_outbox_messages_message_id'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_outbox_messages_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_enqueued_by_id'), ['enqueued_by_id'], unique=False)

    op.create_table('outbox_message_regions',
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['outbox_messages.id'], name=op.f('fk_outbox_message_regions_message_id_outbox_messages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_outbox_message_regions_region_id_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('message_id', 'region_id', name=op.f('pk_outbox_message_regions'))
    )
    with op.batch_alter_table('outbox_message_regions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_message_regions_region_id'), ['region_id'], unique=False)



def downgrade():
    with op.batch_alter_table('outbox_message_regions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_regions_region_id'))

    op.drop_table('outbox_message_regions')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_enqueued_by_id'))
        batch_op.drop_index('ix_outbox_messages_due')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_created_at'))

    op.drop_table('outbox_messages')
