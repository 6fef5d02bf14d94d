"""What needs a state cell, a prefecture office or an administrator now: the start page's lists.  Each is
scoped by the same rules as the page it links to, so the start page never shows more than those pages."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from planner.core.access import scoped_select
from planner.extensions import db
from planner.followups.models import FollowUp
from planner.itinerary.models import Event
from planner.matchmaking.models import MeetingRequest
from planner.outbox.models import OutboxMessage

UPCOMING_DAYS = 14
DUE_SOON_DAYS = 7
LISTED = 5


@dataclass
class Listing:
    """The first few items of a list and how many there are in all."""

    items: list
    total: int


def _listing(stmt, limit: int = LISTED) -> Listing:
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return Listing(list(db.session.scalars(stmt.limit(limit)).unique()), total)


def upcoming_events(user, now: datetime) -> Listing:
    """Scheduled events of the user's delegations starting in the next two weeks, soonest first."""
    return _listing(scoped_select(Event, user).where(
        Event.status == "scheduled", Event.starts_at >= now, Event.starts_at < now + timedelta(days=UPCOMING_DAYS))
        .order_by(Event.starts_at, Event.id))


def requests_to_answer(user) -> Listing:
    """Meeting requests to firms the user acts for that nobody has answered, oldest first."""
    return _listing(scoped_select(MeetingRequest, user, edit=True).where(MeetingRequest.status == "requested")
                    .order_by(MeetingRequest.created_at, MeetingRequest.id))


def followups_due(user, today: date) -> tuple[Listing, int]:
    """Open follow-ups due within a week (overdue ones first), and how many are overdue."""
    due = scoped_select(FollowUp, user).where(FollowUp.is_open.is_(True),
                                              FollowUp.due_date <= today + timedelta(days=DUE_SOON_DAYS))
    overdue = db.session.scalar(select(func.count()).select_from(
        due.where(FollowUp.due_date < today).order_by(None).subquery()))
    return _listing(due.order_by(FollowUp.due_date, FollowUp.id)), overdue


def failed_mails(user) -> int:
    """Mails the outbox gave up on that the user's email log lists."""
    return db.session.scalar(select(func.count()).select_from(
        scoped_select(OutboxMessage, user).where(OutboxMessage.status == "failed").subquery()))
