"""Exports of follow-ups and agreements: CSV and XLSX, parsed back, filtered as shown, formula cells quoted."""

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from planner.followups.exports import to_csv, to_xlsx
from planner.regions.models import Sector


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_quotes_cells_that_would_run_as_formulas():
    rows = _csv_rows(to_csv(("a", "b", "c", "d", "e"), [["=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "plain"]]))
    assert rows == [["a", "b", "c", "d", "e"], ["'=HYPERLINK(1)", "'+1", "'-2", "'@SUM(A1)", "plain"]]


def test_xlsx_keeps_decimals_and_dates_and_no_formulas():
    # text as typed, stored as text (an apostrophe showed in Excel before "- call back Monday"); characters
    # XML cannot carry dropped (a form feed in a note made the export a 500)
    data = to_xlsx(("title", "value", "day"), [["=1+1", Decimal("1250.50"), date(2026, 3, 1)],
                                               ["- call back\x0c Monday", None, None], ["+81 53 000 0000", 1, None]],
                   "Sheet")
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["title", "value", "day"]
    assert [row[0] for row in values[1:]] == ["=1+1", "- call back Monday", "+81 53 000 0000"]
    assert [sheet.cell(row, 1).data_type for row in (2, 3, 4)] == ["s", "s", "s"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()  # no formula anywhere
    assert values[1][1] == 1250.5
    assert values[1][2].date() == date(2026, 3, 1)


def test_followup_export_is_filtered_as_shown(b2b, factories, login_as, database):
    client = login_as("state", "IN-GJ")
    factories.followup(b2b.meeting, owner=client.user, stage="exploring", title="=Lead A", due_date=date(2026, 12, 1))
    factories.followup(b2b.meeting_2, owner=client.user, stage="nda_signed", title="Lead B")
    other = factories.delegation(("IN-MH",), ("JP-30",))
    factories.followup(other, owner=factories.user("state", "IN-MH"), stage="exploring", title="Not ours")
    database.session.commit()
    rows = _csv_rows(client.get("/outcomes/followups.csv?stage=exploring&status=all").data)
    assert rows[0][:3] == ["id", "title", "origin"]
    assert [(row[1], row[7], row[11]) for row in rows[1:]] == [("'=Lead A", "Exploring", "2026-12-01")]
    response = client.get("/outcomes/followups.xlsx?status=all")
    sheet = load_workbook(io.BytesIO(response.data)).active
    titles = sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert titles == ["=Lead A", "Lead B"]


def test_agreement_export_is_filtered_as_shown(factories, login_as, database):
    client = login_as("prefecture", "JP-22")
    factories.agreement(title="Hydrogen MoU", signed_on=date(2026, 3, 1), value="125000000.50", currency="INR",
                        jobs_expected=40)
    factories.agreement(title="Old LoI", kind="loi", signed_on=date(2024, 3, 1))
    factories.agreement(title="Theirs", regions=("IN-MH", "JP-30"), signed_on=date(2026, 3, 1))
    database.session.commit()
    rows = _csv_rows(client.get("/outcomes/agreements.csv?year=2026").data)
    assert [(row[1], row[2], row[5], row[6], row[7]) for row in rows[1:]] == [
        ("Hydrogen MoU", "MoU", "125000000.50", "INR", "40")]
    sheet = load_workbook(io.BytesIO(client.get("/outcomes/agreements.xlsx").data)).active
    exported = sorted((row[1], row[5]) for row in sheet.iter_rows(min_row=2, values_only=True))
    assert exported == [("Hydrogen MoU", 125000000.5), ("Old LoI", None)]


def test_the_agreement_export_has_the_equivalents_the_list_shows(factories, login_as, database):
    from planner.followups.agreements import add_rate

    client = login_as("state", "IN-GJ")
    add_rate("USD", "INR", "84.25", date(2025, 1, 1))
    add_rate("USD", "JPY", "150.50", date(2025, 1, 1))
    factories.agreement(title="LoI in dollars", value="1000000", currency="USD", signed_on=date(2026, 2, 1))
    factories.agreement(title="No value", signed_on=date(2026, 1, 1))
    database.session.commit()
    rows = _csv_rows(client.get("/outcomes/agreements.csv").data)
    assert rows[0][:12] == ["id", "title", "kind", "partnership", "signed on", "value", "currency", "jobs expected",
                            "sector", "status", "firms", "regions"]  # as before: read by position
    assert rows[0][12:] == ["equivalent in INR", "equivalent in JPY", "equivalent in USD"]
    assert [row[1:2] + row[5:7] + row[12:] for row in rows[1:]] == [
        ["LoI in dollars", "1000000.00", "USD", "84250000.00", "150500000", "1000000.00"],
        ["No value", "", "", "", "", ""]]
    sheet = load_workbook(io.BytesIO(client.get("/outcomes/agreements.xlsx").data)).active
    assert [cell.value for cell in sheet[2]][12:] == [84250000, 150500000, 1000000]


def test_the_follow_up_export_writes_the_pages_labels_and_where_it_came_from(b2b, factories, login_as,
                                                                              database):
    client = login_as("state", "IN-GJ")
    factories.followup(b2b.delegation, owner=client.user, title="Lead A", is_open=False)
    factories.followup(b2b.meeting, owner=client.user, title="Lead B", due_date=date(2026, 12, 1))
    database.session.commit()
    rows = _csv_rows(client.get("/outcomes/followups.csv?status=all").data)
    assert rows[0][:14] == ["id", "title", "origin", "origin date", "partnership", "firms", "regions", "stage",
                            "rating", "next action", "owner", "due date", "status", "notes"]
    assert rows[0][14:] == ["from", "delegation"]
    by_title = {row[1]: row for row in rows[1:]}
    assert (by_title["Lead A"][2], by_title["Lead A"][12]) == ("Delegation", "Done")  # was "visit" and "done"
    assert by_title["Lead A"][14:] == [b2b.delegation.title, b2b.delegation.title]
    assert (by_title["Lead B"][2], by_title["Lead B"][12]) == ("B2B meeting", "Open")
    assert by_title["Lead B"][14:] == [
        f"B2B meeting {b2b.indian.firm.name} – {b2b.japanese.firm.name}", b2b.delegation.title]


def test_the_follow_up_export_and_history_speak_the_users_language(b2b, factories, login_as, database):
    client = login_as("state", "IN-GJ")
    client.user.locale = "ja"
    followup = factories.followup(b2b.meeting, owner=client.user, stage="exploring", title="Lead A")
    database.session.commit()
    response = client.post(f"/outcomes/followups/{followup.id}/edit", data={
        "title": "Lead A", "stage": "exploring", "status": "done", "owner": str(client.user.id),
        "firms": [str(f.id) for f in followup.firms], "regions": [str(r.id) for r in followup.regions]})
    assert response.status_code == 302
    page = client.get(f"/outcomes/followups/{followup.id}").get_data(as_text=True)
    assert "open → done" not in page
    rows = list(csv.reader(io.StringIO(client.get("/outcomes/followups.csv?status=all").data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "名称", "発端"]
    assert rows[1][12] != "done" and rows[1][2] != "meeting"
    sheet = load_workbook(io.BytesIO(client.get("/outcomes/followups.xlsx?status=all").data)).active
    assert sheet.title != "Follow-ups" and sheet["B1"].value == "名称"


def test_xlsx_drops_the_characters_xml_cannot_hold_beyond_the_control_ones():
    # U+FFFF in a note made a workbook Excel could not open
    data = to_xlsx(("notes",), [["Agreed\uffff next\ufffe week"]], "Sheet")
    assert load_workbook(io.BytesIO(data)).active["A2"].value == "Agreed next week"


def test_rupee_amounts_read_in_crore_on_english_outcome_pages(login_as, factories, database):
    # the firm page gave the crore; the outcome pages only "INR 4,500,000,000.00" (trailing zeros are dropped, as
    # the Japanese pages write 450クロール)
    from planner.followups.agreements import AgreementData, create_agreement

    client = login_as("state", "IN-GJ")
    create_agreement(AgreementData(title="MoU on EV parts", kind="mou", signed_on=date(2026, 2, 10),
                                   value_amount=Decimal("4500000000"), value_currency="INR",
                                   region_ids=[factories.region("IN-GJ").id]), client.user)
    database.session.commit()
    page = client.get("/outcomes/agreements/").get_data(as_text=True)
    assert "INR 4,500,000,000.00" in page and "(₹450 crore)" in page


def test_english_short_forms_round_half_up_and_converted_yen_have_no_sen(login_as, factories, database):
    from planner.followups.agreements import add_rate

    client = login_as("state", "IN-GJ")
    add_rate("USD", "INR", "84.25", date(2025, 1, 1))
    add_rate("USD", "JPY", "150.50", date(2025, 1, 1))
    factories.agreement(title="LoI in dollars", value="1000000", currency="USD", signed_on=date(2026, 2, 1))
    factories.agreement(title="JV in yen", value="150500000", currency="JPY", signed_on=date(2026, 2, 1))
    factories.agreement(title="MoU in rupees", value="750000000", currency="INR", signed_on=date(2026, 2, 1))
    database.session.commit()
    page = client.get("/outcomes/agreements/").get_data(as_text=True)
    assert '≈ INR 84,250,000.00 <span class="text-muted">(₹8.43 crore)</span>' in page  # not 8.42
    assert 'JPY 150,500,000 <span class="text-muted">(¥150.5 million)</span>' in page  # not ¥150 million
    # INR 750,000,000 / 84.25 × 150.50 = JPY 1,339,762,611.28: shown in whole yen
    assert '≈ JPY 1,339,762,611 <span class="text-muted">(¥1,339.76 million)</span>' in page
    assert "1,339,762,611.28" not in page


def test_japanese_short_forms_round_half_up():
    from planner.i18n.numbers import format_money_ja

    assert format_money_ja(Decimal("84250000"), "INR") == "₹84,250,000.00(8.43クロール)"  # not 8.42
    assert format_money_ja(Decimal("125500000"), "JPY") == "￥125,500,000(1億2,550万円)"


def test_the_agreement_export_names_sector_and_firms_in_the_readers_language(factories, login_as, database):
    client = login_as("prefecture", "JP-22")
    client.user.locale = "ja"
    firm = factories.firm("JP-22", "Hamamatsu Seiki Co., Ltd.", name_ja="株式会社浜松精機")
    agreement = factories.agreement(title="Hydrogen MoU", firms=(firm,), signed_on=date(2026, 3, 1))
    agreement.sector = database.session.scalar(select(Sector).where(Sector.code == "automotive"))
    database.session.commit()
    rows = _csv_rows(client.get("/outcomes/agreements.csv").data)
    assert rows[1][8] == "自動車・モビリティ部品、EV" and rows[1][10] == "株式会社浜松精機"


def test_the_history_names_firms_and_regions_in_the_readers_script(b2b, factories, login_as, database):
    # 「企業: Kofu Shoji Co., Ltd., … → …」 and 「地域: IN-GJ, JP-22 → …」 on a Japanese page
    client = login_as("state", "IN-GJ")
    shoji = b2b.japanese.firm
    shoji.name, shoji.name_ja = "Suruga Shoji Co., Ltd.", "株式会社駿河商事"  # a name holding ', '
    followup = factories.followup(b2b.meeting, owner=client.user, title="Lead B")
    database.session.commit()
    response = client.post(f"/outcomes/followups/{followup.id}/edit", data={
        "title": "Lead B", "stage": "exploring", "status": "open", "owner": str(client.user.id),
        "next_action": "Call", "due_date": "2026-12-31", "firms": [str(shoji.id)],
        "regions": [str(r.id) for r in followup.regions]})
    assert response.status_code == 302, response.get_data(as_text=True)
    english = client.get(f"/outcomes/followups/{followup.id}").get_data(as_text=True)
    history = english[english.index("list-group-numbered"):]
    assert f"Suruga Shoji Co., Ltd., {b2b.indian.firm.name} → Suruga Shoji Co., Ltd." in history
    client.user.locale = "ja"
    database.session.commit()
    japanese = client.get(f"/outcomes/followups/{followup.id}").get_data(as_text=True)
    history = japanese[japanese.index("list-group-numbered"):]
    assert f"株式会社駿河商事、{b2b.indian.firm.name} → 株式会社駿河商事" in history
    assert "グジャラート州、静岡県" in history and "IN-GJ" not in history
