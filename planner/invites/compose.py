"""From an itinerary event or a B2B meeting, as plain values, to what an invite says.

Pure: no Flask and no database. :class:`Subject` is filled by planner.invites.subjects; the email bodies are
templates (templates/invites/) rendered with :func:`body_context`; the calendar object comes from
:func:`calendar_event` and planner.invites.ical.build_calendar, for the email, the .ics download and the feed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from planner.core.timefmt import IST, JST, format_local, zone_label
from planner.invites.ical import Attendee, CalendarEvent, Organizer


@dataclass(frozen=True)
class Recipient:
    person_id: int
    email: str
    name: str
    firm_index: int | None = None  # B2B: which of Subject.firms the person represents
    language: str = "en"  # the person's preferred language: their mail's subject, text and dates


@dataclass(frozen=True)
class Firm:
    name: str
    representatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Subject:
    """One event or meeting as its invites describe it. ``start``/``end`` are aware; ``tzid`` is the venue's."""

    kind: str  # "event" or "meeting"
    object_id: int
    uid: str
    sequence: int
    title: str
    start: datetime
    end: datetime
    tzid: str
    active: bool  # on people's calendars (scheduled, and the delegation confirmed)
    recipients: tuple[Recipient, ...] = ()
    venue_name: str = ""
    venue_address: str = ""
    table: str = ""
    delegation: str = ""
    organiser_contact: str = ""
    notes: str = ""
    firms: tuple[Firm, ...] = ()  # B2B: (Indian firm, Japanese firm)
    regions: tuple = field(default=(), compare=False)  # Region rows, for the email log's scope only

    @property
    def related_type(self) -> str:
        return "event" if self.kind == "event" else "b2b_meeting"


def location(subject: Subject) -> str:
    parts = [subject.venue_name, subject.venue_address, subject.table]
    return ", ".join(part for part in parts if part)


def _span(start: datetime, end: datetime, zone, language: str | None = None) -> str:
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    same_day = local_start.date() == local_end.date()
    return (f"{format_local(local_start, language=language)}–"
            f"{format_local(local_end, with_date=not same_day, language=language)}")


def times(subject: Subject, language: str | None = None) -> dict[str, str]:
    """The time at the venue, in IST and in JST, as people read them (in ``language``, else the locale's)."""
    venue = ZoneInfo(subject.tzid)
    return {"local": f"{_span(subject.start, subject.end, venue, language)} {zone_label(subject.tzid)}",
            "ist": _span(subject.start, subject.end, IST, language),
            "jst": _span(subject.start, subject.end, JST, language), "zone": subject.tzid}


def counterpart(subject: Subject, recipient: Recipient | None) -> Firm | None:
    """The firm across the table from the recipient (B2B meetings)."""
    if len(subject.firms) != 2 or recipient is None or recipient.firm_index is None:
        return None
    return subject.firms[1 - recipient.firm_index]


def description(subject: Subject) -> str:
    """DESCRIPTION: the same for every attendee (the calendar object is shared), so in English."""
    when = times(subject, language="en")
    lines = [subject.title]
    if subject.firms:
        lines.append(" × ".join(f"{firm.name}" + (f" ({', '.join(firm.representatives)})"
                                                   if firm.representatives else "") for firm in subject.firms))
    if subject.delegation:
        lines.append(subject.delegation)
    lines += [f"Venue time: {when['local']}", f"IST: {when['ist']}", f"JST: {when['jst']}"]
    if location(subject):
        lines.append(f"Where: {location(subject)}")
    if subject.organiser_contact:
        lines.append(f"Organiser: {subject.organiser_contact}")
    if subject.notes:
        lines += ["", subject.notes]
    return "\n".join(lines)


def calendar_event(subject: Subject, organizer: Organizer, attendees: Sequence[Recipient], *, sequence: int,
                   cancelled: bool = False, url: str | None = None) -> CalendarEvent:
    return CalendarEvent(
        uid=subject.uid, sequence=sequence, summary=subject.title, start=subject.start, end=subject.end,
        tzid=subject.tzid, organizer=organizer,
        attendees=tuple(Attendee(r.email, r.name) for r in attendees), description=description(subject),
        location=location(subject), status="CANCELLED" if cancelled else "CONFIRMED", url=url,
        categories=("B2B",) if subject.kind == "meeting" else ())


def fingerprint(subject: Subject) -> str:
    """What a change must alter for holders of the invite to get an update: time, place, title, status."""
    text = "\x1f".join([subject.start.isoformat(), subject.end.isoformat(), subject.tzid, subject.title,
                        location(subject), str(subject.active)])
    return hashlib.sha256(text.encode()).hexdigest()


def body_context(subject: Subject, recipient: Recipient, *, method: str, links: dict[str, str],
                 agenda_url: str, is_update: bool) -> dict:
    """Everything the text and HTML templates show: what, when (venue time, IST, JST), where, table,
    counterpart, organiser, the answer links and the agenda link."""
    return {"subject": subject, "recipient": recipient, "method": method, "when": times(subject),
            "where": location(subject), "counterpart": counterpart(subject, recipient), "links": links,
            "agenda_url": agenda_url, "is_update": is_update, "is_cancel": method == "CANCEL"}
