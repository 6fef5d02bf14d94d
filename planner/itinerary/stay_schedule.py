"""A visitor's schedule of stay (滞在予定表), as a visa application asks for it: one row per day of the visit,
with what the visitor does that day, whom to contact, and where they sleep that night.

Built from the itinerary: the scheduled events the person attends (times on the venue's clock), and the hotel
stays (kind "stay") that cover each night. The words are the record's as entered (the English titles and
names: a consulate reads the application in English); the page around it gives the form's bilingual headings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from planner.core.timefmt import zone_label
from planner.delegations.models import Delegation, Person
from planner.itinerary.agenda import delegation_events
from planner.itinerary.models import Event

# The consulate form's captions, English with Japanese as the form prints them: the same on every page
# whatever its language (the applicant's consulate reads them), so not in the translation catalogue.
CAPTIONS = {
    "title": ("SCHEDULE OF STAY", "滞在予定表"), "applicant": ("Name of applicant", "申請人氏名"),
    "purpose": ("Purpose", "渡航目的"), "period": ("Period of stay", "滞在期間"), "date": ("Date", "年月日"),
    "activities": ("Activities", "行動予定"), "contact": ("Contact", "連絡先"),
    "accommodation": ("Accommodation", "宿泊予定先"),
}


def period(delegation: Delegation) -> str:
    """'07 Dec 2026 – 11 Dec 2026 (5 days)', in English as the form is filled."""
    days = delegation.days
    return (f"{delegation.start_date:%d %b %Y} – {delegation.end_date:%d %b %Y} "
            f"({days} day{'' if days == 1 else 's'})")


@dataclass
class StayDay:
    day: date
    activities: list[str] = field(default_factory=list)  # '10:00–11:00 Courtesy call … (Shizuoka Prefectural …)'
    accommodation: str = ""  # where the night after this day is spent ('' when none recorded, or the last day)


def _place(venue) -> str:
    return ", ".join(part for part in (venue.name, venue.address, venue.city) if part) if venue else ""


def _activity(event: Event) -> str:
    """'10:00–11:00 Courtesy call … (venue)'; an overnight flight '20:30 IST (6 Dec)–07:00 JST (7 Dec) Flight
    …', each time on its own clock (the departure's, the arrival's)."""
    start, end = event.local_start, event.local_end
    # a flight's two clocks are named: '11:00 JST–18:30 IST'
    start_zone, end_zone = ((f" {zone_label(event.timezone)}", f" {zone_label(event.end_timezone)}")
                            if event.end_timezone and event.end_timezone != event.timezone else ("", ""))
    span = f"{start:%H:%M}{start_zone}–{end:%H:%M}{end_zone}"
    if end.date() != start.date():
        span = (f"{start:%H:%M}{start_zone} ({start.day} {start:%b})–"
                f"{end:%H:%M}{end_zone} ({end.day} {end:%b})")
    where = f" ({event.venue.name})" if event.venue else ""
    return f"{span} {event.title}{where}"


def schedule_of_stay(delegation: Delegation, person: Person) -> list[StayDay]:
    """Each day from the visit's first to its last, with the person's activities and the night's hotel."""
    events = [event for event in delegation_events(delegation, include_cancelled=False)
              if any(link.person_id == person.id for link in event.attendee_links)]
    days = []
    current = delegation.start_date
    while current <= delegation.end_date:
        row = StayDay(current)
        for event in events:
            if event.kind == "stay":
                continue
            # listed on its day; a flight that left before the visit began, on the day it lands
            listed_on = event.local_start.date()
            if listed_on < delegation.start_date:
                listed_on = event.local_end.date()
            if listed_on == current:
                row.activities.append(_activity(event))
        night = next((event for event in events if event.kind == "stay"
                      and event.local_start.date() <= current < event.local_end.date()), None)
        if night is not None:
            row.accommodation = _place(night.venue) or night.title
        days.append(row)
        current += timedelta(days=1)
    return days



def contact_choices(delegation: Delegation) -> list[tuple[int, str]]:
    """The hosts who may be named as the visitor's contact (those with a phone or an e-mail address), in
    precedence: [(member id, 'Ichiro Suzuki, Shizuoka Prefecture, +81 54 221 2455')]."""
    return [(member.id, ", ".join(part for part in (member.person.name, member.person.organisation,
                                                       member.person.phone or member.person.email) if part))
            for member in delegation.members
            if member.role == "host" and (member.person.phone or member.person.email)]


def host_contact(delegation: Delegation, member_id: int | None = None) -> str:
    """Whom the visitor's hosts name as their contact: the host chosen (``member_id``), else the first host
    (in precedence) with a phone or an e-mail address; '' when no host has either."""
    choices = contact_choices(delegation)
    chosen = [label for candidate, label in choices if candidate == member_id]
    return (chosen or [label for _, label in choices[:1]] or [""])[0]
