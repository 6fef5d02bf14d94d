"""Odd and hostile import files: each is read as far as it makes sense, or refused with one clear message
(never a 500, never rows silently lost or changed)."""

import io
import zipfile

from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference
from sqlalchemy import func, select

from planner.core.sheets import MAX_SHEET_ROWS, ImportFileError
from planner.firms.models import Firm, FirmImport
from planner.firms.spreadsheet import read_upload
from tests.firms.helpers import csv_bytes, shizuoka_row, upload


def _latest(database):
    return database.session.scalars(select(FirmImport).order_by(FirmImport.id.desc())).first()


def _page(client, data, filename):
    response = upload(client, data, filename)
    return response.status_code, response.get_data(as_text=True)


def _workbook(build) -> bytes:
    workbook = Workbook()
    build(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rezip(data: bytes, part: str, edit) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            target.writestr(item, edit(content) if item.filename == part else content)
    return out.getvalue()


def _firms_sheet(workbook):
    sheet = workbook.active
    sheet.title = "Firms"
    sheet.append(["name", "region"])
    sheet.append(["Hamamatsu Seiki", "JP-22"])


def test_an_open_quote_in_a_csv_is_reported_with_its_line_instead_of_swallowing_the_rest(login_as, database):
    client = login_as("prefecture", "JP-22")
    status, page = _page(client, b'name,city\n"Open quote,Hamamatsu\nB Seiki,Numazu\n', "firms.csv")
    assert status == 200 and "The CSV file cannot be read at line" in page
    assert database.session.scalar(select(func.count()).select_from(FirmImport)) == 0


def test_a_damaged_workbook_or_a_chart_sheet_named_firms_is_not_a_500(login_as, database):
    client = login_as("prefecture", "JP-22")
    good = _workbook(_firms_sheet)
    bad_style = _rezip(good, "xl/styles.xml", lambda xml: xml.replace(b'numFmtId="0"', b'numFmtId="x"', 1))

    def chart_named_firms(workbook):
        data = workbook.active
        data.title = "Data"
        data.append([1])
        chart = BarChart()
        chart.add_data(Reference(data, min_col=1, min_row=1, max_row=1))
        workbook.create_chartsheet("Firms", 0).add_chart(chart)

    for data in (bad_style, _workbook(chart_named_firms)):
        status, page = _page(client, data, "firms.xlsx")
        assert status == 200
        assert "not a readable Excel workbook" in page or "No row holds the column names" in page


def test_a_workbook_of_millions_of_blank_rows_or_that_unpacks_huge_is_refused_early(monkeypatch):
    def blank_rows(workbook):
        sheet = workbook.active
        sheet.append(["name"])
        sheet.cell(MAX_SHEET_ROWS + 5, 1).value = None  # a row element far down
        for row in range(2, MAX_SHEET_ROWS + 6):
            sheet.row_dimensions[row].height = 15  # formatted, empty: written out as rows
    try:
        read_upload("blank.xlsx", _workbook(blank_rows))
    except ImportFileError as error:
        assert "blank ones included" in error.message
    else:
        raise AssertionError("read")
    monkeypatch.setattr("planner.core.sheets.MAX_UNPACKED_BYTES", 1000)
    try:
        read_upload("firms.xlsx", _workbook(_firms_sheet))
    except ImportFileError as error:
        assert "unpacks to more than" in error.message
    else:
        raise AssertionError("read")


def _claiming(data: bytes, dimension: str, far_row: int | None = None) -> bytes:
    """The workbook with its sheet's <dimension> replaced (a few bytes claiming any size), and one cell far
    below the data when `far_row` is given."""
    import re

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                part = re.sub(rb'<dimension ref="[^"]*" ?/>', f'<dimension ref="{dimension}"/>'.encode(), part)
                if far_row:
                    part = part.replace(b"</sheetData>", f'<row r="{far_row}"><c r="A{far_row}" t="inlineStr">'
                                                         f'<is><t>x</t></is></c></row></sheetData>'.encode())
            target.writestr(item, part)
    return out.getvalue()


def test_a_sheet_claiming_every_column_is_read_only_as_wide_as_its_columns(monkeypatch):
    # openpyxl padded each row to the declared A1:XFD1048576: a 5 KB upload held a web worker for minutes
    import planner.core.sheets as spreadsheet

    converted = []
    original = spreadsheet.cell_text
    monkeypatch.setattr(spreadsheet, "cell_text", lambda value: converted.append(value) or original(value))
    monkeypatch.setattr(spreadsheet, "MAX_SHEET_ROWS", 300)
    claiming = _claiming(_workbook(_firms_sheet), "A1:XFD1048576", far_row=1_000_000)
    assert len(claiming) < 10_000
    try:
        read_upload("firms.xlsx", claiming)
    except ImportFileError as error:
        assert "blank ones included" in error.message
    else:
        raise AssertionError("read")
    rows = 2  # the header and the firm; the blank rows below cost nothing
    assert len(converted) <= rows * spreadsheet.MAX_SHEET_COLUMNS
    header, records = read_upload("firms.xlsx", _claiming(_workbook(_firms_sheet), "A1:XFD1048576"))
    assert [record["values"]["name"] for record in records] == ["Hamamatsu Seiki"]


def test_data_beyond_the_columns_read_is_refused_not_dropped():
    import planner.core.sheets as spreadsheet

    def far_column(workbook):
        _firms_sheet(workbook)
        workbook.active.cell(1, spreadsheet.MAX_SHEET_COLUMNS + 1).value = "website"
    try:
        read_upload("firms.xlsx", _workbook(far_column))
    except ImportFileError as error:
        assert error.message == ("The sheet has data beyond column 200. Delete the columns the import does not "
                                 "need, or move the firms' columns to the left.")
    else:
        raise AssertionError("read")


def test_a_huge_cell_is_kept_only_to_one_character_beyond_its_columns_limit():
    text = "x" * 32_000

    def huge(workbook):
        sheet = workbook.active
        sheet.append(["name", "description", "sectors"])
        sheet.append([text, text, text])
    _header, rows = read_upload("huge.xlsx", _workbook(huge))
    values = rows[0]["values"]
    assert (len(values["name"]), len(values["description"]), len(values["sectors"])) == (201, 5001, 1001)


def test_excel_error_values_are_errors_of_their_cell(login_as, database):
    def failed_lookups(workbook):
        sheet = workbook.active
        sheet.append(["name", "city"])
        sheet.append(["Hamamatsu Seiki", "Hamamatsu"])
        sheet.append(["#N/A", "#DIV/0!"])  # error cells (t="e"), as Excel saves a lookup with no match
    data = _workbook(failed_lookups)
    assert load_workbook(io.BytesIO(data)).active["A3"].data_type == "e"
    client = login_as("prefecture", "JP-22")
    assert upload(client, data, "firms.xlsx").status_code == 302
    outcomes = {o["row"]: o for o in _latest(database).summary["outcomes"]}
    assert outcomes[2]["status"] == "new"
    assert (outcomes[3]["status"], [tuple(e) for e in outcomes[3]["errors"]]) == ("error", [
        ("name", "the cell holds the spreadsheet error #N/A"), ("city", "the cell holds the spreadsheet error #DIV/0!")])


def test_unknown_columns_are_named_in_the_preview_and_full_width_headers_are_understood(login_as, database):
    client = login_as("prefecture", "JP-22")
    data = "ｎａｍｅ,ｒｅｇｉｏｎ,contact\u3000email,Contact Emial,employes\nTypo Seiki,JP-22,a@b.example,x,12\n"
    assert upload(client, data.encode("utf-8"), "firms.csv").status_code == 302
    firm_import = _latest(database)
    assert firm_import.rows[0]["values"] == {"name": "Typo Seiki", "region": "JP-22", "contact_email": "a@b.example"}
    page = client.get(f"/firms/imports/{firm_import.id}").get_data(as_text=True)
    # named as typed ('Contact Emial', not its key 'contact_emial'), so that the office finds it in its sheet
    assert "These columns are none of the template’s and are not imported: Contact Emial, employes." in page


def test_an_exported_list_imports_back_unchanged(login_as, database, factories):
    # the export guards cells starting with - + = @ by an apostrophe; the import took it as part of the value
    client = login_as("prefecture", "JP-22")
    firm = factories.firm("JP-22", name="-Minus Seiki")
    firm.description = "- precision parts\n- tooling"
    database.session.commit()
    exported = client.get("/firms/export.csv").get_data()
    assert "'-Minus Seiki" in exported.decode("utf-8-sig")
    assert upload(client, exported, "firms.csv").status_code == 302
    outcomes = _latest(database).summary["outcomes"]
    assert [(o["name"], o["status"]) for o in outcomes] == [("-Minus Seiki", "unchanged")]


def test_the_error_rows_download_guards_formulas(login_as, database):
    client = login_as("prefecture", "JP-22")
    rows = [shizuoka_row('=HYPERLINK("http://evil.example","x")', employees="many", city="@SUM(1+1)")]
    assert upload(client, csv_bytes(rows), "firms.csv").status_code == 302
    body = client.get(f"/firms/imports/{_latest(database).id}/errors.csv").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "'@SUM(1+1)" in body
    assert database.session.scalar(select(func.count()).select_from(Firm)) == 0


def test_a_title_above_the_column_names_is_passed_over(login_as, database):
    # Japanese offices' lists often start with a title and a date; the import said the first row must be the
    # column names
    data = "静岡県 企業リスト 2025,,\n令和7年4月1日現在,,\n\nname,region,city\nHamamatsu Seiki,JP-22,Hamamatsu\n"
    client = login_as("prefecture", "JP-22")
    assert upload(client, data.encode("utf-8"), "firms.csv").status_code == 302
    assert _latest(database).rows == [{"row": 5, "values": {"name": "Hamamatsu Seiki", "region": "JP-22",
                                                            "city": "Hamamatsu"}}]
    no_header = "a,b\n" * 8
    status, page = _page(client, no_header.encode(), "firms.csv")
    assert status == 200 and "No row holds the column names, among them &#39;name&#39;" in page


def test_the_header_is_found_below_a_title_whatever_the_delimiter_and_a_one_word_title():
    # a title line fixed the delimiter (none in it: ',') and a ';' or tab file lost its header; a title
    # "Company" reads as the 'name' column (an alias) and was taken for the header
    for data in (b"Shizuoka firms November 2026\nname;city\nHamamatsu Seiki;Hamamatsu\n",
                 "Shizuoka firms, November 2026\t\nname\tcity\nHamamatsu Seiki\tHamamatsu\n".encode("utf-16"),
                 b"Company\nname,city\nHamamatsu Seiki,Hamamatsu\n"):
        _header, rows = read_upload("firms.csv", data)
        assert rows == [{"row": 3, "values": {"name": "Hamamatsu Seiki", "city": "Hamamatsu"}}]
    _header, rows = read_upload("names.csv", b"name\nHamamatsu Seiki\nNumazu Denki\n")  # names only
    assert [row["values"]["name"] for row in rows] == ["Hamamatsu Seiki", "Numazu Denki"]


def test_values_that_begin_with_a_guarding_apostrophe_come_back_as_they_were(login_as, database, factories):
    client = login_as("prefecture", "JP-22")
    factories.firm("JP-22", name="'=Quote Co")
    database.session.commit()
    exported = client.get("/firms/export.csv").get_data()
    assert upload(client, exported, "firms.csv").status_code == 302
    firm_import = _latest(database)
    assert [(o["name"], o["status"]) for o in firm_import.summary["outcomes"]] == [("'=Quote Co", "unchanged")]
    assert firm_import.summary["ignored_columns"] == []  # the export's own id and size class are no typo


def test_a_japanese_list_with_the_forms_own_words_imports(login_as, database):
    # a Shizuoka office's sheet, headed with the firm form's Japanese labels and filled in with the words the
    # pages show: the whole file was refused ("no row of column names containing 'name'"), then 有効, 円,
    # 製造業 and lists separated by 、 each an error
    client = login_as("prefecture", "JP-22")
    data = ("正式名称(必須),日本語表記,読み(カナ),所在州・県,分野,提供できるもの,業種,資本金,資本金の通貨,状態,担当者,"
            "担当者のメールアドレス,希望言語\n"
            "Hamamatsu Seiki Co.,株式会社浜松精機,ハママツセイキ,静岡県,自動車・モビリティ部品、EV、機械・アグリテック,"
            "技術提携先、仕入先,製造業,8000万,円,有効,鈴木 一郎,suzuki@hamamatsu.example.jp,日本語\n"
            "Fuji Chips,富士チップ,フジチップ,JP-22,半導体・エレクトロニクス(設計、OSAT/ATMP、金型・治工具),,サービス業,"
            "3億,,下書き,,,\n")
    assert upload(client, data.encode("utf-8"), "firms.csv").status_code == 302
    summary = _latest(database).summary
    assert [(o["status"], o["errors"]) for o in summary["outcomes"]] == [("new", []), ("new", [])]
    rows = {row["values"]["name"]: row["values"] for row in _latest(database).rows}
    assert rows["Hamamatsu Seiki Co."]["name_kana"] == "ハママツセイキ"
    assert rows["Hamamatsu Seiki Co."]["contact_email"] == "suzuki@hamamatsu.example.jp"


def test_japanese_headers_name_the_template_columns(app):
    # the form's Japanese labels are headers the import understands (kept in step with the catalogue)
    from flask_babel import force_locale

    from planner.firms.forms import FirmForm
    from planner.firms.spreadsheet import COLUMN_NAMES, header_key

    with app.test_request_context(), force_locale("ja"):
        form = FirmForm(meta={"csrf": False})
        labelled = [field for field in form if field.name in COLUMN_NAMES]
        assert len(labelled) >= 15
        for field in labelled:
            assert header_key(str(field.label.text)) == field.name, (field.name, field.label.text)
    assert header_key("Legal name (required)") == "name" and header_key("ＥＭＰＬＯＹＥＥＳ") == "employees"
    assert header_key("正式名称(必須)") == "name" and header_key("企業名(カナ)") == "name_kana"
    # a unit in brackets is not the template's: the column stays unknown (named in the preview), not read as yen
    assert header_key("資本金(万円)") not in COLUMN_NAMES and header_key("Turnover (INR crore)") not in COLUMN_NAMES


def test_a_japanese_firms_contact_without_a_language_column_reads_japanese(login_as, database):
    # 鈴木 一郎 of a Shizuoka firm, imported from a list with no language column, got his invites in English
    from planner.firms.models import FirmContact

    client = login_as("prefecture", "JP-22")
    data = "会社名,所在州・県,担当者,担当者のメールアドレス\n浜松精機,JP-22,鈴木 一郎,suzuki@hamamatsu.example.jp\n"
    assert upload(client, data.encode("utf-8"), "firms.csv").status_code == 302
    client.post(f"/firms/imports/{_latest(database).id}/confirm")
    contact = database.session.scalars(select(FirmContact).where(FirmContact.name == "鈴木 一郎")).one()
    assert contact.language == "ja"


def test_a_japanese_office_reads_its_own_column_names_in_the_preview_and_the_error_rows(login_as, database):
    # 'sectors: 不明な分野', 'capital: …' and '変更点:employees, capital_amount' named the columns as the code does
    import csv
    import io

    client = login_as("prefecture", "JP-22")
    client.user.locale = "ja"
    database.session.commit()
    data = "会社名,所在州・県,分野,資本金\n浜松精機,JP-22,宇宙,たくさん\n"
    assert upload(client, data.encode("utf-8"), "firms.csv").status_code == 302
    firm_import = _latest(database)
    page = client.get(f"/firms/imports/{firm_import.id}").get_data(as_text=True)
    assert "<strong>分野</strong>:" in page and "<strong>資本金</strong>:" in page
    assert "<strong>sectors</strong>" not in page
    body = client.get(f"/firms/imports/{firm_import.id}/errors.csv").get_data().decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(body)))
    assert list(row)[:4] == ["正式名称", "所在州・県", "分野", "資本金"]
    assert row["資本金"] == "たくさん" and row[list(row)[-1]].startswith("分野: ")


