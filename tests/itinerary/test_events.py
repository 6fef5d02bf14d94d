"""Events through the browser: local time in, UTC stored, clashes shown and saved only when confirmed."""

import re
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from planner.itinerary.models import Event


def _world(factories, database):
    delegation = factories.delegation(start=date(2026, 10, 12), end=date(2026, 10, 16))
    hall = factories.venue("Hamamatsu plant", "JP", city="Hamamatsu", region_code="JP-22")
    mehul = factories.person("Mehul Shah", region_code="IN-GJ")
    factories.member(delegation, mehul)
    database.session.commit()
    return delegation, hall, mehul


def _form(hall, mehul, **extra):
    data = {"kind": "site_visit", "title": "Plant visit", "venue": str(hall.id), "timezone": "Asia/Tokyo",
            "local_start": "2026-10-13T10:00", "local_end": "2026-10-13T12:00", "attendees": [str(mehul.id)]}
    data.update(extra)
    return data


def _count(database):
    return database.session.scalar(select(func.count()).select_from(Event))


def test_event_times_are_entered_in_venue_time_and_stored_in_utc(login_as, factories, database):
    delegation, hall, mehul = _world(factories, database)
    client = login_as("state", "IN-GJ")
    response = client.post(f"/delegations/{delegation.id}/events/new", data=_form(hall, mehul))
    assert response.status_code == 302
    event = database.session.scalar(select(Event).where(Event.delegation_id == delegation.id))
    assert (event.starts_at, event.ends_at) == (datetime(2026, 10, 13, 1, 0, tzinfo=UTC),
                                                datetime(2026, 10, 13, 3, 0, tzinfo=UTC))
    assert (event.timezone, event.sequence, event.organiser_id) == ("Asia/Tokyo", 0, client.user.id)
    assert event.uid.startswith("event-") and event.uid.endswith("@planner")
    assert [p.name for p in event.attendees] == ["Mehul Shah"]
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Tue 13 Oct 2026, 10:00" in page  # JST, local at the venue
    assert "Tue 13 Oct 2026, 06:30" in page  # IST


def test_event_without_venue_uses_the_chosen_zone(login_as, factories, database):
    delegation, hall, mehul = _world(factories, database)
    client = login_as("state", "IN-GJ")
    client.post(f"/delegations/{delegation.id}/events/new", data=_form(
        hall, mehul, venue="", kind="travel", title="Flight AMD–NRT", timezone="Asia/Kolkata",
        local_start="2026-10-12T06:00", local_end="2026-10-12T10:00", attendees=[]))
    event = database.session.scalar(select(Event).where(Event.delegation_id == delegation.id))
    assert (event.timezone, event.starts_at) == ("Asia/Kolkata", datetime(2026, 10, 12, 0, 30, tzinfo=UTC))


