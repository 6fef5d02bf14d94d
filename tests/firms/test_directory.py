"""The directory: search, filters, sorting, pagination, CSV export, and a query count that does not grow."""

import csv
import io
from decimal import Decimal
from urllib.parse import quote

from sqlalchemy import select

from planner.firms.models import Firm
from planner.regions.models import Sector
from tests.conftest import count_queries


def _sector_id(database, code):
    return database.session.scalar(select(Sector.id).where(Sector.code == code))


def _world(factories):
    factories.firm("JP-22", "Hamamatsu Seiki Co., Ltd.", name_ja="株式会社浜松精機", sectors=["automotive"],
                   seeks=["joint_venture"], employees=240, capital_amount=Decimal(80_000_000),
                   capital_currency="JPY", industry="manufacturing", description="Precision forging")
    factories.firm("IN-GJ", "Sabarmati Auto Components Pvt Ltd", sectors=["automotive", "steel"],
                   seeks=["technology_partner"], investment_amount=Decimal(120_000_000), investment_currency="INR",
                   turnover_amount=Decimal(450_000_000), turnover_currency="INR")
    factories.firm("IN-MH", "Konkan Fruit Processors", sectors=["food"], seeks=["buyer", "distributor"])
    factories.firm("JP-30", "Kishu Ume Foods", name_ja="紀州梅食品株式会社", sectors=["food"], status="draft")


def _names(client, query=""):
    page = client.get(f"/firms/?{query}").get_data(as_text=True)
    names = ["Hamamatsu Seiki Co., Ltd.", "Sabarmati Auto Components Pvt Ltd", "Konkan Fruit Processors",
             "Kishu Ume Foods"]
    return [name for name in names if name in page]


def test_directory_searches_names_in_both_scripts_and_descriptions(login_as, factories, database):
    _world(factories)
    database.session.commit()
    client = login_as("state", "IN-GJ")
    assert _names(client, "q=浜松") == ["Hamamatsu Seiki Co., Ltd."]
    assert _names(client, "q=SABARMATI") == ["Sabarmati Auto Components Pvt Ltd"]
    assert _names(client, "q=forging") == ["Hamamatsu Seiki Co., Ltd."]
    assert _names(client, "q=%25") == []  # a LIKE wildcard is searched for literally


def test_directory_filters_by_side_region_sector_size_and_what_firms_seek(login_as, factories, database):
    _world(factories)
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    assert _names(client, "side=IN") == ["Sabarmati Auto Components Pvt Ltd", "Konkan Fruit Processors"]
    assert _names(client, f"region={factories.region('IN-MH').id}") == ["Konkan Fruit Processors"]
    assert _names(client, f"sector={_sector_id(database, 'automotive')}") == [
        "Hamamatsu Seiki Co., Ltd.", "Sabarmati Auto Components Pvt Ltd"]
    assert _names(client, "size=small") == ["Sabarmati Auto Components Pvt Ltd"]
    assert _names(client, "size=sme") == ["Hamamatsu Seiki Co., Ltd."]
    assert _names(client, "seeks=distributor") == ["Konkan Fruit Processors"]


def test_drafts_are_listed_only_for_their_own_region(login_as, factories, database):
    _world(factories)
    database.session.commit()
    assert "Kishu Ume Foods" not in _names(login_as("prefecture", "JP-22"))
    assert "Kishu Ume Foods" in _names(login_as("prefecture", "JP-30"))
    assert "Kishu Ume Foods" in _names(login_as("admin"))


def test_malformed_filters_are_ignored_not_errors(login_as, factories, database):
    _world(factories)
    database.session.commit()
    response = login_as("admin").get("/firms/?region=abc&sector=-4&size=huge&seeks=x&sort=drop&page=zz")
    assert response.status_code == 200
    assert len(_names(login_as("admin"), "region=abc&sort=drop")) == 4


def test_directory_sorts_and_paginates(login_as, factories, database):
    for number in range(55):
        factories.firm("JP-22", f"Suruga Parts {number:02d}", employees=number)
    database.session.commit()
    client = login_as("admin")
    first = client.get("/firms/?q=Suruga&sort=employees").get_data(as_text=True)
    assert "Suruga Parts 54" in first and "Suruga Parts 04" not in first
    second = client.get("/firms/?q=Suruga&sort=employees&page=2").get_data(as_text=True)
    assert "Suruga Parts 04" in second and "Page 2 of 2" in second


def test_export_gives_the_filtered_list_as_csv(login_as, factories, database):
    _world(factories)
    database.session.commit()
    response = login_as("state", "IN-GJ").get("/firms/export.csv?side=IN")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # not '…; charset=utf-8; charset=utf-8'
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [row["name"] for row in rows] == ["Konkan Fruit Processors", "Sabarmati Auto Components Pvt Ltd"]
    assert rows[1]["size_class"] == "small" and rows[1]["sectors"] == "automotive; steel"
    assert rows[1]["investment"] == "120000000.00" and rows[1]["investment_currency"] == "INR"


def test_export_neutralises_spreadsheet_formulas(login_as, factories, database):
    factories.firm("JP-22", "=HYPERLINK(\"http://evil\")")
    database.session.commit()
    body = login_as("admin").get("/firms/export.csv").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def _queries_for_page(client):
    with count_queries() as statements:
        assert client.get("/firms/?per_page=50").status_code == 200
    return len(statements)


def test_queries_per_directory_page_do_not_grow_with_the_rows_listed(login_as, factories, database):
    client = login_as("prefecture", "JP-22")
    for number in range(5):
        firm = factories.firm("JP-22", f"Fuji Firm {number}", sectors=["automotive", "machinery"])
        factories.firm_contact(firm)
    database.session.commit()
    with_five = _queries_for_page(client)
    for number in range(45):
        firm = factories.firm("IN-GJ", f"Gujarat Firm {number}", sectors=["steel", "food"])
        factories.firm_contact(firm)
    database.session.commit()
    with_fifty = _queries_for_page(client)
    assert with_five == with_fifty
    # session user, count, the page of firms, their sectors, the filter lists (regions, sectors)
    assert with_fifty <= 8, with_fifty


def test_a_reading_is_found_in_either_kana_script_and_in_half_width(login_as, factories, database):
    # 読み(カナ) is kept as each office writes it; しみず and ﾊﾏﾏﾂ found nothing
    _world(factories)
    hamamatsu = database.session.scalar(select(Firm).where(Firm.name == "Hamamatsu Seiki Co., Ltd."))
    hamamatsu.name_kana = "はままつせいき"
    database.session.get(Firm, factories.firm("JP-22", "Shimizu Kikai").id).name_kana = "シミズキカイ"
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    assert _names(client, "q=" + quote("ﾊﾏﾏﾂ")) == ["Hamamatsu Seiki Co., Ltd."]
    assert _names(client, "q=" + quote("ハママツ")) == ["Hamamatsu Seiki Co., Ltd."]
    page = client.get("/firms/?q=" + quote("しみず")).get_data(as_text=True)
    assert "Shimizu Kikai" in page and "Hamamatsu Seiki" not in page
