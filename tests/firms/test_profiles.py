"""Registering and editing firms one by one, contact people, who sees what, and malformed input."""

import io
import re

import pytest
from sqlalchemy import func, select

from planner.core.audit import AuditEntry
from planner.firms.models import Firm, FirmContact, FirmImport
from tests.firms.helpers import shizuoka_row, upload, xlsx_bytes


def _form(factories, region="JP-22", **extra):
    data = {"name": "Hamamatsu Seiki Co., Ltd.", "name_ja": "株式会社浜松精機", "name_kana": "はままつせいき",
            "region": str(factories.region(region).id), "city": "Hamamatsu", "status": "active",
            "offers": ["technology_partner", "supplier"], "seeks": ["joint_venture"],
            "website": "https://www.hamamatsu-seiki.example.jp", "year_founded": "1962", "employees": "240",
            "industry": "manufacturing", "capital_amount": "80000000", "capital_currency": "JPY",
            "certifications": ["ISO 9001", "IATF 16949"], "other_certifications": "JIS Q 9100"}
    if extra.get("name", "Hamamatsu Seiki Co., Ltd.") != "Hamamatsu Seiki Co., Ltd.":
        # another firm: Hamamatsu Seiki's Japanese name would make it look alike
        data["name_ja"] = data["name_kana"] = ""
    data.update(extra)
    return data


def _count(database, model=Firm):
    return database.session.scalar(select(func.count()).select_from(model))


def test_prefecture_office_registers_a_firm_and_sees_its_size_class_with_the_rule(login_as, factories, database):
    client = login_as("prefecture", "JP-22")
    response = client.post("/firms/new", data=_form(factories))
    assert response.status_code == 302
    firm = database.session.scalar(select(Firm).where(Firm.name == "Hamamatsu Seiki Co., Ltd."))
    assert (firm.size_class, firm.website_domain, firm.offers, firm.certifications) == (
        "sme", "hamamatsu-seiki.example.jp", "technology_partner,supplier", "ISO 9001; IATF 16949; JIS Q 9100")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "株式会社浜松精機" in page and "SME (Japan)" in page
    assert "manufacturing and others: capital ≤ ¥300 million or ≤ 300 employees" in page
    assert "JPY 80,000,000" in page and "JPY 80,000,000.00" not in page and "¥80 million" in page
    assert "IST" in page and "JST" in page


def test_firm_edit_is_audited_with_old_and_new_values(login_as, factories, database):
    firm = factories.firm("JP-22", "Hamamatsu Seiki Co., Ltd.", employees=240)
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    assert client.post(f"/firms/{firm.id}/edit", data=_form(factories, employees="2600", capital_amount="",
                                                             capital_currency="")).status_code == 302
    entry = database.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "firms", AuditEntry.object_id == str(firm.id), AuditEntry.action == "update")
        .order_by(AuditEntry.id.desc())).first()
    assert entry.changes["employees"] == {"old": 240, "new": 2600}


def test_a_cell_cannot_register_a_firm_of_another_state(login_as, factories, database):
    before = _count(database)
    response = login_as("state", "IN-GJ").post("/firms/new", data=_form(factories, region="IN-MH"))
    assert response.status_code == 200
    assert "Not a valid choice." in response.get_data(as_text=True)
    assert _count(database) == before


def test_amount_without_currency_is_refused_at_the_currency_field(login_as, factories, database):
    before = _count(database)
    page = login_as("admin").post("/firms/new", data=_form(factories, capital_currency="")).get_data(as_text=True)
    assert "Choose the currency of this amount." in page
    assert _count(database) == before


def test_malformed_firm_form_shows_field_errors_and_saves_nothing(login_as, factories, database):
    before = _count(database)
    client = login_as("admin")
    assert client.post("/firms/new", data={}).get_data(as_text=True).count("invalid-feedback") >= 2
    page = client.post("/firms/new", data=_form(factories) | dict(
        name="x" * 201, region="abc", employees="many", year_founded="12", capital_amount="1e999",
        sectors=["x", "424242"], offers=["world domination"], status="secret")).get_data(as_text=True)
    assert "Field cannot be longer than 200 characters." in page
    assert "Not a valid integer value." in page
    assert _count(database) == before


