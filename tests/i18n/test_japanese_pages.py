"""Pages a Japanese office reads: names, lists and messages in Japanese (from a crawl of every page in ja)."""

from decimal import Decimal

import pytest


@pytest.fixture
def ja(login_as, database):
    client = login_as("prefecture", "JP-22")
    client.user.locale = "ja"
    database.session.commit()
    return client


def test_a_firm_or_venue_is_edited_without_the_personal_honorific(ja, factories, database):
    # 「Agra Infotech Private Limitedさんの編集」: the person's さん on a firm and a venue
    firm = factories.firm("JP-22", name="Hamamatsu Seiki Co., Ltd.")
    firm.name_ja = "株式会社浜松精機"
    venue = factories.venue("Granship", "JP", city="Shizuoka", region_code="JP-22")
    database.session.commit()
    assert "「株式会社浜松精機」の編集" in ja.get(f"/firms/{firm.id}/edit").get_data(as_text=True)
    page = ja.get(f"/venues/{venue.id}/edit").get_data(as_text=True)
    assert "「Granship」の編集" in page and "さんの編集" not in page


def test_the_sector_list_of_the_agreement_form_and_the_405_page_are_japanese(ja):
    page = ja.get("/outcomes/agreements/new").get_data(as_text=True)
    assert "Semiconductors and electronics" not in page
    response = ja.delete("/outcomes/agreements/new")
    assert response.status_code == 405 and "この操作は受け付けていません" in response.get_data(as_text=True)


def test_the_people_list_names_the_language_and_the_size_rule_the_crore_in_japanese(ja, factories, database):
    factories.person("Taro Yamada", region_code="JP-22", preferred_language="ja")
    firm = factories.firm("IN-GJ", name="Sabarmati Auto", investment_amount=Decimal("90000000"),
                          investment_currency="INR", turnover_amount=Decimal("450000000"), turnover_currency="INR")
    database.session.commit()
    page = ja.get("/people/").get_data(as_text=True)
    assert "<td>日本語" in page and ">JA<" not in page
    firm_page = ja.get(f"/firms/{firm.id}").get_data(as_text=True)
    assert "₹25クロール" in firm_page and " crore" not in firm_page


def test_flashes_name_firms_and_people_by_their_japanese_names(ja, factories, database):
    # 「Ichiro Suzukiさんの情報を保存しました。」 where the person has a Japanese name
    person = factories.person("Ichiro Suzuki", name_ja="鈴木 一郎", region_code="JP-22")
    database.session.commit()
    form = {"name": "Ichiro Suzuki", "name_ja": "鈴木 一郎", "preferred_language": "ja"}
    page = ja.post(f"/people/{person.id}/edit", data=form, follow_redirects=True).get_data(as_text=True)
    assert "鈴木 一郎" in page and "Ichiro Suzukiさん" not in page


def test_firm_pickers_name_firms_in_japanese(ja, factories, database):
    # the follow-up and agreement forms listed 「Hamamatsu Kensetsu Co., Ltd. (JP-22)」 where the grid said
    # 浜松建設株式会社
    firm = factories.firm("JP-22", name="Hamamatsu Kensetsu Co., Ltd.")
    firm.name_ja = "浜松建設株式会社"
    database.session.commit()
    page = ja.get("/outcomes/agreements/new").get_data(as_text=True)
    assert "浜松建設株式会社 (JP-22)" in page and "Hamamatsu Kensetsu Co., Ltd. (JP-22)" not in page