def test_a_flight_is_entered_with_both_clocks_and_shown_in_ist_and_jst(login_as, factories, database):
    # Narita 11:00 → Ahmedabad 20:30 local was saved as 20:30 JST (17:00 IST): the arrival was 3½ hours early
    delegation, hall, mehul = _world(factories, database)
    client = login_as("state", "IN-GJ")
    response = client.post(f"/delegations/{delegation.id}/events/new", data=_form(
        hall, mehul, venue="", kind="travel", title="Flight NRT–AMD", timezone="Asia/Tokyo",
        end_timezone="Asia/Kolkata", local_start="2026-10-14T11:00", local_end="2026-10-14T20:30", attendees=[]))
    assert response.status_code == 302
    event = database.session.scalar(select(Event).where(Event.delegation_id == delegation.id))
    assert (event.starts_at, event.ends_at) == (datetime(2026, 10, 14, 2, 0, tzinfo=UTC),
                                                datetime(2026, 10, 14, 15, 0, tzinfo=UTC))
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    # the arrival as Ahmedabad's clocks show it; a date is repeated only when the end is on another day
    assert 'IST</dt><dd class="col-sm-9 dual-time">Wed 14 Oct 2026, 07:30–20:30</dd>' in page
    assert 'JST</dt><dd class="col-sm-9 dual-time">Wed 14 Oct 2026, 11:00–Thu 15 Oct 2026, 00:00</dd>' in page
    # and the local times on each end's own clock: the arrival was shown as 00:00 JST (a walk-through)
    assert "Wed 14 Oct 2026, 11:00 JST–20:30 IST" in page
    form = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="2026-10-14T20:30"' in form and '<option selected value="Asia/Kolkata">' in form
    assert "2026-10-14 20:30,JST→IST" in client.get(f"/delegations/{delegation.id}/itinerary.csv").get_data(
        as_text=True)
    # the end before the start on the other clock: said with that clock's reading
    page = client.post(f"/events/{event.id}/edit", data=_form(
        hall, mehul, venue="", kind="travel", title="Flight NRT–AMD", timezone="Asia/Kolkata",
        end_timezone="Asia/Tokyo", local_start="2026-10-14T21:30", local_end="2026-10-14T22:00",
        attendees=[])).get_data(as_text=True)
    assert "The event must end after it starts: when it starts, JST&#39;s clock reads 01:00." in page
    # left at 'the same time zone', the end is on the start's clock, as before
    client.post(f"/events/{event.id}/edit", data=_form(
        hall, mehul, venue="", kind="travel", title="Flight NRT–AMD", timezone="Asia/Tokyo", end_timezone="",
        local_start="2026-10-14T11:00", local_end="2026-10-15T00:00", attendees=[]))
    database.session.refresh(event)
    assert (event.ends_at, event.end_timezone) == (datetime(2026, 10, 14, 15, 0, tzinfo=UTC), None)
    page = client.post(f"/delegations/{delegation.id}/events/new", data=_form(
        hall, mehul, venue="", kind="travel", title="Flight", timezone="Asia/Tokyo", end_timezone="Mars/Olympus",
        local_start="2026-10-14T11:00", local_end="2026-10-14T20:30", attendees=[])).get_data(as_text=True)
    assert 'id="end_timezone-error"' in page
    # only a journey ends on another clock: a meeting at a venue in Japan 'ending in India' was stretched
    before = database.session.scalar(select(func.count()).select_from(Event))
    for kind in ("meeting", "b2b"):
        page = client.post(f"/delegations/{delegation.id}/events/new", data=_form(
            hall, mehul, kind=kind, end_timezone="Asia/Kolkata")).get_data(as_text=True)
        assert 'id="end_timezone-error"' in page and "Only a journey ends on another clock" in page, kind
    assert database.session.scalar(select(func.count()).select_from(Event)) == before
    assert client.post(f"/delegations/{delegation.id}/events/new", data=_form(
        hall, mehul, end_timezone="Asia/Tokyo")).status_code == 302  # the venue's own zone: the same clock


def test_a_clash_with_a_flight_gives_its_landing_on_the_arrival_clock(login_as, factories, database):
    delegation, hall, mehul = _world(factories, database)
    client = login_as("state", "IN-GJ")
    assert client.post(f"/delegations/{delegation.id}/events/new", data=_form(
        hall, mehul, venue="", kind="travel", title="Flight NRT–AMD", timezone="Asia/Tokyo",
        end_timezone="Asia/Kolkata", local_start="2026-10-14T11:00", local_end="2026-10-14T20:30")).status_code == 302
    page = client.post(f"/delegations/{delegation.id}/events/new", data=_form(
        hall, mehul, local_start="2026-10-14T12:00", local_end="2026-10-14T13:00")).get_data(as_text=True)
    assert "(Wed 14 Oct 2026, 11:00 JST–20:30 IST)" in page  # it read '…–00:00 JST'


