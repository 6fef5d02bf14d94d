"""Diets: a person's diet is one of a few known ones beside free notes; an event's dietary sheet counts those
coming by diet, says in English and Japanese what each rules out (fish stock included), lists each guest's
notes, and leaves out those who declined; a hotel stay's rooming list gives the hotel the dates and each guest's
passport name and needs."""

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from planner.delegations.models import Person
from planner.itinerary.models import EventAttendee
from tests import factories as make


def _person_form(**extra):
    data = {"name": "Anjali Mehta", "organisation": "Government of Gujarat", "preferred_language": "en",
            "diet": "jain", "dietary": "Allergic to peanuts", "accessibility": ""}
    data.update(extra)
    return data


def test_the_person_form_records_a_diet_beside_the_notes_and_refuses_an_unknown_one(login_as, database):
    client = login_as("state", "IN-GJ")
    assert client.post("/people/new", data=_person_form()).status_code == 302
    person = database.session.scalar(select(Person).where(Person.name == "Anjali Mehta"))
    assert (person.diet, person.dietary) == ("jain", "Allergic to peanuts")
    assert "Jain · Allergic to peanuts" in client.get(f"/people/{person.id}").get_data(as_text=True)

    page = client.post("/people/new", data=_person_form(name="Someone Else", diet="carnivore"))
    assert page.status_code == 200
    assert re.search(r'id="diet"[^>]*is-invalid|is-invalid[^>]*id="diet"', page.get_data(as_text=True))
    assert database.session.scalar(select(Person).where(Person.name == "Someone Else")) is None


def test_the_database_refuses_an_unknown_diet(database):
    person = make.person("Mehul Shah")
    database.session.flush()
    person.diet = "carnivore"
    with pytest.raises(IntegrityError):
        database.session.flush()
    database.session.rollback()


def _dinner(database):
    delegation = make.delegation(("IN-GJ",), ("JP-22",), start=date(2026, 12, 7), end=date(2026, 12, 10))
    guests = {
        "Mehul Shah": make.person("Mehul Shah", diet="vegetarian"),
        "Priti Joshi": make.person("Priti Joshi", diet="vegetarian", dietary="No mushrooms"),
        "Anjali Mehta": make.person("Anjali Mehta", diet="jain", dietary="Allergic to peanuts"),
        "Rakesh Desai": make.person("Rakesh Desai"),
        "Ichiro Suzuki": make.person("Ichiro Suzuki", name_ja="鈴木 一郎", dietary="Shellfish allergy"),
        "Alok Verma": make.person("Alok Verma", diet="jain"),
    }
    for precedence, person in enumerate(guests.values()):
        make.member(delegation, person, "host" if person.name == "Ichiro Suzuki" else "member", precedence + 1)
    restaurant = make.venue("Restaurant Kisshokaku", "JP", city="Shizuoka")
    restaurant.name_ja = "浮月楼"
    dinner = make.event(delegation, datetime(2026, 12, 7, 19), datetime(2026, 12, 7, 21), kind="reception",
                        title="Welcome dinner", venue_=restaurant, attendees=list(guests.values()))
    dinner.title_ja = "歓迎夕食会"
    database.session.get(EventAttendee, (dinner.id, guests["Alok Verma"].id)).rsvp = "declined"
    database.session.commit()
    return dinner


def _rows(page: str, table: str) -> list[list[str]]:
    body = re.search(rf'<table class="[^"]*{table}">(.*?)</table>', page, re.S).group(1)
    return [[re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_dietary_sheet_counts_those_coming_by_diet_in_both_languages(login_as, database, language):
    dinner = _dinner(database)
    client = login_as("prefecture", "JP-22")
    client.user.locale = language
    database.session.commit()
    event_page = client.get(f"/events/{dinner.id}").get_data(as_text=True)
    assert f'href="/events/{dinner.id}/dietary"' in event_page

    page = client.get(f"/events/{dinner.id}/dietary").get_data(as_text=True)
    counts = _rows(page, "diet-counts")
    assert [row[:2] for row in counts] == [["Diet 食事制限", "Guests 人数"], ["Vegetarian ベジタリアン", "2"],
                                           ["Jain ジャイナ教徒の菜食", "1"], ["No particular diet 特になし", "2"],
                                           ["Total 合計", "5"]]  # the Jain guest who declined is not counted
    assert "no root vegetables" in counts[2][2] and "根菜類" in counts[2][2]
    assert "Fish stock (dashi" in page and "昆布・しいたけのだし" in page
    assert _rows(page, "diners")[1:] == [
        ["1", "Mehul Shah", "Vegetarian ベジタリアン", "—"],
        ["2", "Priti Joshi", "Vegetarian ベジタリアン", "No mushrooms"],
        ["3", "Anjali Mehta", "Jain ジャイナ教徒の菜食", "Allergic to peanuts"],
        ["4", "Rakesh Desai", "—", "—"],
        ["5", "Ichiro Suzuki 鈴木 一郎", "—", "Shellfish allergy"]]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Declined, not counted 欠席（人数に含まず） : Alok Verma" in text
    assert "Welcome dinner / 歓迎夕食会" in text and "Restaurant Kisshokaku / 浮月楼" in text
    assert "07 Dec 2026 (Mon) 19:00–21:00 JST" in text


def test_no_fish_stock_note_when_nobody_coming_is_vegetarian(login_as, database):
    delegation = make.delegation(("IN-UP",), ("JP-19",))
    guest = make.person("Alok Verma", diet="no_beef")
    make.member(delegation, guest)
    lunch = make.event(delegation, datetime(2026, 12, 8, 12), datetime(2026, 12, 8, 13), attendees=[guest])
    database.session.commit()
    page = login_as("state", "IN-UP").get(f"/events/{lunch.id}/dietary").get_data(as_text=True)
    assert ["No beef 牛肉不可", "1"] == _rows(page, "diet-counts")[1][:2] and "Fish stock" not in page


def test_the_dietary_sheet_dates_an_end_on_another_day_or_clock(login_as, database):
    # a hotel stay's breakfasts and a flight's meals: '07 Dec 2026 (Mon) 14:00–07:00 JST' read as one night, and
    # a flight from Ahmedabad gave its landing in Tokyo on Indian time
    from planner.itinerary.operations import EventData, save_event

    delegation = make.delegation(("IN-GJ",), ("JP-22",), start=date(2026, 12, 7), end=date(2026, 12, 11))
    guest = make.person("Mehul Shah", diet="vegetarian")
    make.member(delegation, guest)
    stay = make.event(delegation, datetime(2026, 12, 7, 14), datetime(2026, 12, 11, 7), kind="stay",
                      attendees=[guest])
    flight, _clashes = save_event(delegation, EventData(
        kind="travel", title="AI 314", local_start=datetime(2026, 12, 6, 10), local_end=datetime(2026, 12, 6, 22),
        timezone="Asia/Kolkata", end_timezone="Asia/Tokyo", attendee_ids=[guest.id], confirm_overlap=True),
        make.SYSTEM)
    database.session.commit()
    client = login_as("state", "IN-GJ")

    def when(event):
        page = client.get(f"/events/{event.id}/dietary").get_data(as_text=True)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r"Date and time.*?</dd>", page, re.S).group(0)))

    assert "07 Dec 2026 (Mon) 14:00–11 Dec 2026 (Fri) 07:00 JST" in when(stay)
    assert "06 Dec 2026 (Sun) 10:00 IST–22:00 JST" in when(flight)


