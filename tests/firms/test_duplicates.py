"""Duplicate detection (normalised name in the same region, or the same website domain) and merging by admins."""

import re

import pytest
from sqlalchemy import func, select

from planner.core.audit import AuditEntry
from planner.firms.models import Firm, FirmImport
from planner.firms.normalise import name_key, website_domain
from tests.firms.helpers import csv_bytes, shizuoka_row, upload


def test_name_key_ignores_case_punctuation_width_and_legal_forms():
    same = ["Hamamatsu Seiki Co., Ltd.", "HAMAMATSU SEIKI K.K.", "Ｈａｍａｍａｔｓｕ　Ｓｅｉｋｉ", "hamamatsu-seiki inc"]
    assert {name_key(name) for name in same} == {"hamamatsu seiki"}
    assert name_key("株式会社浜松精機") == name_key("浜松精機株式会社") == name_key("有限会社 浜松精機") == "浜松精機"
    assert name_key("Patel Engineering Pvt. Ltd.") == name_key("PATEL ENGINEERING PRIVATE LIMITED") == \
        name_key("Patel Engineering LLP") == "patel engineering"


def test_website_domain_strips_scheme_www_and_path():
    assert website_domain("https://www.hamamatsu-seiki.co.jp/en/") == "hamamatsu-seiki.co.jp"
    assert website_domain("WWW.Patel-Eng.in") == "patel-eng.in"
    assert website_domain("not a site") == ""
    assert website_domain("https://例え.テスト/") == "例え.テスト" and website_domain("xn--eckwd4c7c.xn--zckzah")


@pytest.mark.parametrize("text", ["1.5", "0.001", "Co., Ltd.", "a@b.co", "http://user@evil.example.com",
                                  "a@b.co\r\nBcc: evil@x.com", "http://localhost", "http://192.168.1.1"])
def test_what_is_no_web_address_has_no_domain(text):
    # a number, a legal form, an e-mail address or a header injection was saved as a website, and then made
    # the firm a 'duplicate' of every firm at x.com
    assert website_domain(text) == ""


def test_import_flags_rows_like_registered_firms_and_earlier_rows(login_as, database, factories):
    existing = factories.firm("JP-22", "Hamamatsu Seiki Co., Ltd.", website="https://www.hseiki.example.jp")
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    rows = [shizuoka_row("HAMAMATSU SEIKI K.K."),                                    # same normalised name
            shizuoka_row("HS Precision", website="http://hseiki.example.jp/about"),  # same domain
            shizuoka_row("Iwata Gomu Co., Ltd."),                                    # new
            shizuoka_row("Iwata Gomu KK")]                                           # like row 4
    upload(client, csv_bytes(rows), "dups.csv")
    firm_import = database.session.scalars(select(FirmImport).order_by(FirmImport.id.desc())).first()
    got = [(o["row"], o["status"], o["note"]) for o in firm_import.summary["outcomes"]]
    assert got == [
        (2, "duplicate", f"looks like Hamamatsu Seiki Co., Ltd. (#{existing.id})"),
        (3, "duplicate", f"looks like Hamamatsu Seiki Co., Ltd. (#{existing.id})"),
        (4, "new", ""),
        (5, "duplicate", "looks like row 4 of this file"),
    ]


def test_duplicates_are_skipped_unless_included_on_confirm(login_as, database, factories):
    factories.firm("JP-22", "Hamamatsu Seiki Co., Ltd.")
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    upload(client, csv_bytes([shizuoka_row("HAMAMATSU SEIKI K.K.")]), "dups.csv")
    firm_import = database.session.scalars(select(FirmImport).order_by(FirmImport.id.desc())).first()
    client.post(f"/firms/imports/{firm_import.id}/confirm", data={"include_duplicates": "y"})
    names = database.session.scalars(select(Firm.name).where(Firm.name_key == "hamamatsu seiki")).all()
    assert sorted(names) == ["HAMAMATSU SEIKI K.K.", "Hamamatsu Seiki Co., Ltd."]


