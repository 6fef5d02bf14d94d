"""Lists of people on Japanese pages read in the order of the readings of the names (五十音順, family name
first; people without a reading after them, by romanised name); on English pages by the romanised name."""

import re
from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import select

from planner.delegations.models import Person
from planner.delegations.ordering import people_order, people_sort_key

PEOPLE = [  # name, name_ja, reading as typed
    ("Taro Yamada", "山田 太郎", "やまだ たろう"),
    ("Ichiro Suzuki", "鈴木 一郎", "ｽｽﾞｷ ｲﾁﾛｳ"),
    ("Zaid Khan", "", ""),
    ("Kenji Yama", "山 健二", "ヤマ　ダイキ"),
    ("Mehul Shah", "", ""),
    ("Makoto Aoki", "青木 誠", "アオキ マコト"),
]
PEOPLE_NAMES = [name for name, _name_ja, _kana in PEOPLE]
# アオキ, スズキ, ヤマ ダイキ (family name ヤマ before ヤマダ), ヤマダ タロウ; then those with no reading, by name
JAPANESE_ORDER = ["Makoto Aoki", "Ichiro Suzuki", "Kenji Yama", "Taro Yamada", "Mehul Shah", "Zaid Khan"]
ENGLISH_ORDER = ["Ichiro Suzuki", "Kenji Yama", "Makoto Aoki", "Mehul Shah", "Taro Yamada", "Zaid Khan"]


def _record_people(factories, region_code="JP-22") -> dict[str, Person]:
    return {name: factories.person(name, name_ja=name_ja, name_kana=kana, region_code=region_code)
            for name, name_ja, kana in PEOPLE}


def _in_page_order(page: str, names) -> list[str]:
    found = {name: page.find(name) for name in names}
    assert all(at >= 0 for at in found.values()), found
    return sorted(found, key=found.get)


def test_the_people_list_reads_in_gojuon_order_on_japanese_pages_and_by_name_on_english_ones(
        login_as, factories, database):
    people = _record_people(factories)
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    english = client.get("/people/").get_data(as_text=True)
    assert _in_page_order(english, [f"/people/{people[name].id}\"" for name in PEOPLE_NAMES]) == [
        f"/people/{people[name].id}\"" for name in ENGLISH_ORDER]
    client.post("/language", data={"locale": "ja", "next": "/"})
    japanese = client.get("/people/").get_data(as_text=True)
    assert _in_page_order(japanese, [f"/people/{people[name].id}\"" for name in PEOPLE_NAMES]) == [
        f"/people/{people[name].id}\"" for name in JAPANESE_ORDER]


def test_the_sql_order_and_the_python_order_of_people_agree_in_both_languages(app, factories, database):
    _record_people(factories)
    database.session.flush()
    for language, expected in (("en", ENGLISH_ORDER), ("ja", JAPANESE_ORDER)):
        with app.test_request_context(), force_locale(language):
            in_sql = [p.name for p in database.session.scalars(
                select(Person).where(Person.name.in_(PEOPLE_NAMES)).order_by(*people_order()))]
            in_python = [p.name for p in sorted(database.session.scalars(
                select(Person).where(Person.name.in_(PEOPLE_NAMES))), key=people_sort_key)]
        assert in_sql == in_python == expected, language


def test_readings_sort_by_code_point_whatever_the_databases_collation(app, factories, database):
    # a PostgreSQL database collated by a locale (ICU's en-US) put ガア before カキ, and the lists gathered in
    # Python (pickers) after it: one order on every database, the one Python's comparison gives
    for name, kana in (("Gaa", "ガア"), ("Kaki", "カキ"), ("Kaa", "カア"), ("Yamada", "ヤマダ タロウ"),
                       ("Yamadai", "ヤマダイチ")):
        factories.person(name, name_kana=kana)
    database.session.flush()
    chosen = select(Person).where(Person.name.in_(["Gaa", "Kaki", "Kaa", "Yamada", "Yamadai"]))
    with app.test_request_context(), force_locale("ja"):
        in_sql = [p.name for p in database.session.scalars(chosen.order_by(*people_order()))]
        in_python = [p.name for p in sorted(database.session.scalars(chosen), key=people_sort_key)]
    assert in_sql == in_python == ["Kaa", "Kaki", "Gaa", "Yamada", "Yamadai"]


def test_the_member_and_attendee_pickers_read_in_gojuon_order_on_japanese_pages(login_as, factories, database):
    people = _record_people(factories)
    delegation = factories.delegation()
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    client.post("/language", data={"locale": "ja", "next": "/"})
    ids = {str(person.id): name for name, person in people.items()}
    for url in (f"/delegations/{delegation.id}/members", f"/delegations/{delegation.id}/events/new"):
        page = client.get(url).get_data(as_text=True)
        options = [ids[value] for value in re.findall(r'<option value="(\d+)"', page) if value in ids] or [
            ids[value] for value in re.findall(r'name="attendees"[^>]*value="(\d+)"', page) if value in ids]
        assert options == JAPANESE_ORDER, url