def test_a_sector_is_found_by_a_part_of_its_name_that_no_other_sector_shares(login_as, database):
    # 自動車, 機械 and 食品加工 (as offices shorten 自動車・モビリティ部品、EV …) were unknown sectors
    client = login_as("prefecture", "JP-22")
    data = "会社名,所在州・県,分野\n浜松精機,JP-22,自動車、機械、食品加工\n富士,JP-22,steel; robotics\n"
    assert upload(client, data.encode("utf-8"), "firms.csv").status_code == 302
    outcomes = {o["name"]: (o["status"], o["errors"]) for o in _latest(database).summary["outcomes"]}
    assert outcomes == {"浜松精機": ("new", []), "富士": ("new", [])}
    client.post(f"/firms/imports/{_latest(database).id}/confirm")
    from planner.firms.models import Firm

    firm = database.session.scalars(select(Firm).where(Firm.name == "浜松精機")).one()
    assert sorted(sector.code for sector in firm.sectors) == ["automotive", "food", "machinery"]


def test_the_examples_in_a_sectors_brackets_do_not_name_it(login_as, database):
    # 金型 (tooling, an example under semiconductors) filed press-die makers under semiconductors, unsaid
    client = login_as("prefecture", "JP-22")
    assert upload(client, "会社名,所在州・県,分野\n浜松金型,JP-22,金型\n".encode(), "firms.csv").status_code == 302
    (outcome,) = _latest(database).summary["outcomes"]
    assert outcome["status"] == "error" and outcome["errors"][0][0] == "sectors"


