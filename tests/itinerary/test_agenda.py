"""Agendas day by day (delegation, person, my agenda for delegates), CSV export, venues."""

import csv
import io
from datetime import date, datetime

from sqlalchemy import select

from planner.itinerary.models import Venue


def _trip(factories, database, delegate_user=None):
    delegation = factories.delegation(start=date(2026, 12, 7), end=date(2026, 12, 9), title="Gujarat to Shizuoka")
    mehul = factories.person("Mehul Shah", user=delegate_user)
    priti = factories.person("Priti Joshi")
    factories.member(delegation, mehul)
    factories.member(delegation, priti)
    plant = factories.venue("Hamamatsu plant", "JP", region_code="JP-22")
    visit = factories.event(delegation, datetime(2026, 12, 8, 9, 30), datetime(2026, 12, 8, 12), venue_=plant,
                            title="Plant visit", kind="site_visit", attendees=[mehul, priti])
    reception = factories.event(delegation, datetime(2026, 12, 8, 18, 30), datetime(2026, 12, 8, 20, 30),
                                title="=Reception", kind="reception", attendees=[priti])
    database.session.commit()
    return delegation, mehul, priti, visit, reception


def test_delegation_agenda_lists_every_day_with_local_ist_and_jst_times(login_as, factories, database):
    delegation, *_ = _trip(factories, database)
    page = login_as("state", "IN-GJ").get(f"/delegations/{delegation.id}/agenda").get_data(as_text=True)
    days = [f'pb-1">{day}</h3>' for day in ("Mon 7 Dec 2026", "Tue 8 Dec 2026", "Wed 9 Dec 2026")]
    assert page.index(days[0]) < page.index(days[1]) < page.index(days[2])
    assert "Nothing planned." in page  # 7 and 9 December
    assert "09:30–12:00 <abbr" in page and "06:00–08:30 IST · 09:30–12:00 JST" in page
    assert "data-print" in page


def test_the_printed_delegation_agenda_lists_the_members_with_their_needs(login_as, factories, database):
    # organisers printed the agenda and then copied names and dietary needs off the members page by hand
    delegation, mehul, priti, *_ = _trip(factories, database)
    priti.dietary, priti.needs_interpreter, priti.title = "Vegetarian, no onion or garlic", True, "President"
    mehul.accessibility = "Step-free access"
    database.session.commit()
    page = login_as("state", "IN-GJ").get(f"/delegations/{delegation.id}/agenda").get_data(as_text=True)
    members = page[page.index('id="members-title">Members and hosts</h2>'):]
    assert members.index("Mehul Shah") < members.index("Priti Joshi")
    assert "Vegetarian, no onion or garlic" in members and "<div>Step-free access</div>" in members
    assert "English · needs an interpreter" in members and '<div class="small">President</div>' in members
    # a person's own agenda has no member list
    assert "Members and hosts" not in login_as("admin").get(f"/people/{mehul.id}/agenda").get_data(as_text=True)


def test_an_overnight_flight_marks_the_ist_and_jst_times_on_another_day(login_as, factories, database):
    delegation = factories.delegation(start=date(2026, 12, 6), end=date(2026, 12, 9))
    factories.event(delegation, datetime(2026, 12, 6, 20, 30), datetime(2026, 12, 7, 3, 30), title="Flight AMD–NRT",
                    kind="travel", timezone="Asia/Kolkata")
    # local at a Tokyo venue: 08:00 JST is 04:30 IST the same day; 01:00 JST the next day is 21:30 IST the day before
    late = factories.event(delegation, datetime(2026, 12, 8, 1), datetime(2026, 12, 8, 2), title="Night call",
                           venue_=factories.venue("Tokyo office", "JP", region_code="JP-22"))
    database.session.commit()
    page = login_as("state", "IN-GJ").get(f"/delegations/{delegation.id}/agenda").get_data(as_text=True)
    # under Sun 6 Dec: the flight lands 03:30 IST, 07:00 JST on the 7th; it takes off at 00:00 JST on the 7th
    plus = '<sup title="days after the date at the venue">+1</sup>'
    minus = '<sup title="days before the date at the venue">−1</sup>'
    assert f"20:30–03:30{plus} IST · 00:00{plus}–07:00{plus} JST" in page
    assert f"21:30{minus}–22:30{minus} IST · 01:00–02:00 JST" in page
    # a venue page gives dates: each end is marked against its own start
    page = login_as("state", "IN-GJ").get(f"/venues/{late.venue_id}").get_data(as_text=True)
    assert "Mon 7 Dec 2026, 21:30–22:30 IST · Tue 8 Dec 2026, 01:00–02:00 JST" in page


