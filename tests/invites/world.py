"""Builders for the invite wiring tests: a confirmed Gujarat → Shizuoka visit with an event at a Shizuoka venue,
a B2B session with a placed meeting, and readers for what the outbox holds."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime

from icalendar import Calendar
from sqlalchemy import select

from planner.delegations.operations import change_status
from planner.extensions import db
from planner.itinerary.operations import EventData, save_event
from planner.outbox.models import OutboxMessage
from tests import factories

PRIYA = "priya.shah@ahmedabad-tools.example"
TARO = "taro.yamada@suzuki-seiki.example"
KEIKO = "keiko.ito@hamamatsu-seiki.example"


def venue():
    place = factories.venue("Granship", "JP", city="Shizuoka")
    place.address = "2-3-1 Higashi-Shizuoka, Aoi-ku"
    return place


def people():
    return (factories.person("Priya Shah", email=PRIYA),
            factories.person("Taro Yamada", name_ja="山田 太郎", email=TARO))


def confirmed_event(*, attendees=None, title="Courtesy call on the Governor", confirm=True):
    """A 13 Oct 2026 10:00–11:00 JST event (01:00 UTC, 06:30 IST) at Granship, delegation confirmed."""
    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    attendees = people() if attendees is None else attendees
    event = factories.event(delegation, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 11), venue_=venue(),
                            attendees=attendees, title=title)
    if confirm:
        change_status(delegation, "confirm")
    return event


def edit_event(event, **changes):
    values = dict(kind=event.kind, title=event.title, title_ja=event.title_ja, local_start=event.local_start.replace(tzinfo=None),
                  local_end=event.local_end.replace(tzinfo=None), venue_id=event.venue_id, timezone=event.timezone,
                  end_timezone=event.end_timezone or "",
                  description=event.description, attendee_ids=[link.person_id for link in event.attendee_links],
                  confirm_overlap=True)
    values.update(changes)
    save_event(event.delegation, EventData(**values), factories.SYSTEM, event)
    return event


def outbox(related_type=None, related_id=None) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if related_type:
        stmt = stmt.where(OutboxMessage.related_type == related_type)
    if related_id is not None:
        stmt = stmt.where(OutboxMessage.related_id == related_id)
    return list(db.session.scalars(stmt))


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def calendar_part(message):
    return next(part for part in message.walk() if part.get_content_type() == "text/calendar")


def calendar_of(raw: bytes) -> Calendar:
    return Calendar.from_ical(calendar_part(parse(raw)).get_payload(decode=True))


def vevent(raw: bytes):
    return calendar_of(raw).walk("VEVENT")[0]


def attendee_emails(component) -> list[str]:
    values = component.get("ATTENDEE") or []
    values = values if isinstance(values, list) else [values]
    return sorted(str(value).removeprefix("mailto:") for value in values)


def b2b_meeting(*, slot=2):
    """A session on a confirmed visit; Priya represents the Indian firm, Taro the Japanese; the meeting is
    placed in `slot` (slot 1 = 10:00–10:20 JST at the venue) at table 1, nothing sent yet."""
    delegation = factories.delegation(("IN-GJ",), ("JP-22",), status="confirmed")
    session = factories.b2b_session(delegation)
    session.event.venue = venue()
    priya, taro = people()
    indian = factories.b2b_participant(session, "IN-GJ", representatives=[priya])
    japanese = factories.b2b_participant(session, "JP-22", representatives=[taro])
    meeting = factories.b2b_meeting(session, indian, japanese, slot=slot)
    return session, meeting, (priya, taro)
