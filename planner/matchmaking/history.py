"""A firm's B2B meetings across sessions and years, for its profile page."""

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from planner.core.access import scope_clause
from planner.extensions import db
from planner.itinerary.models import Event
from planner.matchmaking.models import B2BParticipant, B2BSession, Meeting
from planner.matchmaking.operations import slot_plan
from planner.matchmaking.schedule import slot_time


@dataclass(frozen=True)
class FirmMeeting:
    session: B2BSession
    meeting: Meeting
    counterpart: B2BParticipant
    when: object  # a SlotTime, or None while the meeting has no slot


def meetings_of_firm(firm, user) -> list[FirmMeeting]:
    """The firm's meetings (not cancelled) that `user` may see (a cell or office whose firm merely takes part in a
    session sees its own firms' meetings there, not the others'), newest session first."""
    own = aliased(B2BParticipant)
    stmt = (select(Meeting).join(own, or_(own.id == Meeting.indian_participant_id,
                                          own.id == Meeting.japanese_participant_id))
            .join(B2BSession, B2BSession.id == Meeting.session_id).join(Event, Event.id == B2BSession.event_id)
            .where(own.firm_id == firm.id, Meeting.status != "cancelled", scope_clause(B2BSession, user),
                   scope_clause(Meeting, user))
            .order_by(Event.starts_at.desc(), Meeting.slot))
    found = []
    plans = {}
    for meeting in db.session.scalars(stmt).unique():
        session = meeting.session
        counterpart = meeting.japanese if meeting.indian.firm_id == firm.id else meeting.indian
        when = None
        if meeting.slot is not None:
            plan = plans.setdefault(session.id, {s.number: s for s in slot_plan(session).slots})
            when = slot_time(session, plan[meeting.slot]) if meeting.slot in plan else None
        found.append(FirmMeeting(session, meeting, counterpart, when))
    return found