def test_itinerary_csv_has_local_ist_and_jst_columns_and_defuses_formulas(login_as, factories, database):
    delegation, *_ = _trip(factories, database)
    response = login_as("prefecture", "JP-22").get(f"/delegations/{delegation.id}/itinerary.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(r["start_local"], r["time_zone"], r["start_ist"], r["start_jst"], r["title"]) for r in rows] == [
        ("2026-12-08 09:30", "JST", "2026-12-08 06:00", "2026-12-08 09:30", "Plant visit"),
        ("2026-12-08 18:30", "JST", "2026-12-08 15:00", "2026-12-08 18:30", "'=Reception")]
    assert rows[0]["attendees"] == "Mehul Shah; Priti Joshi"
    assert (rows[0]["kind"], rows[0]["status"]) == ("Site visit", "scheduled")
    client = login_as("prefecture", "JP-22")
    client.user.locale = "ja"
    database.session.commit()
    response = client.get(f"/delegations/{delegation.id}/itinerary.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["kind"] != "Site visit" and rows[0]["status"] != "scheduled"  # the user's language


def test_person_agenda_shows_only_their_events(login_as, factories, database):
    _delegation, mehul, priti, _visit, _reception = _trip(factories, database)
    client = login_as("state", "IN-GJ")
    # A member sees the whole itinerary of their delegation (they travel with it).
    assert "=Reception" in client.get(f"/people/{mehul.id}/agenda").get_data(as_text=True)
    outsider = factories.person("Outside contact", region_code="IN-GJ")
    other = factories.delegation(title="Other trip", start=date(2026, 12, 7), end=date(2026, 12, 9))
    factories.event(other, datetime(2026, 12, 9, 10), datetime(2026, 12, 9, 11), title="Only outsider",
                    attendees=[outsider])
    database.session.commit()
    page = client.get(f"/people/{outsider.id}/agenda").get_data(as_text=True)
    assert "Only outsider" in page and "Plant visit" not in page


def test_delegate_lands_on_their_own_agenda_and_sees_nothing_else(login_as, factories, database):
    client = login_as("delegate")
    delegation, mehul, *_ = _trip(factories, database, delegate_user=client.user)
    other = factories.delegation(("IN-MH",), ("JP-30",), title="Not theirs")
    factories.event(other, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 11), title="Someone else's dinner")
    database.session.commit()
    response = client.get("/")
    assert response.headers["Location"].endswith("/agenda")
    page = client.get("/agenda").get_data(as_text=True)
    assert "Plant visit" in page and "Someone else&#39;s dinner" not in page and "Someone else's dinner" not in page
    assert "My agenda" in page
    # the reception is Priti's: on Mehul's agenda for context, marked as one he does not attend
    reception_row = page[page.index("=Reception") - 600:page.index("=Reception") + 400]
    visit_row = page[page.index("Plant visit") - 600:page.index("Plant visit") + 300]
    assert "not attending" in reception_row and "not attending" not in visit_row
    assert client.get(f"/delegations/{delegation.id}").status_code == 403
    assert client.get(f"/delegations/{delegation.id}/itinerary.csv").status_code == 403
    assert client.get(f"/people/{mehul.id}").status_code == 200


