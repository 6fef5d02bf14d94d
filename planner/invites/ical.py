"""iCalendar (RFC 5545 / RFC 5546 iTIP) builder for meeting invites and feeds.

Plain values in (the dataclasses below), bytes out. No Flask, no database.
The rules implemented here are listed in shared INVITES.md; the numbers in the
comments (``[r6]``) refer to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone, vCalAddress

from .text import clean_line, clean_text, clean_uid, clean_url, normalize_email

__all__ = [
    "DEFAULT_PRODID",
    "METHODS",
    "Attendee",
    "Organizer",
    "CalendarEvent",
    "build_calendar",
    "calendar_method",
]

DEFAULT_PRODID = "-//Delegation Planner//Invites 1.0//EN"
METHODS = ("REQUEST", "CANCEL", "PUBLISH")
_ROLES = ("REQ-PARTICIPANT", "OPT-PARTICIPANT", "NON-PARTICIPANT", "CHAIR")
_PARTSTATS = ("NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED")
_STATUSES = ("CONFIRMED", "TENTATIVE", "CANCELLED")


@dataclass(frozen=True, slots=True)
class Organizer:
    """The mailbox the invite is sent from; replies go there [r5]."""

    email: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Attendee:
    """One recipient of the invite [r6]."""

    email: str
    name: str = ""
    role: str = "REQ-PARTICIPANT"
    partstat: str = "NEEDS-ACTION"
    rsvp: bool = True


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One meeting as the invite describes it.

    ``start``/``end`` are aware datetimes (any zone); they are written in the
    venue's zone ``tzid`` (an IANA name such as ``Asia/Tokyo`` or
    ``Asia/Kolkata``; ``UTC`` writes ``...Z`` times). ``uid`` is the one stored
    with the meeting; ``sequence`` the stored revision number.
    """

    uid: str
    sequence: int
    summary: str
    start: datetime
    end: datetime
    tzid: str
    organizer: Organizer
    attendees: Sequence[Attendee] = ()
    description: str = ""
    location: str = ""
    status: str = "CONFIRMED"
    url: str | None = None
    categories: Sequence[str] = field(default_factory=tuple)