def test_profile_page_points_to_the_likely_duplicate(login_as, database, factories):
    kept = factories.firm("JP-22", "Hamamatsu Seiki Co., Ltd.")
    other = factories.firm("JP-22", "Hamamatsu Seiki KK")
    database.session.commit()
    page = login_as("admin").get(f"/firms/{kept.id}").get_data(as_text=True)
    assert f"/firms/{other.id}" in page and "Looks like the same firm as" in page


def test_admin_merges_a_duplicate_moving_contacts_and_sectors_and_archiving_it(login_as, database, factories):
    kept = factories.firm("JP-22", "Hamamatsu Seiki Co., Ltd.", sectors=["automotive"], seeks=["supplier"])
    other = factories.firm("JP-22", "Hamamatsu Seiki KK", sectors=["machinery"], seeks=["investor"],
                           website="https://hseiki.example.jp")
    factories.firm_contact(other, "Hanako Ito", email="ito@hseiki.example.jp")
    database.session.commit()
    response = login_as("admin").post(f"/firms/{kept.id}/merge", data={"other": str(other.id), "then": "archive"})
    assert response.status_code == 302
    database.session.expire_all()
    kept, other = database.session.get(Firm, kept.id), database.session.get(Firm, other.id)
    assert [c.name for c in kept.contacts] == ["Hanako Ito"] and other.contacts == []
    assert [s.code for s in kept.sectors] == ["automotive", "machinery"]
    assert kept.seeks_list == ["supplier", "investor"]
    assert kept.website == "https://hseiki.example.jp"
    assert (other.status, other.merged_into_id) == ("archived", kept.id)
    actions = database.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "firms", AuditEntry.action.like("merge%"))).all()
    assert sorted(actions) == ["merge", "merge-archive"]
    # the archived one offers no further merge, nor a place for new contacts (they would be lost there)
    admin = login_as("admin")
    page = admin.get(f"/firms/{other.id}").get_data(as_text=True)
    assert "Looks like the same firm as" not in page and f"/firms/{other.id}/merge" not in page
    assert f"/firms/{other.id}/contacts/new" not in page
    response = admin.post(f"/firms/{other.id}/contacts/new", data={"name": "Late Contact", "language": "ja"})
    assert response.status_code == 200 and f"merged into #{kept.id}" in response.get_data(as_text=True)
    assert [c.name for c in database.session.get(Firm, other.id).contacts] == []


def test_admin_merge_can_delete_the_other_firm(login_as, database, factories):
    kept = factories.firm("IN-GJ", "Patel Engineering Pvt Ltd")
    other = factories.firm("IN-GJ", "Patel Engineering Private Limited")
    factories.firm_contact(other, "Mehul Shah")
    database.session.commit()
    other_id = other.id
    login_as("admin").post(f"/firms/{kept.id}/merge", data={"other": str(other_id), "then": "delete"})
    database.session.expire_all()
    assert database.session.get(Firm, other_id) is None
    assert [c.name for c in database.session.get(Firm, kept.id).contacts] == ["Mehul Shah"]


def test_merge_moves_the_firms_people_and_refuses_to_delete_a_firm_with_history(login_as, database, factories):
    kept = factories.firm("IN-GJ", "Patel Engineering Pvt Ltd")
    other = factories.firm("IN-GJ", "Patel Engineering Private Limited")
    person = factories.person("Mehul Shah", firm_id=other.id)
    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    session = factories.b2b_session(delegation)
    factories.b2b_participant(session, "IN-GJ", firm_=other)
    database.session.commit()
    client = login_as("admin")
    response = client.post(f"/firms/{kept.id}/merge", data={"other": str(other.id), "then": "delete"})
    assert response.status_code == 200
    assert "archive it instead" in response.get_data(as_text=True)
    database.session.expire_all()
    assert database.session.get(Firm, other.id).status == "active"
    # archiving keeps the history with the other firm, and its people go to the kept one
    response = client.post(f"/firms/{kept.id}/merge", data={"other": str(other.id), "then": "archive"})
    assert response.status_code == 302
    database.session.expire_all()
    assert database.session.get(Firm, other.id).merged_into_id == kept.id
    assert database.session.get(type(person), person.id).firm_id == kept.id


