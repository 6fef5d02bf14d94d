"""Slot generation: a pure function of the session's settings."""

from datetime import time

import pytest

from planner.matchmaking.slots import SlotSettingsError, generate_slots


def _starts(plan):
    return [f"{slot.start:%H:%M}-{slot.end:%H:%M}" for slot in plan.slots]


def test_slots_follow_each_other_with_the_pause():
    plan = generate_slots(time(9, 0), 20, 5, count=4)
    assert _starts(plan) == ["09:00-09:20", "09:25-09:45", "09:50-10:10", "10:15-10:35"]
    assert plan.morning_slots is None
    assert [slot.number for slot in plan.slots] == [1, 2, 3, 4]


def test_slots_skip_the_lunch_break_and_count_the_morning():
    plan = generate_slots(time(11, 0), 20, 5, count=5, lunch_start=time(12, 0), lunch_minutes=60)
    assert _starts(plan) == ["11:00-11:20", "11:25-11:45", "13:00-13:20", "13:25-13:45", "13:50-14:10"]
    assert plan.morning_slots == 2
    assert [slot.is_morning for slot in plan.slots] == [True, True, False, False, False]


def test_a_slot_that_would_overlap_lunch_starts_after_it():
    plan = generate_slots(time(11, 30), 20, 0, count=3, lunch_start=time(12, 0), lunch_minutes=30)
    assert _starts(plan) == ["11:30-11:50", "12:30-12:50", "12:50-13:10"]
    assert plan.morning_slots == 1


def test_day_end_bounds_the_number_of_slots():
    plan = generate_slots(time(14, 0), 20, 5, day_end=time(17, 30))
    assert len(plan) == 8
    assert _starts(plan)[-1] == "16:55-17:15"


@pytest.mark.parametrize("kwargs", [
    {"count": 2, "lunch_start": time(13, 0)},  # after the last slot: every slot a morning slot
    {"count": 2, "lunch_start": time(9, 0)},  # at the first slot: none a morning slot
    {"day_end": time(10, 0), "lunch_start": time(12, 0)},
])
def test_a_lunch_break_that_splits_no_two_slots_is_refused_at_its_field(kwargs):
    # an afternoon-only meeting accepted for such a day could never be placed
    with pytest.raises(SlotSettingsError) as error:
        generate_slots(time(9, 0), 30, 0, lunch_minutes=60, strict=True, **kwargs)
    assert error.value.field == "lunch_start"
    # a session saved before the rule still shows its slots (its pages read them without the check)
    assert generate_slots(time(9, 0), 30, 0, lunch_minutes=60, **kwargs).slots


def test_a_day_with_no_room_for_a_slot_is_refused():
    # first slot 09:00, day ends 09:30, lunch 09:00-10:00: no slot, and the scheduler refused "slots is 0"
    with pytest.raises(SlotSettingsError) as error:
        generate_slots(time(9, 0), 20, 0, day_end=time(9, 30), lunch_start=time(9, 0), lunch_minutes=60,
                       strict=True)
    assert error.value.field == "day_end"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"count": None}, "slot_count"),
    ({"count": 3, "day_end": time(12, 0)}, "slot_count"),
    ({"count": 0}, "slot_count"),
    ({"count": 61}, "slot_count"),
    ({"count": 3, "lunch_start": time(12, 0)}, "lunch_minutes"),
    ({"count": 3, "lunch_start": time(8, 0), "lunch_minutes": 30}, "lunch_start"),
    ({"day_end": time(9, 10)}, "day_end"),
    ({"count": 40}, "slot_count"),  # 40 × 25 minutes from 09:00 runs past midnight
])
def test_impossible_settings_are_refused_naming_the_setting(kwargs, field):
    with pytest.raises(SlotSettingsError) as caught:
        generate_slots(time(9, 0), 20, 5, **kwargs)
    assert caught.value.field == field