def _aware(value: datetime, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise ValueError(f"{what} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware (floating times are not allowed)")
    return value


def _zone(tzid: str) -> timezone | ZoneInfo:
    if not isinstance(tzid, str) or not tzid or tzid != tzid.strip():
        raise ValueError(f"invalid time zone: {tzid!r}")
    if tzid.upper() in ("UTC", "ETC/UTC", "Z"):
        return UTC
    try:
        return ZoneInfo(tzid)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone: {tzid!r}") from exc


def _choice(value: str, allowed: Sequence[str], what: str) -> str:
    upper = str(value).strip().upper()
    if upper not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")
    return upper


def _address(email: str, name: str, **params: object) -> vCalAddress:
    cn = clean_line(name)
    kwargs = {key: value for key, value in params.items() if value is not None}
    return vCalAddress.new(normalize_email(email), cn=cn or None, **kwargs)


def _vevent(event: CalendarEvent, method: str, dtstamp: datetime) -> Event:
    uid = clean_uid(event.uid)
    if isinstance(event.sequence, bool) or not isinstance(event.sequence, int) or event.sequence < 0:
        raise ValueError(f"SEQUENCE must be an integer >= 0, not {event.sequence!r}")  # [r4]
    zone = _zone(event.tzid)
    start = _aware(event.start, "start").astimezone(zone)  # [r7]
    end = _aware(event.end, "end").astimezone(zone)
    if end <= start:
        raise ValueError("end must be after start")

    status = _choice(event.status, _STATUSES, "status")
    if method == "CANCEL":
        status = "CANCELLED"  # [r8]
    elif method == "REQUEST" and status == "CANCELLED":
        raise ValueError("a cancelled event is sent with method CANCEL, not REQUEST")

    organizer_email = normalize_email(event.organizer.email)
    organizer = _address(organizer_email, event.organizer.name)  # [r5]

    attendees: list[vCalAddress] = []
    seen = {organizer_email.lower()}  # the organizer is never an attendee [r6]
    for attendee in event.attendees:
        email = normalize_email(attendee.email)
        if email.lower() in seen:
            continue
        seen.add(email.lower())
        attendees.append(
            _address(
                email,
                attendee.name,
                role=_choice(attendee.role, _ROLES, "role"),
                partstat=_choice(attendee.partstat, _PARTSTATS, "partstat"),
                # RSVP is a request for a reply: only a REQUEST asks for one.
                rsvp=bool(attendee.rsvp) if method == "REQUEST" else None,
            )
        )

    categories = [c for c in (clean_line(c) for c in event.categories) if c]
    vevent = Event.new(
        uid=uid,
        sequence=event.sequence,
        stamp=dtstamp,
        start=start,
        end=end,
        summary=clean_text(event.summary) or None,
        description=clean_text(event.description) or None,
        location=clean_text(event.location) or None,
        status=status,
        organizer=organizer,
        attendees=attendees or None,
        url=clean_url(event.url) if event.url else None,
        categories=tuple(categories),
    )
    return vevent


@lru_cache(maxsize=64)
def _vtimezone(tzid: str) -> Timezone:
    """The VTIMEZONE for ``tzid`` (1970–2038), computed once per process: icalendar derives it by probing
    the zone hour by hour (about 0.1 s) and asks callers to cache it. Shared read-only between calendars."""
    return Timezone.from_tzid(tzid)


def fold_line(line: str, limit: int = 75) -> bytes:
    """One content line folded as icalendar folds it (RFC 5545 §3.1): each part the longest run of whole
    characters under ``limit`` octets, parts joined by CRLF + space, and a part never ending in a backslash
    or caret (the start of an escape moves to the next part, icalendar issue #1501). The same bytes as
    icalendar's folding, which counts the octets of each character one by one; this works on the encoded
    line, stepping back from each cut to the start of a UTF-8 character."""
    if len(line) < limit and line.isascii():
        return line.encode("ascii")
    data = line.encode("utf-8")
    width = limit - 1
    parts: list[bytes] = []
    start = 0
    while len(data) - start > width:
        end = start + width
        while data[end] & 0xC0 == 0x80:  # inside a character: cut before it
            end -= 1
        if end - start > 1 and data[end - 1] in b"\\^":
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def _serialise(component) -> bytes:
    """``component.to_ical()`` with :func:`fold_line` (icalendar escapes and orders the properties)."""
    return b"".join(fold_line(line) + b"\r\n" for line in component.content_lines() if line)


@lru_cache(maxsize=64)
def _vtimezone_bytes(tzid: str) -> bytes:
    """The serialised VTIMEZONE for ``tzid``: the same lines in every calendar, so written once."""
    return _serialise(_vtimezone(tzid))


def build_calendar(
    events: Iterable[CalendarEvent],
    method: str,
    dtstamp: datetime,
    prodid: str = DEFAULT_PRODID,
    calendar_name: str | None = None,
) -> bytes:
    """Serialise ``events`` as one iCalendar object.

    ``method`` is ``REQUEST`` (new or changed meeting), ``CANCEL`` (cancelled
    meeting; forces STATUS:CANCELLED) or ``PUBLISH`` (a personal feed, any
    number of events, attendees listed without RSVP). REQUEST and CANCEL carry
    exactly one event. ``dtstamp`` is the time of this send (written in UTC).
    ``calendar_name`` (PUBLISH feeds) sets NAME and X-WR-CALNAME.

    Returns CRLF-terminated, 75-octet-folded UTF-8 bytes with one VTIMEZONE per
    venue zone placed before the events. Raises :class:`ValueError` on any
    invalid input.
    """
    method = _choice(method, METHODS, "method")  # [r1]
    events = list(events)
    if not events:
        raise ValueError("at least one event is required")
    if method != "PUBLISH" and len(events) != 1:
        raise ValueError(f"a {method} carries exactly one event, got {len(events)}")  # [r2]
    if method == "PUBLISH" and len({clean_uid(e.uid) for e in events}) != len(events):
        raise ValueError("event UIDs must be unique within a calendar")
    stamp = _aware(dtstamp, "dtstamp").astimezone(UTC)  # [r3]

    calendar = Calendar()
    calendar.add("PRODID", clean_line(prodid) or DEFAULT_PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("METHOD", method)
    if calendar_name:
        calendar.calendar_name = clean_line(calendar_name)
    vevents = [_vevent(event, method, stamp) for event in events]
    for vevent in vevents:
        calendar.add_component(vevent)
    timezones = []
    for tzid in sorted(calendar.get_missing_tzids()):
        try:
            timezones.append(_vtimezone_bytes(tzid))
        except ValueError:
            raise ValueError(f"no VTIMEZONE could be generated for {tzid!r}") from None
    # What Calendar.to_ical() writes after add_missing_timezones(): the calendar's properties, the VTIMEZONEs
    # before the VEVENTs [r7], each component folded on its own. Spliced from parts because the VTIMEZONEs
    # are the same bytes every time (serialising them was a third of the cost of an invite).
    calendar.subcomponents.clear()
    head = _serialise(calendar)
    end = b"END:VCALENDAR\r\n"
    if not head.endswith(end):
        raise AssertionError("unexpected serialisation of VCALENDAR")
    return b"".join([head[: -len(end)], *timezones, *(_serialise(vevent) for vevent in vevents), end])


def calendar_method(calendar_bytes: bytes) -> str:
    """The METHOD of a serialised calendar (upper case), or ``""`` if none.

    Raises :class:`ValueError` if the bytes are not one iCalendar object.
    """
    try:
        calendar = Calendar.from_ical(calendar_bytes)
    except Exception as exc:  # the parser raises several exception types
        raise ValueError(f"not an iCalendar object: {exc}") from exc
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise ValueError("not a VCALENDAR")
    return str(calendar.get("METHOD", "")).upper()
