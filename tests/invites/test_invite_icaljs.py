"""The calendar read by a second, independent parser: Mozilla's ical.js (Thunderbird's).

Needs ``node`` and ``npm ci --prefix tests/invites/js``; skipped (with the reason
shown) when either is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner.invites import Attendee, Organizer, build_calendar

JS_DIR = Path(__file__).parent / "js"
NODE = shutil.which("node")
ICALJS_INSTALLED = (JS_DIR / "node_modules" / "ical.js" / "package.json").is_file()

pytestmark = [
    pytest.mark.skipif(NODE is None, reason="node is not installed"),
    pytest.mark.skipif(
        not ICALJS_INSTALLED,
        reason="ical.js is not installed: run `npm ci --prefix tests/invites/js`",
    ),
]

TOKYO = ZoneInfo("Asia/Tokyo")
KOLKATA = ZoneInfo("Asia/Kolkata")
DTSTAMP = datetime(2025, 5, 20, 8, 15, tzinfo=UTC)


def icaljs(data: bytes) -> dict:
    """Parse with ical.js. TZ is set far from both venues, so a time that
    ical.js failed to tie to the calendar's VTIMEZONE (floating) would read wrong."""
    env = {**os.environ, "TZ": "America/New_York"}
    result = subprocess.run(
        [NODE, str(JS_DIR / "parse.mjs")],
        input=data,
        capture_output=True,
        cwd=JS_DIR,
        env=env,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def test_icaljs_reads_tokyo_request_start_wall_time_attendees_and_method(make_event):
    parsed = icaljs(build_calendar([make_event()], "REQUEST", DTSTAMP))
    (event,) = parsed["events"]

    assert parsed["method"] == "REQUEST"
    assert parsed["version"] == "2.0"
    assert parsed["timezones"] == ["Asia/Tokyo"]
    assert event["uid"] == "b2b-meeting-42@planner.example"
    assert event["sequence"] == 0
    assert event["tzid"] == "Asia/Tokyo"
    assert event["timezone"] == "Asia/Tokyo"
    assert event["start_wall"] == "2025-06-02T10:00:00"
    assert event["end_wall"] == "2025-06-02T10:20:00"
    assert event["start_utc"] == "2025-06-02T01:00:00.000Z"
    assert event["end_utc"] == "2025-06-02T01:20:00.000Z"
    assert event["dtstamp_utc"] == "2025-05-20T08:15:00.000Z"
    assert event["dtstamp_is_utc"] is True
    assert event["summary"] == "B2B: Suzuki Seiki × Ahmedabad Tools"
    assert event["description"].splitlines() == [
        "Gujarat–Shizuoka B2B session, table 3",
        "IST: Mon 2 Jun 2025, 06:30–06:50",
        "JST: Mon 2 Jun 2025, 10:00–10:20",
    ]
    assert event["organizer"] == {
        "value": "mailto:cell@gujarat-invest.example",
        "cn": "Gujarat Investment Cell",
    }
    assert event["attendees"] == [
        {
            "value": "mailto:taro.yamada@suzuki-seiki.example",
            "cn": "山田 太郎",
            "role": "REQ-PARTICIPANT",
            "partstat": "NEEDS-ACTION",
            "rsvp": "TRUE",
        },
        {
            "value": "mailto:priya.shah@ahmedabad-tools.example",
            "cn": "Priya Shah",
            "role": "REQ-PARTICIPANT",
            "partstat": "NEEDS-ACTION",
            "rsvp": "TRUE",
        },
    ]


def test_icaljs_reads_kolkata_venue_time_as_same_instant(make_event):
    event = make_event(
        start=datetime(2025, 11, 18, 15, 0, tzinfo=KOLKATA),
        end=datetime(2025, 11, 18, 16, 0, tzinfo=KOLKATA),
        tzid="Asia/Kolkata",
    )
    (parsed,) = icaljs(build_calendar([event], "REQUEST", DTSTAMP))["events"]

    assert parsed["tzid"] == "Asia/Kolkata"
    assert parsed["timezone"] == "Asia/Kolkata"
    assert parsed["start_wall"] == "2025-11-18T15:00:00"
    assert parsed["start_utc"] == "2025-11-18T09:30:00.000Z"
    assert parsed["end_utc"] == "2025-11-18T10:30:00.000Z"


@pytest.mark.parametrize("year", [2026, 2040, 2100])
def test_icaljs_reads_a_summer_time_venue_right_in_any_year_the_planner_accepts(make_event, year):
    # the VTIMEZONE stopped at 2038: a Berlin meeting of July 2040 read an hour off
    berlin = ZoneInfo("Europe/Berlin")
    event = make_event(start=datetime(year, 7, 2, 10, 0, tzinfo=berlin),
                       end=datetime(year, 7, 2, 11, 0, tzinfo=berlin), tzid="Europe/Berlin")
    (parsed,) = icaljs(build_calendar([event], "REQUEST", DTSTAMP))["events"]
    assert parsed["start_utc"] == f"{year}-07-02T08:00:00.000Z"


def test_icaljs_reads_cancel_with_status_cancelled_and_higher_sequence(make_event):
    parsed = icaljs(build_calendar([make_event(sequence=2)], "CANCEL", DTSTAMP))
    (event,) = parsed["events"]

    assert parsed["method"] == "CANCEL"
    assert event["status"] == "CANCELLED"
    assert event["sequence"] == 2
    assert event["start_utc"] == "2025-06-02T01:00:00.000Z"
    assert [a["value"] for a in event["attendees"]] == [
        "mailto:taro.yamada@suzuki-seiki.example",
        "mailto:priya.shah@ahmedabad-tools.example",
    ]
    assert [a["rsvp"] for a in event["attendees"]] == [None, None]


def test_icaljs_sees_no_extra_property_or_attendee_from_hostile_input(make_event):
    hostile = "\r\nATTENDEE;CN=Mallory:mailto:mallory@evil.example\r\nX-EVIL:1"
    event = make_event(
        summary='静岡 "B2B"' + hostile,
        description="IST 06:30" + hostile,
        organizer=Organizer("cell@gujarat-invest.example", "Cell" + hostile),
        attendees=(Attendee("taro.yamada@suzuki-seiki.example", '山田 "太郎"' + hostile),),
    )
    (parsed,) = icaljs(build_calendar([event], "REQUEST", DTSTAMP))["events"]

    assert sorted(parsed["property_names"]) == [
        "attendee",
        "description",
        "dtend",
        "dtstamp",
        "dtstart",
        "location",
        "organizer",
        "sequence",
        "status",
        "summary",
        "uid",
    ]
    assert [a["value"] for a in parsed["attendees"]] == ["mailto:taro.yamada@suzuki-seiki.example"]
    assert (
        parsed["attendees"][0]["cn"] == "山田 太郎 ATTENDEE;CN=Mallory:mailto:mallory@evil.example X-EVIL:1"
    )
    assert parsed["summary"] == '静岡 "B2B"\nATTENDEE;CN=Mallory:mailto:mallory@evil.example\nX-EVIL:1'


def test_icaljs_reads_long_japanese_title_unchanged(make_event):
    title = "静岡県・グジャラート州 B2B 商談会：半導体・電子部品・EV部品 🚗 " * 5
    (parsed,) = icaljs(build_calendar([make_event(summary=title)], "REQUEST", DTSTAMP))["events"]

    assert parsed["summary"] == title
