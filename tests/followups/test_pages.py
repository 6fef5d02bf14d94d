"""The follow-up and agreement pages: recording through forms, errors at the field, no 500 on malformed input,
and no way to point at another tenant's records."""

import re
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from planner.followups.agreement_models import Agreement, ExchangeRate
from planner.followups.models import FollowUp


def _count(database, model) -> int:
    return database.session.scalar(select(func.count()).select_from(model))


def test_state_user_records_a_followup_from_a_meeting(b2b, login_as, database):
    client = login_as("state", "IN-GJ")
    database.session.commit()
    url = f"/outcomes/followups/new?meeting={b2b.meeting.id}"
    assert client.get(url).status_code == 200
    response = client.post(url, data={
        "stage": "exploring", "next_action": "Send samples", "owner": str(client.user.id), "due_date": "2026-12-01",
        "status": "open", "firms": [str(b2b.indian.firm_id), str(b2b.japanese.firm_id)],
        "regions": [str(b2b.delegation.region_links[0].region_id)], "note": "Met at table 1"})
    assert response.status_code == 302
    followup = database.session.scalars(select(FollowUp)).one()
    assert (followup.next_action, followup.due_date, followup.owner_id) == ("Send samples", date(2026, 12, 1),
                                                                           client.user.id)
    assert followup.entries[0].note == "Met at table 1"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Send samples" in page and "Met at table 1" in page


def test_new_followup_for_another_tenants_meeting_is_404(b2b, login_as, database):
    client = login_as("state", "IN-MH")
    database.session.commit()
    url = f"/outcomes/followups/new?meeting={b2b.meeting.id}"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"stage": "exploring"}).status_code == 404
    assert _count(database, FollowUp) == 0


@pytest.mark.parametrize("query", ["", "meeting=abc", "meeting=0", "meeting=99999999999", "event=", "delegation=-1"])
def test_new_followup_with_malformed_origin_is_404(query, login_as):
    assert login_as("state", "IN-GJ").get(f"/outcomes/followups/new?{query}").status_code == 404


@pytest.mark.parametrize("data", [
    {"stage": "bogus"},
    {"stage": "exploring", "owner": "abc"},
    {"stage": "exploring", "owner": "999999"},
    {"stage": "exploring", "due_date": "31/12/2026"},
    {"stage": "exploring", "due_date": "0001-01-01"},
    {"stage": "exploring", "title": "x" * 201},
    {"stage": "exploring", "firms": ["abc"]},
    {"stage": "exploring", "regions": ["999999"]},
    {"stage": "exploring", "next_action": "y" * 501},
    {},
])
def test_new_followup_with_malformed_input_shows_errors(data, b2b, login_as, database):
    client = login_as("state", "IN-GJ")
    database.session.commit()
    response = client.post(f"/outcomes/followups/new?meeting={b2b.meeting.id}", data=data)
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True) or "alert-danger" in response.get_data(as_text=True)
    assert _count(database, FollowUp) == 0


def test_edit_changes_stage_and_shows_history(b2b, factories, login_as, database):
    client = login_as("prefecture", "JP-22")
    followup = factories.followup(b2b.meeting, owner=client.user, stage="exploring")
    database.session.commit()
    response = client.post(f"/outcomes/followups/{followup.id}/edit", data={
        "title": followup.title, "stage": "negotiation_started", "owner": str(client.user.id), "status": "open",
        "firms": [str(f.id) for f in followup.firms], "regions": [str(r.id) for r in followup.regions],
        "note": "Term sheet exchanged"})
    assert response.status_code == 302
    database.session.refresh(followup)
    assert followup.stage == "negotiation_started"
    html = client.get(f"/outcomes/followups/{followup.id}").get_data(as_text=True)
    html = html[html.index("History"):]  # read top to bottom: created as exploring, then moved on
    assert html.index("Exploring") < html.index("Negotiation started") and "Term sheet exchanged" in html