def test_a_flight_landing_on_the_last_day_is_within_the_visit(login_as, factories, database):
    # Narita 18:00 JST → Ahmedabad 21:30 IST on 16 October, the visit's last day: 01:00 on the 17th on the
    # departure's clock, and it was called outside the visit's dates
    delegation, hall, mehul = _world(factories, database)
    client = login_as("state", "IN-GJ")
    assert client.post(f"/delegations/{delegation.id}/events/new", data=_form(
        hall, mehul, venue="", kind="travel", title="Flight NRT–AMD", timezone="Asia/Tokyo",
        end_timezone="Asia/Kolkata", local_start="2026-10-16T18:00", local_end="2026-10-16T21:30")).status_code == 302
    assert "Outside the visit" not in client.get(f"/delegations/{delegation.id}").get_data(as_text=True)


def test_event_ending_before_it_starts_is_refused_at_the_field(login_as, factories, database):
    delegation, hall, mehul = _world(factories, database)
    page = login_as("admin").post(f"/delegations/{delegation.id}/events/new", data=_form(
        hall, mehul, local_end="2026-10-13T09:00")).get_data(as_text=True)
    assert "The event must end after it starts." in page
    assert _count(database) == 0


def test_malformed_event_form_is_refused_without_saving(login_as, factories, database):
    delegation, hall, mehul = _world(factories, database)
    client = login_as("admin")
    for data in ({}, {"kind": "party", "title": "x" * 201, "venue": "abc", "local_start": "yesterday",
                      "local_end": "0000-00-00T25:61", "attendees": ["x", "999999"]},
                 _form(hall, mehul, venue="999999"), _form(hall, mehul, attendees=["999999"]),
                 _form(hall, mehul, local_start="1900-01-01T10:00", local_end="1900-01-01T11:00"),
                 _form(hall, mehul, local_end="2026-10-17T12:00")):
        response = client.post(f"/delegations/{delegation.id}/events/new", data=data)
        assert response.status_code == 200, data
    assert _count(database) == 0


def test_overlong_event_and_implausible_years_have_messages(login_as, factories, database):
    delegation, hall, mehul = _world(factories, database)
    client = login_as("admin")
    page = client.post(f"/delegations/{delegation.id}/events/new", data=_form(
        hall, mehul, local_end="2026-10-17T12:00")).get_data(as_text=True)
    assert "An event lasts at most 72 hours; split longer ones (a hotel stay is of the kind Hotel stay)." in page
    page = client.post(f"/delegations/{delegation.id}/events/new", data=_form(
        hall, mehul, local_start="1900-01-01T10:00", local_end="1900-01-01T11:00")).get_data(as_text=True)
    assert "Enter a time between 2000 and 2100." in page


def test_a_clash_is_shown_and_not_saved_until_confirmed(login_as, factories, database):
    delegation, hall, mehul = _world(factories, database)
    factories.event(delegation, datetime(2026, 10, 13, 11), datetime(2026, 10, 13, 13), title="Meeting with mayor",
                    attendees=[mehul])
    database.session.commit()
    client = login_as("state", "IN-GJ")
    response = client.post(f"/delegations/{delegation.id}/events/new", data=_form(hall, mehul))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Person double-booked" in page and "Meeting with mayor" in page and "Mehul Shah" in page
    assert "Save anyway" in page
    assert _count(database) == 1
    response = client.post(f"/delegations/{delegation.id}/events/new",
                           data=_form(hall, mehul, confirm_overlap="y"))
    assert response.status_code == 302
    saved = database.session.scalar(select(Event).where(Event.title == "Plant visit"))
    assert saved.overlap_confirmed is True
    page = client.get(f"/delegations/{delegation.id}").get_data(as_text=True)
    assert "accepted by the organiser" in page


def test_back_to_back_events_save_without_confirmation(login_as, factories, database):
    delegation, hall, mehul = _world(factories, database)
    factories.event(delegation, datetime(2026, 10, 13, 12), datetime(2026, 10, 13, 13), venue_=hall,
                    attendees=[mehul])
    database.session.commit()
    response = login_as("admin").post(f"/delegations/{delegation.id}/events/new", data=_form(hall, mehul))
    assert response.status_code == 302