def test_an_events_attendees_who_are_not_members_follow_the_members_in_the_pages_order(app, factories, database):
    people = _record_people(factories)
    delegation = factories.delegation()
    factories.member(delegation, people["Zaid Khan"], role="head", precedence=1)
    event = factories.event(delegation, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 11),
                            attendees=list(people.values()))
    database.session.flush()
    with app.test_request_context(), force_locale("ja"):
        japanese = [person.name for person in event.attendees]
    with app.test_request_context(), force_locale("en"):
        english = [person.name for person in event.attendees]
    assert japanese == ["Zaid Khan"] + [name for name in JAPANESE_ORDER if name != "Zaid Khan"]
    assert english == ["Zaid Khan"] + [name for name in ENGLISH_ORDER if name != "Zaid Khan"]


def test_the_interpreter_and_representative_pickers_read_in_gojuon_order_and_filter_by_reading(
        login_as, factories, database):
    people = _record_people(factories, region_code="IN-GJ")
    session = factories.b2b_session()
    participant = factories.b2b_participant(session, "IN-GJ")
    database.session.commit()
    client = login_as("state", "IN-GJ")
    client.post("/language", data={"locale": "ja", "next": "/"})
    ids = {str(person.id): name for name, person in people.items()}
    for url in (f"/b2b/{session.id}", f"/b2b/participants/{participant.id}"):
        page = client.get(url).get_data(as_text=True)
        ticked = [ids[value] for value in re.findall(r'name="(?:pool|representatives)" type="checkbox" value="(\d+)"', page) if value in ids]
        assert ticked == JAPANESE_ORDER, url
        # the filter box over the list finds a person by the reading too (planner.js folds the kana scripts)
        assert re.search(rf'data-search="Taro Yamada 山田 太郎 ヤマダ タロウ[^"]*"[^>]*value="{people["Taro Yamada"].id}"'
                         rf'|value="{people["Taro Yamada"].id}"[^>]*data-search="Taro Yamada 山田 太郎 ヤマダ タロウ',
                         page), url

def test_a_sessions_interpreters_and_a_firms_representatives_are_named_in_gojuon_order_on_japanese_pages(
        login_as, factories, database):
    people = _record_people(factories, region_code="IN-GJ")
    session = factories.b2b_session()
    indian = factories.b2b_participant(session, "IN-GJ")
    japanese = factories.b2b_participant(session, "JP-22")
    meeting = factories.b2b_meeting(session, indian, japanese, slot=1, needs_interpreter=True)
    session.interpreter_pool = list(people.values())
    indian.representatives = list(people.values())
    database.session.commit()
    client = login_as("state", "IN-GJ")
    client.post("/language", data={"locale": "ja", "next": "/"})
    listed = ("青木 誠、鈴木 一郎、山 健二、山田 太郎、<span lang=\"en\">Mehul Shah</span>、"
              "<span lang=\"en\">Zaid Khan</span>")
    assert listed in client.get(f"/b2b/{session.id}").get_data(as_text=True)
    assert listed in client.get(f"/b2b/participants/{indian.id}").get_data(as_text=True)
    page = client.get(f"/b2b/meetings/{meeting.id}/edit").get_data(as_text=True)
    ids = {str(person.id): name for name, person in people.items()}
    interpreter_select = page[page.index('name="interpreter"'):]
    interpreter_select = interpreter_select[:interpreter_select.index("</select>")]
    assert [ids[value] for value in re.findall(r'<option value="(\d+)"', interpreter_select)] == JAPANESE_ORDER


def test_names_sort_by_code_point_on_postgresql_too_in_both_languages(app):
    # a database collated en_US put 'De Souza' after 'Deepak' on English pages, where SQLite and the lists sorted
    # in Python put it before: the ORDER BY compares romanised names as SQLite does, whatever the collation
    from sqlalchemy.dialects import postgresql

    for language in ("en", "ja"):
        with app.test_request_context(), force_locale(language):
            sql = str(select(Person.id).order_by(*people_order()).compile(dialect=postgresql.dialect()))
        assert 'lower(people.name) COLLATE "C"' in sql and 'people.name COLLATE "C"' in sql, language


def test_english_lists_put_a_name_written_in_lower_case_among_its_letter(app, factories, database):
    for name in ("Zed Khan", "de Souza", "Deepak Rao", "van Dijk", "Anil Kumar"):
        factories.person(name)
    database.session.flush()
    chosen = select(Person).where(Person.name.in_(["Zed Khan", "de Souza", "Deepak Rao", "van Dijk", "Anil Kumar"]))
    with app.test_request_context(), force_locale("en"):
        in_sql = [p.name for p in database.session.scalars(chosen.order_by(*people_order()))]
        in_python = [p.name for p in sorted(database.session.scalars(chosen), key=people_sort_key)]
    assert in_sql == in_python == ["Anil Kumar", "de Souza", "Deepak Rao", "van Dijk", "Zed Khan"]
