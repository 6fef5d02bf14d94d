"""Bulk import: preview validates and classifies every row and saves nothing; confirm saves the valid rows at once."""

import csv
import io
import re

from sqlalchemy import func, select
from werkzeug.http import parse_options_header

from planner.firms.models import Firm, FirmContact, FirmImport
from tests.firms.helpers import HEADER, csv_bytes, shizuoka_row, upload, xlsx_bytes


def _firm_count(database):
    return database.session.scalar(select(func.count()).select_from(Firm))


def _latest_import(database):
    return database.session.scalars(select(FirmImport).order_by(FirmImport.id.desc())).first()


def _outcomes(firm_import):
    return {o["row"]: (o["status"], [tuple(e) for e in o["errors"]]) for o in firm_import.summary["outcomes"]}


BAD_ROWS = [
    shizuoka_row("Hamamatsu Seiki Co., Ltd."),                             # row 2: new
    shizuoka_row("Fuji Kakou K.K.", sectors="automotive; aerospace"),      # row 3: unknown sector
    shizuoka_row("Numazu Denki", contact_email="not-an-email"),            # row 4: bad e-mail
    shizuoka_row("Kofu Seimitsu", region="JP-19"),                         # row 5: outside own region
    shizuoka_row(""),                                                      # row 6: missing name
    shizuoka_row("Iwata Foods", employees="about 40", capital="lots"),     # row 7: numbers not numbers
    shizuoka_row("Shimizu Kikai", name_ja="", website="www.shimizu-kikai.example.jp",
                 sectors="machinery; automotive"),                          # row 8: new
]


def test_preview_reports_bad_rows_by_row_and_column_and_saves_nothing(login_as, database):
    client = login_as("prefecture", "JP-22")
    before = _firm_count(database)
    response = upload(client, csv_bytes(BAD_ROWS), "shizuoka.csv")
    assert response.status_code == 302
    firm_import = _latest_import(database)
    outcomes = _outcomes(firm_import)
    assert outcomes[2] == ("new", [])
    assert outcomes[3] == ("error", [("sectors",
                                      "unknown sector 'aerospace' (the import page lists the sectors)")])
    assert outcomes[4] == ("error", [("contact_email", "'not-an-email' is not a valid e-mail address")])
    assert outcomes[5] == ("error", [("region", "JP-19 is outside your own region (JP-22)")])
    assert outcomes[6] == ("error", [("name", "required")])
    assert outcomes[7] == ("error", [("employees", "'about 40' is not a whole number"),
                                     ("capital", "'lots' is not an amount")])
    assert outcomes[8] == ("new", [])
    assert firm_import.summary["counts"] == {"new": 2, "update": 0, "unchanged": 0, "duplicate": 0, "error": 5}
    assert _firm_count(database) == before
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "unknown sector &#39;aerospace&#39; (the import page lists the sectors)" in page
    assert "Confirm import" in page
    # on a phone what is wrong stands under the name (the details column was off the screen)
    under_names = re.findall(r'<td class="cell-long">[^<]*<div class="small d-md-none">(.*?)</div></td>', page, re.S)
    assert "unknown sector &#39;aerospace&#39;" in "".join(under_names) and "JP-22" in "".join(under_names)


def test_xlsx_with_numeric_cells_is_read_like_csv(login_as, database):
    client = login_as("prefecture", "JP-22")
    rows = [shizuoka_row("Kakegawa Tea Co., Ltd.", employees="35", capital="10000000", sectors="natural-products"),
            shizuoka_row("Fuji Kakou", employees="12.5")]
    upload(client, xlsx_bytes(rows, numeric=("employees", "capital")), "firms.xlsx")
    outcomes = _outcomes(_latest_import(database))
    assert outcomes[2] == ("new", [])
    assert outcomes[3] == ("error", [("employees", "'12.5' is not a whole number")])


