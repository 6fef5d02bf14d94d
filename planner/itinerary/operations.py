"""Itinerary rules: venues, events (local time in, UTC stored), clashes that need explicit confirmation."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import exists, func, or_, select

from planner.core.access import scope_clause
from planner.core.audit import record_action
from planner.core.errors import DomainError
from planner.core.roles import Role
from planner.core.timefmt import local_exists, local_to_utc, zone_label
from planner.core.types import utcnow
from planner.delegations.models import Delegation, Person, involves_region
from planner.delegations.operations import check_people_may_join
from planner.extensions import db
from planner.itinerary.clashes import Clash, Slot, find_clashes
from planner.itinerary.models import EVENT_KINDS, MAX_STAY_NIGHTS, Event, EventAttendee, Venue
from planner.regions.data import PREFECTURE_CAPITALS_JA
from planner.regions.models import COUNTRY_TIMEZONES, Region

MAX_EVENT_HOURS = 72
FIRST_YEAR, LAST_YEAR = 2000, 2100


class ClashesFound(DomainError):
    """Saving would create clashes; the organiser must confirm them explicitly."""

    def __init__(self, clashes: list[Clash]):
        if all(clash.kind == "outside_dates" for clash in clashes):  # nothing overlaps: say what it is
            message = _("This event falls outside the visit's dates. Save anyway only if that is intended (a "
                        "flight the day before the visit, say), or correct the date.")
        else:
            message = _("This event clashes with the itinerary. Check the clashes listed, then save anyway only "
                        "if the overlap is intended.")
        super().__init__(message, "confirm_overlap")
        self.clashes = clashes


@lru_cache(maxsize=1)
def place_zones() -> frozenset[str]:
    """The zones of places: the canonical names of the tz database's zone.tab (Asia/Kolkata, Asia/Tokyo…),
    from the tzdata package.  Not every name zoneinfo knows: "localtime" is whatever the server's clock is
    set to (the web and the mail worker could differ), "Factory" has no offset, and links such as "Japan"
    or "Asia/Calcutta" are shown to delegates as they are written instead of as JST or IST."""
    text = (resources.files("tzdata") / "zoneinfo" / "zone.tab").read_text(encoding="utf-8")
    return frozenset(line.split("\t")[2] for line in text.splitlines() if line and not line.startswith("#"))


# what people type for the two countries' time, read as the zone it means
ZONE_ALIASES = {"ist": "Asia/Kolkata", "jst": "Asia/Tokyo", "india": "Asia/Kolkata", "japan": "Asia/Tokyo",
                "asia/calcutta": "Asia/Kolkata", "utc+5:30": "Asia/Kolkata", "utc+05:30": "Asia/Kolkata",
                "utc+9": "Asia/Tokyo", "utc+09:00": "Asia/Tokyo", "日本時間": "Asia/Tokyo", "インド時間": "Asia/Kolkata"}


def check_zone(name: str, field_name: str = "timezone") -> str:
    name = (name or "").strip()
    name = ZONE_ALIASES.get(unicodedata.normalize("NFKC", name).casefold().replace(" ", ""), name)
    try:
        if name not in place_zones() or name not in available_timezones():
            raise ZoneInfoNotFoundError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError(_("Enter an IANA time zone such as Asia/Kolkata or Asia/Tokyo."), field_name) from None
    return name


# Venues ------------------------------------------------------------------------------------------------------


@dataclass
class VenueData:
    name: str
    country: str
    address: str = ""
    city: str = ""
    timezone: str = ""
    capacity: int | None = None
    name_ja: str = ""  # the name for Japanese readers; "": the name


def _checked_zone(data: VenueData) -> str:
    """The venue's zone once its data is checked."""
    if not data.name.strip():
        raise DomainError(_("Enter the venue's name."), "name")
    if data.country not in COUNTRY_TIMEZONES:
        raise DomainError(_("Choose India or Japan."), "country")
    if data.capacity is not None and not 1 <= data.capacity <= 100_000:
        raise DomainError(_("Enter a capacity from 1 to 100000."), "capacity")
    _check_city_in_country(data)  # before the zone: Wakayama with India and Asia/Tokyo is a wrong country
    zone = check_zone(data.timezone) if (data.timezone or "").strip() else COUNTRY_TIMEZONES[data.country]
    if zone != COUNTRY_TIMEZONES[data.country]:
        # India and Japan each keep one time: a venue in Japan on Asia/Kolkata put every event there 3 h 30 off
        raise DomainError(_("A venue in %(country)s keeps %(country)s's time (%(zone)s).",
                            country=_("India") if data.country == "IN" else _("Japan"),
                            zone=COUNTRY_TIMEZONES[data.country]), "timezone")
    return zone


