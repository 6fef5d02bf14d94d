"""calendar_feeds.scope_region_id: a feed made by a state cell or prefecture office lists only what that region
may see (it is shown the address)

Existing feeds are scoped from the audit trail: one whose "create" entry names a state cell's or prefecture
office's account other than the person's own is limited to that account's region.  A feed with no such entry
(the actor's account deleted) of a person who has no account of their own was made by the region that recorded
the person, the only other one that could make it, and is limited to it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 14:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope_region_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_calendar_feeds_scope_region_id_regions'), 'regions',
                                    ['scope_region_id'], ['id'])
    bind = op.get_bind()
    feeds = bind.execute(sa.text(
        "SELECT f.id, p.user_id, p.created_by_region_id FROM calendar_feeds f JOIN people p ON p.id = f.person_id"
    )).all()
    for feed_id, person_user_id, recorded_by in feeds:
        actor = bind.execute(sa.text(
            "SELECT u.id, u.role, u.region_id FROM audit_entries a JOIN users u ON u.id = a.actor_id "
            "WHERE a.object_type = 'calendar_feeds' AND a.object_id = :feed AND a.action = 'create' "
            "ORDER BY a.id DESC"), {"feed": str(feed_id)}).first()
        scope = None
        if actor is not None:
            if actor.role in ('state', 'prefecture') and actor.id != person_user_id:
                scope = actor.region_id
        elif person_user_id is None:
            scope = recorded_by
        if scope is not None:
            bind.execute(sa.text("UPDATE calendar_feeds SET scope_region_id = :scope WHERE id = :feed"),
                         {"scope": scope, "feed": feed_id})


def downgrade():
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_calendar_feeds_scope_region_id_regions'), type_='foreignkey')
        batch_op.drop_column('scope_region_id')
