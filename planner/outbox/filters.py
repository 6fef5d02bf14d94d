"""What the email log can be narrowed to: the mails about one delegation (its events' invites, its B2B
meetings' invites, the feedback requests after its sessions) and the mails to one recipient."""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from planner.core.views import like_pattern
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


def to_recipient(text: str):
    """SQL: the recipient's address or name holds ``text`` (its words in order, anything between them)."""
    pattern = like_pattern(text)
    return or_(OutboxMessage.to_email.ilike(pattern, escape="\\"), OutboxMessage.to_name.ilike(pattern, escape="\\"))
