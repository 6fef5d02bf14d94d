"""Personal calendar feeds (r16): a long random secret in the URL, stored as its SHA-256, read-only, revocable
and rotatable. The feed lists the itinerary events the person attends and their B2B meetings with the invites'
UIDs (METHOD:PUBLISH), each attendee with the answer they gave, leaving out what the person declined; what was
cancelled stays visible as STATUS:CANCELLED for 30 days."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, true
from sqlalchemy.orm import selectinload

from planner.core.access import scope_clause
from planner.core.audit import record_action
from planner.core.roles import Role
from planner.core.types import utcnow
from planner.extensions import db
from planner.invites.compose import calendar_event
from planner.invites.ical import build_calendar
from planner.invites.language import translate
from planner.invites.links import subject_url
from planner.invites.models import CalendarFeed, CalendarInvite, partstat
from planner.invites.subjects import event_subject, meeting_subject
from planner.outbox.operations import organizer

CANCELLED_VISIBLE = timedelta(days=30)
SECRET_BYTES = 32  # 43 URL-safe characters
MAX_SECRET_LENGTH = 100


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def active_feed(person) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.person_id == person.id,
                                                        CalendarFeed.revoked_at.is_(None)))


def revoke_feeds(person) -> int:
    count = 0
    for feed in db.session.scalars(select(CalendarFeed).where(CalendarFeed.person_id == person.id,
                                                              CalendarFeed.revoked_at.is_(None))):
        feed.revoked_at = utcnow()
        count += 1
    db.session.flush()
    return count


def may_manage_feed(person, user) -> bool:
    """The feed lists every event and meeting of the person, whichever regions they concern: only the
    person, an administrator, or the cell or office that recorded the person may make or revoke it (not
    the home region, which any staff who may edit the person can change).  Any staff who could edit the
    person could, and so read another pair's itinerary through it."""
    if user.role == Role.ADMIN or (person.user_id is not None and person.user_id == user.id):
        return True
    return (user.role in (Role.STATE, Role.PREFECTURE) and person.created_by_region_id is not None
            and person.created_by_region_id == user.region_id)


def feed_scope_region_id(person, user) -> int | None:
    """The region a feed made by `user` is limited to: a state cell or office making a person's feed reads it
    (it is shown the address), so the feed lists only what that region may see; the person's own feed and one
    made by an administrator list everything."""
    if user is None or user.role not in (Role.STATE, Role.PREFECTURE):
        return None
    if person.user_id is not None and person.user_id == user.id:
        return None
    return user.region_id


def create_feed(person, user=None) -> str:
    """A new feed for the person (any old one is revoked: this is also "rotate"), made by `user` (None: by the
    system, unlimited). Returns the secret, which is not stored and cannot be shown again."""
    revoke_feeds(person)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    feed = CalendarFeed(person_id=person.id, secret_hash=secret_hash(secret),
                        scope_region_id=feed_scope_region_id(person, user))
    db.session.add(feed)
    db.session.flush()
    record_action(feed, "create")
    return secret


def feed_for_secret(secret: str) -> CalendarFeed | None:
    if not secret or len(secret) > MAX_SECRET_LENGTH:
        return None
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.secret_hash == secret_hash(secret),
                                                        CalendarFeed.revoked_at.is_(None)))


def _recently_cancelled(invite: CalendarInvite | None, cutoff) -> bool:
    return invite is not None and not invite.is_active and invite.last_sent_at >= cutoff


def _answers(invite: CalendarInvite | None) -> dict[int, str]:
    """Each recipient's answer to the invite, as PARTSTAT (RFC 5545 §3.2.12): what they said on the answer page
    or their agenda, reset when the event changed."""
    return {row.person_id: partstat(row.rsvp) for row in invite.recipients} if invite else {}


@dataclass(frozen=True)
class RegionViewer:
    """What a state cell or prefecture office may see, as the tenant scopes read it, without one of its user
    accounts (a feed outlives the account that made it)."""

    region_id: int
    role: str
    is_authenticated: bool = True
    id: None = None

    @classmethod
    def of(cls, region) -> RegionViewer:
        return cls(region.id, Role.STATE if region.country == "IN" else Role.PREFECTURE)


