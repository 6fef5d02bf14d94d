"""A delegation's members from a spreadsheet: the preview checks and classifies every row and saves nothing; the
confirm records the new people and adds every valid row at once, once."""

import csv
import io

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from planner.core.audit import AuditEntry
from planner.delegations.models import DelegationMember, MemberImport, Person
from tests.conftest import login

HEADER = ["name", "name_ja", "name_kana", "title", "organisation", "email", "phone", "preferred_language", "needs_interpreter",
          "dietary", "accessibility", "role", "precedence"]


def _csv(rows, header=HEADER, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue().encode(encoding)


def _xlsx(rows, header=HEADER, numeric=()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Members"
    sheet.append(header)
    for row in rows:
        sheet.append([float(row[c]) if c in numeric and row.get(c) else (row.get(c) or None) for c in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(client, delegation, data: bytes, filename: str):
    return client.post(f"/delegations/{delegation.id}/members/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def _latest(database) -> MemberImport:
    return database.session.scalars(select(MemberImport).order_by(MemberImport.id.desc())).first()


def _outcomes(member_import):
    return {o["row"]: (o["status"], [tuple(error) for error in o["errors"]]) for o in member_import.summary["outcomes"]}


def _count(database, model) -> int:
    return database.session.scalar(select(func.count()).select_from(model))


def _world(factories):
    """A Gujarat → Shizuoka delegation with one member; a person Gujarat recorded outside it."""
    delegation = factories.delegation(("IN-GJ",), ("JP-22",), title="Gujarat delegation to Shizuoka")
    in_it = factories.person("Anita Desai", region_code="IN-GJ", email="anita.desai@ic.gujarat.example.in")
    factories.member(delegation, in_it)
    recorded = factories.person("Rakesh Patel", region_code="IN-GJ", email="rakesh.patel@gidc.example.in")
    return delegation, in_it, recorded


ROWS = [
    {"name": "Mehul Shah", "title": "Director", "organisation": "Sabarmati Auto Components Pvt Ltd",  # 2: new
     "email": "Mehul@Sabarmati-Auto.example.in", "phone": "+91 79 2630 1234", "preferred_language": "English",
     "needs_interpreter": "yes", "dietary": "Jain, allergic to peanuts", "role": "head", "precedence": "1"},
    {"name": "Rakesh Patel", "email": "RAKESH.PATEL@gidc.example.in", "precedence": "2"},       # 3: recorded already
    {"name": "Anita Desai", "email": "anita.desai@ic.gujarat.example.in"},                        # 4: a member already
    {"name": "", "email": "nobody@example.in"},                                                  # 5: no name
    {"name": "Vikram Rao", "email": "vikram.rao@", "preferred_language": "Gujarati",             # 6: bad e-mail,
     "role": "chief guest"},                                                                     #    language, role
    {"name": "Priya Nair", "needs_interpreter": "maybe", "precedence": "1000"},                  # 7: yes/no, range
    {"name": "Mehul Shah (again)", "email": "mehul@sabarmati-auto.example.in"},                  # 8: row 2 again
    {"name": "Sunil Mehta", "role": "Head of delegation"},                                       # 9: a second head
    {"name": "Kavita Joshi", "role": "Staff", "preferred_language": "ja"},                        # 10: new
]


def test_preview_classifies_rows_and_reports_errors_by_row_and_column_and_saves_nothing(login_as, database,
                                                                                        factories):
    delegation, in_it, recorded = _world(factories)
    client = login_as("state", "IN-GJ")
    people, members = _count(database, Person), _count(database, DelegationMember)
    response = _upload(client, delegation, _csv(ROWS), "gujarat.csv")
    assert response.status_code == 302
    member_import = _latest(database)
    assert _outcomes(member_import) == {
        2: ("new", []),
        3: ("existing", []),
        4: ("member", []),
        5: ("error", [("name", "required")]),
        6: ("error", [("email", "'vikram.rao@' is not a valid e-mail address"),
                      ("preferred_language", "unknown language 'Gujarati' (en or ja)"),
                      ("role", "unknown role 'chief guest' (head, member, staff or host)")]),
        7: ("error", [("needs_interpreter", "'maybe' is neither yes nor no"),
                      ("precedence", "1000 is outside 1–999")]),
        8: ("error", [("email", "the same person as row 2 of this file")]),
        9: ("error", [("role", "row 2 is the head of delegation already")]),
        10: ("new", []),
    }
    outcomes = {o["row"]: o for o in member_import.summary["outcomes"]}
    assert (outcomes[3]["person_id"], outcomes[4]["person_id"]) == (recorded.id, in_it.id)
    assert member_import.summary["counts"] == {"new": 2, "existing": 1, "member": 1, "error": 5}
    assert (_count(database, Person), _count(database, DelegationMember)) == (people, members)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "unknown role &#39;chief guest&#39; (head, member, staff or host)" in page
    assert "Confirm import" in page and "in the delegation: skipped: 1" in page


def test_confirm_records_the_new_people_and_adds_every_valid_row_once(login_as, database, factories):
    delegation, in_it, recorded = _world(factories)
    client = login_as("state", "IN-GJ")
    _upload(client, delegation, _csv(ROWS), "gujarat.csv")
    member_import = _latest(database)
    people = _count(database, Person)

    response = client.post(f"/delegations/{delegation.id}/members/imports/{member_import.id}/confirm")
    assert response.status_code == 302
    database.session.expire_all()
    assert _count(database, Person) == people + 2  # Mehul Shah and Kavita Joshi; Rakesh Patel not recorded twice
    members = {m.person.name: (m.role, m.precedence) for m in delegation.members}
    assert members == {"Anita Desai": ("member", 100), "Mehul Shah": ("head", 1), "Rakesh Patel": ("member", 2),
                       "Kavita Joshi": ("staff", 100)}
    mehul = database.session.scalars(select(Person).where(Person.name == "Mehul Shah")).one()
    assert (mehul.email, mehul.phone, mehul.preferred_language, mehul.needs_interpreter, mehul.diet, mehul.dietary,
            mehul.title, mehul.organisation) == ("mehul@sabarmati-auto.example.in", "+91 79 2630 1234", "en", True,
                                                 "jain", "allergic to peanuts", "Director",
                                                 "Sabarmati Auto Components Pvt Ltd")  # the diet read off the cell
    assert mehul.created_by_region.code == "IN-GJ" and mehul.home_region.code == "IN-GJ"
    kavita = database.session.scalars(select(Person).where(Person.name == "Kavita Joshi")).one()
    assert (kavita.preferred_language, kavita.needs_interpreter) == ("ja", False)
    assert member_import.summary["saved"] == {"created": 2, "added": 1, "skipped": 1, "errors": 5}
    # the audit log: the confirm, and each person recorded and added
    actions = {(entry.object_type, entry.action) for entry in database.session.scalars(
        select(AuditEntry).where(AuditEntry.actor_id == client.user.id))}
    assert {("spreadsheet_imports", "confirm"), ("people", "create"), ("delegation_members", "create")} <= actions
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved. New people recorded and added: 2; people recorded already, added: 1;" in page

    # a second confirm (a double click, the back button) adds nobody
    again = client.post(f"/delegations/{delegation.id}/members/imports/{member_import.id}/confirm",
                        follow_redirects=True)
    assert "This upload has been imported already." in again.get_data(as_text=True)
    database.session.expire_all()
    assert _count(database, Person) == people + 2 and len(delegation.members) == 4
    # and the same file uploaded again finds everyone in the delegation (Kavita Joshi, without an e-mail
    # address, by her name among its members)
    _upload(client, delegation, _csv(ROWS), "gujarat.csv")
    counts = _latest(database).summary["counts"]
    assert (counts["new"], counts["existing"], counts["member"]) == (0, 0, 4)


def test_shift_jis_csv_with_japanese_headers_and_values_is_read(login_as, database, factories):
    delegation = factories.delegation(("IN-GJ",), ("JP-22",), direction="JP_IN")
    client = login_as("prefecture", "JP-22")
    body = ("静岡県訪問団 名簿\n"
            "名前,氏名,役職,所属,メールアドレス,希望言語,通訳,役割,序列\n"
            "Ichiro Suzuki,鈴木 一郎,知事,静岡県,suzuki@pref.shizuoka.example.jp,日本語,要,団長,1\n"
            "Hanako Sato,佐藤 花子,主事,静岡県,,,不要,随行職員,5\n").encode("cp932")
    response = _upload(client, delegation, body, "名簿.csv")
    assert response.status_code == 302
    member_import = _latest(database)
    assert _outcomes(member_import) == {3: ("new", []), 4: ("new", [])}
    client.post(f"/delegations/{delegation.id}/members/imports/{member_import.id}/confirm")
    database.session.expire_all()
    members = [(m.person.name, m.person.name_ja, m.person.title, m.person.preferred_language,
                m.person.needs_interpreter, m.role, m.precedence) for m in delegation.members]
    # a prefecture office's list without a language reads Japanese, as the person form proposes
    assert members == [("Ichiro Suzuki", "鈴木 一郎", "知事", "ja", True, "head", 1),
                       ("Hanako Sato", "佐藤 花子", "主事", "ja", False, "staff", 5)]


def test_xlsx_with_numeric_cells_is_read_like_csv(login_as, database, factories):
    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    client = login_as("state", "IN-GJ")
    rows = [{"name": "Mehul Shah", "email": "mehul@sabarmati-auto.example.in", "precedence": "3"},
            {"name": "Priya Nair", "precedence": "2.5", "phone": "call me"}]
    assert _upload(client, delegation, _xlsx(rows, numeric=("precedence",)), "members.xlsx").status_code == 302
    assert _outcomes(_latest(database)) == {
        2: ("new", []),
        3: ("error", [("phone", "'call me' is not a phone number"),
                      ("precedence", "'2.5' is not a whole number")])}


def test_templates_hold_the_columns_and_an_example_that_imports(login_as, database, factories):
    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    client = login_as("state", "IN-GJ")
    csv_template = client.get(f"/delegations/{delegation.id}/members/import/template.csv")
    assert csv_template.status_code == 200
    text = csv_template.get_data().decode("utf-8-sig").splitlines()
    assert text[0] == ",".join(HEADER) and text[1].startswith("Mehul Shah,")
    xlsx_template = client.get(f"/delegations/{delegation.id}/members/import/template.xlsx")
    workbook = load_workbook(io.BytesIO(xlsx_template.get_data()))
    assert workbook.sheetnames == ["Members", "Columns"]
    assert [cell.value for cell in workbook["Members"][1]] == HEADER
    _upload(client, delegation, xlsx_template.get_data(), "members-template.xlsx")
    assert _outcomes(_latest(database)) == {2: ("new", [])}
    page = client.get(f"/delegations/{delegation.id}/members/import").get_data(as_text=True)
    assert "<code>ja</code> (Japanese)" in page and "<code>head</code> (Head of delegation)" in page


def test_a_person_kept_by_another_region_that_a_region_of_the_delegation_does_not_see_is_refused(
        login_as, database, factories):
    """Gujarat sees a Maharashtra delegate through a visit they shared; Shizuoka, in this delegation, does not:
    the rule of the members page (check_people_may_join) holds for the import too."""
    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    shared = factories.delegation(("IN-GJ", "IN-MH"), ("JP-30",))
    theirs = factories.person("Sanjay Kulkarni", region_code="IN-MH", email="sanjay@maharashtra.example.in")
    factories.member(shared, theirs)
    unseen = factories.person("Hidden Person", region_code="IN-MH", email="hidden@maharashtra.example.in")
    client = login_as("state", "IN-GJ")
    _upload(client, delegation, _csv([{"name": "Sanjay Kulkarni", "email": "sanjay@maharashtra.example.in"},
                                      {"name": "Hidden Person", "email": "hidden@maharashtra.example.in"}]), "m.csv")
    outcomes = _outcomes(_latest(database))
    assert outcomes[2][0] == "error" and outcomes[2][1][0][0] == "email"
    assert "does not see it" in outcomes[2][1][0][1]
    # a person this region does not see is no match: the row records someone new, and names nobody
    assert outcomes[3] == ("new", [])
    assert unseen.id not in {o["person_id"] for o in _latest(database).summary["outcomes"]}


def test_another_region_gets_not_found_and_a_preview_stays_with_its_uploaders_region(app, login_as, database,
                                                                                     factories):
    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    other = factories.delegation(("IN-MH",), ("JP-30",))
    gujarat = factories.user("state", "IN-GJ")
    member_import = factories.member_import(delegation, gujarat)
    database.session.commit()
    base = f"/delegations/{delegation.id}/members"
    maharashtra = login_as("state", "IN-MH")
    for url in (f"{base}/import", f"{base}/import/template.csv", f"{base}/imports/{member_import.id}",
                f"{base}/imports/{member_import.id}/errors.csv"):
        assert maharashtra.get(url).status_code == 404, url
    assert _upload(maharashtra, delegation, _csv([{"name": "X"}]), "x.csv").status_code == 404
    assert maharashtra.post(f"{base}/imports/{member_import.id}/confirm").status_code == 404
    # Shizuoka organises the delegation too, and imports into it, but does not see Gujarat's upload
    shizuoka = login_as("prefecture", "JP-22")
    assert shizuoka.get(f"{base}/import").status_code == 200
    assert shizuoka.get(f"{base}/imports/{member_import.id}").status_code == 404
    assert shizuoka.post(f"{base}/imports/{member_import.id}/confirm").status_code == 404
    # the import under another delegation's address is no match, even for its uploader
    client = app.test_client()
    login(client, gujarat.email)
    assert client.get(f"{base}/imports/{member_import.id}").status_code == 200
    assert client.get(f"/delegations/{other.id}/members/imports/{member_import.id}").status_code == 404
    assert len(delegation.members) == 0


def test_the_person_forms_labels_in_english_and_japanese_name_the_columns(app):
    """A list whose columns are headed as the person form labels its fields (名前, 役職, 希望言語 …) imports."""
    from flask_babel import force_locale

    from planner.delegations.forms import MemberForm, PersonForm
    from planner.delegations.member_sheet import LAYOUT

    with app.test_request_context():
        for locale in ("en", "ja"):
            with force_locale(locale):
                fields = [field for form in (PersonForm(meta={"csrf": False}), MemberForm(meta={"csrf": False}))
                          for field in form if field.name in LAYOUT.column_names]
                assert len(fields) == len(LAYOUT.column_names)
                for field in fields:
                    assert LAYOUT.header_key(str(field.label.text)) == field.name, (locale, field.label.text)
    assert LAYOUT.header_key("Designation") == "title" and LAYOUT.header_key("氏名(ローマ字)") == "name"
    assert LAYOUT.header_key("Name (required)") == "name" and LAYOUT.header_key("ｅｍａｉｌ") == "email"


def test_the_rows_with_errors_download_with_their_errors_by_column(login_as, database, factories):
    delegation, _in_it, _recorded = _world(factories)
    client = login_as("state", "IN-GJ")
    _upload(client, delegation, _csv(ROWS), "gujarat.csv")
    response = client.get(f"/delegations/{delegation.id}/members/imports/{_latest(database).id}/errors.csv")
    assert response.status_code == 200 and "gujarat-errors.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [row["name"] for row in rows] == ["", "Vikram Rao", "Priya Nair", "Mehul Shah (again)", "Sunil Mehta"]
    assert list(rows[0]) == [*HEADER, "errors"]
    assert rows[1]["errors"] == ("email: 'vikram.rao@' is not a valid e-mail address; preferred_language: unknown "
                                 "language 'Gujarati' (en or ja); role: unknown role 'chief guest' (head, member, "
                                 "staff or host)")


def test_a_lists_dietary_cell_gives_the_diet_and_keeps_the_rest_as_notes():
    from planner.delegations.diets import split_diet

    assert [split_diet(text) for text in ("Jain", "Pure veg", "Vegetarian (eats egg)", "Halal; no alcohol",
                                          "ベジタリアン（卵可）", "Non-veg", "allergic to peanuts", "")] == [
        ("jain", ""), ("vegetarian", ""), ("vegetarian_egg", ""), ("halal", "no alcohol"), ("vegetarian_egg", ""),
        ("", "Non-veg"), ("", "allergic to peanuts"), ("", "")]
    # egg allowed, written after a comma or a middle dot: not plain vegetarian (which rules egg out)
    assert split_diet("Vegetarian, eats egg") == ("vegetarian_egg", "")
    assert split_diet("ベジタリアン・卵可") == ("vegetarian_egg", "")
    assert split_diet("Vegetarian, allergic to nuts") == ("vegetarian", "allergic to nuts")
    # a list that did not choose tells a kitchen nothing; a dash separates the notes too
    assert split_diet("Veg/Non-veg") == ("", "Veg/Non-veg")
    assert split_diet("Non-vegetarian") == ("", "Non-vegetarian")
    assert split_diet("Jain - no onion, no garlic") == ("jain", "no onion, no garlic")
    assert split_diet("No-beef") == ("no_beef", "")


def test_an_indian_offices_list_with_its_own_headers_imports_addresses_phones_and_diets(login_as, database,
                                                                                      factories):
    """Sr. No., Email ID, Mobile No., Company Name, Food Preference: the columns were passed over, and the
    people came in without address, phone, firm or diet (and a person listed twice was not noticed)."""
    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    client = login_as("state", "IN-GJ")
    body = ("Gujarat Industrial Delegation to Shizuoka \u2013 Participants List\r\n\r\n"
            "Sr. No.,Name of the Delegate,Designation,Company Name,Email ID,Mobile No.,Food Preference\r\n"
            "1,Mehul Shah,Director,Sabarmati Auto Pvt Ltd,mehul.shah@sabarmati.example.in,+91 98250 00001,Veg\r\n"
            '2,Priya Patel,CEO,Narmada Foods,priya@narmada.example.in,+91 98250 00002,"Jain, no onion"\r\n'
            "3,Priya Patel,CEO,Narmada Foods,Priya@Narmada.example.in,,Jain\r\n").encode("cp1252")
    response = _upload(client, delegation, body, "participants.csv")
    assert response.status_code == 302
    member_import = _latest(database)
    assert member_import.summary["ignored_columns"] == ["Sr. No."]  # as typed, not the key "sr._no."
    assert _outcomes(member_import) == {4: ("new", []), 5: ("new", []),
                                        6: ("error", [("email", "the same person as row 5 of this file")])}
    client.post(f"/delegations/{delegation.id}/members/imports/{member_import.id}/confirm")
    database.session.expire_all()
    people = {m.person.name: (m.person.title, m.person.organisation, m.person.email, m.person.phone,
                              m.person.diet, m.person.dietary) for m in delegation.members}
    assert people == {
        "Mehul Shah": ("Director", "Sabarmati Auto Pvt Ltd", "mehul.shah@sabarmati.example.in", "+91 98250 00001",
                       "vegetarian", ""),
        "Priya Patel": ("CEO", "Narmada Foods", "priya@narmada.example.in", "+91 98250 00002", "jain", "no onion")}


def test_a_japanese_offices_list_gives_readings_and_plain_letters_for_full_width_ones(login_as, database,
                                                                                    factories):
    """フリガナ was passed over (Japanese pages then listed the people out of 五十音順); a name or address typed
    with the Japanese input method on kept its full-width letters, and ｋａｔｏ＠… would have had every invite
    bounce."""
    delegation = factories.delegation(("IN-GJ",), ("JP-22",), direction="JP_IN")
    client = login_as("prefecture", "JP-22")
    body = ("令和8年度 静岡県訪問団 参加者名簿\r\n作成日：2026年11月27日\r\n"
            "氏名,フリガナ,氏名(ローマ字),役職,所属,メール,食事制限\r\n"
            "鈴木　一郎,すずき　いちろう,Ichiro Suzuki,課長,静岡県,suzuki@pref.shizuoka.example.jp,ハラール\r\n"
            ",,,,,,\r\n"
            "加藤　花子,ｶﾄｳ ﾊﾅｺ,ＫＡＴＯ　Ｈａｎａｋｏ,主任,静岡県,ｋａｔｏ．ｈａｎａｋｏ＠pref.shizuoka.example.jp,\r\n"
            "佐藤　次郎,Sato Jiro,Jiro Sato,主事,静岡県,sato@pref.shizuoka.example.jp,\r\n").encode("cp932")
    response = _upload(client, delegation, body, "名簿.csv")
    assert response.status_code == 302
    member_import = _latest(database)
    assert member_import.summary["ignored_columns"] == []
    assert _outcomes(member_import) == {
        4: ("new", []), 6: ("new", []),
        7: ("error", [("name_kana", "'Sato Jiro' is not a reading in katakana or hiragana")])}
    assert [o["email"] for o in member_import.summary["outcomes"]][:2] == [
        "suzuki@pref.shizuoka.example.jp", "kato.hanako@pref.shizuoka.example.jp"]
    client.post(f"/delegations/{delegation.id}/members/imports/{member_import.id}/confirm")
    database.session.expire_all()
    people = [(m.person.name, m.person.name_ja, m.person.name_kana, m.person.email, m.person.diet)
              for m in delegation.members]
    assert people == [("Ichiro Suzuki", "鈴木　一郎", "スズキ イチロウ", "suzuki@pref.shizuoka.example.jp", "halal"),
                      ("KATO Hanako", "加藤　花子", "カトウ ハナコ", "kato.hanako@pref.shizuoka.example.jp", "")]


def test_a_list_with_names_in_japanese_only_says_the_names_in_latin_letters_are_missing(login_as, database,
                                                                                       factories):
    delegation = factories.delegation(("IN-GJ",), ("JP-22",), direction="JP_IN")
    client = login_as("prefecture", "JP-22")
    body = ("静岡県訪問団 参加者名簿\r\n氏名,フリガナ,役職,所属,メール\r\n"
            "鈴木　一郎,スズキ イチロウ,課長,静岡県,suzuki@pref.shizuoka.example.jp\r\n").encode("cp932")
    response = _upload(client, delegation, body, "名簿.csv")
    assert response.status_code == 200 and _latest(database) is None
    assert ("Column &#39;氏名&#39; holds the names in Japanese, and no column holds them in Latin letters"
            in response.get_data(as_text=True))


def test_a_member_listed_again_with_another_address_or_a_name_twice_without_one_is_not_added_twice(
        login_as, database, factories):
    delegation, in_it, _recorded = _world(factories)
    database.session.commit()
    client = login_as("state", "IN-GJ")
    rows = [{"name": "anita  desai", "email": "anita.desai@new-address.example.in"},  # 2: the member, new address
            {"name": "Suresh Kumar"},                                                 # 3: new
            {"name": "Suresh Kumar"},                                                 # 4: row 3 again, no address
            {"name": "Suresh Kumar", "email": "suresh.kumar@example.in"}]             # 5: told apart by address
    assert _upload(client, delegation, _csv(rows), "again.csv").status_code == 302
    outcomes = _outcomes(_latest(database))
    assert outcomes[2][0] == "error" and outcomes[2][1][0][0] == "name"
    assert f"Anita Desai is in the delegation already (person no. {in_it.id}, anita.desai@ic.gujarat.example.in)" \
        in outcomes[2][1][0][1]
    assert outcomes[3] == ("new", [])
    assert outcomes[4] == ("error", [("name", "the same person as row 3 of this file")])
    assert outcomes[5] == ("new", [])


def test_a_reading_that_grows_past_its_length_when_normalised_is_an_error_at_its_column(login_as, database,
                                                                                         factories):
    # ㌔ is one character typed and キロ two stored: 150 of them fit the cell and not the record, which made the
    # confirm fail for the whole file
    delegation = factories.delegation(("IN-GJ",), ("JP-22",), direction="JP_IN")
    client = login_as("prefecture", "JP-22")
    body = ("name,name_kana\nIchiro Suzuki," + "㌔" * 150 + "\n").encode("utf-8")
    assert _upload(client, delegation, body, "members.csv").status_code == 302
    (outcome,) = _outcomes(_latest(database)).values()
    assert outcome[0] == "error" and [column for column, _message in outcome[1]] == ["name_kana"]


def test_the_preview_counts_one_row_with_errors_as_one_row(login_as, database, factories):
    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    client = login_as("state", "IN-GJ")
    response = _upload(client, delegation, _csv([{"name": "Mehul Shah"}, {"name": "Priya Nair", "role": "chief"}]),
                       "members.csv")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Download the 1 row with errors (CSV)" in page and "1 rows" not in page


def test_the_member_list_downloads_in_the_imports_columns_and_imports_back_as_already_there(login_as, database,
                                                                                             factories):
    delegation = factories.delegation(("IN-GJ",), ("JP-22",), title="Gujarat delegation to Shizuoka")
    anjali = factories.person("Anjali Mehta", email="anjali@example.in", diet="jain", dietary="Allergic to peanuts",
                              needs_interpreter=True, phone="+91 79 2325 0000")
    suzuki = factories.person("Ichiro Suzuki", name_ja="鈴木 一郎", name_kana="スズキ イチロウ",
                              email="i.suzuki@example.jp", preferred_language="ja")
    tricky = factories.person("=HYPERLINK(\"http://evil.example\")", email="tricky@example.in")
    factories.member(delegation, anjali, "head", 1)
    factories.member(delegation, suzuki, "host", 50)
    factories.member(delegation, tricky, "member", 60)
    database.session.commit()
    client = login_as("state", "IN-GJ")
    page = client.get(f"/delegations/{delegation.id}/members").get_data(as_text=True)
    assert f'href="/delegations/{delegation.id}/members.xlsx"' in page

    response = client.get(f"/delegations/{delegation.id}/members.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    # named as the hotel or the airline knows the group, not by a number
    assert "Gujarat delegation to Shizuoka - members.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert list(rows[0]) == HEADER
    assert rows[0] == {**dict.fromkeys(HEADER, ""), "name": "Anjali Mehta", "email": "anjali@example.in",
                            "phone": "'+91 79 2325 0000", "preferred_language": "en", "needs_interpreter": "yes",
                            "dietary": "Jain, Allergic to peanuts", "role": "head", "precedence": "1"}
    assert (rows[1]["name_ja"], rows[1]["name_kana"], rows[1]["role"]) == ("鈴木 一郎", "スズキ イチロウ", "host")
    assert rows[2]["name"].startswith("'=")  # no formula for the spreadsheet to run (nor a '+91' sum: guarded)

    workbook = load_workbook(io.BytesIO(client.get(f"/delegations/{delegation.id}/members.xlsx").data))
    sheet = workbook["Members"]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet.cell(row=4, column=1).data_type == "s"  # the formula-like name stays text

    # the file imports back: every row is someone in the delegation already
    assert _upload(client, delegation, response.get_data(), "members.csv").status_code == 302
    outcomes = _outcomes(_latest(database))
    assert [status for status, _errors in outcomes.values()] == ["member", "member", "member"]


def test_a_members_full_dietary_notes_after_their_diet_import_back(login_as, database, factories):
    # the export writes the diet before the notes ('Vegetarian (eats egg), …'): with the 500 characters of notes
    # the person form takes, the cell is longer than 500, and the row read 'longer than 500 characters'
    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    notes = "No onion or garlic. " * 25
    factories.member(delegation, factories.person("Anjali Mehta", email="anjali@example.in", diet="vegetarian_egg",
                                                  dietary=notes.strip()))
    database.session.commit()
    client = login_as("state", "IN-GJ")
    exported = client.get(f"/delegations/{delegation.id}/members.csv").get_data()
    assert _upload(client, delegation, exported, "members.csv").status_code == 302
    assert list(_outcomes(_latest(database)).values()) == [("member", [])]
    # notes longer than a person keeps are still an error at the column, the diet in front or not
    body = _csv([{"name": "Mehul Shah", "dietary": "Jain, " + "x" * 501}, {"name": "Priya Nair", "dietary": "x" * 501},
                 {"name": "Kavita Joshi", "dietary": "Vegetarian (eats egg), " + "x" * 500}])
    assert _upload(client, delegation, body, "members.csv").status_code == 302
    assert list(_outcomes(_latest(database)).values()) == [
        ("error", [("dietary", "longer than 500 characters")]), ("error", [("dietary", "longer than 500 characters")]),
        ("new", [])]