def test_names_appear_once_in_each_script_and_attendees_in_order_of_precedence(ja, factories, database):
    # the member list read 「山本 博 山本 博」; the person's heading and the clash list gave 'Hiroshi Yamamoto'
    from datetime import datetime

    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    yamamoto = factories.person("Hiroshi Yamamoto", name_ja="山本 博", region_code="JP-22")
    suzuki = factories.person("Ichiro Suzuki", name_ja="鈴木 一郎", region_code="JP-22")
    factories.member(delegation, yamamoto, precedence=20)
    factories.member(delegation, suzuki, role="head", precedence=1)
    event = factories.event(delegation, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 11),
                            attendees=[yamamoto, suzuki])
    database.session.commit()
    members = ja.get(f"/delegations/{delegation.id}/members").get_data(as_text=True)
    assert "<td>EN" not in members and "<td>英語" in members  # the language in words, not its code
    assert "山本 博 山本 博" not in members and '<span lang="en" class="text-muted">Hiroshi Yamamoto</span>' in members
    person = ja.get(f"/people/{yamamoto.id}").get_data(as_text=True)
    assert '<h1 class="h3 me-auto mb-0">山本 博 <span lang="en">Hiroshi Yamamoto</span></h1>' in person
    assert "<title>山本 博" in person
    assert [p.name for p in event.attendees] == ["Ichiro Suzuki", "Hiroshi Yamamoto"]  # the head first
    itinerary = ja.get(f"/delegations/{delegation.id}").get_data(as_text=True)
    assert "鈴木 一郎、山本 博" in itinerary  # listed as Japanese lists them


def test_people_and_contacts_a_prefecture_office_records_default_to_japanese(ja, login_as, factories, database):
    import re

    def chosen(page, name):
        select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
        return re.search(r'<option selected value="(\w+)"|<option value="(\w+)" selected', select).group(0)

    assert 'value="ja"' in chosen(ja.get("/people/new").get_data(as_text=True), "preferred_language")
    firm = factories.firm("JP-22", "Hamamatsu Seiki")
    indian = factories.firm("IN-GJ", "Sabarmati Auto")
    database.session.commit()
    assert 'value="ja"' in chosen(ja.get(f"/firms/{firm.id}/contacts/new").get_data(as_text=True), "language")
    gujarat = login_as("state", "IN-GJ")
    assert 'value="en"' in chosen(gujarat.get("/people/new").get_data(as_text=True), "preferred_language")
    assert 'value="en"' in chosen(gujarat.get(f"/firms/{indian.id}/contacts/new").get_data(as_text=True), "language")


def test_b2b_messages_lists_and_pickers_name_japanese_firms_in_japanese(ja, factories, database):
    # 「商談 Kutch… – Fuji Seiko Co., Ltd. を作成しました」, the table clash, the follow-up list and the person
    # form's firm list named Japanese firms in romaji on Japanese pages
    from tests.matchmaking.helpers import small_session

    small = small_session()
    small.jp1.firm.name_ja = "富士精工株式会社"
    small.jp2.firm.name_ja = "駿河製茶株式会社"
    factories.b2b_meeting(small.session, small.in2, small.jp2, slot=1, table=1)
    database.session.commit()
    page = ja.post(f"/b2b/{small.session.id}/meetings/new", data={
        "indian": small.in1.id, "japanese": small.jp1.id, "priority": "2", "day_part": "any"},
        follow_redirects=True).get_data(as_text=True)
    assert "富士精工株式会社" in page and small.jp1.firm.name not in page
    meeting = factories.b2b_meeting(small.session, small.in1, small.jp2)
    database.session.commit()
    page = ja.post(f"/b2b/meetings/{meeting.id}/edit", data={"slot": "1", "table": str(small.session.tables[0].id)}
                   ).get_data(as_text=True)
    clash = page[page.index('id="table-error"'):][:400]
    assert f"{small.in2.firm.name} – 駿河製茶株式会社" in clash  # the Indian firm has no Japanese name
    person_form = ja.get("/people/new").get_data(as_text=True)
    assert f"富士精工株式会社 ({small.jp1.firm.name})" in person_form


def test_a_prefectures_seat_is_named_in_japanese(ja):
    # 州都・県庁所在地 read 'Shizuoka' on a Japanese page
    page = ja.get("/regions/JP-22").get_data(as_text=True)
    assert "静岡市" in page
    assert "新宿区" in ja.get("/regions/").get_data(as_text=True)
