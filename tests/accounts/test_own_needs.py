"""A delegate tells their hosts their diet, allergies, accessibility needs and phone on their profile page;
the organisers see them on the person's record and the events' dietary sheets. Nobody else's record changes."""

import re

from planner.core.audit import AuditEntry
from planner.delegations.models import Person
from tests import factories as make


def _delegate_with_person(login_as, database):
    client = login_as("delegate")
    person = make.person("Mehul Shah", user=client.user, phone="+91 98250 00000", dietary="")
    database.session.commit()
    return client, person


def test_a_delegate_records_their_own_needs_which_the_organisers_then_see(login_as, database):
    client, person = _delegate_with_person(login_as, database)
    page = client.get("/account").get_data(as_text=True)
    assert "Your needs during visits" in page and 'action="/account/needs"' in page
    assert 'value="+91 98250 00000"' in page
    response = client.post("/account/needs", data={"diet": "jain", "dietary": " Allergic to peanuts ",
                                                   "accessibility": "Step-free access", "phone": "+91 98250 11111"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/account")
    database.session.refresh(person)
    assert (person.diet, person.dietary, person.accessibility, person.phone) == (
        "jain", "Allergic to peanuts", "Step-free access", "+91 98250 11111")
    assert re.search(r'<option selected value="jain">', client.get("/account").get_data(as_text=True))
    entry = database.session.query(AuditEntry).filter_by(object_type="people", object_id=str(person.id)).order_by(
        AuditEntry.id.desc()).first()
    assert entry.actor_id == client.user.id and "diet" in entry.changes

    delegation = make.delegation(("IN-GJ",), ("JP-22",))
    make.member(delegation, person)
    database.session.commit()
    organiser_page = login_as("state", "IN-GJ").get(f"/people/{person.id}").get_data(as_text=True)
    assert "Jain · Allergic to peanuts" in organiser_page


def test_a_bad_phone_or_an_unknown_diet_is_refused_at_the_field_and_nothing_is_saved(login_as, database):
    client, person = _delegate_with_person(login_as, database)
    page = client.post("/account/needs", data={"diet": "jain", "phone": "call me maybe",
                                               "dietary": "x"}).get_data(as_text=True)
    assert re.search(r'id="phone"[^>]*is-invalid|is-invalid[^>]*id="phone"', page)
    page = client.post("/account/needs", data={"diet": "carnivore", "phone": ""}).get_data(as_text=True)
    assert re.search(r'id="diet"[^>]*is-invalid|is-invalid[^>]*id="diet"', page)
    database.session.refresh(person)
    assert (person.diet, person.dietary, person.phone) == ("", "", "+91 98250 00000")


def test_an_account_that_is_nobodys_record_has_no_needs_form(login_as, database):
    client = login_as("delegate")
    other = make.person("Someone Else")
    database.session.commit()
    assert "Your needs during visits" not in client.get("/account").get_data(as_text=True)
    assert client.post("/account/needs", data={"diet": "vegan"}).status_code == 404
    database.session.refresh(other)
    assert other.diet == ""
    staff = login_as("state", "IN-GJ")
    assert staff.post("/account/needs", data={"diet": "vegan"}).status_code == 404
    assert database.session.query(Person).filter(Person.diet != "").count() == 0


def test_the_needs_form_reads_in_japanese(login_as, database):
    client, _person = _delegate_with_person(login_as, database)
    client.user.locale = "ja"
    database.session.commit()
    page = client.get("/account").get_data(as_text=True)
    assert "ジャイナ教徒の菜食" in page and "（特になし）" in page
