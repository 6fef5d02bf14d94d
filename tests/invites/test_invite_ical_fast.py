"""The spliced calendar of planner.invites.ical (cached VTIMEZONE bytes) changes speed, not bytes."""

import dataclasses
import random
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from icalendar.parser.content_line import Contentline

from planner.invites import ical


def icalendar_reference(events, method, stamp, calendar_name=None) -> bytes:
    """The calendar as icalendar itself writes it: components added, add_missing_timezones(), to_ical()."""
    calendar = Calendar()
    calendar.add("PRODID", ical.DEFAULT_PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("METHOD", method)
    if calendar_name:
        calendar.calendar_name = calendar_name
    for event in events:
        calendar.add_component(ical._vevent(event, method, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def components(calendar: bytes) -> list[bytes]:
    return re.findall(rb"BEGIN:(?:VTIMEZONE|VEVENT)\r\n.*?END:(?:VTIMEZONE|VEVENT)\r\n", calendar, re.S)


@pytest.mark.parametrize("zones", [("Asia/Tokyo",), ("Asia/Kolkata",), ("Europe/Berlin",)])
@pytest.mark.parametrize("method", ["REQUEST", "CANCEL", "PUBLISH"])
def test_spliced_calendar_is_what_icalendar_writes(zones, method, make_event):
    events = [make_event(uid=f"m{i}@planner.example", tzid=zone) for i, zone in enumerate(zones)]
    stamp = datetime(2025, 5, 20, 9, 0, tzinfo=UTC)
    spliced = ical.build_calendar(events, method, stamp)

    assert spliced == ical.build_calendar(events, method, stamp) == icalendar_reference(events, method, stamp)


def test_several_zones_give_the_same_components_with_the_zones_sorted_and_first(make_event):
    zones = ("Asia/Tokyo", "Asia/Kolkata", "Asia/Dubai")
    events = [make_event(uid=f"m{i}@planner.example", tzid=zone) for i, zone in enumerate(zones)]
    stamp = datetime(2025, 5, 20, 9, 0, tzinfo=UTC)
    spliced = ical.build_calendar(events, "PUBLISH", stamp, calendar_name="Priya's B2B meetings")
    reference = icalendar_reference(events, "PUBLISH", stamp, calendar_name="Priya's B2B meetings")

    assert sorted(components(spliced)) == sorted(components(reference))
    assert spliced.split(b"BEGIN:VTIMEZONE")[0] == reference.split(b"BEGIN:VTIMEZONE")[0]
    assert re.findall(rb"BEGIN:VTIMEZONE\r\n(?:[^\r]*\r\n)*?TZID:([\w/]+)\r\n", spliced) == [b"Asia/Dubai", b"Asia/Kolkata", b"Asia/Tokyo"]
    assert spliced.rindex(b"END:VTIMEZONE") < spliced.index(b"BEGIN:VEVENT")


def test_a_zone_with_summer_time_is_written_in_utc(make_event):
    # [r7] "or they are UTC": icalendar's VTIMEZONE of such a zone is one RDATE of many dates, ending in
    # 2038, which ical.js and Outlook misread (see ical._steady)
    berlin = ZoneInfo("Europe/Berlin")
    event = make_event(start=datetime(2026, 7, 2, 10, tzinfo=berlin), end=datetime(2026, 7, 2, 11, tzinfo=berlin),
                       tzid="Europe/Berlin")
    data = ical.build_calendar([event], "REQUEST", datetime(2025, 5, 20, 9, 0, tzinfo=UTC))
    assert b"BEGIN:VTIMEZONE" not in data and b"DTSTART:20260702T080000Z" in data


ALPHABET = "abcXYZ09 :;,\\^\"'=-_/.éü日本語株式会社スズキ精機🙂\t"


@pytest.mark.parametrize("seed", range(40))
def test_fold_line_folds_exactly_as_icalendar(seed):

    rng = random.Random(seed)
    for length in (0, 1, 73, 74, 75, 76, 150, 151, 400):
        line = "DESCRIPTION:" + "".join(rng.choice(ALPHABET) for _ in range(length))
        folded = ical.fold_line(line)

        assert folded == Contentline(line).to_ical()
        assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
        assert folded.replace(b"\r\n ", b"").decode("utf-8") == line


@pytest.mark.parametrize("carried", ["\\", "^"])
def test_fold_line_does_not_split_an_escape_at_the_fold(carried):
    line = "SUMMARY:" + "x" * 65 + carried + "n" + "y" * 20  # the escape's first character is the 74th octet
    folded = ical.fold_line(line)

    assert folded.split(b"\r\n ")[1].startswith(carried.encode() + b"n")
    assert folded == Contentline(line).to_ical()


# The direct VEVENT writer against icalendar's own component serialisation, on random hostile input.

HOSTILE = ALPHABET + "\r\n\x00\x1b\u2028’'\"^N\\N"
ZONES = ["Asia/Tokyo", "Asia/Kolkata", "Asia/Calcutta", "UTC", "Etc/UTC", "Etc/GMT-9", "Europe/London",
         "America/Argentina/Buenos_Aires", "Australia/Lord_Howe",
         # zones icalendar counts as UTC (written ...Z, no VTIMEZONE)
         "GMT", "Etc/GMT", "Iceland", "Africa/Abidjan", "Zulu"]


def _random_text(rng: random.Random, longest: int) -> str:
    return "".join(rng.choice(HOSTILE) for _ in range(rng.randint(0, longest)))


def _random_event(rng: random.Random, method: str) -> ical.CalendarEvent:
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    start = datetime(2026, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.choice([0, 20, 40]),
                     rng.choice([0, 0, 17]), tzinfo=ZoneInfo(rng.choice(ZONES[:3] + ZONES[5:])))
    attendees = tuple(
        ical.Attendee(f"p{n}.{rng.randint(0, 9)}@firm-{n}.example", _random_text(rng, 30),
                      role=rng.choice(ical._ROLES), partstat=rng.choice(ical._PARTSTATS), rsvp=rng.random() < 0.8)
        for n in range(rng.randint(0, 4)))
    status = rng.choice(["CONFIRMED", "TENTATIVE"] + (["CANCELLED"] if method != "REQUEST" else []))
    return ical.CalendarEvent(
        uid=f"b2b-{rng.randint(0, 10**6)}@planner.example", sequence=rng.randint(0, 12),
        summary=_random_text(rng, 120), start=start, end=start + timedelta(minutes=rng.choice([20, 45, 600])),
        tzid=rng.choice(ZONES), organizer=ical.Organizer("delegations@planner.example", _random_text(rng, 20)),
        attendees=attendees, description=_random_text(rng, 400), location=_random_text(rng, 80),
        status=status, url=rng.choice([None, "https://planner.example/b2b/meetings/7?x=1,2;3"]),
        categories=tuple(_random_text(rng, 12) for _ in range(rng.randint(0, 3))),
        end_tzid=rng.choice([None, None, *ZONES]))  # a flight lands on another clock


@pytest.mark.parametrize("seed", range(60))
def test_direct_vevent_writer_writes_what_icalendar_writes(seed):
    rng = random.Random(seed)
    method = ["REQUEST", "CANCEL", "PUBLISH"][seed % 3]
    stamp = datetime(2026, 11, 25, 9, 0, rng.randint(0, 59), tzinfo=UTC)
    events = [_random_event(rng, method) for _ in range(1 if method != "PUBLISH" else rng.randint(1, 4))]
    events = [event for n, event in enumerate(events) if event.uid not in {e.uid for e in events[:n]}]

    for event in events:
        direct, _tzid = ical._vevent_bytes(event, method, stamp)
        assert direct == ical._serialise(ical._vevent(event, method, stamp))
    name = _random_text(rng, 30) if method == "PUBLISH" else None
    reference = icalendar_reference(events, method, stamp, calendar_name=ical.clean_line(name) if name else None)
    built = ical.build_calendar(events, method, stamp, calendar_name=name)
    # icalendar adds missing VTIMEZONEs in set order (it varies with the hash seed); ours are sorted.
    assert built.split(b"BEGIN:V", 2)[:2] == reference.split(b"BEGIN:V", 2)[:2]
    assert sorted(components(built)) == sorted(components(reference))
    assert len(built) == len(reference)


@pytest.mark.parametrize("seed", range(40))
def test_the_facts_remembered_for_a_built_calendar_are_what_the_mime_check_reads_from_its_bytes(seed):
    """The MIME builder checks METHOD, ORGANIZER and ATTENDEEs of every invite; for a calendar build_calendar
    has just written it takes them from what was built instead of reading the bytes again: they must agree,
    whatever the names and addresses hold (an attendee who is the organizer is left out of both)."""
    from planner.invites import mime

    rng = random.Random(seed)
    method = ["REQUEST", "CANCEL"][seed % 2]
    event = _random_event(rng, method)
    if seed % 4 == 0:  # the organizer listed as an attendee too, in other capitals
        event = dataclasses.replace(event, attendees=(
            *event.attendees, ical.Attendee("Delegations@Planner.example", "Organiser")))
    built = ical.build_calendar([event], method, datetime(2026, 11, 25, 9, 0, tzinfo=UTC))

    remembered = ical.built_calendar_facts(built)
    assert remembered is not None
    assert remembered == mime._calendar_facts.__wrapped__(built)
    assert ical.built_calendar_facts(built + b" ") is None  # other bytes: read from the bytes, not looked up