def test_confirm_saves_the_valid_rows_with_their_contacts_and_size_class(login_as, database):
    client = login_as("prefecture", "JP-22")
    upload(client, csv_bytes(BAD_ROWS), "shizuoka.csv")
    firm_import = _latest_import(database)
    before = _firm_count(database)
    response = client.post(f"/firms/imports/{firm_import.id}/confirm")
    assert response.status_code == 302
    assert _firm_count(database) == before + 2
    firm = database.session.scalar(select(Firm).where(Firm.name == "Hamamatsu Seiki Co., Ltd."))
    assert (firm.name_ja, firm.region.code, firm.employees, firm.capital_amount, firm.capital_currency) == (
        "株式会社浜松精機", "JP-22", 240, 80000000, "JPY")
    assert firm.size_class == "sme"
    assert [s.code for s in firm.sectors] == ["automotive", "machinery"]
    assert firm.seeks_list == ["joint_venture", "distributor"]
    assert [(c.name, c.email, c.language) for c in firm.contacts] == [("Ichiro Suzuki", "suzuki@example.jp", "ja")]
    shimizu = database.session.scalar(select(Firm).where(Firm.name == "Shimizu Kikai"))
    assert shimizu.website_domain == "shimizu-kikai.example.jp"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(login_as, database):
    client = login_as("prefecture", "JP-22")
    data = csv_bytes(BAD_ROWS)
    upload(client, data, "shizuoka.csv")
    client.post(f"/firms/imports/{_latest_import(database).id}/confirm")
    firms, contacts = _firm_count(database), database.session.scalar(select(func.count()).select_from(FirmContact))
    upload(client, data, "shizuoka.csv")
    second = _latest_import(database)
    assert second.summary["counts"] == {"new": 0, "update": 0, "unchanged": 2, "duplicate": 0, "error": 5}
    # nothing to save: the preview offers no confirmation, and a confirmation posted anyway says so (it
    # reported 'Import saved: 0 new firms …')
    preview = client.get(f"/firms/imports/{second.id}").get_data(as_text=True)
    assert "Nothing to import: every row has an error or is unchanged." in preview and "Confirm import" not in preview
    page = client.post(f"/firms/imports/{second.id}/confirm", follow_redirects=True).get_data(as_text=True)
    assert "Nothing to import" in page and "Import saved" not in page
    database.session.refresh(second)
    assert second.confirmed_at is None and "saved" not in second.summary
    assert _firm_count(database) == firms
    assert database.session.scalar(select(func.count()).select_from(FirmContact)) == contacts


def test_a_changed_row_updates_the_firm_and_blank_cells_keep_values(login_as, database, factories):
    firm = factories.firm("JP-22", "Hamamatsu Seiki Co., Ltd.", employees=200, city="Hamamatsu",
                          description="Machining")
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    upload(client, csv_bytes([{"name": "Hamamatsu Seiki Co., Ltd.", "employees": "260"}],
                             header=["name", "employees"]), "update.csv")
    firm_import = _latest_import(database)
    assert _outcomes(firm_import)[2] == ("update", [])
    client.post(f"/firms/imports/{firm_import.id}/confirm")
    database.session.refresh(firm)
    assert (firm.employees, firm.city, firm.description) == (260, "Hamamatsu", "Machining")


def test_confirm_is_one_transaction_and_cannot_run_twice(login_as, database):
    client = login_as("prefecture", "JP-22")
    upload(client, csv_bytes([shizuoka_row("Kosai Plastics")]), "one.csv")
    firm_import = _latest_import(database)
    client.post(f"/firms/imports/{firm_import.id}/confirm")
    before = _firm_count(database)
    response = client.post(f"/firms/imports/{firm_import.id}/confirm", follow_redirects=True)
    assert "This upload has been imported already." in response.get_data(as_text=True)
    assert _firm_count(database) == before


def test_a_failure_during_confirm_saves_no_row(login_as, database, monkeypatch):
    import planner.firms.importing as importing

    client = login_as("prefecture", "JP-22")
    upload(client, csv_bytes([shizuoka_row("Kosai Plastics"), shizuoka_row("Iwata Gomu")]), "two.csv")
    firm_import = _latest_import(database)
    before = _firm_count(database)
    calls = []
    original = importing.apply_firm

    def failing_on_second(*args):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(*args)

    monkeypatch.setattr(importing, "apply_firm", failing_on_second)
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        assert client.post(f"/firms/imports/{firm_import.id}/confirm").status_code == 500
    finally:
        client.application.config["PROPAGATE_EXCEPTIONS"] = None
    assert _firm_count(database) == before
    database.session.refresh(firm_import)
    assert firm_import.confirmed_at is None


