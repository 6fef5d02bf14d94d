"""Journey through the firm registry (issue 9, journey 1): a prefecture office registers a firm by hand, imports
a spreadsheet with two bad rows, confirms the valid rows, fixes the two rows in the downloaded error file,
imports it again, and finds every firm in the directory, by its English and by its Japanese name."""

import csv
import re

from openpyxl import Workbook
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, nav_link

HEADER = ["name", "name_ja", "name_kana", "city", "sectors", "offers", "seeks", "employees", "contact_name",
          "contact_email"]
# Ten firms of Kosai (湖西市); row 5 has an unknown sector, row 8 a bad e-mail (spreadsheet row numbers).
ROWS = [
    ["Kosai Gear Works Co., Ltd.", "株式会社湖西ギア", "こさいぎあ", "Kosai", "automotive", "supplier",
     "joint venture", "120", "Sato Ken", "sato@kosai-gear.example.jp"],
    ["Washizu Pulley Co., Ltd.", "鷲津プーリー株式会社", "わしづぷーりー", "Kosai", "machinery", "supplier",
     "buyer", "45", "Mori Aya", "mori@washizu-pulley.example.jp"],
    ["Arai Die Casting Co., Ltd.", "株式会社新居ダイカスト", "あらいだいかすと", "Kosai", "automotive; steel",
     "supplier", "technology partner", "210", "Abe Jun", "abe@arai-diecast.example.jp"],
    ["Shirasuka Aero Parts Co., Ltd.", "白須賀航空部品株式会社", "しらすかこうくうぶひん", "Kosai", "aerospace",
     "supplier", "investor", "60", "Ueda Mai", "ueda@shirasuka-aero.example.jp"],
    ["Hamanako Battery Co., Ltd.", "株式会社浜名湖バッテリー", "はまなこばってりー", "Kosai", "clean-energy",
     "technology partner", "joint venture", "85", "Ota Rin", "ota@hamanako-battery.example.jp"],
    ["Kosai Seal Tech Co., Ltd.", "株式会社湖西シールテック", "こさいしーるてっく", "Kosai", "automotive",
     "supplier", "distributor", "38", "Kudo Sho", "kudo@kosai-seal.example.jp"],
    ["Okasaki Wire Harness Co., Ltd.", "岡崎ワイヤーハーネス株式会社", "おかさきわいやーはーねす", "Kosai",
     "automotive; semiconductors", "supplier", "buyer", "150", "Noda Yui", "noda(at)okasaki-harness.example.jp"],
    ["Kosai Mold Design Co., Ltd.", "株式会社湖西金型設計", "こさいかながたせっけい", "Kosai", "machinery",
     "licensing", "joint venture", "22", "Sakai Emi", "sakai@kosai-mold.example.jp"],
    ["Lake Hamana Robotics Co., Ltd.", "株式会社浜名湖ロボティクス", "はまなころぼてぃくす", "Kosai", "robotics-ai",
     "technology partner", "distributor", "48", "Imai Ryo", "imai@hamana-robotics.example.jp"],
    ["Kosai Precision Spring Co., Ltd.", "株式会社湖西精密スプリング", "こさいせいみつすぷりんぐ", "Kosai",
     "automotive", "supplier", "buyer", "75", "Kato Yu", "kato@kosai-spring.example.jp"],
]
HAND_FIRM = "Tenryu Bearing Co., Ltd."
ALL_FIRMS = [HAND_FIRM] + [row[0] for row in ROWS]