# Places named in both countries: Kochi is a prefecture of Japan and a city of Kerala.
SHARED_PLACE_NAMES = frozenset({"kochi"})
_CITY_SUFFIX = re.compile(r"(?:[\s-]*(?:shi|city|市))$")


def _place_key(text: str) -> str:
    """'Wakayama-shi', 'WAKAYAMA City', '和歌山市' → 'wakayama' / '和歌山': how a city is compared with region names."""
    return _CITY_SUFFIX.sub("", unicodedata.normalize("NFKC", text).strip().casefold()).strip()


def _check_city_in_country(data: VenueData) -> None:
    """A city that is a state, prefecture or capital of the other country (Wakayama with India, the form's
    default for a state cell): every event there would be shown 3 h 30 off. Refused at the country, which is
    the likelier slip."""
    key = _place_key(data.city or "")
    if not key or key in SHARED_PLACE_NAMES:
        return
    other = "JP" if data.country == "IN" else "IN"
    for region in db.session.scalars(select(Region).where(Region.country == other)):
        names = {_place_key(name) for name in (region.name, region.capital, region.name_ja or "") if name}
        if region.name_ja:
            ja = _place_key(region.name_ja)  # 和歌山県 → 和歌山, as 和歌山市 reads; 京都府 → 京都 (not 京)
            names.add(ja[:-1] if ja[-1:] in ("県", "府", "都", "州") else ja)
        if region.code in PREFECTURE_CAPITALS_JA:  # 札幌市, 松山市: capitals not named after their prefecture
            names.add(_place_key(PREFECTURE_CAPITALS_JA[region.code]))
        if key in names:
            raise DomainError(_("%(city)s is in %(country)s: choose %(country)s, or correct the city.",
                                city=data.city.strip(), country=_("Japan") if other == "JP" else _("India")),
                              "country")


def _apply_venue(venue: Venue, data: VenueData, zone: str) -> None:
    """``zone``: the venue's zone from _checked_zone(data), which checked the data."""
    venue.name, venue.address, venue.city = data.name.strip(), data.address.strip(), data.city.strip()
    venue.name_ja = data.name_ja.strip()
    venue.country, venue.timezone, venue.capacity = data.country, zone, data.capacity


def create_venue(data: VenueData, user) -> Venue:
    venue = Venue(region_id=getattr(user, "region_id", None))
    _apply_venue(venue, data, _checked_zone(data))
    db.session.add(venue)
    db.session.flush()
    return venue


def update_venue(venue: Venue, data: VenueData, user=None, *, now: datetime | None = None) -> Venue:
    """Change a venue. Its name, address and city are in the LOCATION of the invites for its events and for the
    B2B meetings held there, and its zone in their times: people holding such an invite for an event that has
    not ended by ``now`` get an update (past events keep what they were, and their recorded answers).
    A new zone moves B2B meetings (their slots are venue clock times): staff of a region change it only while
    no upcoming event of a delegation their region does not take part in is held there."""
    before = (venue.name, venue.name_ja, venue.address, venue.city, venue.timezone)
    now = now or utcnow()
    after = (data.name.strip(), data.name_ja.strip(), data.address.strip(), data.city.strip(), _checked_zone(data))
    if after != before and user is not None and user.role != Role.ADMIN:
        _check_no_other_region_affected(venue, before, after, user, now)
    _apply_venue(venue, data, after[-1])
    if venue.timezone != before[-1]:
        # Stored instants stay; the venue's events that have not ended are now shown (and edited) in the new
        # zone. Past ones keep theirs: their B2B slots are clock times in it, and their meetings took place.
        for event in db.session.scalars(select(Event).where(Event.venue_id == venue.id, Event.ends_at > now)):
            event.timezone = venue.timezone
    db.session.flush()
    if (venue.name, venue.name_ja, venue.address, venue.city, venue.timezone) != before:
        _update_venue_invites(venue, now)
    return venue


