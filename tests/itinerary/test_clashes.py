"""Clash detection as a pure function: each kind of clash, and the boundaries that are not clashes."""

from datetime import UTC, date, datetime

from planner.itinerary.clashes import Slot, find_clashes, local_days


def at(day, hour, minute=0):
    return datetime(2026, 10, day, hour, minute, tzinfo=UTC)


def slot(ident, start, end, *, kind="meeting", venue=None, people=(), delegation=1, zone="Asia/Tokyo"):
    return Slot(id=ident, title=f"event {ident}", kind=kind, starts_at=start, ends_at=end, timezone=zone,
                delegation_id=delegation, venue_id=venue, attendee_ids=frozenset(people))


def clashes(candidate, others=(), first=date(2026, 10, 12), last=date(2026, 10, 16)):
    return [(c.kind, c.other.id if c.other else None, sorted(c.person_ids))
            for c in find_clashes(candidate, others, first_day=first, last_day=last)]


def test_a_person_in_two_overlapping_events_clashes_even_across_delegations():
    other = slot(2, at(13, 1), at(13, 3), people=[7, 8], delegation=9)
    assert clashes(slot(None, at(13, 2), at(13, 4), people=[7]), [other]) == [("person", 2, [7])]


def test_back_to_back_events_do_not_clash():
    other = slot(2, at(13, 1), at(13, 3), people=[7], venue=5)
    assert clashes(slot(None, at(13, 3), at(13, 4), people=[7], venue=5), [other]) == []
    assert clashes(slot(None, at(13, 0), at(13, 1), people=[7], venue=5), [other]) == []


def test_overlapping_events_without_shared_people_venue_or_travel_do_not_clash():
    other = slot(2, at(13, 1), at(13, 3), people=[8], venue=6)
    assert clashes(slot(None, at(13, 2), at(13, 4), people=[7], venue=5), [other]) == []


def test_a_venue_used_by_two_overlapping_events_clashes():
    other = slot(2, at(13, 1), at(13, 3), venue=5, delegation=9)
    assert clashes(slot(None, at(13, 2, 59), at(13, 4), venue=5), [other]) == [("venue", 2, [])]


def test_travel_overlapping_another_event_of_the_delegation_clashes():
    flight = slot(2, at(13, 1), at(13, 10), kind="travel")
    assert clashes(slot(None, at(13, 9), at(13, 11)), [flight]) == [("travel", 2, [])]
    assert clashes(slot(None, at(13, 9), at(13, 11), kind="travel"), [slot(3, at(13, 10), at(13, 12))]) == [
        ("travel", 3, [])]


def test_travel_of_another_delegation_without_shared_people_does_not_clash():
    flight = slot(2, at(13, 1), at(13, 10), kind="travel", delegation=9)
    assert clashes(slot(None, at(13, 9), at(13, 11)), [flight]) == []


def test_an_event_does_not_clash_with_itself_when_edited():
    assert clashes(slot(2, at(13, 1), at(13, 3), venue=5, people=[7]), [slot(2, at(13, 1), at(13, 3), venue=5,
                                                                            people=[7])]) == []


def test_event_before_the_first_day_in_venue_local_time_is_outside_the_dates():
    # 11 Oct 23:00 JST = 11 Oct 14:00 UTC: the day before the visit in Japan.
    assert clashes(slot(None, at(11, 14), at(11, 15))) == [("outside_dates", None, [])]
    # 12 Oct 00:00 JST = 11 Oct 15:00 UTC: the first day in Japan, although still 11 Oct in UTC.
    assert clashes(slot(None, at(11, 15), at(11, 16))) == []


def test_event_after_the_last_day_in_venue_local_time_is_outside_the_dates():
    # 16 Oct 23:00–24:00 IST ends at midnight, which still belongs to the 16th.
    assert clashes(slot(None, at(16, 17, 30), at(16, 18, 30), zone="Asia/Kolkata")) == []
    # 17 Oct 00:00 IST onwards is after the visit.
    assert clashes(slot(None, at(16, 18, 30), at(16, 19), zone="Asia/Kolkata")) == [("outside_dates", None, [])]


def test_local_days_use_the_venue_zone():
    flight = slot(1, at(12, 20), at(13, 2), zone="Asia/Tokyo")  # 13 Oct 05:00–11:00 JST
    assert local_days(flight) == (date(2026, 10, 13), date(2026, 10, 13))


def test_several_clash_kinds_are_all_reported():
    other = slot(2, at(13, 1), at(13, 3), kind="travel", venue=5, people=[7])
    assert clashes(slot(None, at(13, 2), at(13, 4), venue=5, people=[7]), [other]) == [
        ("person", 2, [7]), ("venue", 2, []), ("travel", 2, [])]


def test_a_hotel_stay_clashes_only_with_another_stay_of_the_same_people():
    # recorded as 'other', a four-night stay clashed with every meeting of the visit (person, venue and travel)
    stay = slot(2, at(12, 5), at(16, 0), kind="stay", venue=5, people=[7, 8])
    day = [slot(3, at(13, 1), at(13, 3), people=[7], venue=5), slot(4, at(14, 1), at(14, 9), kind="travel"),
           slot(5, at(15, 1), at(15, 2), kind="reception", venue=5, people=[8], delegation=9)]
    for event in day:
        assert clashes(event, [stay]) == [] and clashes(stay, [event]) == [], event
    assert clashes(slot(None, at(15, 6), at(16, 1), kind="stay", venue=6, people=[8, 9]), [stay]) == [
        ("person", 2, [8])]  # a second room booked for the same nights
    assert clashes(slot(None, at(13, 6), at(14, 0), kind="stay", venue=5, people=[9], delegation=9), [stay]) == []
    assert clashes(slot(None, at(11, 5), at(13, 0), kind="stay"), []) == [("outside_dates", None, [])]
