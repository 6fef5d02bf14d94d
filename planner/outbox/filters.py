"""What the email log can be narrowed to: the mails about one delegation (its events' invites, its B2B
meetings' invites, the feedback requests after its sessions) and the mails to one recipient."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select

from planner.core.access import scope_clause
from planner.core.views import name_search
from planner.outbox.models import OutboxMessage


def about_delegation(delegation_id: int):
    """SQL: the message is about the delegation (rows of other kinds, such as follow-up digests, are not)."""
    from planner.followups.models import FeedbackRequest
    from planner.itinerary.models import Event
    from planner.matchmaking.models import B2BSession, Meeting

    events = select(Event.id).where(Event.delegation_id == delegation_id)
    sessions = select(B2BSession.id).where(B2BSession.event_id.in_(events))
    meetings = select(Meeting.id).where(Meeting.session_id.in_(sessions))
    feedback = select(FeedbackRequest.id).where(FeedbackRequest.session_id.in_(sessions))
    return or_(and_(OutboxMessage.related_type == "event", OutboxMessage.related_id.in_(events)),
               and_(OutboxMessage.related_type == "b2b_meeting", OutboxMessage.related_id.in_(meetings)),
               and_(OutboxMessage.related_type == "feedback_request", OutboxMessage.related_id.in_(feedback)))


def to_recipient(text: str, viewer):
    """SQL: the mail went to someone the search names: by address, by the name it was sent to, or by the person
    of that address (their Japanese name and its reading too: the log keeps the romanised name). Any spacing
    between the words, either word order (Suzuki Ichiro finds Ichiro Suzuki), full- or half-width, kana in either
    script, as the people search reads them. Only people ``viewer`` may see are looked at: another region's record of someone
    at an address in the log is not the viewer's to search by."""
    from planner.delegations.models import Person

    people = select(func.lower(Person.email)).where(
        scope_clause(Person, viewer), or_(*name_search(text, (Person.name, Person.name_ja, Person.name_kana))))
    return or_(func.lower(OutboxMessage.to_email).in_(people),
               *name_search(text, (OutboxMessage.to_name,), (OutboxMessage.to_email,)))