def _check_no_other_region_affected(venue: Venue, before: tuple, after: tuple, user, now: datetime) -> None:
    """Staff of a region change where and when another region's programme takes place only through an
    administrator: the venue's name, address and city are in those events' invites, and its zone in their
    times, so a change would send their delegates updates (and the changer would be the one who sent them)."""
    def others_of(*conditions) -> int:
        return db.session.scalar(select(func.count()).select_from(Event).where(
            Event.venue_id == venue.id, Event.ends_at > now, ~involves_region(Event.delegation_id, user.region_id),
            *conditions))

    # a new zone moves how every upcoming event there reads, a cancelled one too (it may be restored)
    others = others_of() if after[-1] != before[-1] else others_of(Event.status == "scheduled")
    if not others:
        return
    if after[-1] != before[-1]:
        raise DomainError(ngettext(
            "An upcoming event of another region's delegation is held at this venue; only an administrator "
            "can change its time zone.",
            "%(num)d upcoming events of other regions' delegations are held at this venue; only an "
            "administrator can change its time zone.", others), "timezone")
    field = next(name for name, old, new in zip(("name", "name_ja", "address", "city"), before, after, strict=False)
                 if old != new)
    raise DomainError(ngettext(
        "An upcoming event of another region's delegation is held at this venue and its invites give this "
        "venue's name and address; only an administrator can change them. If your event has moved, record "
        "the new place as a new venue.",
        "%(num)d upcoming events of other regions' delegations are held at this venue and their invites give "
        "this venue's name and address; only an administrator can change them. If your event has moved, "
        "record the new place as a new venue.", others), field)


def _update_venue_invites(venue: Venue, now: datetime) -> None:
    """Updates (same UID, higher SEQUENCE) to those holding an invite for a scheduled event at the venue that
    has not ended, or a B2B meeting of such a session; never a first invite. (A new zone moves the B2B meetings
    in time, their slots being venue clock times: keep_session_current lets interpreters now busy elsewhere go.)"""
    from planner.invites.operations import sync_invites
    from planner.invites.subjects import event_subject
    from planner.matchmaking.operations import keep_session_current, sessions_of_events

    events = list(db.session.scalars(select(Event).where(Event.venue_id == venue.id, Event.status == "scheduled",
                                                         Event.ends_at > now)
                                     .order_by(Event.starts_at, Event.id)).unique())
    for event in events:
        sync_invites(event_subject(event), event, may_start=False)
    for session in sessions_of_events(event.id for event in events):
        keep_session_current(session)


# Events ------------------------------------------------------------------------------------------------------


@dataclass
class EventData:
    kind: str
    title: str
    local_start: datetime | None
    local_end: datetime | None
    venue_id: int | None = None
    timezone: str = ""
    description: str = ""
    attendee_ids: list[int] = field(default_factory=list)
    end_timezone: str = ""  # the end's clock when it differs from the start's (a flight's arrival); "": the same
    confirm_overlap: bool = False
    title_ja: str = ""  # the title for Japanese readers; "": the title


def slot_of(event: Event) -> Slot:
    return Slot(id=event.id, title=event.display_title, kind=event.kind, starts_at=event.starts_at, ends_at=event.ends_at,
                end_timezone=event.end_timezone or "",
                timezone=event.timezone, delegation_id=event.delegation_id, venue_id=event.venue_id,
                attendee_ids=frozenset(link.person_id for link in event.attendee_links))