def test_error_rows_download_has_the_same_columns_plus_errors(login_as, database):
    client = login_as("prefecture", "JP-22")
    upload(client, csv_bytes(BAD_ROWS), "shizuoka.csv")
    response = client.get(f"/firms/imports/{_latest_import(database).id}/errors.csv")
    assert response.status_code == 200
    assert parse_options_header(response.headers["Content-Disposition"]) == (
        "attachment", {"filename": "shizuoka-errors.csv"})
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert list(rows[0]) == [*HEADER, "errors"]
    assert [row["name"] for row in rows] == ["Fuji Kakou K.K.", "Numazu Denki", "Kofu Seimitsu", "",
                                             "Iwata Foods"]
    assert rows[0]["errors"] == "sectors: unknown sector 'aerospace' (the import page lists the sectors)"
    assert rows[4]["errors"] == "employees: 'about 40' is not a whole number; capital: 'lots' is not an amount"


def test_error_rows_of_a_file_with_a_japanese_name_download(login_as, database):
    client = login_as("prefecture", "JP-22")
    upload(client, csv_bytes(BAD_ROWS), "静岡県企業一覧.csv")
    response = client.get(f"/firms/imports/{_latest_import(database).id}/errors.csv")
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")  # a WSGI server sends Latin-1 headers only
    assert parse_options_header(header)[1]["filename"] == "静岡県企業一覧-errors.csv"
    assert "filename*=UTF-8''%E9%9D%99%E5%B2%A1%E7%9C%8C%E4%BC%81%E6%A5%AD%E4%B8%80%E8%A6%A7-errors.csv" in header


def test_fixed_error_rows_import_cleanly(login_as, database):
    client = login_as("prefecture", "JP-22")
    upload(client, csv_bytes(BAD_ROWS), "shizuoka.csv")
    body = client.get(f"/firms/imports/{_latest_import(database).id}/errors.csv").get_data().decode("utf-8-sig")
    fixed = body.replace("automotive; aerospace", "automotive").replace("not-an-email", "info@numazu.example.jp")
    upload(client, fixed.encode("utf-8"), "fixed.csv")  # the "errors" column is ignored
    counts = _latest_import(database).summary["counts"]
    assert (counts["new"], counts["error"]) == (2, 3)


def test_template_downloads_hold_the_columns_and_an_example_row(login_as):
    from openpyxl import load_workbook

    client = login_as("state", "IN-GJ")
    body = client.get("/firms/import/template.csv").get_data().decode("utf-8-sig")
    header, example = list(csv.reader(io.StringIO(body)))
    assert header[:4] == ["name", "name_ja", "name_kana", "region"]
    assert example[0] == "Sabarmati Auto Components Pvt Ltd" and example[3] == "IN-GJ"
    workbook = load_workbook(io.BytesIO(client.get("/firms/import/template.xlsx").get_data()))
    assert workbook["Firms"]["A1"].value == "name"
    assert workbook["Firms"]["A2"].value == "Sabarmati Auto Components Pvt Ltd"


def test_the_template_imports_as_one_new_firm(login_as, database):
    client = login_as("prefecture", "JP-22")
    upload(client, client.get("/firms/import/template.xlsx").get_data(), "firms-template.xlsx")
    assert _outcomes(_latest_import(database)) == {2: ("new", [])}


def test_an_expired_upload_cannot_be_confirmed(login_as, database):
    from datetime import timedelta

    from planner.core.types import utcnow

    client = login_as("prefecture", "JP-22")
    upload(client, csv_bytes([shizuoka_row("Kosai Plastics")]), "one.csv")
    firm_import = _latest_import(database)
    firm_import.expires_at = utcnow() - timedelta(minutes=1)
    database.session.commit()
    before = _firm_count(database)
    page = client.post(f"/firms/imports/{firm_import.id}/confirm", follow_redirects=True).get_data(as_text=True)
    assert "This upload has expired. Upload the file again." in page and "Confirm import" not in page
    assert _firm_count(database) == before


def test_preview_after_confirm_shows_what_was_saved(login_as, database):
    client = login_as("prefecture", "JP-22")
    upload(client, csv_bytes(BAD_ROWS), "shizuoka.csv")
    firm_import = _latest_import(database)
    page = client.post(f"/firms/imports/{firm_import.id}/confirm", follow_redirects=True).get_data(as_text=True)
    assert "Saved: 2 new firms, 0 updated, 0 unchanged, 0 possible duplicates skipped, 5 rows with errors left out." \
        in page
    assert "Confirm import" not in page


def test_the_pages_without_an_id_render(login_as, factories, database):
    factories.firm("JP-22", "Hamamatsu Seiki Co., Ltd.")
    database.session.commit()
    for role, region in (("admin", None), ("prefecture", "JP-22"), ("state", "IN-GJ")):
        client = login_as(role, region)
        for url in ("/firms/", "/firms/new", "/firms/import", "/firms/export.csv"):
            assert client.get(url).status_code == 200, (role, url)