def test_followup_list_filters_by_overdue(b2b, factories, login_as, database):
    client = login_as("state", "IN-GJ")
    factories.followup(b2b.meeting, owner=client.user, title="Late one", due_date=date(2020, 1, 1))
    factories.followup(b2b.meeting_2, owner=client.user, title="Future one", due_date=date(2099, 1, 1))
    database.session.commit()
    html = client.get("/outcomes/followups/?overdue=1").get_data(as_text=True)
    assert "Late one" in html and "Future one" not in html
    assert client.get("/outcomes/followups/?stage=x&status=y&owner=z&year=abc&partnership=-1").status_code == 200
    # the owner's own filter, by id, keeps working
    html = client.get(f"/outcomes/followups/?owner={client.user.id}&status=all").get_data(as_text=True)
    assert "Late one" in html and "Future one" in html


@pytest.mark.parametrize("url", [
    "/outcomes/followups/?year=²", "/outcomes/followups/?partnership=²", "/outcomes/followups/?owner=²",
    "/outcomes/followups/?owner=99999999999999999999", "/outcomes/followups/?partnership=99999999999999999999",
    "/outcomes/followups.csv?year=²", "/outcomes/agreements/?year=²", "/outcomes/agreements/?partnership=" + "9" * 30,
    "/outcomes/agreements.xlsx?partnership=²", "/outcomes/?year=²", "/outcomes/?partnership=²",
    "/outcomes/?partnership=99999999999999999999", "/outcomes/funnel.svg?year=²"])
def test_a_malformed_number_in_the_query_string_is_ignored(url, b2b, login_as, database):
    # "²" passes str.isdigit() but not int(); a huge id overflowed the database's integer (500s)
    client = login_as("state", "IN-GJ")
    database.session.commit()
    assert client.get(url).status_code == 200


def test_state_user_records_an_agreement(b2b, factories, login_as, database):
    client = login_as("state", "IN-GJ")
    followup = factories.followup(b2b.meeting, owner=client.user, stage="mou_signed")
    database.session.commit()
    response = client.post("/outcomes/agreements/new", data={
        "title": "MoU on EV components", "kind": "mou", "partnership": str(b2b.partnership.id),
        "signed_on": "2026-11-02", "value_amount": "1,25,00,000.50", "value_currency": "INR", "jobs_expected": "85",
        "regions": [str(factories.region("IN-GJ").id), str(factories.region("JP-22").id)],
        "firms": [str(b2b.indian.firm_id)], "followups": [str(followup.id)]})
    assert response.status_code == 302, response.get_data(as_text=True)
    agreement = database.session.scalars(select(Agreement)).one()
    assert str(agreement.value_amount) == "12500000.50" and agreement.value_currency == "INR"
    assert [m.id for m in agreement.meetings] == [b2b.meeting.id]
    assert [f.id for f in agreement.followups] == [followup.id]


@pytest.mark.parametrize("data, field", [
    ({"value_amount": "12.345", "value_currency": "INR"}, "value_amount"),
    ({"value_amount": "abc", "value_currency": "INR"}, "value_amount"),
    ({"value_amount": "100", "value_currency": ""}, "value_currency"),
    ({"value_amount": "100", "value_currency": "EUR"}, "value_currency"),
    ({"value_amount": "12.5 crore", "value_currency": "JPY"}, "value_amount"),  # not ¥125,000,000
    ({"value_amount": "5億", "value_currency": "INR"}, "value_amount"),
    ({"signed_on": "2026-13-45"}, "signed_on"),
    ({"jobs_expected": "-3"}, "jobs_expected"),
    ({"jobs_expected": "many"}, "jobs_expected"),
    ({"partnership": "abc"}, "partnership"),
    ({"title": ""}, "title"),
])
def test_agreement_form_refuses_malformed_input(data, field, factories, login_as, database):
    client = login_as("state", "IN-GJ")
    database.session.commit()
    form = {"title": "MoU", "kind": "mou", "signed_on": "2026-11-02", "regions": [str(factories.region("IN-GJ").id)],
            **data}
    response = client.post("/outcomes/agreements/new", data=form)
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert _count(database, Agreement) == 0