def _neighbours(candidate: Slot) -> list[Slot]:
    """Scheduled events overlapping the candidate that share its delegation, venue or an attendee."""
    related = [Event.delegation_id == candidate.delegation_id]
    if candidate.venue_id is not None:
        related.append(Event.venue_id == candidate.venue_id)
    if candidate.attendee_ids:
        related.append(exists(select(1).where(EventAttendee.event_id == Event.id,
                                              EventAttendee.person_id.in_(candidate.attendee_ids))))
    stmt = select(Event).where(Event.status == "scheduled", Event.starts_at < candidate.ends_at,
                               Event.ends_at > candidate.starts_at, or_(*related))
    if candidate.id is not None:
        stmt = stmt.where(Event.id != candidate.id)
    return [slot_of(event) for event in db.session.scalars(stmt).unique()]


def clashes_of(candidate: Slot, delegation: Delegation) -> list[Clash]:
    return find_clashes(candidate, _neighbours(candidate), first_day=delegation.start_date,
                        last_day=delegation.end_date)


def _times(data: EventData, zone: str) -> tuple[datetime, datetime]:
    """The event's instants from its local times: the start on ``zone``'s clock, the end on the end zone's when
    one is given (Narita 11:00 JST → Ahmedabad 20:30 IST is 02:00–15:00 UTC, not 20:30 JST)."""
    end_zone = check_zone(data.end_timezone, "end_timezone") if (data.end_timezone or "").strip() else zone
    if data.local_start is None:
        raise DomainError(_("Enter when the event starts."), "local_start")
    if data.local_end is None:
        raise DomainError(_("Enter when the event ends."), "local_end")
    for value, name in ((data.local_start, "local_start"), (data.local_end, "local_end")):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise DomainError(_("Enter a time between %(a)s and %(b)s.", a=FIRST_YEAR, b=LAST_YEAR), name)
    for value, name, clock in ((data.local_start, "local_start", zone), (data.local_end, "local_end", end_zone)):
        if not local_exists(value, clock):
            raise DomainError(_("The clocks go forward at this time in %(zone)s: %(time)s does not exist there "
                                "on that day.", zone=clock, time=value.strftime("%H:%M")), name)
    starts_at, ends_at = local_to_utc(data.local_start, zone), local_to_utc(data.local_end, end_zone)
    if ends_at <= starts_at and end_zone != zone:
        # 21:30 IST → 22:00 JST: the end is on the other clock, which reads 01:00 when it starts
        raise DomainError(_("The event must end after it starts: when it starts, %(zone)s's clock reads %(time)s.",
                            zone=zone_label(end_zone), time=starts_at.astimezone(ZoneInfo(end_zone))
                            .strftime("%H:%M")), "local_end")
    if ends_at <= starts_at:
        raise DomainError(_("The event must end after it starts."), "local_end")
    if data.kind == "stay":
        if (data.local_end.date() - data.local_start.date()).days > MAX_STAY_NIGHTS:
            raise DomainError(_("A hotel stay lasts at most %(n)d nights; record a longer one as two stays.",
                                n=MAX_STAY_NIGHTS), "local_end")
    elif ends_at - starts_at > timedelta(hours=MAX_EVENT_HOURS):
        raise DomainError(_("An event lasts at most %(n)d hours; split longer ones (a hotel stay is of the "
                            "kind Hotel stay).", n=MAX_EVENT_HOURS), "local_end")
    return starts_at, ends_at


