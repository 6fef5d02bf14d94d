"""Venues and itinerary events. Events carry a stable `uid` and a `sequence` for calendar invites (RFC 5545)."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, exists, false, or_, select, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.core.bilingual import in_language
from planner.core.roles import STAFF_ROLES, Role
from planner.core.types import UTCDateTime, utcnow
from planner.delegations.models import DelegationMember, Person, _in, involves_region
from planner.delegations.ordering import people_sort_key
from planner.extensions import db

EVENT_KINDS = ("meeting", "site_visit", "seminar", "reception", "b2b", "travel", "stay", "other")
EVENT_STATUSES = ("scheduled", "cancelled")
MAX_STAY_NIGHTS = 30  # a hotel stay's longest; other events last at most operations.MAX_EVENT_HOURS
RSVP_ANSWERS = ("needs-action", "accepted", "declined", "tentative")


def new_event_uid() -> str:
    return f"event-{uuid.uuid4()}@planner"


class Venue(db.Model):
    """A place events happen, reused across delegations. Its zone is how times are entered and shown."""

    __tablename__ = "venues"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_ja: Mapped[str] = mapped_column(String(200), default="", server_default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    capacity: Mapped[int | None]
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region = relationship("Region", lazy="joined")

    __table_args__ = (
        CheckConstraint("country IN ('IN', 'JP')", name="country_known"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def display_name(self) -> str:
        """The name in the page's language: the Japanese name on Japanese pages when there is one."""
        return in_language(self.name, self.name_ja)

    def audit_label(self) -> str:
        return f"{self.name}, {self.city}"

    @classmethod
    def visible_to(cls, user):
        return true() if user.role in STAFF_ROLES else false()

    @classmethod
    def editable_by(cls, user):
        if user.role == Role.ADMIN:
            return true()
        if user.role in (Role.STATE, Role.PREFECTURE):
            return cls.region_id == user.region_id
        return false()

    def __repr__(self) -> str:
        return f"<Venue {self.id} {self.name}>"


class EventAttendee(db.Model):
    """A person expected at an event; `rsvp` is filled in when invites are answered."""

    __tablename__ = "event_attendees"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), primary_key=True,
                                           index=True)
    rsvp: Mapped[str] = mapped_column(String(20), default="needs-action")
    rsvp_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person = relationship(Person, lazy="joined")

    __table_args__ = (CheckConstraint(f"rsvp IN {_in(RSVP_ANSWERS)}", name="rsvp_known"),)

    def __str__(self) -> str:
        return str(self.person_id)

    def __repr__(self) -> str:
        return f"<EventAttendee {self.event_id}/{self.person_id} {self.rsvp}>"


class Event(db.Model):
    """One item of a delegation's itinerary. Times in UTC; `timezone` is the venue's zone at creation."""

    __tablename__ = "events"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="meeting")
    title: Mapped[str] = mapped_column(String(200))
    title_ja: Mapped[str] = mapped_column(String(200), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="")
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id", ondelete="RESTRICT"), index=True)
    timezone: Mapped[str] = mapped_column(String(64))
    # the clock the event ends on when not the start's (a flight's arrival); None: the start's
    end_timezone: Mapped[str | None] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uid: Mapped[str] = mapped_column(String(255), unique=True, default=new_event_uid)
    sequence: Mapped[int] = mapped_column(default=0)
    overlap_confirmed: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    delegation = relationship("Delegation", lazy="joined")
    venue = relationship(Venue, lazy="joined")
    organiser = relationship("User")
    attendee_links = relationship(EventAttendee, cascade="all, delete-orphan", lazy="selectin")

    __table_args__ = (
        CheckConstraint(f"kind IN {_in(EVENT_KINDS)}", name="kind_known"),
        CheckConstraint(f"status IN {_in(EVENT_STATUSES)}", name="status_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("sequence >= 0", name="sequence_nonnegative"),
    )

    @property
    def attendees(self) -> list[Person]:
        """In the delegation's order of precedence (the head first, as protocol lists them; equal precedence in
        the order they joined); people who are not members (a host's officials) after them, in the order
        lists of people read in (``people_sort_key``)."""
        rank = {member.person_id: (member.precedence, member.id) for member in self.delegation.members}
        return sorted((link.person for link in self.attendee_links),
                      key=lambda p: (rank.get(p.id, (1000, 0)), *people_sort_key(p)))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def end_zone(self) -> ZoneInfo:
        return ZoneInfo(self.end_timezone or self.timezone)

    @property
    def local_end(self) -> datetime:
        """The end on the clock it happens on: the arrival's for a flight that lands in another zone."""
        return self.ends_at.astimezone(self.end_zone)

    @property
    def display_title(self) -> str:
        """The title in the page's language: the Japanese title on Japanese pages when there is one."""
        return in_language(self.title, self.title_ja)

    def audit_label(self) -> str:
        return self.title

    @classmethod
    def visible_to(cls, user):
        if user.role == Role.ADMIN:
            return true()
        if user.role in (Role.STATE, Role.PREFECTURE):
            return involves_region(cls.delegation_id, user.region_id)
        if user.role == Role.DELEGATE:
            own_people = select(Person.id).where(Person.user_id == user.id)
            attends = exists(select(1).where(EventAttendee.event_id == cls.id,
                                             EventAttendee.person_id.in_(own_people)))
            member = exists(select(1).where(DelegationMember.delegation_id == cls.delegation_id,
                                            DelegationMember.person_id.in_(own_people)))
            return or_(attends, member)
        return false()

    @classmethod
    def editable_by(cls, user):
        return false() if user.role == Role.DELEGATE else cls.visible_to(user)

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.kind} {self.starts_at:%Y-%m-%d %H:%M}Z>"
