"""A visitor's schedule of stay (滞在予定表) for a visa application: a row per day of the visit with the events
they attend (times on each venue's clock, an overnight flight on the day it lands), the hosts' contact, and the
hotel of each night; none for a host, nor for a person of another delegation."""

import re
from datetime import date, datetime

from planner.itinerary.operations import EventData, cancel_event, save_event
from tests import factories as make


def _world(database):
    delegation = make.delegation(("IN-GJ",), ("JP-22",), start=date(2026, 12, 7), end=date(2026, 12, 10),
                                 title="Gujarat delegation to Shizuoka 2026")
    delegation.purpose = "Auto-parts suppliers meet Gujarat MSMEs."
    mehul = make.person("Mehul Shah", organisation="Shah Precision Components")
    priti = make.person("Priti Joshi")
    suzuki = make.person("Ichiro Suzuki", name_ja="鈴木 一郎", organisation="Shizuoka Prefecture",
                         phone="+81 54 221 2455")
    make.member(delegation, mehul, "member", 10)
    make.member(delegation, priti, "member", 11)
    make.member(delegation, suzuki, "host", 50)
    office = make.venue("Shizuoka Prefectural Government", "JP", city="Shizuoka")
    hotel = make.venue("Hotel Associa Shizuoka", "JP", city="Shizuoka")
    hotel.address = "56 Kurogane-cho, Aoi-ku"
    save_event(delegation, EventData(
        kind="travel", title="Flight AMD → NRT (AI 306)", local_start=datetime(2026, 12, 6, 20, 30),
        local_end=datetime(2026, 12, 7, 7, 0), timezone="Asia/Kolkata", end_timezone="Asia/Tokyo",
        attendee_ids=[mehul.id], confirm_overlap=True), make.SYSTEM)
    make.event(delegation, datetime(2026, 12, 7, 14), datetime(2026, 12, 10, 7), kind="stay",
               title="Hotel Associa Shizuoka (3 nights)", venue_=hotel, attendees=[mehul, priti])
    make.event(delegation, datetime(2026, 12, 7, 15), datetime(2026, 12, 7, 16),
               title="Courtesy call on the Governor", venue_=office, attendees=[mehul, suzuki])
    make.event(delegation, datetime(2026, 12, 8, 10), datetime(2026, 12, 8, 12), title="Plant visit",
               attendees=[priti])  # not Mehul's
    dropped = make.event(delegation, datetime(2026, 12, 9, 10), datetime(2026, 12, 9, 11), title="Dropped visit",
                         attendees=[mehul])
    cancel_event(dropped)
    database.session.commit()
    return delegation, {m.person.name: m for m in delegation.members}


def _rows(page: str) -> list[list[str]]:
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return [[re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_a_visitor_gets_a_row_a_day_with_their_events_the_contact_and_the_nights_hotel(login_as, database):
    delegation, members = _world(database)
    client = login_as("state", "IN-GJ")
    listing = client.get(f"/delegations/{delegation.id}/members").get_data(as_text=True)
    url = f"/delegations/{delegation.id}/members/{members['Mehul Shah'].id}/schedule-of-stay"
    assert f'href="{url}"' in listing
    assert f"/members/{members['Ichiro Suzuki'].id}/schedule-of-stay" not in listing  # a host applies for no visa

    page = client.get(url).get_data(as_text=True)
    assert "SCHEDULE OF STAY <span lang=\"ja\">滞在予定表</span>" in page
    assert "Mehul Shah" in page and "Auto-parts suppliers meet Gujarat MSMEs." in page
    hotel = "Hotel Associa Shizuoka, 56 Kurogane-cho, Aoi-ku, Shizuoka"
    assert _rows(page) == [
        ["07 Dec 2026 (Mon)",
         "20:30 IST (6 Dec)–07:00 JST (7 Dec) Flight AMD → NRT (AI 306) "
         "15:00–16:00 Courtesy call on the Governor (Shizuoka Prefectural Government)",
         "Ichiro Suzuki, Shizuoka Prefecture, +81 54 221 2455", hotel],
        ["08 Dec 2026 (Tue)", "", hotel],
        ["09 Dec 2026 (Wed)", "", hotel],
        ["10 Dec 2026 (Thu)", "", ""]]


def test_no_schedule_for_a_host_or_another_delegations_member(login_as, database):
    delegation, members = _world(database)
    other = make.delegation(("IN-GJ",), ("JP-22",))
    database.session.commit()
    client = login_as("state", "IN-GJ")
    assert client.get(f"/delegations/{delegation.id}/members/{members['Ichiro Suzuki'].id}"
                      "/schedule-of-stay").status_code == 404
    assert client.get(f"/delegations/{other.id}/members/{members['Mehul Shah'].id}"
                      "/schedule-of-stay").status_code == 404


def test_the_organiser_chooses_which_host_the_schedule_names_as_the_contact(login_as, database):
    delegation, members = _world(database)
    mori = make.person("Aiko Mori", organisation="Shizuoka Industrial Promotion", email="a.mori@pref.example")
    silent = make.person("Ken Oda")  # neither phone nor e-mail: not offered
    make.member(delegation, mori, "host", 51)
    make.member(delegation, silent, "host", 52)
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    url = f"/delegations/{delegation.id}/members/{members['Mehul Shah'].id}/schedule-of-stay"
    page = client.get(url).get_data(as_text=True)
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]*)</option>', page)
    assert [(label, bool(selected)) for _, selected, label in options] == [
        ("Ichiro Suzuki, Shizuoka Prefecture, +81 54 221 2455", True),
        ("Aiko Mori, Shizuoka Industrial Promotion, a.mori@pref.example", False)]
    mori_id = next(value for value, _, label in options if label.startswith("Aiko"))
    chosen = client.get(f"{url}?contact={mori_id}").get_data(as_text=True)
    assert _rows(chosen)[0][2] == "Aiko Mori, Shizuoka Industrial Promotion, a.mori@pref.example"
    assert f'<option value="{mori_id}" selected>' in chosen
    # a member who is no host, or a number that is nobody, names the first host as before
    for stranger in (members["Priti Joshi"].id, 999999, "x"):
        assert _rows(client.get(f"{url}?contact={stranger}").get_data(as_text=True))[0][2].startswith("Ichiro")


def test_the_page_says_when_no_host_can_be_named(login_as, database):
    delegation, members = _world(database)
    members["Ichiro Suzuki"].person.phone = ""
    database.session.commit()
    page = login_as("state", "IN-GJ").get(
        f"/delegations/{delegation.id}/members/{members['Mehul Shah'].id}/schedule-of-stay").get_data(as_text=True)
    assert "No host of this visit has a phone or e-mail address recorded" in page
    assert _rows(page)[0][2] == "" and "<select" not in page