@pytest.mark.parametrize("settings", [
    {"count": 1},                                                       # 23:40-24:00
    {"count": 2, "lunch_start": time(23, 20), "lunch_minutes": 20},     # lunch pushes the second to 24:00
])
def test_a_last_slot_ending_at_midnight_is_refused_as_past_the_day(settings):
    # a time of day has no 24:00: the settings are refused at the field, not with a crash
    with pytest.raises(SlotSettingsError) as caught:
        generate_slots(time(23, 0) if "lunch_start" in settings else time(23, 40), 20, 0, **settings)
    assert caught.value.field == "slot_count"
    assert generate_slots(time(23, 39), 20, 0, count=1).slots[-1].end == time(23, 59)


def test_slot_length_and_pause_are_bounded():
    with pytest.raises(SlotSettingsError):
        generate_slots(time(9, 0), 4, 0, count=1)
    with pytest.raises(SlotSettingsError):
        generate_slots(time(9, 0), 20, 121, count=1)


def test_a_session_keeps_its_slots_within_its_events_times(database):
    # the factory's event runs 10:00–17:00 at the venue (JST)
    from planner.core.errors import DomainError
    from planner.matchmaking.operations import update_session
    from tests import factories

    with pytest.raises(DomainError) as raised:
        factories.b2b_session(first_slot=time(9, 40))
    assert (raised.value.field, raised.value.message) == ("first_slot", (
        "The first slot would start at 09:40, before the event (10:00–17:00, venue time). Start later, or change "
        "the event's times first."))
    with pytest.raises(DomainError) as raised:
        factories.b2b_session(slot_count=22)  # 20-minute slots from 10:00: the 22nd ends at 17:20
    assert (raised.value.field, raised.value.message) == ("slot_count", (
        "The last slot would end at 17:20, after the event (10:00–17:00, venue time). Make fewer or shorter slots, "
        "or change the event's times first."))
    session = factories.b2b_session(slot_count=21)  # the 21st ends at 17:00 sharp: fits
    with pytest.raises(DomainError) as raised:
        update_session(session, factories.b2b_settings(session, slot_count=None, day_end=time(18)))
    assert raised.value.field == "day_end"
    assert session.slot_count == 21


def test_an_event_cannot_shrink_away_from_its_sessions_slots(login_as, database):
    from planner.itinerary.models import Event
    from tests import factories

    session = factories.b2b_session(slot_count=6)  # 10:00–12:00
    event = session.event
    database.session.commit()
    client = login_as("state", "IN-GJ")
    data = {"kind": "b2b", "title": event.title, "venue": str(event.venue_id or ""), "timezone": event.timezone,
            "local_start": "2026-10-13T10:00", "local_end": "2026-10-13T11:00", "description": ""}
    page = client.post(f"/events/{event.id}/edit", data=data).get_data(as_text=True)
    assert "The B2B session&#39;s slots run 10:00–12:00 (venue time): the event must cover them." in page
    database.session.expire_all()
    assert database.session.get(Event, event.id).local_end.hour == 17
    data["local_end"] = "2026-10-13T12:00"  # just around the slots: fine
    assert client.post(f"/events/{event.id}/edit", data=data).status_code == 302


def test_slots_in_the_hour_the_clocks_skip_are_refused(database):
    # a roadshow in London on the day the clocks go forward (01:00 GMT → 02:00 BST, 28 March 2027): a slot at
    # 01:00–01:20 does not exist there and would have shifted by an hour without a word
    from datetime import datetime

    from planner.core.errors import DomainError
    from planner.matchmaking.operations import SessionData, create_session
    from tests import factories

    london = factories.venue("Guildhall", "JP", city="London")
    london.timezone = "Europe/London"  # (as stored before venues kept their country's time: summer time)
    event = factories.event(factories.delegation(), datetime(2027, 3, 28, 0, 0), datetime(2027, 3, 28, 6, 0),
                            kind="b2b", venue_=london)
    with pytest.raises(DomainError) as raised:
        create_session(event, SessionData(first_slot=time(0, 20), slot_minutes=20, pause_minutes=0, slot_count=4,
                                          table_count=2))
    assert raised.value.field == "first_slot"
    assert raised.value.message.startswith("Slot 2 (01:00) falls in the hour the clocks skip in Europe/London")
    session = create_session(event, SessionData(first_slot=time(2, 0), slot_minutes=20, pause_minutes=0,
                                                slot_count=4, table_count=2))
    assert session.slot_count == 4
