"""The VTIMEZONE cache in planner.invites.ical changes speed, not bytes."""

from datetime import UTC, datetime

import pytest

from planner.invites import ical


@pytest.mark.parametrize("zones", [("Asia/Tokyo",), ("Asia/Kolkata",), ("Europe/Berlin",),
                                   ("Asia/Kolkata", "Asia/Tokyo")])
def test_cached_vtimezones_give_the_same_calendar_as_icalendar(zones, make_event, monkeypatch):
    events = [make_event(uid=f"m{i}@planner.example", tzid=zone) for i, zone in enumerate(zones)]
    stamp = datetime(2025, 5, 20, 9, 0, tzinfo=UTC)
    cached = ical.build_calendar(events, "PUBLISH", stamp)
    cached_again = ical.build_calendar(events, "PUBLISH", stamp)

    monkeypatch.setattr(ical, "_add_missing_timezones", lambda calendar: calendar.add_missing_timezones())
    uncached = ical.build_calendar(events, "PUBLISH", stamp)

    assert cached == cached_again == uncached
    assert cached.count(b"BEGIN:VTIMEZONE") == len(zones)