def test_an_amount_in_crore_or_oku_names_its_currency_when_none_is_chosen(factories, login_as, database):
    client = login_as("state", "IN-GJ")
    database.session.commit()
    for amount, currency, stored in (("12.5 crore", "INR", "125000000.00"), ("5億", "JPY", "500000000.00")):
        response = client.post("/outcomes/agreements/new", data={
            "title": f"MoU {amount}", "kind": "mou", "signed_on": "2026-11-02", "value_amount": amount,
            "value_currency": "", "regions": [str(factories.region("IN-GJ").id)]})
        assert response.status_code == 302, response.get_data(as_text=True)
        agreement = database.session.scalars(select(Agreement).where(Agreement.title == f"MoU {amount}")).one()
        assert (str(agreement.value_amount), agreement.value_currency) == (stored, currency)


def test_recording_the_same_agreement_twice_asks_first_and_links_the_first(b2b, factories, login_as, database):
    client = login_as("state", "IN-GJ")
    database.session.commit()
    form = {"title": "MoU on EV components", "kind": "mou", "partnership": str(b2b.partnership.id),
            "signed_on": "2026-11-02", "value_amount": "12.5 crore", "value_currency": "INR",
            "regions": [str(factories.region("IN-GJ").id), str(factories.region("JP-22").id)]}
    assert client.post("/outcomes/agreements/new", data=form).status_code == 302
    first = database.session.scalars(select(Agreement)).one()
    again = {**form, "title": "  mou on EV  components ", "value_amount": "125000000"}
    response = client.post("/outcomes/agreements/new", data=again)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and _count(database, Agreement) == 1
    assert 'id="title-error"' in html and "This agreement looks recorded already" in html
    assert f'href="/outcomes/agreements/{first.id}">MoU on EV components</a>' in html
    assert 'name="confirm_same"' in html
    # another value (or date, or partnership) is another agreement: no question
    assert client.post("/outcomes/agreements/new", data={**form, "value_amount": "13 crore"}).status_code == 302
    assert client.post("/outcomes/agreements/new", data={**again, "confirm_same": "y"}).status_code == 302
    assert _count(database, Agreement) == 3


def test_an_agreement_the_user_cannot_open_is_not_shown_as_the_same(factories, login_as, database):
    factories.agreement(regions=("IN-MH", "JP-30"), title="MoU", signed_on=date(2026, 11, 2))
    client = login_as("state", "IN-GJ")
    assert client.post("/outcomes/agreements/new", data={
        "title": "MoU", "kind": "mou", "signed_on": "2026-11-02",
        "regions": [str(factories.region("IN-GJ").id)]}).status_code == 302


def test_agreement_page_shows_value_and_equivalents(factories, login_as, database):
    from planner.followups.agreements import add_rate

    add_rate("USD", "INR", "84", date(2026, 1, 1))
    agreement = factories.agreement(value="1000", currency="USD", signed_on=date(2026, 3, 1))
    client = login_as("state", "IN-GJ")
    database.session.commit()
    html = client.get(f"/outcomes/agreements/{agreement.id}").get_data(as_text=True)
    assert "USD 1,000.00" in html and "≈ INR 84,000.00" in html


def test_status_change_through_the_page(factories, login_as, database):
    agreement = factories.agreement(signed_on=date(2026, 3, 1))
    client = login_as("prefecture", "JP-22")
    database.session.commit()
    assert client.post(f"/outcomes/agreements/{agreement.id}/status",
                       data={"status": "dropped", "changed_on": "2026-02-01"}).status_code == 400
    response = client.post(f"/outcomes/agreements/{agreement.id}/status",
                           data={"status": "dropped", "changed_on": "2026-09-01", "note": "Investor withdrew"})
    assert response.status_code == 302
    database.session.refresh(agreement)
    assert [c.status for c in agreement.status_changes] == ["signed", "dropped"]