def _check_event(data: EventData, delegation: Delegation):
    if data.kind not in EVENT_KINDS:
        raise DomainError(_("Choose the kind of event."), "kind")
    if not data.title.strip():
        raise DomainError(_("Enter a title."), "title")
    venue = None
    if data.venue_id:
        venue = db.session.get(Venue, data.venue_id)
        if venue is None:
            raise DomainError(_("Unknown venue."), "venue")
    zone = venue.timezone if venue else check_zone(data.timezone or "")
    if (data.end_timezone or "").strip() not in ("", zone) and data.kind != "travel":
        # a meeting at a venue in Japan 'ending in India' was stretched by 3 h 30 (a B2B day over three days)
        raise DomainError(_("Only a journey ends on another clock: choose the kind Travel, or the same time zone "
                            "as the start."), "end_timezone")
    starts_at, ends_at = _times(data, zone)
    ids = list(dict.fromkeys(data.attendee_ids))
    people = list(db.session.scalars(select(Person).where(Person.id.in_(ids)))) if ids else []
    if len(people) != len(ids):
        raise DomainError(_("Unknown attendee."), "attendees")
    return venue, zone, starts_at, ends_at, people


def save_event(delegation: Delegation, data: EventData, user, event: Event | None = None) -> tuple[Event, list]:
    """Create (event=None) or change an event. Raises ClashesFound unless clashes were confirmed."""
    venue, zone, starts_at, ends_at, people = _check_event(data, delegation)
    if event is not None and data.kind != "b2b" and _sessions_at(event):
        raise DomainError(_("This event holds a B2B session, so it stays a B2B session."), "kind")
    if event is not None:
        _check_sessions_fit(event, starts_at.astimezone(ZoneInfo(zone)), ends_at.astimezone(ZoneInfo(zone)))
    present = {link.person_id for link in event.attendee_links} if event is not None else set()
    check_people_may_join(delegation, [p for p in people if p.id not in present], user, "attendees")
    end_zone = (data.end_timezone or "").strip()
    candidate = Slot(id=event.id if event else None, title=data.title.strip(), kind=data.kind,
                     starts_at=starts_at, ends_at=ends_at, timezone=zone, delegation_id=delegation.id,
                     end_timezone=end_zone if end_zone != zone else "",
                     venue_id=venue.id if venue else None, attendee_ids=frozenset(p.id for p in people))
    clashes = clashes_of(candidate, delegation)
    if clashes and not data.confirm_overlap:
        raise ClashesFound(clashes)
    if event is None:
        event = Event(delegation_id=delegation.id, organiser_id=getattr(user, "id", None), sequence=0)
        db.session.add(event)
    elif (event.starts_at, event.ends_at, event.venue_id) != (starts_at, ends_at, candidate.venue_id):
        event.sequence += 1  # invites already sent must be superseded
    event.kind, event.title, event.description = data.kind, candidate.title, data.description.strip()
    event.title_ja = data.title_ja.strip()
    event.venue, event.timezone = venue, zone
    end_zone = check_zone(data.end_timezone, "end_timezone") if (data.end_timezone or "").strip() else zone
    event.end_timezone = end_zone if end_zone != zone else None
    event.starts_at, event.ends_at = starts_at, ends_at
    event.overlap_confirmed = bool(clashes)
    wanted = {p.id for p in people}
    for link in list(event.attendee_links):
        if link.person_id not in wanted:
            event.attendee_links.remove(link)
    present = {link.person_id for link in event.attendee_links}
    for person_id in wanted - present:
        event.attendee_links.append(EventAttendee(person_id=person_id))
    db.session.flush()
    event.mails_queued = _send_invites(event)  # (not a column: what this save sent, for the page to say)
    return event, clashes


def _check_sessions_fit(event: Event, local_start: datetime, local_end: datetime) -> None:
    """The B2B session's slots stay within the event's times (its agenda line, printouts and invite say when)."""
    from planner.matchmaking.operations import slot_plan, slots_beyond_event

    for session in _sessions_at(event):
        plan = slot_plan(session)
        beyond = slots_beyond_event(plan, local_start, local_end)
        if beyond is not None:
            raise DomainError(_("The B2B session's slots run %(start)s–%(end)s (venue time): the event must cover "
                                "them. Change the session's slots first.", start=f"{plan.slot(1).start:%H:%M}",
                                end=f"{plan.slot(len(plan)).end:%H:%M}"),
                              "local_start" if beyond == "start" else "local_end")


