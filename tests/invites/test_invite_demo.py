"""The demo leaves ordinary itinerary invites and one B2B meeting's REQUEST, update and CANCEL in the outbox,
once: loading the demo again adds no mail."""

from sqlalchemy import func, select

from planner.demo import load_demo_data
from planner.outbox.models import OutboxMessage


def _count(database):
    return database.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_demo_leaves_itinerary_invites_and_one_meetings_whole_life(app, database):
    load_demo_data()
    rows = database.session.scalars(select(OutboxMessage)).all()
    assert any(m.related_type == "event" and m.kind == "invite" for m in rows)
    # The session's interpreter, Yoko Tanaka, is invited to the meetings she interprets.
    assert any(m.related_type == "b2b_meeting" and m.kind == "invite" and m.to_email == "y.tanaka@example.jp"
               for m in rows)
    cancels = [m for m in rows if m.related_type == "b2b_meeting" and m.kind == "cancel"]
    assert cancels
    meeting_id = cancels[0].related_id
    kinds = [m.kind for m in sorted(rows, key=lambda m: m.id) if m.related_type == "b2b_meeting"
             and m.related_id == meeting_id and m.to_email == cancels[0].to_email]
    assert kinds == ["invite", "update", "cancel"]
    before = _count(database)
    load_demo_data()
    assert _count(database) == before
