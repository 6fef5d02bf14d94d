"""Dates, times and names per interface language; English output stays exactly as before."""

from contextlib import contextmanager
from datetime import UTC, date, datetime

import flask_babel

from planner.core.timefmt import IST, JST, dual_time, format_date, format_local
from planner.i18n.names import local_name, region_name, sector_name
from tests.factories import region

INSTANT = datetime(2026, 10, 15, 1, 0, tzinfo=UTC)  # 06:30 IST, 10:00 JST


@contextmanager
def request_in(app, accept_language: str):
    """A request context asking for a language (the locale is cached per app context, so refresh it)."""
    with app.test_request_context(headers={"Accept-Language": accept_language}):
        flask_babel.refresh()
        yield
    flask_babel.refresh()


def test_format_local_outside_a_request_is_english():
    assert format_local(INSTANT.astimezone(JST)) == "Thu 15 Oct 2026, 10:00"


def test_format_local_in_english_request_is_unchanged(app):
    with request_in(app, "en-GB,en;q=0.9"):
        assert format_local(INSTANT.astimezone(JST)) == "Thu 15 Oct 2026, 10:00"
        assert format_date(date(2026, 10, 5)) == "Mon 5 Oct 2026"
        assert str(dual_time(INSTANT)) == "Thu 15 Oct 2026, 06:30 IST · Thu 15 Oct 2026, 10:00 JST"


def test_format_local_in_japanese_request_uses_japanese_date(app):
    with request_in(app, "ja"):
        assert format_local(INSTANT.astimezone(JST)) == "2026年10月15日(木) 10:00"
        assert format_local(INSTANT.astimezone(IST), with_date=False) == "06:30"
        assert format_date(date(2026, 10, 18)) == "2026年10月18日(日)"
        assert str(dual_time(INSTANT)) == "2026年10月15日(木) 06:30 IST · 2026年10月15日(木) 10:00 JST"


def test_region_names_follow_the_interface_language(app, database):
    shizuoka, gujarat = region("JP-22"), region("IN-GJ")
    with request_in(app, "en"):
        assert (shizuoka.display_name, gujarat.display_name) == ("Shizuoka (静岡県)", "Gujarat")
    with request_in(app, "ja"):
        assert (region_name(shizuoka), gujarat.display_name) == ("静岡県", "グジャラート州")


def test_every_indian_region_has_a_japanese_name(app, database):
    from sqlalchemy import select

    from planner.extensions import db
    from planner.i18n.names import INDIAN_REGIONS_JA
    from planner.regions.models import Region

    codes = set(db.session.scalars(select(Region.code).where(Region.country == "IN")))
    assert codes == set(INDIAN_REGIONS_JA)


def test_sector_names_follow_the_interface_language(app, database):
    from sqlalchemy import select

    from planner.extensions import db
    from planner.regions.models import Sector

    pharma = db.session.scalar(select(Sector).where(Sector.code == "pharma"))
    with request_in(app, "ja"):
        assert sector_name(pharma) == "医薬品"
    with request_in(app, "en"):
        assert str(pharma) == "Pharmaceuticals"


def test_local_name_prefers_the_japanese_name_on_japanese_pages(app, factories):
    firm = factories.firm("JP-22", name="Hamamatsu Seiki Co., Ltd.", name_ja="株式会社浜松精機")
    plain = factories.firm("IN-GJ", name="Sabarmati Auto Components Pvt Ltd")
    with request_in(app, "ja"):
        assert (local_name(firm), local_name(plain)) == ("株式会社浜松精機", "Sabarmati Auto Components Pvt Ltd")
    with request_in(app, "en"):
        assert local_name(firm) == "Hamamatsu Seiki Co., Ltd."


def test_person_display_name_in_japanese_is_the_japanese_name(app, factories):
    person = factories.person("Ichiro Suzuki", name_ja="鈴木 一郎")
    with request_in(app, "ja"):
        assert person.display_name == "鈴木 一郎"
    with request_in(app, "en"):
        assert person.display_name == "Ichiro Suzuki (鈴木 一郎)"


def test_names_carry_the_language_of_their_script_for_screen_readers(app, factories, database):
    from planner.i18n.names import named
    from planner.regions.operations import region_by_code

    shizuoka, gujarat = region_by_code("JP-22"), region_by_code("IN-GJ")
    suzuki = factories.person("Ichiro Suzuki", name_ja="鈴木 一郎")
    mehul = factories.person("Mehul <Shah>")
    with request_in(app, "en"):
        assert str(named(shizuoka)) == 'Shizuoka <span lang="ja">(静岡県)</span>'
        assert str(named(suzuki)) == 'Ichiro Suzuki <span lang="ja">(鈴木 一郎)</span>'
        assert (str(named(gujarat)), str(named(mehul)), str(named(None))) == ("Gujarat", "Mehul &lt;Shah&gt;", "")
    with request_in(app, "ja"):
        assert (str(named(shizuoka)), str(named(gujarat)), str(named(suzuki))) == ("静岡県", "グジャラート州", "鈴木 一郎")
        assert str(named(mehul)) == '<span lang="en">Mehul &lt;Shah&gt;</span>'  # no Japanese name
        assert str(named(factories.firm("IN-GJ", name="Kutch Auto Components"))) == \
            '<span lang="en">Kutch Auto Components</span>'
        hamamatsu = factories.firm("JP-22", name="Hamamatsu Seiki")
        hamamatsu.name_ja = "浜松精機"
        assert str(named(hamamatsu)) == "浜松精機"
    with request_in(app, "en"):
        assert str(named(hamamatsu)) == "Hamamatsu Seiki"  # firms by their romanised name on English pages