def test_event_outside_the_visit_is_caught(login_as, factories, database):
    delegation, hall, mehul = _world(factories, database)
    page = login_as("admin").post(f"/delegations/{delegation.id}/events/new", data=_form(
        hall, mehul, local_start="2026-10-17T10:00", local_end="2026-10-17T11:00")).get_data(as_text=True)
    assert 'text-bg-danger">Outside the visit' in page
    # nothing overlaps: the message says what it is, not 'clashes with the itinerary'
    assert "This event falls outside the visit&#39;s dates. Save anyway only if that is intended" in page
    assert "overlap is intended" not in page
    assert _count(database) == 0


def test_a_clash_with_another_regions_event_does_not_reveal_its_title(login_as, factories, database):
    delegation, hall, mehul = _world(factories, database)
    theirs = factories.delegation(("IN-MH",), ("JP-30",), start=date(2026, 10, 12), end=date(2026, 10, 16))
    factories.event(theirs, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 11), title="Secret dinner",
                    venue_=hall)
    database.session.commit()
    page = login_as("state", "IN-GJ").post(f"/delegations/{delegation.id}/events/new",
                                           data=_form(hall, mehul)).get_data(as_text=True)
    assert "Venue double-booked" in page and "an event of another delegation" in page
    assert "Secret dinner" not in page
    # when it is, as the itinerary gives times: on the clock of its place first, start and end, then in IST
    assert "(Tue 13 Oct 2026, 10:00–11:00 JST · 06:30–07:30 IST)" in page


def test_delegation_page_lists_open_clashes(login_as, factories, database):
    delegation, hall, mehul = _world(factories, database)
    factories.event(delegation, datetime(2026, 10, 13, 8), datetime(2026, 10, 13, 12), kind="travel",
                    title="Shinkansen to Hamamatsu", timezone="Asia/Tokyo")
    factories.event(delegation, datetime(2026, 10, 13, 11), datetime(2026, 10, 13, 13), title="Lunch",
                    venue_=hall)
    database.session.commit()
    from planner.itinerary.models import Event as EventModel

    database.session.execute(EventModel.__table__.update().values(overlap_confirmed=False))
    database.session.commit()
    page = login_as("prefecture", "JP-22").get(f"/delegations/{delegation.id}").get_data(as_text=True)
    assert "Overlaps travel" in page and 'badge text-bg-danger">1 open<' in page
    # the clash names both events (the first was an empty link for a while)
    line = re.search(r"Overlaps travel</span>(.*?)</span>", page, re.S).group(1)
    assert re.findall(r'href="/events/\d+">([^<]*)</a>', line) in (["Lunch", "Shinkansen to Hamamatsu"],
                                                                   ["Shinkansen to Hamamatsu", "Lunch"])


def test_editing_time_or_venue_increments_the_sequence_but_a_title_change_does_not(login_as, factories, database):
    delegation, hall, mehul = _world(factories, database)
    event = factories.event(delegation, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 12), venue_=hall,
                            title="Plant visit", kind="site_visit", attendees=[mehul])
    database.session.commit()
    client = login_as("admin")
    client.post(f"/events/{event.id}/edit", data=_form(hall, mehul, title="Plant visit (Suzuki)"))
    database.session.refresh(event)
    assert (event.title, event.sequence) == ("Plant visit (Suzuki)", 0)
    client.post(f"/events/{event.id}/edit", data=_form(hall, mehul, local_start="2026-10-13T10:30"))
    database.session.refresh(event)
    assert (event.sequence, event.starts_at) == (1, datetime(2026, 10, 13, 1, 30, tzinfo=UTC))


def test_cancelling_and_restoring_an_event_increments_the_sequence_and_is_audited(login_as, factories, database):
    from planner.core.audit import AuditEntry

    delegation, hall, mehul = _world(factories, database)
    event = factories.event(delegation, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 12))
    database.session.commit()
    uid = event.uid
    client = login_as("state", "IN-GJ")
    assert client.post(f"/events/{event.id}/status", data={"reason": "Rain"}).status_code == 302
    database.session.refresh(event)
    assert (event.status, event.sequence, event.uid) == ("cancelled", 1, uid)
    client.post(f"/events/{event.id}/status", data={})
    database.session.refresh(event)
    assert (event.status, event.sequence) == ("scheduled", 2)
    actions = database.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "events", AuditEntry.action.in_(("cancel", "restore"))).order_by(AuditEntry.id)).all()
    assert actions == ["cancel", "restore"]