def test_a_confirmed_import_outlives_the_cleanup_of_expired_uploads(login_as, database):
    from datetime import timedelta

    from planner.core.types import utcnow

    client = login_as("prefecture", "JP-22")
    upload(client, csv_bytes(BAD_ROWS), "shizuoka.csv")
    confirmed = _latest_import(database)
    assert client.post(f"/firms/imports/{confirmed.id}/confirm").status_code == 302
    upload(client, csv_bytes([shizuoka_row("Kosai Plastics")]), "left.csv")
    abandoned = _latest_import(database)
    confirmed.expires_at = abandoned.expires_at = utcnow() - timedelta(hours=1)  # a day later
    database.session.commit()
    upload(login_as("state", "IN-GJ"), b"name,region\nPatel Engineering,IN-GJ\n", "gj.csv")  # cleans up
    database.session.expire_all()
    assert [i.filename for i in database.session.scalars(select(FirmImport).order_by(FirmImport.id))] == [
        "shizuoka.csv", "gj.csv"]
    assert client.get(f"/firms/imports/{confirmed.id}/errors.csv").status_code == 200
    assert client.get(f"/firms/imports/{confirmed.id}").status_code == 200


def test_a_csv_that_is_not_utf8_is_read_in_the_uploaders_excel_encoding(login_as, database):
    # Excel's plain "CSV" is Shift-JIS in Japan and Windows (Western) in India; each reads as the other
    # without an error, as garbage ("Hélène" became "H駘鈩e")
    upload(login_as("state", "IN-GJ"), "name,region\nHélène Textiles – Surat,IN-GJ\n".encode("cp1252"), "gj.csv")
    assert _latest_import(database).rows[0]["values"]["name"] == "Hélène Textiles – Surat"
    upload(login_as("prefecture", "JP-22"), "name,region\n株式会社浜松精機,JP-22\n".encode("cp932"), "sz.csv")
    assert _latest_import(database).rows[0]["values"]["name"] == "株式会社浜松精機"
    admin = login_as("admin")  # no region: decided from the bytes
    upload(admin, "name,region\nHélène Textiles,IN-GJ\n".encode("cp1252"), "a.csv")
    assert _latest_import(database).rows[0]["values"]["name"] == "Hélène Textiles"
    upload(admin, "name,name_kana,region\n株式会社浜松精機,はままつせいき,JP-22\n".encode("cp932"), "b.csv")
    assert _latest_import(database).rows[0]["values"]["name"] == "株式会社浜松精機"
    # curly quotes and dashes of Windows (Western) fall where Shift-JIS has kanji; kanji-only Japanese and
    # half-width katakana still read as Japanese
    for text, encoding in (("Kumar’s Engineering Works – Pune", "cp1252"), ("株式会社浜松精機", "cp932"),
                           ("ﾊﾏﾏﾂ ｾｲｷ", "cp932")):
        upload(admin, f"name,region,website\n{text},JP-22,https://www.example.co.jp/\n".encode(encoding), "c.csv")
        assert _latest_import(database).rows[0]["values"]["name"] == text


def test_values_that_grow_when_normalised_are_errors_of_their_row(login_as, database):
    # "C0|C1|…" is stored as "C0; C1; …": a 500-character cell became 620 characters for a 500 column;
    # a host longer than any DNS name made a website_domain longer than its 253 characters
    certifications = "|".join(f"C{i}" for i in range(130))[:500]
    host = ".".join(["a" * 50] * 5) + ".jp"  # 257 characters
    client = login_as("prefecture", "JP-22")
    upload(client, csv_bytes([shizuoka_row("Long K.K.", certifications=certifications),
                              shizuoka_row("Far K.K.", website=f"https://x{host}/")],
                             header=[*HEADER, "certifications"]), "long.csv")
    outcomes = _outcomes(_latest_import(database))
    assert outcomes[2][0] == "error" and outcomes[2][1][0][0] == "certifications"
    assert outcomes[3][0] == "error" and outcomes[3][1][0][0] == "website"


def _raw_upload(client, filename_header: str, body: bytes):
    """A multipart upload written by hand: a file name with characters no browser form would send."""
    data = (f'--XyZ\r\nContent-Disposition: form-data; name="file"; {filename_header}\r\n'
            "Content-Type: text/csv\r\n\r\n").encode() + body + b"\r\n--XyZ--\r\n"
    return client.post("/firms/import", data=data, content_type="multipart/form-data; boundary=XyZ")