def test_admin_edits_the_rate_table_and_others_cannot(login_as, database):
    admin = login_as("admin")
    assert admin.post("/outcomes/rates", data={"base": "USD", "quote": "INR", "rate": "84.25",
                                               "valid_from": "2026-01-01"}).status_code == 302
    assert admin.post("/outcomes/rates", data={"base": "USD", "quote": "INR", "rate": "-1",
                                               "valid_from": "2026-02-01"}).status_code == 200
    assert _count(database, ExchangeRate) == 1
    # the same pair the other way round from the same day would silently change every converted value
    page = admin.post("/outcomes/rates", data={"base": "INR", "quote": "USD", "rate": "0.0119",
                                               "valid_from": "2026-01-01"}).get_data(as_text=True)
    assert "1 USD = 84.25 INR applies from that day already" in page
    assert _count(database, ExchangeRate) == 1
    # a round rate reads as written, not as 1.4E+2
    assert admin.post("/outcomes/rates", data={"base": "USD", "quote": "JPY", "rate": "140",
                                               "valid_from": "2023-01-01"}).status_code == 302
    page = admin.get("/outcomes/rates").get_data(as_text=True)
    assert '<td class="text-end">140</td>' in page and "E+" not in page
    assert login_as("state", "IN-GJ").post("/outcomes/rates", data={}).status_code == 403


def test_the_rate_form_asks_before_saving_a_rate_far_off_the_one_in_force(login_as, database):
    admin = login_as("admin")
    for base, quote, rate in (("USD", "INR", "84.25"), ("USD", "JPY", "150.50")):
        assert admin.post("/outcomes/rates", data={"base": base, "quote": quote, "rate": rate,
                                                   "valid_from": "2025-01-01"}).status_code == 302
    typo = {"base": "INR", "quote": "JPY", "rate": "84.25", "valid_from": "2026-06-01"}
    page = admin.post("/outcomes/rates", data=typo).get_data(as_text=True)
    assert "1 INR = 1.79 JPY (1 JPY = 0.56 INR) is in force on that day." in page
    assert 'name="confirm_rate"' in page and _count(database, ExchangeRate) == 2
    assert admin.post("/outcomes/rates", data={**typo, "confirm_rate": "y"}).status_code == 302
    assert _count(database, ExchangeRate) == 3
    page = admin.post("/outcomes/rates", data={"base": "USD", "quote": "INR", "rate": "84,5",
                                               "valid_from": "2026-01-01"}).get_data(as_text=True)
    assert "Write the decimal point as “.”: 84.5." in page and _count(database, ExchangeRate) == 3
    assert 'name="confirm_rate"' not in page


def test_organiser_button_sends_feedback_requests(b2b, login_as, database):
    client = login_as("state", "IN-GJ")
    database.session.commit()
    page = client.get(f"/outcomes/b2b/{b2b.session.id}/feedback").get_data(as_text=True)
    assert f"/outcomes/followups/new?meeting={b2b.meeting.id}" in page
    index = client.get("/outcomes/followups/").get_data(as_text=True)
    assert f'value="{b2b.delegation.id}"' in index and f"/outcomes/b2b/{b2b.session.id}/feedback" in index
    assert client.post(f"/outcomes/b2b/{b2b.session.id}/feedback").status_code == 302
    from planner.followups.models import FeedbackRequest

    assert _count(database, FeedbackRequest) == 2


def _checked(html: str, name: str) -> set[str]:
    """Values of the checked boxes (or the selected option) of a field, as the browser would send them."""
    import re

    boxes = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    values = {re.search(r'value="([^"]*)"', box).group(1) for box in boxes if "checked" in box}
    select_ = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    for option in re.findall(r"<option[^>]*>", select_.group(1) if select_ else ""):
        if "selected" in option:
            values.add(re.search(r'value="([^"]*)"', option).group(1))
    return values