def _sessions_at(event: Event) -> list:
    from planner.matchmaking.operations import sessions_of_events

    return sessions_of_events([event.id])


def _send_invites(event: Event, reason: str = "") -> int:
    """The event's own invites; for a B2B session's event, its meetings' too (their times and place are the
    event's day and venue). ``reason``: why it is cancelled, for the CANCEL mail. Returns how many mails went
    to the outbox."""
    from planner.invites.operations import send_event_invites
    from planner.matchmaking.operations import keep_session_current

    mails = len(send_event_invites(event, (reason or "").strip()) or [])
    for session in _sessions_at(event):
        mails += len(keep_session_current(session, reason=(reason or "").strip()))
    return mails


def cancel_event(event: Event, reason: str = "") -> None:
    if event.status == "cancelled":
        raise DomainError(_("The event is cancelled already."))
    event.status = "cancelled"
    event.sequence += 1
    db.session.flush()
    record_action(event, "cancel", note=(reason or "").strip())
    _send_invites(event, reason)


def restore_event(event: Event) -> None:
    if event.status != "cancelled":
        raise DomainError(_("Only a cancelled event can be restored."))
    event.status = "scheduled"
    event.sequence += 1
    db.session.flush()
    record_action(event, "restore")
    _send_invites(event)


def open_clashes(delegation: Delegation) -> list[tuple[Clash, bool]]:
    """Every clash of the delegation's scheduled events, once each, with whether an organiser accepted it."""
    events = list(db.session.scalars(select(Event).where(Event.delegation_id == delegation.id,
                                                         Event.status == "scheduled")
                                     .order_by(Event.starts_at)).unique())
    by_id = {event.id: event for event in events}
    seen, result = set(), []
    for event in events:
        for clash in clashes_of(slot_of(event), delegation):
            if clash.key in seen:
                continue
            seen.add(clash.key)
            result.append((clash, _accepted(clash, by_id, delegation)))
    return result


def _accepted(clash: Clash, by_id: dict, delegation: Delegation) -> bool:
    """Whether an organiser accepted this clash: an event saved with its clashes confirmed accepts those it had
    then, not one that came later (the other event moved onto it since, or the visit's dates shrank: a travel
    overlap accepted once showed a later 'outside the visit's dates' as accepted too)."""
    event = by_id.get(clash.event.id) or db.session.get(Event, clash.event.id)
    if clash.other is None:  # outside the visit's dates: accepted unless the dates changed since
        return bool(event and event.overlap_confirmed and event.updated_at >= delegation.updated_at)
    other = by_id.get(clash.other.id) or db.session.get(Event, clash.other.id)
    return any(mine is not None and mine.overlap_confirmed and (theirs is None or mine.updated_at >= theirs.updated_at)
               for mine, theirs in ((event, other), (other, event)))


def events_outside_dates(delegation: Delegation) -> list[Event]:
    """Scheduled events whose local day is not a day of the visit (after its dates changed)."""
    events = db.session.scalars(select(Event).where(Event.delegation_id == delegation.id,
                                                    Event.status == "scheduled").order_by(Event.starts_at)).unique()
    return [event for event in events
            if not delegation.start_date <= event.local_start.date() <= delegation.end_date]


def visible_event_ids(ids: set[int], user) -> set[int]:
    if not ids:
        return set()
    return set(db.session.scalars(select(Event.id).where(Event.id.in_(ids), scope_clause(Event, user))))


def clash_person_names(clashes) -> dict[int, str]:
    """Person id → name in the page's script (山本 博 on Japanese pages when the person has one)."""
    from planner.i18n.names import local_name

    ids = {pid for clash in clashes for pid in clash.person_ids}
    if not ids:
        return {}
    return {person.id: local_name(person) for person in db.session.scalars(select(Person).where(Person.id.in_(ids)))}
