"""Pages of a list: every row on exactly one page, whatever the sort key."""

from sqlalchemy import select
from sqlalchemy.orm import aliased

from planner.core.views import Page, _stable
from planner.delegations.models import Person


def test_the_order_of_a_page_ends_with_the_primary_key(database):
    # rows sharing a sort key could come in another order for each page's query (PostgreSQL): a person of a
    # common name shown on two pages and another on none
    sql = str(_stable(select(Person).order_by(Person.name)).compile())
    assert sql.rstrip().endswith("ORDER BY people.name, people.id")
    alias = aliased(Person, name="p")
    assert str(_stable(select(alias).order_by(alias.name)).compile()).rstrip().endswith("ORDER BY p.name, p.id")


def test_people_of_one_name_are_each_on_exactly_one_page(app, factories, database):
    people = [factories.person("Same Name", region_code="IN-GJ") for _ in range(7)]
    database.session.flush()
    with app.test_request_context():
        seen = [person.id for number in (1, 2, 3)
                for person in Page(select(Person).order_by(Person.name), number, per_page=3).items]
    assert sorted(seen) == sorted(person.id for person in people)