def attendees_shown_to(subject, person_id: int | None) -> tuple:
    """The attendees a person's own calendar shows for ``subject``: all of them when the person is one (as in
    the invite they received), none otherwise (a member of the delegation who does not attend the event)."""
    recipients = tuple(subject.recipients)
    return recipients if person_id is not None and any(r.person_id == person_id for r in recipients) else ()


def person_calendar_events(person, now=None, scope_region=None) -> list:
    """The events the person attends and their meetings as CalendarEvents for a PUBLISH calendar, in the person's
    language; with `scope_region`, only those that region may see. A delegation's events that the person does
    not attend are not theirs: a calendar app would show them as the person's appointments (the agenda page lists
    the whole programme)."""
    from planner.itinerary.models import Event, EventAttendee
    from planner.matchmaking.models import Meeting, participant_representatives

    cutoff = (now or utcnow()) - CANCELLED_VISIBLE
    owner = organizer()
    language = "ja" if person.preferred_language == "ja" else "en"
    result = []
    attends = select(EventAttendee.event_id).where(EventAttendee.person_id == person.id)
    viewer = RegionViewer.of(scope_region) if scope_region is not None else None
    events = db.session.scalars(select(Event).where(Event.id.in_(attends),
                                                    scope_clause(Event, viewer) if viewer else true())
                                .order_by(Event.starts_at, Event.id)).unique()
    subjects = [(event_subject(event), event) for event in events]
    represented = select(participant_representatives.c.participant_id).where(
        participant_representatives.c.person_id == person.id)
    meetings = db.session.scalars(select(Meeting).where(or_(
        Meeting.indian_participant_id.in_(represented), Meeting.japanese_participant_id.in_(represented),
        Meeting.interpreter_id == person.id), scope_clause(Meeting, viewer) if viewer else true())
        .order_by(Meeting.id)).unique()
    subjects += [(meeting_subject(meeting), meeting) for meeting in meetings
                 if meeting.status != "scheduled" or meeting.invites_sent_at is not None]
    subjects = [(subject, obj) for subject, obj in subjects if subject is not None]
    invites = {invite.uid: invite for invite in db.session.scalars(
        select(CalendarInvite).where(CalendarInvite.uid.in_([subject.uid for subject, _obj in subjects]))
        .options(selectinload(CalendarInvite.recipients)))}
    for subject, obj in subjects:
        invite = invites.get(subject.uid)
        answers = _answers(invite)
        if answers.get(person.id) == "DECLINED":
            continue  # subscribed calendars show every entry as busy, whatever its PARTSTAT: not theirs to keep
        if subject.active:
            cancelled = False
        elif _recently_cancelled(invite, cutoff):
            cancelled = True
        else:
            continue
        result.append(calendar_event(subject, owner, attendees_shown_to(subject, person.id), sequence=obj.sequence,
                                     cancelled=cancelled, url=subject_url(subject), language=language,
                                     translate=translate, answers=answers))
    return result


def feed_name(person) -> str:
    """The calendar's name in the person's language, as their calendar app lists it: '山本 博 — 訪問団プランナー'."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    japanese = person.preferred_language == "ja"
    with force_locale("ja" if japanese else "en"):
        return f"{person.name_ja if japanese and person.name_ja else person.name} — {_('Delegation Planner')}"


def feed_calendar(feed: CalendarFeed) -> bytes:
    person = feed.person
    events = person_calendar_events(person, scope_region=feed.scope_region)
    name = feed_name(person)
    if not events:
        return _empty_calendar(name)
    return build_calendar(events, "PUBLISH", utcnow().replace(microsecond=0), calendar_name=name)


def _empty_calendar(name: str) -> bytes:
    from icalendar import Calendar

    from planner.invites.ical import DEFAULT_PRODID
    from planner.invites.text import clean_line

    calendar = Calendar()
    calendar.add("PRODID", DEFAULT_PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("METHOD", "PUBLISH")
    calendar.calendar_name = clean_line(name)
    return calendar.to_ical()
