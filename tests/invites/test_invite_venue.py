"""Editing a venue: whoever holds an invite for an event there, or for a B2B meeting of a session held there, gets
an update with the new LOCATION (same UID, higher SEQUENCE); an edit that changes nothing they see sends nothing."""

from datetime import UTC, datetime, timedelta

from planner.invites.operations import send_session_invites
from planner.itinerary.models import Venue
from planner.itinerary.operations import VenueData, update_venue
from tests.invites.world import PRIYA, TARO, b2b_meeting, confirmed_event, outbox, vevent

BEFORE = datetime(2026, 10, 1, tzinfo=UTC)  # the world's events and meetings are on 12–13 October 2026


def _data(venue: Venue, **changes) -> VenueData:
    values = dict(name=venue.name, country=venue.country, address=venue.address, city=venue.city,
                  timezone=venue.timezone, capacity=venue.capacity)
    return VenueData(**(values | changes))


def _event_and_meeting_at_one_venue():
    event = confirmed_event()
    session, meeting, _people = b2b_meeting()
    session.event.venue = event.venue
    send_session_invites(session)
    return event, meeting, event.venue


def test_renaming_a_venue_updates_the_invites_of_its_events_and_b2b_meetings(database, factories):
    event, meeting, venue = _event_and_meeting_at_one_venue()
    held = {key: [vevent(m.raw) for m in outbox(*key)] for key in (("event", event.id), ("b2b_meeting", meeting.id))}
    before = len(outbox())
    update_venue(venue, _data(venue, name="Shizuoka Convention & Arts Center GRANSHIP", city="Shizuoka-shi"),
                 now=BEFORE)
    new = outbox()[before:]
    assert sorted((m.related_type, m.to_email, m.kind) for m in new) == [
        ("b2b_meeting", PRIYA, "update"), ("b2b_meeting", TARO, "update"),
        ("event", PRIYA, "update"), ("event", TARO, "update")]
    for message in new:
        component = vevent(message.raw)
        old = held[(message.related_type, message.related_id)][0]
        assert str(component["UID"]) == str(old["UID"])
        assert int(component["SEQUENCE"]) > int(old["SEQUENCE"])
        assert component["DTSTART"].dt == old["DTSTART"].dt
    by_kind = {m.related_type: str(vevent(m.raw)["LOCATION"]) for m in new}
    assert by_kind == {
        "event": "Shizuoka Convention & Arts Center GRANSHIP, 2-3-1 Higashi-Shizuoka, Aoi-ku, Shizuoka-shi",
        "b2b_meeting": "Shizuoka Convention & Arts Center GRANSHIP, 2-3-1 Higashi-Shizuoka, Aoi-ku, Shizuoka-shi, "
                       "Table 1"}


def test_a_venue_edit_that_changes_nothing_the_invites_show_sends_nothing(database, factories):
    event, meeting, venue = _event_and_meeting_at_one_venue()
    before = len(outbox())
    update_venue(venue, _data(venue), now=BEFORE)
    update_venue(venue, _data(venue, capacity=800, name=f"  {venue.name} "), now=BEFORE)  # not in the invite
    assert len(outbox()) == before


def test_a_venue_edit_updates_nobody_who_holds_no_invite(database, factories):
    event = confirmed_event(confirm=False)  # the delegation is not confirmed: nothing was sent
    venue = event.venue
    update_venue(venue, _data(venue, address="1-1 Elsewhere"), now=BEFORE)
    assert outbox("event", event.id) == []


def test_a_venue_edit_leaves_the_invites_and_answers_of_past_events_alone(database, factories):
    event, meeting, venue = _event_and_meeting_at_one_venue()
    before = len(outbox())
    update_venue(venue, _data(venue, name="Granship (renamed after the visit)"), now=datetime(2026, 11, 1, tzinfo=UTC))
    assert len(outbox()) == before


def test_editing_the_venue_on_its_page_commits_the_updates_with_it(login_as, database, factories):
    client = login_as("prefecture", "JP-22")
    event = confirmed_event()
    event.starts_at, event.ends_at = (moment + timedelta(days=3650) for moment in (event.starts_at, event.ends_at))
    venue = event.venue  # the page edits it now: the event must not be over (it is held ten years later)
    venue.region_id = client.user.region_id
    database.session.commit()
    before = len(outbox("event", event.id))
    response = client.post(f"/venues/{venue.id}/edit", data={
        "name": "Granship", "country": "JP", "address": "2-3-1 Higashi-Shizuoka", "city": "Shizuoka",
        "timezone": "Asia/Tokyo", "capacity": ""})
    assert response.status_code == 302
    database.session.expire_all()
    new = outbox("event", event.id)[before:]
    assert sorted((m.to_email, m.kind) for m in new) == [(PRIYA, "update"), (TARO, "update")]
    assert str(vevent(new[0].raw)["LOCATION"]) == "Granship, 2-3-1 Higashi-Shizuoka, Shizuoka"


