"""The order lists of people are read in: on Japanese pages by the reading of the name (フリガナ), in 五十音順,
family name first; people without a reading after those with one, by romanised name. English pages keep the
romanised order. One order for every list (the people page, pickers, attendees), in SQL and in Python alike.

五十音順 here is the Unicode order of the katakana (ア < イ < … < カ < ガ < キ), which readings are stored in
(``firms.normalise.person_reading``); a space sorts before every kana, so ヤマ ダイ (family name ヤマ) comes before
ヤマダ タロウ."""

from sqlalchemy import String, case, collate, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from planner.core.timefmt import display_language
from planner.delegations.models import Person


class by_code_point(FunctionElement):  # noqa: N801 (an SQL construct, named as SQLAlchemy's are)
    """A text column compared by Unicode code points: COLLATE "C" on PostgreSQL, whose databases may collate
    by a locale that skips spaces (ヤマダ タロウ after ヤマダイチ) or orders kana its own way; SQLite compares
    that way already (BINARY)."""

    type = String()
    name = "by_code_point"
    inherit_cache = True


@compiles(by_code_point)
def _compile_plain(element, compiler, **kw):
    return compiler.process(element.clauses.clauses[0], **kw)


@compiles(by_code_point, "postgresql")
def _compile_postgresql(element, compiler, **kw):
    return compiler.process(collate(element.clauses.clauses[0], "C"), **kw)


def people_order(person=Person) -> tuple:
    """ORDER BY clauses for a query of people (``person``: the Person entity or an alias of it)."""
    # romanised names by code point, case aside ('de Souza' among the Ds, not after 'Zed'): a PostgreSQL
    # database collated en_US put 'De Souza' after 'Deepak', where SQLite and the lists sorted in Python
    # (people_sort_key) put it before
    names = (by_code_point(func.lower(person.name)), by_code_point(person.name), person.id)
    if display_language() == "ja":
        return (case((person.name_kana == "", 1), else_=0), by_code_point(person.name_kana), *names)
    return names


def people_sort_key(person: Person) -> tuple:
    """``people_order`` for people already loaded (lists gathered from several places)."""
    names = (person.name.lower(), person.name, person.id)
    if display_language() == "ja":
        return not person.name_kana, person.name_kana, *names
    return names


def sorted_people(people) -> list[Person]:
    return sorted(people, key=people_sort_key)