def _spreadsheet(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Firms"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    workbook.save(path)
    return path


def _fix_error_rows(downloaded, fixed_path):
    """What a person does in a spreadsheet program: correct the two cells, drop the 'errors' column, save."""
    with open(downloaded, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    corrections = {"Shirasuka Aero Parts Co., Ltd.": ("sectors", "machinery"),
                   "Okasaki Wire Harness Co., Ltd.": ("contact_email", "noda@okasaki-harness.example.jp")}
    columns = [column for column in rows[0] if column != "errors"]
    with open(fixed_path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            column, value = corrections[row["name"]]
            row[column] = value
            writer.writerow(row)
    return fixed_path, rows


def _outcome_row(page, row_number: int):
    return page.get_by_role("row").filter(has=page.get_by_role("cell", name=str(row_number), exact=True))


def test_prefecture_office_registers_imports_fixes_and_finds_firms(page, live_server, shot, tmp_path):
    log_in(page, live_server, "shizuoka@demo.planner")
    nav_link(page, "Firms").click()

    # By hand
    page.get_by_role("link", name="Register a firm").click()
    page.get_by_label("Legal name").fill(HAND_FIRM)
    page.get_by_label("Name in Japanese").fill("天竜ベアリング株式会社")
    page.get_by_label("Reading (kana)").fill("てんりゅうべありんぐ")
    page.get_by_label("City").fill("Kosai")
    page.get_by_label("Machinery and agritech").check()
    page.get_by_role("group", name="Offers").get_by_label("Supplier").check()
    page.get_by_role("group", name="Seeks").get_by_label("Distributor").check()
    page.get_by_label("Employees").fill("310")
    shot(page, "01-register-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"Firm {HAND_FIRM} registered.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(HAND_FIRM)
    shot(page, "02-firm")

    # The spreadsheet, with two bad rows
    nav_link(page, "Firms").click()
    page.get_by_role("link", name="Import spreadsheet").click()
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(_spreadsheet(tmp_path / "kosai-firms.xlsx"))
    shot(page, "03-upload")
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of kosai-firms.xlsx")
    expect(page.get_by_text("new: 8")).to_be_visible()
    expect(page.get_by_text("error: 2")).to_be_visible()
    expect(_outcome_row(page, 5)).to_contain_text("Shirasuka Aero Parts Co., Ltd.")
    expect(_outcome_row(page, 5)).to_contain_text(
        "sectors: unknown sector 'aerospace' (the import page lists the sectors)")
    expect(_outcome_row(page, 8)).to_contain_text("Okasaki Wire Harness Co., Ltd.")
    expect(_outcome_row(page, 8)).to_contain_text(
        "contact_email: 'noda(at)okasaki-harness.example.jp' is not a valid e-mail address")
    shot(page, "04-preview-with-errors")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_text("Saved: 8 new firms, 0 updated, 0 unchanged, 0 possible duplicates skipped, "
                            "2 rows with errors left out.")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the 2 rows with errors (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "kosai-firms-errors.csv"
    downloaded = tmp_path / download.suggested_filename
    download.save_as(downloaded)
    fixed, error_rows = _fix_error_rows(downloaded, tmp_path / "kosai-firms-fixed.csv")
    assert [row["name"] for row in error_rows] == ["Shirasuka Aero Parts Co., Ltd.", "Okasaki Wire Harness Co., Ltd."]

    # The fixed rows, again
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(fixed)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("new: 2")).to_be_visible()
    expect(page.get_by_text("error: 0")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("rows with errors"))).to_have_count(0)
    shot(page, "05-preview-fixed")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_text("Saved: 2 new firms, 0 updated, 0 unchanged, 0 possible duplicates skipped, "
                            "0 rows with errors left out.")).to_be_visible()

    # The directory finds them all
    nav_link(page, "Firms").click()
    page.get_by_label("Name or description").fill("Kosai")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("11 firms", exact=True)).to_be_visible()
    for name in ALL_FIRMS:
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    shot(page, "06-directory")
    page.get_by_label("Name or description").fill("Okasaki Wire")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 firm", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Okasaki Wire Harness Co., Ltd.")).to_be_visible()
    page.get_by_label("Name or description").fill("湖西")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("4 firms", exact=True)).to_be_visible()
    expect(page.get_by_text("株式会社湖西精密スプリング")).to_be_visible()
    page.get_by_label("Name or description").fill("白須賀")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 firm", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Shirasuka Aero Parts Co., Ltd.")).to_be_visible()
    shot(page, "07-directory-japanese-search")
    page.get_by_role("link", name="Shirasuka Aero Parts Co., Ltd.").click()
    expect(page.get_by_text("Machinery and agritech")).to_be_visible()
    shot(page, "08-fixed-firm")