def test_only_an_administrator_moves_the_zone_of_a_venue_other_regions_hold_events_at(
        login_as, database, factories):
    # a new zone moves the B2B meetings held there (slots are venue clock times): Shizuoka's edit of its venue
    # moved a Maharashtra–Wakayama session's meetings, with updates to their delegates
    from planner.itinerary.models import Venue

    shizuoka = login_as("prefecture", "JP-22")
    place = factories.venue("Granship", "JP", city="Shizuoka")
    place.region_id = shizuoka.user.region_id
    theirs = factories.b2b_session(factories.delegation(("IN-MH",), ("JP-30",)))
    theirs.event.venue = place
    theirs.event.starts_at, theirs.event.ends_at = (moment + timedelta(days=3650) for moment in (
        theirs.event.starts_at, theirs.event.ends_at))  # upcoming
    database.session.commit()
    # (a venue recorded in the wrong country, put right: each country keeps one time)
    form = {"name": "Granship", "country": "IN", "address": "", "city": "Surat", "capacity": "",
            "timezone": "Asia/Kolkata"}
    page = shizuoka.post(f"/venues/{place.id}/edit", data=form).get_data(as_text=True)
    assert ("An upcoming event of another region&#39;s delegation is held at this venue; only an administrator "
            "can change its time zone.") in page
    database.session.expire_all()
    assert database.session.get(Venue, place.id).timezone == "Asia/Tokyo"
    # nor its name or address: they are in that session's invites, and the updates would go to Maharashtra's
    # and Wakayama's delegates from Shizuoka (whose email log then showed them, with the other programme)
    for change in ({"name": "GRANSHIP"}, {"address": "79-4 Ikeda"}, {"city": "Shizuoka-shi"}):
        page = shizuoka.post(f"/venues/{place.id}/edit", data=form | {"country": "JP", "timezone": "Asia/Tokyo",
                                                                       "city": "Shizuoka"} | change)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "its invites give this venue&#39;s name and address; only an administrator can change them" in html
        field = next(iter(change))
        assert f'id="{field}-error"' in html
    database.session.expire_all()
    assert (database.session.get(Venue, place.id).name, database.session.get(Venue, place.id).address) == (
        "Granship", "")
    assert login_as("admin").post(f"/venues/{place.id}/edit", data=form | {"name": "GRANSHIP"}).status_code == 302
    database.session.expire_all()
    assert database.session.get(Venue, place.id).timezone == "Asia/Kolkata"
    assert database.session.get(Venue, place.id).name == "GRANSHIP"


def test_a_region_moves_the_zone_of_its_venue_when_the_events_there_are_its_own_or_over(
        login_as, database, factories):
    from datetime import datetime as dt

    from planner.itinerary.models import Venue

    shizuoka = login_as("prefecture", "JP-22")
    place = factories.venue("Granship", "JP", city="Shizuoka")
    place.region_id = shizuoka.user.region_id
    ours = factories.b2b_session(factories.delegation(("IN-GJ",), ("JP-22",)))
    ours.event.venue = place
    ours.event.starts_at, ours.event.ends_at = (moment + timedelta(days=3650) for moment in (
        ours.event.starts_at, ours.event.ends_at))
    past = factories.event(factories.delegation(("IN-MH",), ("JP-30",)), dt(2025, 5, 1, 10), dt(2025, 5, 1, 11))
    past.venue = place
    database.session.commit()
    form = {"name": "Granship", "country": "IN", "address": "", "city": "Surat", "capacity": "",
            "timezone": "Asia/Kolkata"}
    assert shizuoka.post(f"/venues/{place.id}/edit", data=form).status_code == 302
    database.session.expire_all()
    assert database.session.get(Venue, place.id).timezone == "Asia/Kolkata"



def test_a_new_zone_leaves_the_events_that_have_ended_in_the_zone_they_took_place_in(database, factories):
    # the zone was rewritten on every event of the venue: the B2B meetings of a past session (slots are clock
    # times) moved by hours, another region's record among them
    place = factories.venue("Granship", "JP", city="Shizuoka")
    past = factories.b2b_session(factories.delegation(("IN-MH",), ("JP-30",)))
    past.event.venue = place
    coming = factories.event(factories.delegation(), datetime(2027, 3, 1, 10), datetime(2027, 3, 1, 11))
    coming.venue = place
    database.session.flush()
    update_venue(place, _data(place, country="IN", city="Surat", timezone="Asia/Kolkata"),
                 now=datetime(2026, 11, 1, tzinfo=UTC))
    assert (past.event.timezone, coming.timezone) == ("Asia/Tokyo", "Asia/Kolkata")


def test_another_regions_cancelled_event_keeps_the_zone_it_was_planned_in(login_as, database, factories):
    # Gujarat's edit of its venue moved a cancelled Maharashtra event to JST (13:30 JST for 10:00 IST): the check
    # counted scheduled events only, the change then rewrote every upcoming one
    from planner.itinerary.models import Event, Venue
    from planner.itinerary.operations import cancel_event

    gujarat = login_as("state", "IN-GJ")
    place = factories.venue("Mahatma Mandir", "IN", city="Gandhinagar")
    place.region_id = gujarat.user.region_id
    theirs = factories.delegation(("IN-MH",), ("JP-30",))
    event = factories.event(theirs, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 11), venue_=place,
                            timezone="Asia/Kolkata")
    event.starts_at, event.ends_at = (moment + timedelta(days=3650) for moment in (event.starts_at, event.ends_at))
    cancel_event(event)
    database.session.commit()
    form = {"name": "Mahatma Mandir", "country": "JP", "address": "", "city": "Tokyo", "capacity": "",
            "timezone": "Asia/Tokyo"}
    page = gujarat.post(f"/venues/{place.id}/edit", data=form).get_data(as_text=True)
    assert "only an administrator can change its time zone." in page
    database.session.expire_all()
    assert database.session.get(Venue, place.id).timezone == "Asia/Kolkata"
    assert database.session.get(Event, event.id).timezone == "Asia/Kolkata"
    # a change of name, which no invite of a cancelled event carries, is Gujarat's to make
    assert gujarat.post(f"/venues/{place.id}/edit", data=form | {"country": "IN", "timezone": "Asia/Kolkata",
                                                                 "city": "Gandhinagar", "name": "Mahatma Mandir Hall"}
                        ).status_code == 302
