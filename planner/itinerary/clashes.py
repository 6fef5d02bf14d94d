"""Clash detection. `find_clashes` is pure: it sees events as plain `Slot`s and knows nothing of the database.

Intervals are half-open [start, end): an event ending at 10:00 and another starting at 10:00 do not clash.
A hotel stay (kind "stay", check-in to check-out) clashes only with another stay: the programme of the days it
spans takes place during it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

CLASH_KINDS = ("person", "outside_dates", "venue", "travel")


@dataclass(frozen=True)
class Slot:
    """An event as clash detection sees it."""

    id: int | None
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    delegation_id: int
    venue_id: int | None = None
    attendee_ids: frozenset[int] = field(default_factory=frozenset)
    end_timezone: str = ""  # a flight's arrival clock, when not the start's

    def local_times(self) -> tuple[datetime, datetime]:
        """Start and end on the clocks of the event's places (a flight lands on the arrival's), as its itinerary
        shows them first."""
        return (self.starts_at.astimezone(ZoneInfo(self.timezone)),
                self.ends_at.astimezone(ZoneInfo(self.end_timezone or self.timezone)))


@dataclass(frozen=True)
class Clash:
    kind: str  # one of CLASH_KINDS
    event: Slot
    other: Slot | None = None
    person_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def key(self) -> tuple:
        """Identifies a clash regardless of which of its two events it was found from."""
        ids = frozenset(i for i in (self.event.id, self.other.id if self.other else None) if i is not None)
        return (self.kind, ids, self.person_ids)


def overlaps(a: Slot, b: Slot) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def local_days(slot: Slot) -> tuple[date, date]:
    """The first and last day the event touches at its places (an event ending at midnight ends the day before; a
    flight lands on its arrival's calendar)."""
    return (slot.starts_at.astimezone(ZoneInfo(slot.timezone)).date(),
            (slot.ends_at - timedelta(microseconds=1)).astimezone(ZoneInfo(slot.end_timezone or slot.timezone)).date())


def find_clashes(candidate: Slot, others: Iterable[Slot], *, first_day: date, last_day: date) -> list[Clash]:
    """Every clash `candidate` would have with `others` and with its delegation's dates (venue-local)."""
    clashes = []
    start_day, end_day = local_days(candidate)
    if start_day < first_day or end_day > last_day:
        clashes.append(Clash("outside_dates", candidate))
    for other in others:
        if other.id is not None and other.id == candidate.id or not overlaps(candidate, other):
            continue
        if (candidate.kind == "stay") != (other.kind == "stay"):
            continue  # the programme takes place during a hotel stay
        shared = candidate.attendee_ids & other.attendee_ids
        if shared:  # two stays of one person: a room booked twice
            clashes.append(Clash("person", candidate, other, frozenset(shared)))
        if candidate.venue_id is not None and candidate.venue_id == other.venue_id and candidate.kind != "stay":
            clashes.append(Clash("venue", candidate, other))  # a hotel lodges several delegations at once
        if candidate.delegation_id == other.delegation_id and "travel" in (candidate.kind, other.kind):
            clashes.append(Clash("travel", candidate, other))
    return clashes