def test_the_same_firm_twice_in_a_file_and_a_known_contacts_address_are_not_recorded_twice(login_as, database):
    from planner.firms.models import Firm, FirmContact

    client = login_as("prefecture", "JP-22")
    data = ('name,region,contact_name,contact_email\n"Twice Seiki Co., Ltd.",JP-22,Ichiro Suzuki,suzuki@example.jp\n'
            '"TWICE  SEIKI CO., LTD.",JP-22,,\n')
    assert upload(client, data.encode(), "firms.csv").status_code == 302
    outcomes = [(o["status"], o["errors"]) for o in _latest(database).summary["outcomes"]]
    assert outcomes == [("new", []), ("error", [["name", "the same firm as row 2 of this file"]])]
    client.post(f"/firms/imports/{_latest(database).id}/confirm", data={"include_duplicates": "y"})
    # the same firm again, its contact's address under another name: one person, updated
    data = 'name,region,contact_name,contact_email\n"Twice Seiki Co., Ltd.",JP-22,Jiro Suzuki,SUZUKI@example.jp\n'
    assert upload(client, data.encode(), "again.csv").status_code == 302
    client.post(f"/firms/imports/{_latest(database).id}/confirm")
    assert database.session.scalar(select(func.count(Firm.id))) == 1
    assert [c.email for c in database.session.scalars(select(FirmContact))] == ["suzuki@example.jp"]