def test_contacts_are_added_edited_and_removed_by_the_firms_own_office(login_as, factories, database):
    firm = factories.firm("JP-22", "Hamamatsu Seiki Co., Ltd.")
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    response = client.post(f"/firms/{firm.id}/contacts/new", data={
        "name": "鈴木 一郎", "title": "Overseas Sales", "email": "Suzuki@Example.jp", "phone": "+81 53 000",
        "language": "ja"})
    assert response.status_code == 302
    contact = database.session.scalar(select(FirmContact).where(FirmContact.firm_id == firm.id))
    assert (contact.name, contact.email, contact.language) == ("鈴木 一郎", "suzuki@example.jp", "ja")
    client.post(f"/firms/{firm.id}/contacts/{contact.id}/edit", data={"name": "Ichiro Suzuki", "email": "", "language": "en"})
    database.session.refresh(contact)
    assert (contact.name, contact.email, contact.language) == ("Ichiro Suzuki", "", "en")
    assert client.post(f"/firms/{firm.id}/contacts/{contact.id}/delete").status_code == 302
    assert database.session.get(FirmContact, contact.id) is None


def test_contact_form_refuses_bad_email_and_unknown_language(login_as, factories, database):
    firm = factories.firm("JP-22")
    database.session.commit()
    page = login_as("prefecture", "JP-22").post(f"/firms/{firm.id}/contacts/new", data={
        "name": "A", "email": "nope", "language": "fr"}).get_data(as_text=True)
    assert "Invalid email address." in page and "Not a valid choice." in page
    assert _count(database, FirmContact) == 0


def test_contact_form_refuses_a_second_copy_of_a_contact_and_a_phone_that_is_no_number(login_as, factories,
                                                                                         database):
    firm = factories.firm("JP-22")
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    url = f"/firms/{firm.id}/contacts/new"
    first = {"name": "鈴木 一郎", "email": "suzuki@example.jp", "phone": "+81 (53) 000-0000 内線12", "language": "ja"}
    assert client.post(url, data=first).status_code == 302
    for data, field, message in (
            (first | {"name": "Ichiro Suzuki"}, "email", "鈴木 一郎 has this e-mail address already on this firm."),
            (first | {"email": ""}, "name", "鈴木 一郎 is a contact of this firm already; edit that one instead."),
            (first | {"name": "Hanako Sato", "email": "sato@example.jp", "phone": "ask reception"}, "phone",
             "Enter a phone number in digits")):
        page = client.post(url, data=data).get_data(as_text=True)
        assert f'id="{field}-error"' in page and message in page, field
    # a namesake with another address is another person
    assert client.post(url, data=first | {"email": "i.suzuki@example.jp"}).status_code == 302
    assert _count(database, FirmContact) == 2
    # editing a contact does not find it a copy of itself
    contact = database.session.scalar(select(FirmContact).where(FirmContact.email == "suzuki@example.jp"))
    assert client.post(f"/firms/{firm.id}/contacts/{contact.id}/edit", data=first | {"title": "Manager"}
                       ).status_code == 302
    # a number pasted in full-width digits is kept in ordinary ones
    assert client.post(f"/firms/{firm.id}/contacts/{contact.id}/edit",
                       data=first | {"phone": "＋８１　５３－０００－００００"}).status_code == 302
    database.session.refresh(contact)
    assert contact.phone == "+81 53-000-0000"


def test_contact_routes_check_the_contact_belongs_to_the_firm_in_the_url(login_as, factories, database):
    ours, theirs = factories.firm("JP-22"), factories.firm("JP-22")
    contact = factories.firm_contact(theirs, "Hanako Ito")
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    assert client.get(f"/firms/{ours.id}/contacts/{contact.id}/edit").status_code == 404
    assert client.post(f"/firms/{ours.id}/contacts/{contact.id}/delete").status_code == 404
    assert database.session.get(FirmContact, contact.id) is not None


def test_staff_of_the_other_side_see_contacts_but_cannot_edit(login_as, factories, database):
    firm = factories.firm("JP-22", "Hamamatsu Seiki Co., Ltd.")
    factories.firm_contact(firm, "Ichiro Suzuki", email="suzuki@example.jp")
    database.session.commit()
    client = login_as("state", "IN-GJ")
    page = client.get(f"/firms/{firm.id}").get_data(as_text=True)
    assert "suzuki@example.jp" in page and f"/firms/{firm.id}/edit" not in page
    assert client.get(f"/firms/{firm.id}/edit").status_code == 404
    assert client.post(f"/firms/{firm.id}/edit", data=_form(factories)).status_code == 404