def test_delegate_without_a_linked_person_is_told_so(login_as, database):
    page = login_as("delegate").get("/agenda").get_data(as_text=True)
    assert "Your account is not linked to a delegate yet." in page


def test_venue_zone_defaults_from_the_country_and_must_be_a_real_zone(login_as, database):
    client = login_as("state", "IN-GJ")
    response = client.post("/venues/new", data={"name": "Mahatma Mandir", "city": "Gandhinagar", "country": "IN",
                                                "capacity": "1000"})
    assert response.status_code == 302
    venue = database.session.scalar(select(Venue).where(Venue.name == "Mahatma Mandir"))
    assert (venue.timezone, venue.capacity) == ("Asia/Kolkata", 1000)
    page = client.post("/venues/new", data={"name": "Nowhere", "country": "JP", "timezone": "Asia/Atlantis"}
                       ).get_data(as_text=True)
    assert "Enter an IANA time zone such as Asia/Kolkata or Asia/Tokyo." in page
    # names zoneinfo knows that are no place's zone: the server's own clock, no offset
    for name in ("localtime", "Factory", "posixrules"):
        page = client.post("/venues/new", data={"name": f"Venue {name}", "country": "JP", "timezone": name}
                           ).get_data(as_text=True)
        assert "Enter an IANA time zone such as Asia/Kolkata or Asia/Tokyo." in page, name
    assert database.session.scalar(select(Venue).where(Venue.name.like("Venue %"))) is None
    # what people type for the two countries' time is read as the zone it means ('JST' was refused)
    for name, country, zone in (("JST", "JP", "Asia/Tokyo"), ("Japan", "JP", "Asia/Tokyo"), ("ｉｓｔ", "IN", "Asia/Kolkata"),
                                ("Asia/Calcutta", "IN", "Asia/Kolkata"), ("UTC+05:30", "IN", "Asia/Kolkata")):
        assert client.post("/venues/new", data={"name": f"Hall {name}", "country": country, "timezone": name}
                           ).status_code == 302, name
        assert database.session.scalar(select(Venue.timezone).where(Venue.name == f"Hall {name}")) == zone
    page = client.post("/venues/new", data={"name": "Tiny", "country": "JP", "capacity": "0"}).get_data(as_text=True)
    assert "Number must be between 1 and 100000." in page
    page = client.post("/venues/new", data={"name": "Moon", "country": "US"}).get_data(as_text=True)
    assert "Not a valid choice." in page


def test_changing_a_venues_zone_moves_how_its_events_are_shown_not_when_they_happen(login_as, factories, database):
    delegation = factories.delegation(start=date(2027, 10, 12), end=date(2027, 10, 16))
    venue = factories.venue("Hall", "JP", region_code="JP-22")
    event = factories.event(delegation, datetime(2027, 10, 13, 10), datetime(2027, 10, 13, 11), venue_=venue)
    database.session.commit()
    starts_at = event.starts_at  # an event ahead (one that has ended keeps its zone)
    # (a venue recorded in the wrong country, corrected: each country keeps one time)
    response = login_as("prefecture", "JP-22").post(f"/venues/{venue.id}/edit", data={
        "name": "Hall", "country": "IN", "timezone": "Asia/Kolkata"})
    assert response.status_code == 302
    database.session.refresh(event)
    assert (event.timezone, event.starts_at) == ("Asia/Kolkata", starts_at)


def test_a_venue_keeps_its_countrys_time(login_as, factories, database):
    # a venue in Japan on Asia/Kolkata put every event there 3 h 30 off (a browser walk-through)
    client = login_as("prefecture", "JP-22")
    page = client.post("/venues/new", data={"name": "Bad TZ", "country": "JP", "timezone": "Asia/Kolkata"})
    assert "A venue in Japan keeps Japan&#39;s time (Asia/Tokyo)." in page.get_data(as_text=True)
    assert client.post("/venues/new", data={"name": "Good TZ", "country": "JP", "timezone": ""}).status_code == 302