def test_an_edit_keeps_a_region_that_has_left_the_visit_and_its_owner(factories, login_as, database):
    delegation = factories.delegation(("IN-GJ", "IN-MH"), ("JP-22",))
    maharashtra_owner = factories.user("state", "IN-MH")
    followup = factories.followup(delegation, owner=maharashtra_owner)
    for link in list(delegation.region_links):
        if link.region.code == "IN-MH":
            database.session.delete(link)  # Maharashtra leaves the visit
    database.session.commit()
    client = login_as("state", "IN-GJ")
    html = client.get(f"/outcomes/followups/{followup.id}/edit").get_data(as_text=True)
    regions = _checked(html, "regions")
    assert str(factories.region("IN-MH").id) in regions
    assert _checked(html, "owner") == {str(maharashtra_owner.id)}
    response = client.post(f"/outcomes/followups/{followup.id}/edit", data={
        "title": followup.title, "stage": "exploring", "status": "open", "owner": str(maharashtra_owner.id),
        "regions": sorted(regions), "firms": sorted(_checked(html, "firms")), "note": "typo"})
    assert response.status_code == 302, response.get_data(as_text=True)
    database.session.expire_all()
    followup = database.session.get(FollowUp, followup.id)
    assert {r.code for r in followup.regions} == {"IN-GJ", "IN-MH", "JP-22"}
    assert followup.owner_id == maharashtra_owner.id


def test_an_edit_keeps_a_firm_the_other_region_archived(b2b, factories, login_as, database):
    owner = factories.user("state", "IN-GJ")
    followup = factories.followup(b2b.meeting, owner=owner)
    b2b.japanese.firm.status = "archived"
    database.session.commit()
    client = login_as("state", "IN-GJ")
    response = client.post(f"/outcomes/followups/{followup.id}/edit", data={
        "title": followup.title, "stage": "negotiation_started", "status": "open", "owner": str(owner.id),
        "firms": [str(f.id) for f in followup.firms], "regions": [str(r.id) for r in followup.regions]})
    assert response.status_code == 302, response.get_data(as_text=True)
    database.session.expire_all()
    followup = database.session.get(FollowUp, followup.id)
    assert followup.stage == "negotiation_started" and b2b.japanese.firm_id in {f.id for f in followup.firms}


def test_a_default_title_from_two_long_firm_names_fits_its_column(b2b, factories, login_as, database):
    b2b.indian.firm.name = "A" * 200
    b2b.japanese.firm.name = "B" * 200
    database.session.commit()
    client = login_as("state", "IN-GJ")
    response = client.post(f"/outcomes/followups/new?meeting={b2b.meeting.id}", data={
        "title": "", "stage": "exploring", "status": "open", "owner": str(client.user.id),
        "next_action": "Call", "due_date": "2026-12-01",
        "firms": [str(b2b.indian.firm_id)], "regions": [str(factories.region("IN-GJ").id)]})
    assert response.status_code == 302, response.get_data(as_text=True)
    title = database.session.scalars(select(FollowUp.title)).one()
    assert len(title) == 200 and title.endswith("…") and "AAAA" in title


