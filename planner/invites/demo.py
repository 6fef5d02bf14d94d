"""Demo invites: ordinary invites of the demo itineraries (confirmed delegations), the B2B session's invites, and
one B2B meeting's whole life in the outbox: REQUEST, an update (moved) and a CANCEL. Idempotent: invites are
only sent for what recipients do not hold yet, and the moved-and-cancelled meeting is done once."""

from sqlalchemy import select

from planner.core.errors import DomainError
from planner.delegations.demo import DEMO_TODAY
from planner.delegations.models import Delegation
from planner.extensions import db
from planner.invites.operations import send_delegation_invites, send_session_invites
from planner.itinerary.models import Event
from planner.matchmaking.meetings import cancel_meeting, check_place, move_meeting
from planner.matchmaking.models import B2BSession, Meeting
from planner.matchmaking.operations import slot_plan

B2B_EVENT_TITLE = "B2B session with Hamamatsu suppliers"


def _free_place(meeting: Meeting):
    session = meeting.session
    for slot in range(len(slot_plan(session)), 0, -1):
        for table in session.tables:
            if (slot, table.id) == (meeting.slot, meeting.table_id):
                continue
            try:
                check_place(meeting, slot, table)
            except DomainError:
                continue
            return slot, table
    return None


def load_invites_demo() -> dict[str, int]:
    sent = 0
    # the visits still to come (invites for events years past would only fill the outbox)
    for delegation in db.session.scalars(select(Delegation).where(Delegation.status.in_(("confirmed", "completed")),
                                                                  Delegation.end_date >= DEMO_TODAY)
                                         .order_by(Delegation.id)).unique():
        sent += len(send_delegation_invites(delegation))
    session = db.session.scalar(select(B2BSession).join(Event, Event.id == B2BSession.event_id)
                                .where(Event.title == B2B_EVENT_TITLE))
    if session is None:
        return {"invites enqueued": sent}
    sent += len(send_session_invites(session))
    if db.session.scalar(select(Meeting.id).where(Meeting.session_id == session.id,
                                                  Meeting.status == "cancelled").limit(1)) is None:
        invited = [m for m in db.session.scalars(select(Meeting).where(
            Meeting.session_id == session.id, Meeting.status == "scheduled",
            Meeting.invites_sent_at.is_not(None)).order_by(Meeting.id)).unique()
            if m.indian.representatives or m.japanese.representatives]
        for meeting in invited:
            place = _free_place(meeting)
            if place is None:
                continue
            move_meeting(meeting, place[0], place[1].id)  # update: same UID, higher SEQUENCE
            cancel_meeting(meeting)  # CANCEL
            sent += 1
            break
    db.session.flush()
    return {"invites enqueued": sent}
