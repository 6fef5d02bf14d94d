"""iCalendar (RFC 5545 / RFC 5546 iTIP) builder for meeting invites and feeds.

Plain values in (the dataclasses below), bytes out. No Flask, no database.
The rules implemented here are listed in shared INVITES.md; the numbers in the
comments (``[r6]``) refer to them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone, vCalAddress
from icalendar.timezone import tzid_from_dt, tzid_from_tzinfo

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
    ``Asia/Kolkata``; ``UTC`` writes ``...Z`` times), the end in ``end_tzid``
    when given (a flight lands on another clock; RFC 5545 §3.8.2.2 lets DTEND
    have its own TZID). ``uid`` is the one stored with the meeting;
    ``sequence`` the stored revision number.
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
    end_tzid: str | None = None


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


def _writing_zone(tzid: str) -> timezone | ZoneInfo:
    """The zone a time is written in: the given one, or UTC for a zone no VTIMEZONE describes ([r7] "or they
    are UTC": see _steady)."""
    zone = _zone(tzid)
    return zone if _steady(tzid) else UTC


def _choice(value: str, allowed: Sequence[str], what: str) -> str:
    upper = str(value).strip().upper()
    if upper not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")
    return upper


@dataclass(frozen=True, slots=True)
class _Checked:
    """One event's values, validated and cleaned, as both writers below take them."""

    uid: str
    sequence: int
    start: datetime  # in the venue's zone
    end: datetime
    status: str
    organizer: tuple[str, str]  # (email, CN)
    attendees: tuple[tuple[str, str, str, str, bool | None], ...]  # (email, CN, ROLE, PARTSTAT, RSVP or None)
    summary: str
    description: str
    location: str
    url: str
    categories: tuple[str, ...]


def _check(event: CalendarEvent, method: str) -> _Checked:
    uid = clean_uid(event.uid)
    if isinstance(event.sequence, bool) or not isinstance(event.sequence, int) or event.sequence < 0:
        raise ValueError(f"SEQUENCE must be an integer >= 0, not {event.sequence!r}")  # [r4]
    start = _aware(event.start, "start").astimezone(_writing_zone(event.tzid))  # [r7]
    end = _aware(event.end, "end").astimezone(_writing_zone(event.end_tzid or event.tzid))
    if end <= start:
        raise ValueError("end must be after start")

    status = _choice(event.status, _STATUSES, "status")
    if method == "CANCEL":
        status = "CANCELLED"  # [r8]
    elif method == "REQUEST" and status == "CANCELLED":
        raise ValueError("a cancelled event is sent with method CANCEL, not REQUEST")

    organizer_email = normalize_email(event.organizer.email)  # [r5]
    attendees = []
    seen = {organizer_email.lower()}  # the organizer is never an attendee [r6]
    for attendee in event.attendees:
        email = normalize_email(attendee.email)
        if email.lower() in seen:
            continue
        seen.add(email.lower())
        attendees.append((email, clean_line(attendee.name), _choice(attendee.role, _ROLES, "role"),
                          _choice(attendee.partstat, _PARTSTATS, "partstat"),
                          # RSVP is a request for a reply: only a REQUEST asks for one.
                          bool(attendee.rsvp) if method == "REQUEST" else None))
    return _Checked(uid=uid, sequence=event.sequence, start=start, end=end, status=status,
                    organizer=(organizer_email, clean_line(event.organizer.name)), attendees=tuple(attendees),
                    summary=clean_text(event.summary), description=clean_text(event.description),
                    location=clean_text(event.location), url=clean_url(event.url) if event.url else "",
                    categories=tuple(c for c in (clean_line(c) for c in event.categories) if c))


def _vevent(event: CalendarEvent, method: str, dtstamp: datetime) -> Event:
    """The VEVENT as an icalendar component. :func:`_vevent_bytes` writes the same bytes directly; this is the
    reference it is tested against (tests/invites/test_invite_ical_fast.py)."""
    checked = _check(event, method)

    def address(email: str, cn: str, **params: object) -> vCalAddress:
        kwargs = {key: value for key, value in params.items() if value is not None}
        return vCalAddress.new(email, cn=cn or None, **kwargs)

    return Event.new(
        uid=checked.uid,
        sequence=checked.sequence,
        stamp=dtstamp,
        start=checked.start,
        end=checked.end,
        summary=checked.summary or None,
        description=checked.description or None,
        location=checked.location or None,
        status=checked.status,
        organizer=address(*checked.organizer),
        attendees=[address(email, cn, role=role, partstat=partstat, rsvp=rsvp)
                   for email, cn, role, partstat, rsvp in checked.attendees] or None,
        url=checked.url or None,
        categories=checked.categories,
    )


# The direct writer. icalendar's component machinery (Event.new, content_lines) was half the cost of building an
# invite; these few rules are all of it that our events use, in icalendar 7's own terms (cited per function).


def _text(value: str) -> str:
    """TEXT escaping (RFC 5545 §3.3.11) exactly as icalendar's parser.string._escape_char, in its order."""
    return (value.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


_RFC6868 = {"^": "^^", "\r\n": "^n", "\r": "^n", "\n": "^n", '"': "^'"}
_RFC6868_CHARS = re.compile(r'\^|\r\n|\r|\n|"')


def _cn(value: str) -> str:
    """A CN parameter value as icalendar's Parameters.to_ical writes it: RFC 6868 escapes, then double quotes
    when it holds one of ``,;:’`` (parameter.QUOTABLE) or, for CN, a space or an apostrophe (quote_also)."""
    value = _RFC6868_CHARS.sub(lambda match: _RFC6868[match.group()], value)
    if any(c in value for c in ",;:\u2019 '"):
        return f'"{value}"'
    return value


def _stamp(value: datetime) -> str:
    """vDatetime.to_ical: whole seconds, ``Z`` for UTC."""
    text = (f"{value.year:04}{value.month:02}{value.day:02}"
            f"T{value.hour:02}{value.minute:02}{value.second:02}")
    return text + "Z" if _tzid(value) is None else text


def _tzid(value: datetime) -> str | None:
    """The TZID icalendar writes for ``value``, None for UTC (written ``…Z``, no VTIMEZONE): icalendar's
    tzid_from_dt, which counts every zone it knows to be UTC (Etc/UTC, GMT, Iceland, Africa/Abidjan…) as UTC."""
    tzid = _tzinfo_tzid(value.tzinfo)
    if tzid is None:
        tzid = tzid_from_dt(value)
    return None if tzid == "UTC" else tzid


@lru_cache(maxsize=256)
def _tzinfo_tzid(tzinfo) -> str | None:
    return tzid_from_tzinfo(tzinfo)


def _when(name: str, value: datetime) -> str:
    """DTSTART/DTEND: ``;TZID=`` the zone's id, or ``…Z`` in UTC (Parameters.update_tzid_from)."""
    tzid = _tzid(value)
    return f"{name}:{_stamp(value)}" if tzid is None else f"{name};TZID={tzid}:{_stamp(value)}"


def _vevent_bytes(event: CalendarEvent, method: str, dtstamp: datetime) -> tuple[bytes, tuple[str, ...]]:
    """The VEVENT's bytes, identical to ``_serialise(_vevent(...))``, and the TZIDs it uses (none in UTC).
    Properties in icalendar's order for VEVENT: its canonical_order, then the others alphabetically; the
    attendee parameters sorted (CN, PARTSTAT, ROLE, RSVP)."""
    return _write_vevent(_check(event, method), dtstamp)


def _write_vevent(checked: _Checked, dtstamp: datetime) -> tuple[bytes, tuple[str, ...]]:
    lines = ["BEGIN:VEVENT"]
    if checked.summary:
        lines.append(f"SUMMARY:{_text(checked.summary)}")
    lines += [_when("DTSTART", checked.start), _when("DTEND", checked.end), f"DTSTAMP:{_stamp(dtstamp)}",
              f"UID:{_text(checked.uid)}", f"SEQUENCE:{checked.sequence}"]
    for email, cn, role, partstat, rsvp in checked.attendees:
        params = (f"CN={_cn(cn)};" if cn else "") + f"PARTSTAT={partstat};ROLE={role}"
        if rsvp is not None:
            params += f";RSVP={'TRUE' if rsvp else 'FALSE'}"
        lines.append(f"ATTENDEE;{params}:mailto:{email}")
    if checked.categories:
        lines.append("CATEGORIES:" + ",".join(_text(category) for category in checked.categories))
    if checked.description:
        lines.append(f"DESCRIPTION:{_text(checked.description)}")
    if checked.location:
        lines.append(f"LOCATION:{_text(checked.location)}")
    email, cn = checked.organizer
    lines.append(f"ORGANIZER;CN={_cn(cn)}:mailto:{email}" if cn else f"ORGANIZER:mailto:{email}")
    lines.append(f"STATUS:{checked.status}")
    if checked.url:
        lines.append(f"URL:{checked.url}")
    lines.append("END:VEVENT")
    zones = tuple(tzid for tzid in (_tzid(checked.start), _tzid(checked.end)) if tzid)
    return b"".join(fold_line(line) + b"\r\n" for line in lines), zones


@lru_cache(maxsize=256)
def _steady(tzid: str) -> bool:
    """Whether the zone keeps one UTC offset over the years events may have (2000–2100): Asia/Tokyo and
    Asia/Kolkata do.  Times in a zone with summer time are written in UTC instead: icalendar's VTIMEZONE
    lists its changes as one RDATE of many dates and ends in 2038, and Mozilla's ical.js (Thunderbird)
    reads only the first date of such an RDATE, so a July meeting in Berlin came an hour off; Outlook
    reads RDATE-only zones poorly too.  A UTC time is the same instant in every client (the description
    gives the venue's time, IST and JST)."""
    zone = _zone(tzid)
    if not isinstance(zone, ZoneInfo):
        return True
    offsets = {datetime(year, month, 15, 12, tzinfo=zone).utcoffset()
               for year in range(2000, 2101) for month in range(1, 13)}
    return len(offsets) == 1


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

    checked = [_check(event, method) for event in events]
    written = [_write_vevent(event, stamp) for event in checked]
    timezones = []
    for tzid in sorted({tzid for _bytes, zones in written for tzid in zones}):
        try:
            timezones.append(_vtimezone_bytes(tzid))
        except ValueError:
            raise ValueError(f"no VTIMEZONE could be generated for {tzid!r}") from None
    # What Calendar.to_ical() writes after add_missing_timezones(): the calendar's properties, the VTIMEZONEs
    # before the VEVENTs [r7], each component folded on its own. Spliced from parts because the VTIMEZONEs
    # are the same bytes every time (serialising them was a third of the cost of an invite).
    calendar = b"".join([_calendar_head(clean_line(prodid) or DEFAULT_PRODID, method,
                                        clean_line(calendar_name) if calendar_name else ""),
                         *timezones, *(vevent for vevent, _zones in written), b"END:VCALENDAR\r\n"])
    if method != "PUBLISH":  # a feed is not mailed, and may be large
        _remember_facts(calendar, method, checked)
    return calendar


CalendarFacts = tuple[str, frozenset[str], frozenset[str]]
_FACTS: dict[bytes, CalendarFacts] = {}
_FACTS_LOCK = threading.Lock()
_FACTS_KEPT = 256


def _remember_facts(calendar: bytes, method: str, events: list[_Checked]) -> None:
    organizers = frozenset(event.organizer[0].lower() for event in events)
    attendees = frozenset(attendee[0].lower() for event in events for attendee in event.attendees)
    with _FACTS_LOCK:
        _FACTS[calendar] = (method, organizers, attendees)
        if len(_FACTS) > _FACTS_KEPT:
            del _FACTS[next(iter(_FACTS))]


def built_calendar_facts(calendar_bytes: bytes) -> CalendarFacts | None:
    """(METHOD, organizer addresses, attendee addresses; addresses in lower case) of a calendar that
    :func:`build_calendar` returned recently (the last 256 REQUESTs and CANCELs), else None. The MIME builder
    checks every invite against these; reading them back from the bytes cost a twentieth of a schedule's
    confirmation, for a calendar built a moment before from these very values."""
    with _FACTS_LOCK:
        return _FACTS.get(calendar_bytes)


@lru_cache(maxsize=256)
def _calendar_head(prodid: str, method: str, calendar_name: str) -> bytes:
    """The VCALENDAR's first lines (its properties), as icalendar writes them."""
    calendar = Calendar()
    calendar.add("PRODID", prodid)
    calendar.add("VERSION", "2.0")
    calendar.add("METHOD", method)
    if calendar_name:
        calendar.calendar_name = calendar_name
    head = _serialise(calendar)
    end = b"END:VCALENDAR\r\n"
    if not head.endswith(end):
        raise AssertionError("unexpected serialisation of VCALENDAR")
    return head[: -len(end)]


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
