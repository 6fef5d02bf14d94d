"""A delegation's and an event's title and a venue's name may have a Japanese version: entered on their forms,
shown on Japanese pages (lists, the delegation, the agenda, the venue, the CSV), the text as entered on English
ones; a region may not rename a venue in Japanese for another region's upcoming events."""

from datetime import date, datetime

from sqlalchemy import select

from planner.delegations.models import Delegation
from planner.itinerary.models import Event, Venue
from planner.regions.models import Region


def _japanese(client, database):
    client.user.locale = "ja"
    database.session.commit()
    return client


def _english(client, database):
    client.user.locale = "en"
    database.session.commit()
    return client


def test_the_delegation_form_saves_a_japanese_title_shown_on_japanese_pages_only(login_as, database):
    client = login_as("state", "IN-GJ")
    page = client.get("/delegations/new").get_data(as_text=True)
    assert 'name="title_ja"' in page and "Title in Japanese" in page
    gujarat, shizuoka = (database.session.scalar(select(Region).where(Region.code == code))
                         for code in ("IN-GJ", "JP-22"))
    response = client.post("/delegations/new", data={
        "title": "Gujarat business delegation 2026", "title_ja": "  グジャラート州経済ミッション  ",
        "direction": "IN_JP", "start_date": "2026-10-12", "end_date": "2026-10-16",
        "indian_regions": [str(gujarat.id)], "japanese_regions": [str(shizuoka.id)],
        "invite_language": "recipient"})
    assert response.status_code == 302
    delegation = database.session.scalar(select(Delegation))
    assert (delegation.title, delegation.title_ja) == ("Gujarat business delegation 2026", "グジャラート州経済ミッション")

    english = client.get("/delegations/").get_data(as_text=True)
    assert "Gujarat business delegation 2026" in english and "グジャラート州経済ミッション" not in english
    japanese = _japanese(client, database).get("/delegations/").get_data(as_text=True)
    assert "グジャラート州経済ミッション" in japanese and "Gujarat business delegation 2026" not in japanese
    view = client.get(f"/delegations/{delegation.id}").get_data(as_text=True)
    assert "グジャラート州経済ミッション</h1>" in view and 'lang="en">Gujarat business delegation 2026</p>' in view
    edit = client.get(f"/delegations/{delegation.id}/edit").get_data(as_text=True)
    assert 'value="Gujarat business delegation 2026"' in edit and 'value="グジャラート州経済ミッション"' in edit


def test_the_event_form_saves_a_japanese_title_for_japanese_pages_and_the_csv(login_as, factories, database):
    delegation = factories.delegation(start=date(2026, 10, 12), end=date(2026, 10, 16))
    hall = factories.venue("Granship", "JP", city="Shizuoka", region_code="JP-22")
    hall.name_ja = "グランシップ"
    database.session.commit()
    client = login_as("state", "IN-GJ")
    response = client.post(f"/delegations/{delegation.id}/events/new", data={
        "kind": "meeting", "title": "Courtesy call on the Governor", "title_ja": "知事表敬訪問",
        "venue": str(hall.id), "timezone": "Asia/Tokyo", "local_start": "2026-10-13T10:00",
        "local_end": "2026-10-13T11:00"})
    assert response.status_code == 302
    event = database.session.scalar(select(Event))
    assert (event.title, event.title_ja) == ("Courtesy call on the Governor", "知事表敬訪問")

    english = client.get(f"/delegations/{delegation.id}").get_data(as_text=True)
    assert "Courtesy call on the Governor" in english and "知事表敬訪問" not in english
    assert "Granship, Shizuoka" in english
    _japanese(client, database)
    agenda = client.get(f"/delegations/{delegation.id}/agenda").get_data(as_text=True)
    assert "知事表敬訪問" in agenda and "Courtesy call on the Governor" not in agenda
    itinerary = client.get(f"/delegations/{delegation.id}").get_data(as_text=True)
    assert "知事表敬訪問" in itinerary and "Courtesy call on the Governor" not in itinerary
    # the event's own page gives the other version under its heading: what English readers get
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "知事表敬訪問</h1>" in page and '<p class="text-body-secondary mt-n2 mb-3" lang="en">Courtesy call on the ' \
        'Governor</p>' in page
    english_page = _english(client, database).get(f"/events/{event.id}").get_data(as_text=True)
    assert "Courtesy call on the Governor</h1>" in english_page and 'lang="ja">知事表敬訪問</p>' in english_page
    _japanese(client, database)
    assert "グランシップ, Shizuoka" in client.get(f"/delegations/{delegation.id}").get_data(as_text=True)
    csv = client.get(f"/delegations/{delegation.id}/itinerary.csv").get_data(as_text=True)
    assert ",知事表敬訪問,グランシップ,Shizuoka," in csv
    edit = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="Courtesy call on the Governor"' in edit and 'value="知事表敬訪問"' in edit
    # the event form offers the venue by the name the page reads
    assert "グランシップ, Shizuoka (Asia/Tokyo)" in edit

    response = client.post(f"/events/{event.id}/edit", data={
        "kind": "meeting", "title": "Courtesy call on the Governor", "title_ja": "",
        "venue": str(hall.id), "timezone": "Asia/Tokyo", "local_start": "2026-10-13T10:00",
        "local_end": "2026-10-13T11:00"})
    assert response.status_code == 302
    database.session.refresh(event)
    assert event.title_ja == ""
    assert "Courtesy call on the Governor" in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_an_overlong_japanese_title_is_refused_at_its_field(login_as, factories, database):
    delegation = factories.delegation()
    database.session.commit()
    client = login_as("state", "IN-GJ")
    response = client.post(f"/delegations/{delegation.id}/events/new", data={
        "kind": "meeting", "title": "Visit", "title_ja": "訪" * 201, "timezone": "Asia/Tokyo",
        "local_start": "2026-10-13T10:00", "local_end": "2026-10-13T11:00"})
    assert response.status_code == 200
    assert 'id="title_ja"' in response.get_data(as_text=True) and "is-invalid" in response.get_data(as_text=True)
    assert database.session.scalar(select(Event)) is None