def test_a_venue_in_a_city_of_the_other_country_is_refused_at_the_country(login_as, database):
    # Wakayama recorded with the form's India: the reception there was shown 18:00 IST (21:30 JST)
    client = login_as("state", "IN-MH")
    for city, country, named in (("Wakayama", "IN", "Japan"), ("Wakayama-shi", "IN", "Japan"),
                                 ("和歌山市", "IN", "Japan"), ("WAKAYAMA City", "IN", "Japan"),
                                 ("Mumbai", "JP", "India"), ("Shizuoka", "IN", "Japan"), ("京都市", "IN", "Japan"),
                                 ("松山市", "IN", "Japan"), ("Matsuyama", "IN", "Japan")):
        page = client.post("/venues/new", data={"name": "Marina City Hall", "city": city, "country": country})
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and 'id="country-error"' in html, city
        assert f"{city} is in {named}: choose {named}, or correct the city." in html, city
    assert database.session.scalar(select(Venue).where(Venue.name == "Marina City Hall")) is None
    # with Japan's zone given too, the country is what is wrong, not the zone
    page = client.post("/venues/new", data={"name": "Marina City Hall", "city": "Wakayama", "country": "IN",
                                            "timezone": "Asia/Tokyo"}).get_data(as_text=True)
    assert 'id="country-error"' in page and 'id="timezone-error"' not in page
    # Kochi is a prefecture of Japan and a city of Kerala; other cities are not guessed at
    for city, country in (("Kochi", "IN"), ("Kochi", "JP"), ("Pune", "IN"), ("Hamamatsu", "JP"), ("", "IN")):
        assert client.post("/venues/new", data={"name": f"Hall {city} {country}", "city": city,
                                                "country": country}).status_code == 302, city


def test_delegation_page_shows_who_when_and_where_at_a_glance(login_as, factories, database):
    delegation, mehul, *_ = _trip(factories, database)
    factories.member(delegation, factories.person("Anjali Mehta", title="Principal Secretary"), role="head",
                     precedence=1)
    database.session.commit()
    page = login_as("state", "IN-GJ").get(f"/delegations/{delegation.id}").get_data(as_text=True)
    assert "Anjali Mehta</a>, Principal Secretary" in page
    assert "Mon 7 Dec 2026 – Wed 9 Dec 2026" in page and "3 days" in page
    assert '<dd class="col-sm-8">Hamamatsu</dd>' in page
    assert "No clashes." in page


def test_a_hotel_stay_is_listed_on_its_first_day_and_its_check_out_on_its_last(login_as, factories, database):
    delegation, mehul, priti, *_ = _trip(factories, database)
    hotel = factories.venue("Hotel Concorde Hamamatsu", "JP", region_code="JP-22")
    factories.event(delegation, datetime(2026, 12, 7, 15), datetime(2026, 12, 9, 7, 30), venue_=hotel,
                    title="Hotel Concorde", kind="stay", attendees=[mehul, priti], confirm_overlap=False)
    factories.event(delegation, datetime(2026, 12, 9, 6), datetime(2026, 12, 9, 7), title="Breakfast meeting",
                    attendees=[mehul])
    database.session.commit()
    for page in (login_as("state", "IN-GJ").get(f"/delegations/{delegation.id}/agenda").get_data(as_text=True),
                 login_as("admin").get(f"/people/{mehul.id}/agenda").get_data(as_text=True)):
        first, last = page.index('pb-1">Mon 7 Dec 2026</h3>'), page.index('pb-1">Wed 9 Dec 2026</h3>')
        assert first < page.index("Hotel stay</span>") < page.index("Tue 8 Dec 2026") < last
        assert "15:00–07:30<sup" in page  # the stay: check-in to check-out two days later
        checkout = page[last:]
        assert checkout.index("Breakfast meeting") < checkout.index("Check-out</span>")  # in time order
        assert "by 07:30 <abbr" in checkout and "04:00 IST · 07:30 JST" in checkout
        assert "Nothing planned." not in page[page.index("Wed 9 Dec 2026"):]