def test_delegates_see_active_profiles_without_contact_details(login_as, factories, database):
    active = factories.firm("JP-22", "Hamamatsu Seiki Co., Ltd.")
    factories.firm_contact(active, "Ichiro Suzuki", email="suzuki@example.jp", phone="+81 53 000")
    draft = factories.firm("JP-22", "Kosai Plastics", status="draft")
    database.session.commit()
    client = login_as("delegate")
    page = client.get(f"/firms/{active.id}").get_data(as_text=True)
    assert "Hamamatsu Seiki Co., Ltd." in page
    assert "suzuki@example.jp" not in page and "Ichiro Suzuki" not in page and "+81 53 000" not in page
    assert client.get(f"/firms/{draft.id}").status_code == 404
    assert client.get("/firms/").status_code == 403
    assert client.get("/firms/export.csv").status_code == 403


def test_upload_of_a_wrong_or_broken_file_is_a_clear_message(login_as, database):
    client = login_as("prefecture", "JP-22")
    page = upload(client, b"%PDF-1.4", "firms.pdf").get_data(as_text=True)
    assert "Upload a .csv or .xlsx file" in page
    page = upload(client, b"not a zip", "firms.xlsx").get_data(as_text=True)
    assert "The file is not a readable Excel workbook (.xlsx)." in page
    page = upload(client, b"city,region\nHamamatsu,JP-22\n", "firms.csv").get_data(as_text=True)
    assert "among them &#39;name&#39;" in page
    page = upload(client, b"", "firms.csv").get_data(as_text=True)
    assert "The file is empty." in page
    page = upload(client, b"name\n\xe9t\xff\x00", "firms.csv").get_data(as_text=True)
    assert "neither UTF-8 nor Shift-JIS" in page


def _damaged(workbook: bytes, member: str, change) -> bytes:
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(workbook)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item.filename, change(data) if item.filename == member else data)
    return out.getvalue()


