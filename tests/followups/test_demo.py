"""The outcome demo data: every stage, some overdue, agreements in all five partnerships, idempotent."""

from sqlalchemy import func, select

from planner.core.timefmt import today_ist
from planner.followups.agreement_models import Agreement, ExchangeRate
from planner.followups.demo import load_followups_demo
from planner.followups.models import STAGES, FollowUp


def test_demo_outcomes_cover_every_stage_and_partnership_and_load_once(database):
    from planner.demo import load_demo_data

    load_demo_data()
    stages = set(database.session.scalars(select(FollowUp.stage)))
    assert stages == set(STAGES)
    overdue = database.session.scalar(select(func.count()).select_from(FollowUp).where(
        FollowUp.is_open.is_(True), FollowUp.due_date < today_ist()))
    assert overdue >= 3
    # no follow-up of a B2B meeting that has not taken place (the demo's session lies ahead, in December)
    from planner.core.types import utcnow
    from planner.itinerary.models import Event
    from planner.matchmaking.models import B2BSession, Meeting

    assert database.session.scalar(select(func.count()).select_from(Meeting)) > 0
    ahead = database.session.scalar(
        select(func.count()).select_from(FollowUp).join(Meeting, Meeting.id == FollowUp.meeting_id)
        .join(B2BSession, B2BSession.id == Meeting.session_id).join(Event, Event.id == B2BSession.event_id)
        .where(Event.ends_at > utcnow()))
    assert ahead == 0
    partnerships = set(database.session.scalars(select(Agreement.partnership_id)))
    assert len(partnerships - {None}) == 5
    years = {day.year for day in database.session.scalars(select(Agreement.signed_on))}
    assert years == {2023, 2024, 2025, 2026}
    counts = [database.session.scalar(select(func.count()).select_from(model))
              for model in (FollowUp, Agreement, ExchangeRate)]
    assert load_followups_demo() == {"exchange rates added": 0, "follow-ups added": 0, "agreements added": 0}
    assert [database.session.scalar(select(func.count()).select_from(model))
            for model in (FollowUp, Agreement, ExchangeRate)] == counts