def test_deleting_a_merged_firm_keeps_its_people(login_as, database, factories):
    kept = factories.firm("IN-GJ", "Patel Engineering Pvt Ltd")
    other = factories.firm("IN-GJ", "Patel Engineering Private Limited")
    person = factories.person("Mehul Shah", firm_id=other.id)
    database.session.commit()
    response = login_as("admin").post(f"/firms/{kept.id}/merge", data={"other": str(other.id), "then": "delete"})
    assert response.status_code == 302
    database.session.expire_all()
    assert database.session.get(type(person), person.id).firm_id == kept.id


def test_only_admins_merge(login_as, database, factories):
    kept = factories.firm("JP-22", "Hamamatsu Seiki Co., Ltd.")
    other = factories.firm("JP-22", "Hamamatsu Seiki KK")
    database.session.commit()
    response = login_as("prefecture", "JP-22").post(f"/firms/{kept.id}/merge", data={"other": str(other.id)})
    assert response.status_code == 403
    database.session.refresh(other)
    assert other.status == "active"


def test_merge_refuses_an_unknown_firm_at_the_field(login_as, database, factories):
    kept = factories.firm("JP-22", "Hamamatsu Seiki Co., Ltd.")
    database.session.commit()
    client = login_as("admin")
    response = client.post(f"/firms/{kept.id}/merge", data={"other": "abc"})
    assert response.status_code == 200
    assert "Invalid Choice: could not coerce." in response.get_data(as_text=True)
    response = client.post(f"/firms/{kept.id}/merge", data={"other": "999999"})
    assert "Not a valid choice." in response.get_data(as_text=True)
    response = client.post(f"/firms/{kept.id}/merge", data={"other": str(kept.id)})
    assert "Not a valid choice." in response.get_data(as_text=True)


def test_a_duplicate_among_another_regions_drafts_is_flagged_without_its_name(login_as, database, factories):
    factories.firm("JP-30", "Secret Draft KK", website="https://kishu.example.jp", status="draft")
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    upload(client, csv_bytes([shizuoka_row("Kishu Trading", website="kishu.example.jp")]), "dups.csv")
    firm_import = database.session.scalars(select(FirmImport).order_by(FirmImport.id.desc())).first()
    (outcome,) = firm_import.summary["outcomes"]
    assert (outcome["status"], outcome["firm_id"]) == ("duplicate", None)
    assert outcome["note"] == "same website as a firm another office has not published"


def test_an_office_seeing_a_likely_duplicate_is_told_who_merges(login_as, database, factories):
    kept = factories.firm("JP-22", "Hamamatsu Seiki Co., Ltd.")
    factories.firm("JP-22", "Hamamatsu Seiki KK", website=kept.website or "https://hs.example.jp")
    database.session.commit()
    page = login_as("prefecture", "JP-22").get(f"/firms/{kept.id}").get_data(as_text=True)
    assert "Looks like the same firm as" in page
    assert "An administrator merges duplicates: ask yours, naming both firms." in page


def test_a_merged_firm_offers_no_edit_nor_merge_and_names_the_firm_it_became(login_as, database, factories):
    # it offered Edit, and a Merge whose submission always failed ("A firm merged already cannot take part…")
    kept = factories.firm("JP-22", "Hamamatsu Seiki Co., Ltd.")
    other = factories.firm("JP-22", "Hamamatsu Seiki KK")
    contact = factories.firm_contact(other, "Hanako Ito", email="ito@hseiki.example.jp")
    factories.firm_contact(kept, "Hanako Ito", email="ito@hseiki.example.jp")  # stays behind: known on `kept`
    database.session.commit()
    admin = login_as("admin")
    assert admin.post(f"/firms/{kept.id}/merge", data={"other": str(other.id), "then": "archive"}).status_code == 302
    page = admin.get(f"/firms/{other.id}").get_data(as_text=True)
    assert f'href="/firms/{other.id}/edit"' not in page and f"/firms/{other.id}/merge" not in page
    assert f"/contacts/{contact.id}/edit" not in page
    assert re.search(rf'Merged into <a href="/firms/{kept.id}">Hamamatsu Seiki Co., Ltd. #{kept.id}</a>', page)
    for url in (f"/firms/{other.id}/edit", f"/firms/{other.id}/merge", f"/firms/{other.id}/contacts/{contact.id}/edit"):
        response = admin.get(url)
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/firms/{other.id}"), url
    response = admin.post(f"/firms/{other.id}/edit", data={"name": "Renamed", "region": str(other.region_id),
                                                           "status": "active"}, follow_redirects=True)
    assert f"This firm was merged into #{kept.id} and is kept as a record only" in response.get_data(as_text=True)
    database.session.expire_all()
    assert database.session.get(Firm, other.id).name == "Hamamatsu Seiki KK"
    office = login_as("prefecture", "JP-22")
    assert f"/firms/{other.id}/edit" not in office.get(f"/firms/{other.id}").get_data(as_text=True)
    # nor is it offered as a person's firm
    people_form = office.get("/people/new").get_data(as_text=True)
    firm_select = re.search(r'<select[^>]*name="firm"[^>]*>(.*?)</select>', people_form, re.S).group(1)
    assert set(re.findall(r'value="(\d+)"', firm_select)) == {str(kept.id)}