@pytest.mark.parametrize("member, change", [
    ("xl/worksheets/sheet1.xml", lambda data: data[:len(data) // 2]),  # cut short: fails while the rows are read
    ("[Content_Types].xml", lambda data: b"<not xml"),
    ("xl/workbook.xml", lambda data: b""),
])
def test_a_damaged_workbook_is_a_clear_message(member, change, login_as, database):
    client = login_as("prefecture", "JP-22")
    workbook = xlsx_bytes([shizuoka_row(f"Firm {n}") for n in range(50)])
    response = upload(client, _damaged(workbook, member, change), "firms.xlsx")
    assert response.status_code == 200
    assert "The file is not a readable Excel workbook (.xlsx)." in response.get_data(as_text=True)


@pytest.mark.parametrize("amount", ["sNaN", "NaN", "Infinity", "-Infinity", "1e-400", "1E5", "0x10"])
def test_a_capital_that_is_not_a_number_is_an_error_at_the_field(amount, login_as, database, factories):
    client = login_as("state", "IN-GJ")
    response = client.post("/firms/new", data={"name": "Patel Engineering", "region": factories.region("IN-GJ").id,
                                               "status": "active", "capital_amount": amount,
                                               "capital_currency": "INR"})
    assert response.status_code == 200
    assert "is-invalid" in response.get_data(as_text=True)
    assert database.session.scalar(select(func.count(Firm.id))) == 0
    assert client.post("/firms/import", data={}).status_code == 200
    assert _count(database, FirmImport) == 0


def test_shift_jis_csv_from_japanese_excel_is_read(login_as, database):
    client = login_as("prefecture", "JP-22")
    upload(client, "name,name_ja\nHamamatsu Seiki,株式会社浜松精機\n".encode("cp932"), "sjis.csv")
    firm_import = database.session.scalars(select(FirmImport)).first()
    assert firm_import.rows == [{"row": 2, "values": {"name": "Hamamatsu Seiki", "name_ja": "株式会社浜松精機"}}]


def test_utf16_tab_separated_text_from_excel_is_read(login_as, database):
    upload(login_as("prefecture", "JP-22"), "name\tname_ja\r\nHamamatsu Seiki\t株式会社浜松精機\r\n".encode("utf-16"),
           "unicode.txt")
    firm_import = database.session.scalars(select(FirmImport)).first()
    assert firm_import.rows == [{"row": 2, "values": {"name": "Hamamatsu Seiki", "name_ja": "株式会社浜松精機"}}]


def test_too_many_rows_are_refused_with_a_message(login_as, database, monkeypatch):
    monkeypatch.setattr("planner.core.sheets.MAX_ROWS", 3)
    body = "name\n" + "".join(f"Firm {n}\n" for n in range(4))
    page = upload(login_as("prefecture", "JP-22"), body.encode(), "big.csv").get_data(as_text=True)
    assert "The file has more than 3 rows. Split it into smaller files." in page
    assert _count(database, FirmImport) == 0


def test_upload_over_the_size_limit_gets_the_413_page(app, login_as, database):
    client = login_as("prefecture", "JP-22")
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = upload(client, b"name\n" + b"x" * 4096, "big.csv")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 8 * 1024 * 1024
    assert response.status_code == 413
    assert "Uploads are limited to" in response.get_data(as_text=True)


def test_amounts_in_crore_lakh_and_yen_units_are_understood():
    from decimal import Decimal

    from planner.firms.rows import parse_amount

    assert parse_amount("12 crore") == (Decimal("120000000.00"), "INR")
    assert parse_amount("₹25 lakh") == (Decimal("2500000.00"), "INR")
    assert parse_amount("3億円") == (Decimal("300000000.00"), "JPY")
    assert parse_amount("1,25,00,000") == (Decimal("12500000.00"), None)
    assert parse_amount("$1.5 million") == (Decimal("1500000.00"), "USD")
    # 億 and 万 together, as Japanese writes large amounts
    assert parse_amount("1億5,000万円") == (Decimal("150000000.00"), "JPY")
    assert parse_amount("¥2億3000万4,000") == (Decimal("230004000.00"), "JPY")
    with pytest.raises(ValueError, match="mixes currencies"):
        parse_amount("₹1億5000万")


def test_the_firm_form_takes_an_amount_as_written_and_the_currency_its_words_name(login_as, factories, database):
    # the import and the agreement form read 3億; the firm form's number box refused it
    client = login_as("prefecture", "JP-22")
    assert client.post("/firms/new", data=_form(factories, capital_amount="1億5,000万", capital_currency="",
                                                website="")).status_code == 302
    firm = database.session.scalars(select(Firm)).one()
    assert (firm.capital_amount, firm.capital_currency) == (150_000_000, "JPY")
    page = client.post("/firms/new", data=_form(factories, name="Other", capital_amount="12 crore",
                                                capital_currency="JPY", website="")).get_data(as_text=True)
    assert "The amount is in INR but the currency chosen is JPY." in page and _count(database) == 1
    page = client.post("/firms/new", data=_form(factories, name="Other", capital_amount="-5億",
                                                website="")).get_data(as_text=True)
    assert "&#39;-5億&#39; is negative: enter 0 or more" in page and _count(database) == 1


@pytest.mark.parametrize("website", ["javascript://evil.example/%0aalert(1)", "ftp://files.example.jp", "nothing"])
def test_a_website_must_be_a_web_address(login_as, factories, database, website):
    # javascript://host/%0a… has a host, was stored, and became the firm page's link (the CSP kept it from
    # running; the link stays off the page for any such value already stored)
    client = login_as("prefecture", "JP-22")
    page = client.post("/firms/new", data=_form(factories, website=website)).get_data(as_text=True)
    assert "Enter a web address such as https://www.example.co.jp." in page and _count(database) == 0
    assert client.post("/firms/new", data=_form(factories, website="www.hamamatsu-seiki.example.jp")
                       ).status_code == 302
    firm = database.session.scalar(select(Firm))
    firm.website, firm.website_domain = "javascript://evil.example/%0aalert(1)", "evil.example"
    database.session.commit()
    assert 'href="javascript:' not in client.get(f"/firms/{firm.id}").get_data(as_text=True)


def test_japanese_pages_call_a_contacts_title_a_position_not_a_name(login_as, factories, database):
    # 名称 (the name of a thing) headed the contacts' job titles; a person's title is 役職
    firm = factories.firm("JP-22")
    database.session.add(FirmContact(firm=firm, name="Ichiro Suzuki", title="Overseas Sales Manager"))
    client = login_as("prefecture", "JP-22")
    client.user.locale = "ja"
    database.session.commit()
    page = client.get(f"/firms/{firm.id}").get_data(as_text=True)
    assert "<th>役職</th>" in page and "<th>名称</th>" not in page
    assert 'for="title">役職</label>' in client.get(f"/firms/{firm.id}/contacts/new").get_data(as_text=True)


def test_a_reading_is_kept_in_katakana_whatever_script_it_is_typed_in_so_lists_sort_by_it(login_as, factories,
                                                                                           database):
    # readings kept as typed sorted every hiragana one before all katakana ones: 富士精工 (ふじせいこう) after
    # 三島機械 (ミシマキカイ) in the 五十音 order of the firm list
    client = login_as("prefecture", "JP-22")
    for name, kana in (("Mishima Kikai", "ミシマキカイ"), ("Fuji Seiko", "ふじせいこう"), ("Suruga Seicha", "ｽﾙｶﾞｾｲﾁｬ")):
        assert client.post("/firms/new", data=_form(factories, name=name, name_ja="", name_kana=kana,
                                                    website="")).status_code == 302
    readings = dict(database.session.execute(select(Firm.name, Firm.name_kana)).all())
    assert (readings["Fuji Seiko"], readings["Suruga Seicha"]) == ("フジセイコウ", "スルガセイチャ")
    client.user.locale = "ja"
    database.session.commit()
    client.get("/firms/")  # the saves' messages
    page = client.get("/firms/?side=JP&sort=name").get_data(as_text=True)
    assert page.index("Suruga Seicha") < page.index("Fuji Seiko") < page.index("Mishima Kikai")  # ス < フ < ミ


def test_the_same_firm_sent_twice_is_registered_once(login_as, factories, database):
    # Back, then Save again, registered the firm a second time (ids 155 and 156): only an administrator merges
    client = login_as("prefecture", "JP-22")
    form = _form(factories, website="")
    assert client.post("/firms/new", data=form).status_code == 302
    page = client.post("/firms/new", data={**form, "name": "  hamamatsu seiki co.,  ltd. "}).get_data(as_text=True)
    firm = database.session.scalars(select(Firm)).one()
    assert (f"Hamamatsu Seiki Co., Ltd. is registered in Shizuoka (静岡県) already (firm no. {firm.id}): change it "
            "there.") in page
    # another name of the same key (a legal form apart) is a possible duplicate: asked before saving, not refused
    page = client.post("/firms/new", data={**form, "name": "Hamamatsu Seiki"}).get_data(as_text=True)
    assert "Save anyway: this is another firm" in page and _count(database) == 1
    response = client.post("/firms/new", data={**form, "name": "Hamamatsu Seiki", "confirm_duplicate": "y"})
    assert response.status_code == 302 and _count(database) == 2


def test_a_founding_year_is_read_in_a_japanese_era_too():
    from planner.firms.rows import parse_year

    assert [parse_year(text) for text in ("昭和45年", "平成元年", "令和2年", "S45", "1962年", "1962")] == [
        1970, 1989, 2020, 1970, 1962, 1962]
    with pytest.raises(ValueError):
        parse_year("昭和")


def test_a_pair_registered_twice_before_the_rule_stays_editable(login_as, factories, database):
    first = factories.firm("JP-22", name="Mishima Kikai")
    second = factories.firm("JP-22", name="Mishima Kikai Two")
    second.name, second.name_key = first.name, first.name_key  # registered twice before the rule
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    for firm in (first, second):
        form = _form(factories, name="Mishima Kikai", website="", city="Mishima")
        assert client.post(f"/firms/{firm.id}/edit", data=form).status_code == 302


def test_written_amounts_and_era_years_refuse_what_no_one_means():
    from planner.firms.rows import parse_amount, parse_year

    for text in ("1億5000", "1億15000万", "1.5億5000万"):  # short for 1億5000万? a typo? not guessed
        with pytest.raises(ValueError):
            parse_amount(text)
    for text in ("昭和99年", "令和0年", "平成45年"):
        with pytest.raises(ValueError, match="not a year of that era"):
            parse_year(text)


def test_fuzzed_firm_input_is_refused_rather_than_misread(login_as, factories, database):
    # found by fuzzing: ㍿×200 grew to 800 characters once normalised (a 500 on PostgreSQL); a full-width name
    # registered the firm twice; '1,5' was saved as 15
    client = login_as("prefecture", "JP-22")
    page = client.post("/firms/new", data=_form(factories, name_kana="㍿" * 200, website="")).get_data(as_text=True)
    assert "Keep the reading under 200 characters." in page and _count(database) == 0
    assert client.post("/firms/new", data=_form(factories, website="")).status_code == 302
    page = client.post("/firms/new", data=_form(factories, name="Ｈａｍａｍａｔｓｕ Seiki Co., Ltd.",
                                                website="")).get_data(as_text=True)
    assert "is registered in Shizuoka" in page and _count(database) == 1
    page = client.post("/firms/new", data=_form(factories, name="Other", capital_amount="1,5",
                                                website="")).get_data(as_text=True)
    assert "write decimals with a point (1.5), thousands with commas (1,500)" in page and _count(database) == 1
    assert client.post("/firms/new", data=_form(factories, name="Other", capital_amount="1,25,00,000",
                                                website="")).status_code == 302


def test_a_blank_among_ticked_values_leaves_the_others_ticked(login_as, factories, database):
    # ["", id] made Optional() take the list for empty: the sectors sent were dropped
    from planner.regions.models import Sector

    client = login_as("prefecture", "JP-22")
    sector = database.session.scalars(select(Sector).order_by(Sector.id)).first()
    assert client.post("/firms/new", data=_form(factories, website="", sectors=["", str(sector.id)])).status_code \
        == 302
    assert [s.id for s in database.session.scalars(select(Firm)).one().sectors] == [sector.id]


def test_the_largest_amount_taken_comes_back_to_the_cent(login_as, factories, database):
    # SQLite keeps Numeric as a float: 9999999999999999 came back as 10000000000000000.00, and the firm could not
    # be saved again without retyping it
    from decimal import Decimal

    client = login_as("prefecture", "JP-22")
    assert client.post("/firms/new", data=_form(factories, capital_amount="9,999,999,999,999.99",
                                                website="")).status_code == 302
    database.session.expire_all()
    assert database.session.scalars(select(Firm.capital_amount)).one() == Decimal("9999999999999.99")
    page = client.post("/firms/new", data=_form(factories, name="Bigger", capital_amount="99,999,999,999,999",
                                                website="")).get_data(as_text=True)
    assert 'id="capital_amount-error"' in page and _count(database) == 1


def test_a_name_typed_full_width_is_stored_in_plain_letters(login_as, factories, database):
    # 「ＫＯＦＵ　ＴＥＸＴＩＬＥ　株式会社」 was stored and shown full-width, and sorted apart from every other
    client = login_as("prefecture", "JP-19")
    response = client.post("/firms/new", data=_form(factories, region="JP-19", name="ＫＯＦＵ　ＴＥＸＴＩＬＥ　Ｃｏ．，Ｌｔｄ．",
                                                   name_ja="甲府テキスタイル株式会社", city="Ｋｏｆｕ", website=""))
    assert response.status_code == 302, response.get_data(as_text=True)
    firm = database.session.scalar(select(Firm).where(Firm.name_ja == "甲府テキスタイル株式会社"))
    assert (firm.name, firm.city) == ("KOFU TEXTILE Co.,Ltd.", "Kofu")


def test_a_value_that_cannot_be_read_gets_one_message_not_two_run_together(login_as, factories, database):
    # "'-3 crore' is negative: enter 0 or more Number must be between 0 and 9999999999999.99."
    client = login_as("prefecture", "JP-22")
    page = client.post("/firms/new", data=_form(factories, capital_amount="-3 crore", capital_currency="INR",
                                                employees="many", website="")).get_data(as_text=True)
    errors = dict(re.findall(r'<div id="([a-z_]+)-error" class="invalid-feedback d-block">(.*?)</div>', page))
    assert errors == {"capital_amount": "&#39;-3 crore&#39; is negative: enter 0 or more",
                      "employees": "Not a valid integer value."}
    assert _count(database) == 0


def test_a_founding_year_still_to_come_is_refused_at_the_field(login_as, factories, database):
    from planner.core.timefmt import today_jst

    this_year = today_jst().year
    client = login_as("prefecture", "JP-22")
    page = client.post("/firms/new", data=_form(factories, year_founded=str(this_year + 1))).get_data(as_text=True)
    assert re.search(rf'id="year_founded-error"[^>]*>{this_year + 1} is still to come: enter the year the firm was '
                     r'founded\.<', page)
    assert _count(database) == 0
    assert client.post("/firms/new", data=_form(factories, year_founded=str(this_year))).status_code == 302
