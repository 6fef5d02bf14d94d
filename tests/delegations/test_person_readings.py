"""The reading of a person's name (フリガナ): typed in either kana script, half- or full-width, stored in
katakana; refused in other scripts; people search finds a person by it."""

import re

import pytest
from sqlalchemy import select

from planner.delegations.models import Person
from planner.firms.normalise import is_katakana_reading, person_reading


def _person_form(**extra):
    data = {"name": "Ichiro Suzuki", "name_ja": "鈴木 一郎", "name_kana": "", "preferred_language": "ja"}
    data.update(extra)
    return data


@pytest.mark.parametrize(("typed", "stored"), [
    ("すずき いちろう", "スズキ イチロウ"),  # hiragana
    ("ｽｽﾞｷ ｲﾁﾛｳ", "スズキ イチロウ"),  # half-width katakana, voiced marks apart
    ("  スズキ　　イチロウ ", "スズキ イチロウ"),  # full-width and repeated spaces
    ("ラジェシュ・クマール", "ラジェシュ・クマール"),  # a foreign name: middle dot and long vowel
    ("ゔぁるま", "ヴァルマ"),
    ("", ""),
])
def test_a_reading_is_stored_in_katakana_with_single_spaces(typed, stored):
    assert person_reading(typed) == stored
    assert is_katakana_reading(person_reading(typed))


@pytest.mark.parametrize("typed", ["Suzuki Ichiro", "鈴木 イチロウ", "スズキ1", "ＳＵＺＵＫＩ", "스즈키"])
def test_letters_kanji_digits_and_other_scripts_are_no_reading(typed):
    assert not is_katakana_reading(person_reading(typed))


def test_the_person_form_stores_a_reading_typed_in_hiragana_in_katakana(login_as, database):
    client = login_as("prefecture", "JP-22")
    response = client.post("/people/new", data=_person_form(name_kana="すずき　いちろう"))
    assert response.status_code == 302
    person = database.session.scalar(select(Person).where(Person.name == "Ichiro Suzuki"))
    assert person.name_kana == "スズキ イチロウ"
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert '<dd class="col-sm-9" lang="ja">スズキ イチロウ</dd>' in page
    assert 'value="スズキ イチロウ"' in client.get(f"/people/{person.id}/edit").get_data(as_text=True)
    assert client.post(f"/people/{person.id}/edit", data=_person_form(name_kana="ｽｽﾞｷ ｲﾁﾛｳ")).status_code == 302
    database.session.refresh(person)
    assert person.name_kana == "スズキ イチロウ"


@pytest.mark.parametrize("typed", ["Suzuki Ichiro", "鈴木 一郎"])
def test_the_person_form_refuses_a_reading_in_another_script_at_the_field(login_as, database, typed):
    client = login_as("prefecture", "JP-22")
    page = client.post("/people/new", data=_person_form(name_kana=typed)).get_data(as_text=True)
    assert re.search(r'id="name_kana-error"[^>]*>Write the reading in katakana or hiragana only, e\.g\. '
                     r'スズキ イチロウ\.</div>', page)
    assert database.session.scalar(select(Person).where(Person.name == "Ichiro Suzuki")) is None


def test_a_reading_that_grows_past_200_characters_when_normalised_is_refused(login_as, database):
    page = login_as("admin").post("/people/new", data=_person_form(name_kana="㌔" * 150)).get_data(as_text=True)
    assert "Keep the reading under 200 characters." in page
    assert database.session.scalar(select(Person).where(Person.name == "Ichiro Suzuki")) is None


@pytest.mark.parametrize("query", ["やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "やまだたろう", "たろう やまだ"])
def test_people_search_finds_a_person_by_the_reading_in_either_kana_script(login_as, factories, database, query):
    yamada = factories.person("T. Yamada", name_kana="ヤマダ タロウ", region_code="JP-22")  # no Japanese name
    factories.person("Ichiro Suzuki", name_kana="スズキ イチロウ", region_code="JP-22")
    database.session.commit()
    page = login_as("prefecture", "JP-22").get("/people/", query_string={"q": query}).get_data(as_text=True)
    assert f"/people/{yamada.id}\"" in page and "Ichiro Suzuki" not in page
