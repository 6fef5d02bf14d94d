"""Malformed requests to the delegation, itinerary and tracker routes: 404 or a form error, never a 500."""

from datetime import datetime

import pytest


@pytest.mark.parametrize("url", [
    "/delegations/0", "/delegations/99999999999999999999", "/delegations/-1/edit", "/delegations/12345/status",
    "/delegations/12345/members", "/delegations/12345/members/1/edit", "/delegations/12345/events/new",
    "/delegations/12345/agenda", "/delegations/12345/itinerary.csv", "/events/0", "/events/12345/edit",
    "/events/12345/status", "/people/0", "/people/12345/edit", "/people/12345/agenda", "/venues/0",
    "/venues/12345/edit", "/exchanges/0", "/people/new?delegation=12345",
])
def test_unknown_ids_are_404(login_as, url):
    assert login_as("admin").get(url).status_code == 404


def test_garbage_posts_to_every_form_render_the_form_again(login_as, factories, database):
    delegation = factories.delegation()
    person = factories.person("P", region_code="IN-GJ")
    member = factories.member(delegation, person)
    venue = factories.venue("V", "IN", region_code="IN-GJ")
    event = factories.event(delegation, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 11))
    database.session.commit()
    client = login_as("state", "IN-GJ")
    garbage = {"title": "x" * 5000, "name": "", "action": "explode", "role": "king", "precedence": "many",
               "person": "me", "kind": "party", "venue": "[]", "country": "XX", "capacity": "-5",
               "local_start": "soon", "start_date": "2026-02-30", "preferred_language": "fr", "reason": "r" * 1001}
    for url in ("/delegations/new", f"/delegations/{delegation.id}/edit", f"/delegations/{delegation.id}/status",
                f"/delegations/{delegation.id}/members", f"/delegations/{delegation.id}/members/{member.id}/edit",
                f"/delegations/{delegation.id}/events/new", f"/events/{event.id}/edit", f"/events/{event.id}/status",
                "/people/new", f"/people/{person.id}/edit", "/venues/new", f"/venues/{venue.id}/edit"):
        response = client.post(url, data=garbage)
        assert response.status_code == 200, url
        assert "invalid-feedback" in response.get_data(as_text=True), url


def test_a_delegate_cannot_post_to_staff_forms(login_as, factories, database):
    delegation = factories.delegation()
    database.session.commit()
    client = login_as("delegate")
    assert client.post("/delegations/new", data={}).status_code == 403
    assert client.post(f"/delegations/{delegation.id}/events/new", data={}).status_code == 403
    assert client.post("/people/new", data={}).status_code == 403


def test_staff_of_another_region_cannot_post_to_our_delegation(login_as, factories, database):
    delegation = factories.delegation()
    database.session.commit()
    client = login_as("state", "IN-MH")
    for url in (f"/delegations/{delegation.id}/status", f"/delegations/{delegation.id}/members",
                f"/delegations/{delegation.id}/events/new"):
        assert client.post(url, data={"action": "cancel", "reason": "x"}).status_code == 404, url
    database.session.refresh(delegation)
    assert delegation.status == "planning"