def test_the_dietary_sheet_is_for_the_events_organisers_only(login_as, database):
    dinner = _dinner(database)
    assert login_as("state", "IN-MH").get(f"/events/{dinner.id}/dietary").status_code == 404
    assert login_as("delegate").get(f"/events/{dinner.id}/dietary").status_code == 403


def test_a_hotel_stay_prints_a_rooming_list_with_each_guests_passport_name_and_needs(login_as, database):
    delegation = make.delegation(("IN-GJ",), ("JP-22",), start=date(2026, 12, 7), end=date(2026, 12, 11),
                                 title="Gujarat delegation to Shizuoka 2026")
    delegation.title_ja = "グジャラート州経済ミッション"
    mehul = make.person("Mehul Shah", diet="vegetarian", accessibility="Ground-floor room")
    anjali = make.person("Anjali Mehta", diet="jain", dietary="Allergic to peanuts")
    suzuki = make.person("Ichiro Suzuki", name_ja="鈴木 一郎")
    alok = make.person("Alok Verma")
    for precedence, person in enumerate((anjali, mehul, suzuki, alok)):
        make.member(delegation, person, "member", precedence + 1)
    hotel = make.venue("Hotel Associa Shizuoka", "JP", city="Shizuoka")
    hotel.name_ja = "ホテルアソシア静岡"
    stay = make.event(delegation, datetime(2026, 12, 7, 15), datetime(2026, 12, 11, 11), kind="stay",
                      title="Hotel Associa Shizuoka (4 nights)", venue_=hotel, attendees=[anjali, mehul, suzuki, alok])
    dinner = make.event(delegation, datetime(2026, 12, 8, 19), datetime(2026, 12, 8, 21), attendees=[mehul])
    database.session.get(EventAttendee, (stay.id, alok.id)).rsvp = "declined"
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    assert f'href="/events/{stay.id}/rooming-list"' in client.get(f"/events/{stay.id}").get_data(as_text=True)
    assert "/rooming-list" not in client.get(f"/events/{dinner.id}").get_data(as_text=True)
    assert client.get(f"/events/{dinner.id}/rooming-list").status_code == 404  # no hotel stay

    page = client.get(f"/events/{stay.id}/rooming-list").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    for line in ("Hotel ホテル Hotel Associa Shizuoka / ホテルアソシア静岡",
                 "Group 団体名 Gujarat delegation to Shizuoka 2026 / グジャラート州経済ミッション",
                 "Check-in チェックイン 07 Dec 2026 (Mon) 15:00", "Check-out チェックアウト 11 Dec 2026 (Fri) 11:00",
                 "Nights 泊数 4", "Guests 人数 3", "Room nights, one room each 延べ室泊数(1人1室) 12",
                 "Cancelled, not counted キャンセル(人数に含まず) : Alok Verma"):
        assert line in text, line
    assert _rows(page, "guests")[1:] == [
        ["1", "Anjali Mehta", "", "Jain ジャイナ教徒の菜食", "Allergic to peanuts"],
        ["2", "Mehul Shah", "", "Vegetarian ベジタリアン", "Ground-floor room"],
        ["3", "Ichiro Suzuki", "鈴木 一郎", "—", "—"]]


def test_the_sheets_of_a_cancelled_event_say_so_in_both_languages(login_as, database):
    from planner.itinerary.operations import cancel_event

    dinner = _dinner(database)
    client = login_as("prefecture", "JP-22")
    assert "data-cancelled" not in client.get(f"/events/{dinner.id}/dietary").get_data(as_text=True)
    cancel_event(dinner, "The restaurant is closed.")
    database.session.commit()
    page = client.get(f"/events/{dinner.id}/dietary").get_data(as_text=True)
    notice = page[page.index("data-cancelled"):page.index("</p>", page.index("data-cancelled"))]
    assert "CANCELLED: not to be prepared" in notice and "中止になりました(手配不要)" in notice