def test_the_sheet_open_when_the_workbook_was_saved_is_the_one_read():
    # the data on the second sheet, the one open in Excel, was passed over for an empty first one
    def build(workbook):
        workbook.active.title = "Notes"
        workbook.active.append(["Firms of Yamanashi, 2026"])
        data = workbook.create_sheet("県内企業")
        data.append(["name", "region"])
        data.append(["Kofu Seimitsu", "JP-19"])
        workbook.active = 1

    header, rows = read_upload("firms.xlsx", _workbook(build))
    assert [row["values"] for row in rows] == [{"name": "Kofu Seimitsu", "region": "JP-19"}]


def test_two_columns_for_one_field_are_refused_naming_both(login_as, database):
    # with 'name' and 会社名 (or two 'name' columns) the first was taken and the other dropped, silently
    for data, message in (
            (b"name,city,name\nKofu Seimitsu,Kofu,Fuji Seiki\n",
             "Columns A (&#39;name&#39;) and C (&#39;name&#39;) both hold &#39;name&#39;: keep one of them."),
            ("会社名,name,region\n甲府精密,Kofu Seimitsu,JP-19\n".encode(),
             "Columns A (&#39;会社名&#39;) and B (&#39;name&#39;) both hold &#39;name&#39;: keep one of them.")):
        status, page = _page(login_as("prefecture", "JP-19"), data, "firms.csv")
        assert status == 200 and message in page, page[page.find("alert"):][:400]
    assert database.session.scalar(select(func.count()).select_from(FirmImport)) == 0