def test_cancelled_events_do_not_clash(factories, database):
    from planner.itinerary.operations import cancel_event

    delegation, hall, mehul = _world(factories, database)
    first = factories.event(delegation, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 12), venue_=hall)
    cancel_event(first)
    second = factories.event(delegation, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 12), venue_=hall,
                             confirm_overlap=False)
    assert second.overlap_confirmed is False


def test_a_time_the_venues_clocks_skip_is_refused_at_the_field(login_as, factories, database):
    # a London venue's event at 01:30 on the night the clocks go forward was saved an hour later, unsaid
    delegation = factories.delegation(start=date(2027, 3, 26), end=date(2027, 3, 29))
    london = factories.venue("India House", "IN", city="London")
    london.timezone = "Europe/London"
    mehul = factories.person("Mehul Shah", region_code="IN-GJ")
    database.session.commit()
    client = login_as("state", "IN-GJ")
    page = client.post(f"/delegations/{delegation.id}/events/new", data=_form(
        london, mehul, local_start="2027-03-28T01:30", local_end="2027-03-28T03:00", attendees=[])
    ).get_data(as_text=True)
    assert "The clocks go forward at this time in Europe/London: 01:30 does not exist there on that day." in page
    assert _count(database) == 0
    assert client.post(f"/delegations/{delegation.id}/events/new", data=_form(
        london, mehul, local_start="2027-03-28T02:30", local_end="2027-03-28T03:00", attendees=[])).status_code == 302


def test_the_event_page_says_why_an_attendee_has_no_invite(login_as, factories, database):
    # 'not invited by e-mail' for everyone while the delegation was being planned, and for a person with no
    # address, without a reason
    delegation = factories.delegation()
    mailed = factories.person("Has Mail", region_code="IN-GJ", email="has.mail@example.in")
    unmailed = factories.person("No Mail", region_code="IN-GJ")
    event = factories.event(delegation, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 11),
                            attendees=(mailed, unmailed))
    database.session.commit()
    client = login_as("state", "IN-GJ")
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Invitations go out by e-mail once the delegation is confirmed." in page
    no_mail = page[page.index("No Mail"):]
    assert no_mail.index("no e-mail address") < no_mail.index("</div>")
    delegation.status = "confirmed"
    database.session.commit()
    assert "once the delegation is confirmed" not in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_a_clash_accepted_once_does_not_accept_the_ones_that_come_later(factories, database):
    # a travel overlap accepted for NH 827 showed a later 'outside the visit's dates' as accepted too, and the
    # header counted one open clash while two were listed (a browser walk-through)
    from datetime import timedelta

    from planner.itinerary.operations import open_clashes

    delegation, hall, mehul = _world(factories, database)
    factories.event(delegation, datetime(2026, 10, 16, 8), datetime(2026, 10, 16, 12), kind="travel",
                    title="Shinkansen", timezone="Asia/Tokyo")
    flight = factories.event(delegation, datetime(2026, 10, 16, 11), datetime(2026, 10, 16, 14), kind="travel",
                             title="NH 827", timezone="Asia/Tokyo")  # saved with its travel overlap confirmed
    database.session.commit()
    assert [(clash.kind, accepted) for clash, accepted in open_clashes(delegation)] == [("travel", True)]
    delegation.end_date = date(2026, 10, 15)  # the visit shortened afterwards
    delegation.updated_at = flight.updated_at + timedelta(seconds=1)
    database.session.commit()
    assert sorted((clash.kind, accepted) for clash, accepted in open_clashes(delegation)) == [
        ("outside_dates", False), ("outside_dates", False), ("travel", True)]