def test_a_venue_gets_a_japanese_name_and_lists_show_it_by_language(login_as, database):
    client = login_as("prefecture", "JP-22")
    response = client.post("/venues/new", data={"name": "Shizuoka Prefectural Office", "name_ja": "静岡県庁",
                                                "address": "9-6 Otemachi, Aoi-ku", "city": "Shizuoka",
                                                "country": "JP", "timezone": ""})
    assert response.status_code == 302
    venue = database.session.scalar(select(Venue))
    assert venue.name_ja == "静岡県庁"
    english = _english(client, database).get("/venues/").get_data(as_text=True)
    assert "Shizuoka Prefectural Office" in english and "静岡県庁" not in english
    _japanese(client, database)
    assert "静岡県庁" in client.get("/venues/").get_data(as_text=True)
    page = client.get(f"/venues/{venue.id}").get_data(as_text=True)
    assert "静岡県庁</h1>" in page and 'lang="en">Shizuoka Prefectural Office</p>' in page


def test_a_region_cannot_rename_in_japanese_a_venue_another_regions_upcoming_event_uses(login_as, factories,
                                                                                         database):
    hall = factories.venue("Granship", "JP", city="Shizuoka", region_code="JP-22")
    other = factories.delegation(("IN-MH",), ("JP-30",), start=date(2030, 10, 12), end=date(2030, 10, 16))
    factories.event(other, datetime(2030, 10, 13, 10), datetime(2030, 10, 13, 11), venue_=hall)
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    response = client.post(f"/venues/{hall.id}/edit", data={
        "name": "Granship", "name_ja": "グランシップ", "address": "", "city": "Shizuoka", "country": "JP",
        "timezone": "Asia/Tokyo"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "only an administrator can change them" in page
    assert 'id="name_ja"' in page and page.index("is-invalid") < page.index("only an administrator")
    database.session.refresh(hall)
    assert hall.name_ja == ""


def test_the_forms_say_the_title_as_entered_is_what_english_readers_get(login_as, factories, database):
    """Beside the Japanese version's field, the title (or name) field says whom it is for: its help was an
    example that Japanese pages gave in Japanese, as if the Japanese title went there."""
    delegation = factories.delegation(start=date(2026, 10, 12), end=date(2026, 10, 16))
    client = login_as("state", "IN-GJ")
    delegation_form = client.get("/delegations/new").get_data(as_text=True)
    assert ("What English pages and invitations show (and Japanese ones without a Japanese title). "
            "e.g. Gujarat business delegation to Shizuoka 2026") in delegation_form
    for url in (f"/delegations/{delegation.id}/events/new", "/venues/new"):
        page = client.get(url).get_data(as_text=True)
        assert "What English pages and invitations show (and Japanese ones without a Japanese version)." in page