def test_another_region_cannot_take_a_region_off_a_followup(b2b, factories, login_as, database):
    gujarat = factories.user("state", "IN-GJ")
    followup = factories.followup(b2b.delegation, owner=gujarat, title="Gujarat's lead")
    assert {r.code for r in followup.regions} == {"IN-GJ", "JP-22"}
    database.session.commit()
    shizuoka = login_as("prefecture", "JP-22")
    data = {"title": followup.title, "stage": "exploring", "status": "open", "owner": str(shizuoka.user.id),
            "firms": [], "regions": [str(factories.region("JP-22").id)]}
    response = shizuoka.post(f"/outcomes/followups/{followup.id}/edit", data=data)
    assert response.status_code == 200
    assert "Gujarat follows this up too: only Gujarat itself or an administrator can take it off." in \
        response.get_data(as_text=True)
    database.session.expire_all()
    assert {r.code for r in database.session.get(FollowUp, followup.id).regions} == {"IN-GJ", "JP-22"}
    # Gujarat may take itself off (its own choice), and an administrator may take any region off
    admin = login_as("admin")
    data["owner"] = str(factories.user("prefecture", "JP-22").id)
    assert admin.post(f"/outcomes/followups/{followup.id}/edit", data=data).status_code == 302
    database.session.expire_all()
    assert {r.code for r in database.session.get(FollowUp, followup.id).regions} == {"JP-22"}


def test_a_meetings_follow_up_is_linked_itself_and_an_event_page_offers_one(b2b, factories, login_as, database):
    client = login_as("state", "IN-GJ")
    ours = factories.followup(b2b.meeting, owner=client.user, title="Our lead")
    shizuoka = factories.user("prefecture", "JP-22")  # Shizuoka's own, naming only Shizuoka
    factories.followup(b2b.meeting_2, actor=shizuoka, owner=shizuoka, firm_ids=[b2b.japanese.firm_id],
                       region_ids=[factories.region("JP-22").id])
    database.session.commit()
    page = client.get(f"/outcomes/b2b/{b2b.session.id}/feedback").get_data(as_text=True)
    assert f'<a href="/outcomes/followups/{ours.id}">has a follow-up</a>' in page
    # Shizuoka's own follow-up of the other meeting is Shizuoka's: Gujarat may record one of its own
    assert page.count("has a follow-up") == 1
    assert f"/outcomes/followups/new?meeting={b2b.meeting_2.id}" in page
    event = factories.event(b2b.delegation, datetime(2026, 10, 14, 10), datetime(2026, 10, 14, 11))
    database.session.commit()
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'href="/outcomes/followups/new?event={event.id}"' in page
    assert client.get(f"/outcomes/followups/new?event={event.id}").status_code == 200


def test_the_new_followup_form_lists_what_was_already_recorded_from_the_same_meeting(b2b, login_as, factories,
                                                                                      database):
    gujarat = login_as("state", "IN-GJ")
    url = f"/outcomes/followups/new?meeting={b2b.meeting.id}"
    assert "Already recorded from" not in gujarat.get(url).get_data(as_text=True)
    shared = factories.followup(b2b.meeting, title="Samples sent to Shizuoka", stage="exploring")
    own = factories.followup(b2b.meeting, title="Gujarat-only note", stage="exploring",
                             firm_ids=[b2b.indian.firm_id], region_ids=[b2b.indian.firm.region_id])
    other_meeting = factories.followup(b2b.meeting_2, title="Another meeting's outcome")
    database.session.commit()
    page = gujarat.get(url).get_data(as_text=True)
    assert "Already recorded from B2B meeting" in page
    assert f'/outcomes/followups/{shared.id}"' in page and f'/outcomes/followups/{own.id}"' in page
    assert other_meeting.title not in page
    # Shizuoka sees only the record that names it
    page = login_as("prefecture", "JP-22").get(url).get_data(as_text=True)
    assert shared.title in page and own.title not in page


def test_regions_kept_though_not_ticked_are_said(b2b, login_as, database):
    # unticking a firm's region (or one's own) saved it anyway without a word (a browser walk-through)
    client = login_as("state", "IN-GJ")
    database.session.commit()
    url = f"/outcomes/followups/new?meeting={b2b.meeting.id}"
    page = client.post(url, data={
        "stage": "exploring", "next_action": "Send samples", "owner": str(client.user.id), "due_date": "2026-12-01",
        "status": "open", "firms": [str(b2b.indian.firm_id), str(b2b.japanese.firm_id)], "regions": []},
        follow_redirects=True).get_data(as_text=True)
    assert "Also among its regions: " in page and "(the regions of the firms named, and your own, always are)" in page