def test_a_cancelled_events_attendees_are_not_said_to_be_uninvited(login_as, factories, database):
    delegation, hall, mehul = _world(factories, database)
    mehul.email = "mehul@example.in"
    event = factories.event(delegation, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 11), attendees=[mehul])
    from planner.itinerary.operations import cancel_event

    cancel_event(event, "Typhoon")
    database.session.commit()
    page = login_as("state", "IN-GJ").get(f"/events/{event.id}").get_data(as_text=True)
    assert "Mehul Shah" in page and "not invited by e-mail" not in page


def test_a_hotel_stay_spans_nights_without_clashing_with_the_programme(login_as, factories, database):
    delegation, hall, mehul = _world(factories, database)
    hotel = factories.venue("Hotel Concorde Hamamatsu", "JP", city="Hamamatsu", region_code="JP-22")
    database.session.commit()
    client = login_as("state", "IN-GJ")
    assert client.post(f"/delegations/{delegation.id}/events/new", data=_form(hall, mehul)).status_code == 302
    stay = _form(hotel, mehul, kind="stay", title="Hotel Concorde", local_start="2026-10-12T15:00",
                 local_end="2026-10-16T10:00")  # four nights, 91 hours, over the plant visit
    response = client.post(f"/delegations/{delegation.id}/events/new", data=stay)
    assert response.status_code == 302, response.get_data(as_text=True)
    saved = database.session.scalar(select(Event).where(Event.kind == "stay"))
    assert (saved.starts_at, saved.ends_at, saved.overlap_confirmed) == (
        datetime(2026, 10, 12, 6, 0, tzinfo=UTC), datetime(2026, 10, 16, 1, 0, tzinfo=UTC), False)
    page = client.get(f"/events/{saved.id}").get_data(as_text=True)
    assert "Hotel stay" in page and "Fri 16 Oct 2026, 10:00" in page and "Fri 16 Oct 2026, 06:30" in page
    # a second stay of the same person over those nights is a clash; more than 30 nights is refused
    page = client.post(f"/delegations/{delegation.id}/events/new", data={
        **stay, "title": "Hotel Okura", "local_start": "2026-10-15T15:00"}).get_data(as_text=True)
    assert "Person double-booked" in page and _count(database) == 2
    page = client.post(f"/delegations/{delegation.id}/events/new", data={
        **stay, "local_end": "2026-11-12T10:00"}).get_data(as_text=True)
    assert "A hotel stay lasts at most 30 nights; record a longer one as two stays." in page
    assert _count(database) == 2


def test_a_cancelled_events_page_says_when_why_and_to_staff_by_whom(login_as, database):
    from datetime import datetime

    from tests import factories as make

    delegation = make.delegation(("IN-GJ",), ("JP-22",))
    person = make.person("Mehul Shah")
    make.member(delegation, person)
    event = make.event(delegation, datetime(2026, 12, 8, 10), datetime(2026, 12, 8, 11), title="Plant visit",
                       attendees=[person])
    database.session.commit()
    gujarat = login_as("state", "IN-GJ")
    assert "data-cancellation" not in gujarat.get(f"/events/{event.id}").get_data(as_text=True)
    response = gujarat.post(f"/events/{event.id}/status", data={"reason": "The plant is closed for inspection."})
    assert response.status_code == 302
    # the partner office, which did not cancel it, reads why and who did
    page = login_as("prefecture", "JP-22").get(f"/events/{event.id}").get_data(as_text=True)
    notice = page[page.index("data-cancellation"):page.index("</div>", page.index("data-cancellation"))]
    assert gujarat.user.email in notice and "Reason: The plant is closed for inspection." in notice
    delegate = login_as("delegate")
    person.user_id = delegate.user.id
    database.session.commit()
    page = delegate.get(f"/events/{event.id}").get_data(as_text=True)
    notice = page[page.index("data-cancellation"):page.index("</div>", page.index("data-cancellation"))]
    assert "Reason: The plant is closed for inspection." in notice and gujarat.user.email not in notice
    # restored, the notice goes
    assert gujarat.post(f"/events/{event.id}/status", data={}).status_code == 302
    assert "data-cancellation" not in gujarat.get(f"/events/{event.id}").get_data(as_text=True)
