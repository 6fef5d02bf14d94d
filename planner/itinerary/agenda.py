"""Day-by-day agendas and the itinerary CSV: events grouped by the venue-local day, times in local, IST, JST."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from planner.core.access import scope_clause
from planner.core.spreadsheets import spreadsheet_text
from planner.core.timefmt import IST, JST, zone_label
from planner.delegations.models import Delegation, DelegationMember, Person
from planner.extensions import db
from planner.i18n.names import local_name
from planner.itinerary.forms import KIND_LABELS
from planner.itinerary.models import Event, EventAttendee

# The CSV's column names are fixed (for spreadsheets and tools); its words are in the user's language.
EVENT_STATUS_WORDS = {"scheduled": _l("scheduled"), "cancelled": _l("cancelled")}


@dataclass
class AgendaDay:
    day: date | None  # None: events outside the visit's dates
    events: list = field(default_factory=list)  # those starting this day
    checkouts: list = field(default_factory=list)  # hotel stays ending this day, begun on an earlier one

    @property
    def rows(self) -> list[tuple[Event, bool]]:
        """What the day's agenda lists, in time order: (event, False) for each event starting, (stay, True) for
        each check-out (a traveller reads on their departure day when to leave the hotel)."""
        rows = [(event, False) for event in self.events] + [(stay, True) for stay in self.checkouts]
        return sorted(rows, key=lambda row: row[0].ends_at if row[1] else row[0].starts_at)


def group_by_day(events: list[Event], first_day: date | None = None, last_day: date | None = None):
    """Events grouped by their venue-local start day, hotel stays on their check-out day too; every day of
    [first_day, last_day] appears, even empty."""
    days: dict[date, AgendaDay] = {}
    if first_day and last_day:
        current = first_day
        while current <= last_day:
            days[current] = AgendaDay(current)
            current += timedelta(days=1)
    for event in sorted(events, key=lambda e: e.starts_at):
        day = event.local_start.date()
        days.setdefault(day, AgendaDay(day)).events.append(event)
        if event.kind == "stay" and event.local_end.date() != day:
            days.setdefault(event.local_end.date(), AgendaDay(event.local_end.date())).checkouts.append(event)
    return [days[key] for key in sorted(days)]


def delegation_events(delegation: Delegation, *, include_cancelled: bool = True) -> list[Event]:
    stmt = select(Event).where(Event.delegation_id == delegation.id).order_by(Event.starts_at)
    if not include_cancelled:
        stmt = stmt.where(Event.status == "scheduled")
    return list(db.session.scalars(stmt).unique())


def agenda_days(delegation: Delegation) -> list[AgendaDay]:
    return group_by_day(delegation_events(delegation), delegation.start_date, delegation.end_date)


def person_events(person: Person, user) -> list[Event]:
    """The events a person attends, or belongs to as a delegation member, that `user` may see."""
    attends = select(EventAttendee.event_id).where(EventAttendee.person_id == person.id)
    member_of = select(DelegationMember.delegation_id).where(DelegationMember.person_id == person.id)
    stmt = select(Event).where(Event.id.in_(attends) | Event.delegation_id.in_(member_of),
                               Event.status == "scheduled", scope_clause(Event, user)).order_by(Event.starts_at)
    return list(db.session.scalars(stmt).unique())


def _local(moment, zone) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


CSV_HEADER = ["date", "start_local", "end_local", "time_zone", "start_ist", "end_ist", "start_jst", "end_jst",
              "kind", "title", "venue", "city", "attendees", "status", "uid"]


def itinerary_csv(events: list[Event]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for event in sorted(events, key=lambda e: e.starts_at):
        zone = event.zone
        labels = zone_label(event.timezone) + (f"→{zone_label(event.end_timezone)}" if event.end_timezone else "")
        writer.writerow([
            event.local_start.date().isoformat(), _local(event.starts_at, zone), _local(event.ends_at, event.end_zone),
            labels, _local(event.starts_at, IST), _local(event.ends_at, IST),
            _local(event.starts_at, JST), _local(event.ends_at, JST), str(KIND_LABELS.get(event.kind, event.kind)),
            _safe(event.display_title), _safe(event.venue.display_name if event.venue else ""),
            _safe(event.venue.city if event.venue else ""),
            _safe("; ".join(local_name(p) for p in event.attendees)),
            str(EVENT_STATUS_WORDS.get(event.status, event.status)), event.uid])
    return buffer.getvalue()


def _safe(text: str) -> str:
    return spreadsheet_text(text)