def test_control_characters_in_the_file_name_or_a_cell_are_dropped(login_as, database):
    # a NUL failed on PostgreSQL, a line break in the name made the error rows' download header invalid
    client = login_as("prefecture", "JP-22")
    bad_row = b"name,employees\nHamamatsu Seiki Co., Ltd.,many\n"
    for header in ("filename*=UTF-8''a%00b.csv", "filename*=UTF-8''a%0D%0AX-Evil%3A%201.csv"):
        response = _raw_upload(client, header, bad_row)
        assert response.status_code == 302
        firm_import = _latest_import(database)
        assert all(ord(char) >= 0x20 for char in firm_import.filename)
        download = client.get(f"/firms/imports/{firm_import.id}/errors.csv")
        assert download.status_code == 200 and "X-Evil" not in download.headers
    body = b"\xff\xfe" + "name,city\nA\x00B Seiki,Hamamatsu\n".encode("utf-16-le")
    assert _raw_upload(client, 'filename="nul.csv"', body).status_code == 302
    assert _latest_import(database).rows[0]["values"]["name"] == "AB Seiki"


def test_a_sheet_filled_in_with_the_pages_japanese_words_is_understood(login_as, database):
    # an office wrote the sectors, offers and industry as the Japanese pages show them; they were unknown
    client = login_as("prefecture", "JP-22")
    row = shizuoka_row("Iwata Foods", sectors="食品加工・養鶏; 半導体・エレクトロニクス", seeks="仕入先; 合弁",
                       offers="技術提携先", industry="卸売業")
    upload(client, csv_bytes([row], header=[*HEADER, "offers"]), "shizuoka.csv")
    firm_import = _latest_import(database)
    assert _outcomes(firm_import) == {2: ("new", [])}
    assert client.post(f"/firms/imports/{firm_import.id}/confirm").status_code == 302
    firm = database.session.scalar(select(Firm).where(Firm.name == "Iwata Foods"))
    assert sorted(s.code for s in firm.sectors) == ["food", "semiconductors"]
    assert (firm.seeks_list, firm.offers_list, firm.industry) == (["joint_venture", "supplier"],
                                                                  ["technology_partner"], "wholesale")


def test_a_file_with_only_the_header_row_is_refused_at_the_upload(login_as, database):
    client = login_as("prefecture", "JP-22")
    for data, name in ((csv_bytes([]), "headers.csv"), (xlsx_bytes([]), "headers.xlsx")):
        response = upload(client, data, name)
        assert response.status_code == 200
        assert "The file has its column names but no firm under them." in response.get_data(as_text=True)
    assert _latest_import(database) is None


def test_negative_numbers_are_reported_as_out_of_range_not_as_no_number(app):
    import pytest

    from planner.firms.rows import parse_amount, parse_int

    with app.test_request_context():
        with pytest.raises(ValueError, match="-5 is outside 0–10000000"):
            parse_int("-5", 0, 10_000_000)
        with pytest.raises(ValueError, match="'-100' is negative: enter 0 or more"):
            parse_amount("-100")
        with pytest.raises(ValueError, match="'lots' is not an amount"):
            parse_amount("lots")


def test_a_founding_year_still_to_come_is_refused_at_its_row_and_column(login_as, database):
    # 2031 (for 2013) was imported as the year the firm was founded
    from planner.core.timefmt import today_jst

    this_year = today_jst().year
    client = login_as("prefecture", "JP-22")
    rows = [shizuoka_row("Kosai Plastics", year_founded=str(this_year + 1)),
            shizuoka_row("Iwata Gomu", year_founded=str(this_year))]
    upload(client, csv_bytes(rows, header=[*HEADER, "year_founded"]), "years.csv")
    outcomes = _outcomes(_latest_import(database))
    assert outcomes[2] == ("error", [("year_founded", f"{this_year + 1} is still to come")])
    assert outcomes[3] == ("new", [])


def test_the_preview_counts_one_row_with_errors_as_one_row(login_as, database):
    client = login_as("prefecture", "JP-22")
    response = upload(client, csv_bytes([shizuoka_row(), shizuoka_row(name="")]), "shizuoka.csv")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Download the 1 row with errors (CSV)" in page and "1 rows" not in page