def test_money_in_japanese_uses_japanese_units():
    from decimal import Decimal

    from planner.i18n.numbers import format_money_ja

    assert format_money_ja(Decimal("125000000"), "JPY") == "￥125,000,000(1億2,500万円)"
    assert format_money_ja(Decimal("2065000000"), "JPY") == "￥2,065,000,000(20億6,500万円)"  # not 20.65億円
    assert format_money_ja(Decimal("1265060240.96"), "JPY").endswith("(約12億6,506万円)")  # a converted one
    assert format_money_ja(Decimal("3000000"), "JPY") == "￥3,000,000(300万円)"
    assert format_money_ja(Decimal("25000000"), "INR") == "₹25,000,000.00(2.5クロール)"
    assert format_money_ja(Decimal("1200"), "USD") == "$1,200.00"
    assert format_money_ja(None, "USD") == "—"


def test_firm_page_shows_capital_in_japanese_units(login_as, factories):
    from decimal import Decimal

    firm = factories.firm("JP-22", name="Hamamatsu Seiki Co., Ltd.", name_ja="株式会社浜松精機",
                          capital_amount=Decimal("300000000"), capital_currency="JPY")
    client = login_as("prefecture", "JP-22")
    html = client.get(f"/firms/{firm.id}", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "￥300,000,000(3億円)" in html
    english = client.get(f"/firms/{firm.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "JPY 300,000,000" in english and "300,000,000.00" not in english


def test_firm_directory_sorts_by_kana_reading_on_japanese_pages(login_as, factories):
    factories.firm("JP-22", name="Zenith Kogyo Co., Ltd.", name_ja="株式会社あおい工業", name_kana="あおいこうぎょう")
    factories.firm("JP-22", name="Aoba Seiki Co., Ltd.", name_ja="株式会社わかば精機", name_kana="わかばせいき")
    client = login_as("prefecture", "JP-22")
    japanese = client.get("/firms/?q=Co.%2C+Ltd&region=&sort=name", headers={"Accept-Language": "ja"}).get_data(
        as_text=True)
    assert japanese.index("株式会社あおい工業") < japanese.index("株式会社わかば精機")
    english = client.get("/firms/?q=Co.%2C+Ltd&sort=name", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert english.index("Aoba Seiki Co., Ltd.") < english.index("Zenith Kogyo Co., Ltd.")


def test_firm_directory_finds_firms_by_japanese_name(login_as, factories):
    factories.firm("JP-22", name="Zenith Kogyo Co., Ltd.", name_ja="株式会社あおい工業", name_kana="あおいこうぎょう")
    client = login_as("prefecture", "JP-22")
    html = client.get("/firms/?q=あおい工業", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "株式会社あおい工業" in html and ">1社<" in html


def test_forced_japanese_locale_formats_outside_a_request(app):
    with app.app_context():
        flask_babel.refresh()
        assert format_local(INSTANT.astimezone(JST)) == "Thu 15 Oct 2026, 10:00"
        with flask_babel.force_locale("ja"):
            assert format_local(INSTANT.astimezone(JST)) == "2026年10月15日(木) 10:00"
        assert format_local(INSTANT.astimezone(JST)) == "Thu 15 Oct 2026, 10:00"


def test_an_explicit_language_wins_over_the_page(app):
    with request_in(app, "ja"):
        assert format_local(INSTANT.astimezone(JST), language="en") == "Thu 15 Oct 2026, 10:00"
        assert format_date(date(2026, 10, 15), language="en") == "Thu 15 Oct 2026"
    assert format_local(INSTANT.astimezone(JST), language="ja") == "2026年10月15日(木) 10:00"


def test_english_pages_write_whole_yen_without_decimals_and_a_fraction_as_entered(app):
    from decimal import Decimal

    from flask import render_template_string

    with request_in(app, "en"):
        render = lambda amount: render_template_string(  # noqa: E731
            '{% from "macros/money.html" import money %}{{ money(amount, "JPY") }}', amount=Decimal(amount))
        assert render("1250000000.00").startswith("JPY 1,250,000,000 ")
        assert render("999.50") == "JPY 999.50"