def test_moving_an_owner_to_another_region_leaves_its_unseen_open_follow_ups_without_owner(
        factories, login_as, database):
    # Yuki moved from Shizuoka to Wakayama kept owning Shizuoka's follow-ups: shown as owner, "not found" for
    # Yuki, left out of every digest
    from planner.core.audit import AuditEntry
    from planner.followups.models import FollowUpEntry

    yuki = factories.user("prefecture", "JP-22", name="Yuki Suzuki")
    shizuoka_only = factories.delegation(("IN-GJ",), ("JP-22",))
    with_wakayama = factories.delegation(("IN-MH",), ("JP-22", "JP-30"))
    lost = [factories.followup(shizuoka_only, owner=yuki, title=f"Lead {n}") for n in (1, 2)]
    factories.followup(with_wakayama, owner=yuki, title="Wakayama sees it")
    factories.followup(shizuoka_only, owner=yuki, title="Closed", is_open=False)
    database.session.commit()
    admin = login_as("admin")
    response = admin.post(f"/admin/users/{yuki.id}/edit", follow_redirects=True, data={
        "email": yuki.email, "name": yuki.name, "role": "prefecture", "region": str(factories.region("JP-30").id),
        "is_active": "y"})
    assert "2 open follow-ups of Shizuoka (静岡県) owned by Yuki Suzuki now have no owner." in \
        response.get_data(as_text=True)
    database.session.expire_all()
    owners = {f.title: f.owner_id for f in database.session.scalars(select(FollowUp))}
    assert owners == {"Lead 1": None, "Lead 2": None, "Wakayama sees it": yuki.id, "Closed": yuki.id}
    entry = database.session.scalars(select(FollowUpEntry).where(FollowUpEntry.followup_id == lost[0].id)
                                     .order_by(FollowUpEntry.id.desc())).first()
    assert (entry.changes, entry.actor_id) == ({"owner": {"old": "Yuki Suzuki", "new": ""}}, admin.user.id)
    assert entry.note.startswith("Yuki Suzuki may no longer see this follow-up")
    audit = database.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "followups", AuditEntry.object_id == str(lost[1].id),
        AuditEntry.action == "update")).one()
    assert audit.actor_id == admin.user.id and "owner" in " ".join(audit.changes)


def test_an_edit_does_not_keep_an_owner_who_may_not_see_the_follow_up(factories, login_as, database):
    # the old region's edit form kept the moved owner selected, and saved
    yuki = factories.user("prefecture", "JP-22", name="Yuki Suzuki")
    followup = factories.followup(factories.delegation(("IN-GJ",), ("JP-22",)), owner=yuki, is_open=False,
                                  title="Closed lead")
    yuki.region = factories.region("JP-30")  # moved; a closed follow-up keeps its owner on record
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    html = client.get(f"/outcomes/followups/{followup.id}/edit").get_data(as_text=True)
    data = {"title": followup.title, "stage": "exploring", "status": "done", "owner": str(yuki.id),
            "regions": sorted(_checked(html, "regions")), "note": "typo"}
    assert _checked(html, "owner") == {str(yuki.id)}
    html = client.post(f"/outcomes/followups/{followup.id}/edit", data=data).get_data(as_text=True)
    assert re.search(r'id="owner-error"[^>]*>Yuki Suzuki may not see this follow-up', html)
    database.session.expire_all()
    assert database.session.get(FollowUp, followup.id).owner_id == yuki.id
    assert [entry.action for entry in database.session.get(FollowUp, followup.id).entries] == ["create"]
    assert client.post(f"/outcomes/followups/{followup.id}/edit", data={**data, "owner": ""}).status_code == 302
    database.session.expire_all()
    assert database.session.get(FollowUp, followup.id).owner_id is None