def test_a_japanese_name_in_either_form_makes_an_import_row_a_likely_duplicate(login_as, database, factories):
    # "Kofu Seimitsu" / 甲府精密株式会社 was classed new beside 株式会社甲府精密 of the same prefecture
    existing = factories.firm("JP-19", "Kofu Precision Works", name_ja="株式会社甲府精密")
    database.session.commit()
    client = login_as("prefecture", "JP-19")
    rows = [shizuoka_row("Kofu Seimitsu", name_ja="甲府精密株式会社", region="JP-19"),
            shizuoka_row("Nirasaki Kogyo", name_ja="韮崎工業（株）", region="JP-19"),
            shizuoka_row("Nirasaki Industries", name_ja="韮崎工業株式会社", region="JP-19"),
            shizuoka_row("Kofu Seimitsu KK", region="JP-19")]
    upload(client, csv_bytes(rows), "yamanashi.csv")
    firm_import = database.session.scalars(select(FirmImport).order_by(FirmImport.id.desc())).first()
    got = [(o["row"], o["status"], o["note"]) for o in firm_import.summary["outcomes"]]
    assert got == [(2, "duplicate", f"looks like Kofu Precision Works (#{existing.id})"),
                   (3, "new", ""),
                   (4, "duplicate", "looks like row 3 of this file"),
                   (5, "duplicate", "looks like row 2 of this file")]


def test_the_firm_form_asks_before_registering_a_likely_duplicate(login_as, database, factories):
    # it saved first and said 「次の企業と同一の可能性があります…」 on the new firm's page
    existing = factories.firm("JP-19", "Kofu Precision Works", name_ja="株式会社甲府精密")
    database.session.commit()
    client = login_as("prefecture", "JP-19")
    form = {"name": "Kofu Seimitsu", "name_ja": "甲府精密株式会社", "region": str(factories.region("JP-19").id),
            "status": "active"}
    html = client.post("/firms/new", data=form).get_data(as_text=True)
    assert f'<a href="/firms/{existing.id}">Kofu Precision Works' in html
    assert re.search(r'id="confirm_duplicate-error"[^>]*>This looks like a firm registered already', html)
    assert database.session.scalar(select(func.count()).select_from(Firm)) == 1
    response = client.post("/firms/new", data={**form, "confirm_duplicate": "y"})
    assert response.status_code == 302
    assert database.session.scalar(select(func.count()).select_from(Firm)) == 2
    # an edit that keeps the names and website is not asked again; a rename to a look-alike is
    created = database.session.scalars(select(Firm).order_by(Firm.id.desc())).first()
    assert client.post(f"/firms/{created.id}/edit", data={**form, "city": "Kofu"}).status_code == 302
    other = factories.firm("JP-19", "Nirasaki Kogyo")
    database.session.commit()
    html = client.post(f"/firms/{other.id}/edit", data={**form, "name": "Nirasaki Kogyo"}).get_data(as_text=True)
    assert "This looks like a firm registered already" in html
