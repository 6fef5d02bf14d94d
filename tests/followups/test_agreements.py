"""Agreements: parties, values as exact decimals with a currency, conversions, dated status changes, tenancy."""

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from planner.core.access import scoped_select
from planner.core.errors import DomainError
from planner.extensions import db
from planner.followups.agreement_models import Agreement, ExchangeRate
from planner.followups.agreements import (
    AgreementData,
    RateFarOff,
    add_rate,
    change_status,
    create_agreement,
    parse_amount,
)
from planner.followups.dashboard import value_totals
from planner.followups.money import RateTable


def test_value_converts_with_exact_decimals(factories, database):
    add_rate("USD", "INR", "84.25", date(2026, 1, 1))
    add_rate("USD", "JPY", "150.10", date(2026, 1, 1))
    agreement = factories.agreement(value="1000000.00", currency="USD", signed_on=date(2026, 3, 1))
    assert RateTable.load().equivalents(agreement.value_amount, "USD", agreement.signed_on) == {
        "INR": Decimal("84250000.00"), "JPY": Decimal("150100000.00")}


def test_inverse_and_cross_rates(factories):
    add_rate("USD", "INR", "80", date(2026, 1, 1))
    add_rate("USD", "JPY", "150", date(2026, 1, 1))
    rates = RateTable.load()
    # INR → USD inverts the USD → INR rate; INR → JPY goes through USD: 1 INR = 150 / 80 JPY = 1.875 JPY.
    assert rates.equivalents(Decimal("8000.00"), "INR", date(2026, 6, 1)) == {
        "JPY": Decimal("15000.00"), "USD": Decimal("100.00")}


def test_rate_in_force_on_signing_day_is_used(factories):
    add_rate("USD", "INR", "80", date(2025, 1, 1))
    add_rate("USD", "INR", "85", date(2026, 1, 1))
    rates = RateTable.load()
    assert rates.convert(Decimal("10"), "USD", "INR", date(2025, 12, 31)) == Decimal("800.00")
    assert rates.convert(Decimal("10"), "USD", "INR", date(2026, 1, 1)) == Decimal("850.00")
    assert rates.convert(Decimal("10"), "USD", "INR", date(2020, 1, 1)) == Decimal("800.00")  # before any: the first


def test_a_direct_rate_from_a_later_day_does_not_revalue_an_earlier_signing(factories):
    # INR 750,000,000 signed 5 Sep 2023 converted through the USD rates of 2023 (≈ JPY 1,265,060,240.96); a
    # direct INR → JPY rate valid from 1 June 2026 re-valued it at 1.8 (JPY 1,350,000,000.00)
    add_rate("USD", "INR", "83.00", date(2023, 1, 1))
    add_rate("USD", "JPY", "140.00", date(2023, 1, 1))
    add_rate("INR", "JPY", "1.8", date(2026, 6, 1))
    rates = RateTable.load()
    amount = Decimal("750000000.00")
    assert rates.convert(amount, "INR", "JPY", date(2023, 9, 5)) == Decimal("1265060241")
    assert rates.convert(amount, "JPY", "INR", date(2023, 9, 5)) == Decimal("444642857.14")  # 83 / 140
    assert rates.convert(amount, "INR", "JPY", date(2026, 6, 1)) == Decimal("1350000000")  # from its day on


def test_the_latest_rate_in_force_counts_whichever_way_round_it_was_entered(factories):
    add_rate("USD", "INR", "80", date(2025, 1, 1))
    add_rate("INR", "USD", "0.0125", date(2026, 1, 1))  # 1 USD = 80 INR the other way round, then
    add_rate("INR", "USD", "0.01", date(2026, 6, 1))  # 1 USD = 100 INR
    rates = RateTable.load()
    assert rates.convert(Decimal("10"), "USD", "INR", date(2026, 7, 1)) == Decimal("1000.00")
    assert rates.convert(Decimal("10"), "USD", "INR", date(2025, 6, 1)) == Decimal("800.00")


def test_before_any_rate_applies_the_route_whose_rates_begin_soonest(factories):
    add_rate("USD", "INR", "80", date(2024, 1, 1))
    add_rate("USD", "JPY", "160", date(2024, 1, 1))
    add_rate("INR", "JPY", "1.8", date(2026, 6, 1))
    rates = RateTable.load()
    assert rates.convert(Decimal("100"), "INR", "JPY", date(2020, 1, 1)) == Decimal("200.00")  # USD of 2024


def test_converted_yen_are_whole_and_every_conversion_rounds_half_up(factories):
    add_rate("USD", "INR", "83", date(2023, 1, 1))
    add_rate("USD", "JPY", "140", date(2023, 1, 1))
    rates = RateTable.load()
    # 750,000,000 / 83 × 140 = 1,265,060,240.963…: no sen are shown for yen
    assert str(rates.convert(Decimal("750000000"), "INR", "JPY", date(2023, 9, 5))) == "1265060241"
    assert str(rates.convert(Decimal("0.5"), "USD", "JPY", date(2023, 9, 5))) == "70"
    assert str(rates.convert(Decimal("1"), "JPY", "USD", date(2023, 9, 5))) == "0.01"  # 0.00714…
    assert str(rates.convert(Decimal("0.01"), "USD", "INR", date(2023, 9, 5))) == "0.83"
    add_rate("USD", "INR", "84.25", date(2025, 1, 1))
    assert str(RateTable.load().convert(Decimal("0.10"), "USD", "INR", date(2025, 1, 1))) == "8.43"  # 8.425


def test_no_rate_table_means_no_equivalents(factories):
    assert RateTable.load().equivalents(Decimal("5"), "JPY", date(2026, 1, 1)) == {}


def test_totals_per_currency_and_converted(factories):
    add_rate("USD", "INR", "80", date(2026, 1, 1))
    add_rate("USD", "JPY", "150", date(2026, 1, 1))
    agreements = [factories.agreement(value="100.10", currency="USD"), factories.agreement(value="8000", currency="INR"),
                  factories.agreement(value="0.20", currency="USD"), factories.agreement()]
    totals, converted = value_totals(agreements, RateTable.load())
    assert totals == {"INR": Decimal("8000.00"), "USD": Decimal("100.30")}
    assert converted == {"INR": Decimal("16024.00"), "JPY": Decimal("30045.00"), "USD": Decimal("200.30")}


@pytest.mark.parametrize("text, expected", [("1,25,00,000.50", Decimal("12500000.50")), ("", None),
                                            ("0", Decimal("0")), ("12.5 crore", Decimal("125000000")),
                                            ("5億", Decimal("500000000")), ("３億", Decimal("300000000")),
                                            ("40 lakh", Decimal("4000000"))])
def test_parse_amount_accepts_digits(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["12.345", "-5", "abc", "1e400", "NaN", "Infinity", "99999999999999999",
                                  "5 crore 億", "-3億"])
def test_parse_amount_refuses_bad_values(text):
    with pytest.raises(DomainError):
        parse_amount(text)


def test_parse_amount_refuses_a_float():
    with pytest.raises(DomainError):
        parse_amount(0.1)


def test_value_needs_a_currency(factories):
    with pytest.raises(DomainError) as raised:
        create_agreement(AgreementData(title="MoU", signed_on=date(2026, 1, 1), value_amount=Decimal("5"),
                                       region_ids=[factories.region("IN-GJ").id]), factories.SYSTEM)
    assert raised.value.field == "value_currency"


def test_agreement_needs_a_party(factories):
    with pytest.raises(DomainError) as raised:
        create_agreement(AgreementData(title="MoU", signed_on=date(2026, 1, 1)), factories.SYSTEM)
    assert raised.value.field == "regions"


def test_state_user_must_be_among_the_parties(factories):
    maharashtra = factories.user("state", "IN-MH")
    with pytest.raises(DomainError):
        create_agreement(AgreementData(title="MoU", signed_on=date(2026, 1, 1),
                                       region_ids=[factories.region("IN-GJ").id]), maharashtra)


def test_status_changes_are_dated_and_kept(factories):
    agreement = factories.agreement(signed_on=date(2026, 3, 1))
    change_status(agreement, "under_implementation", date(2026, 6, 1), "Land allotted")
    change_status(agreement, "commissioned", date(2026, 9, 1))
    assert [(c.status, c.changed_on, c.note) for c in agreement.status_changes] == [
        ("signed", date(2026, 3, 1), ""), ("under_implementation", date(2026, 6, 1), "Land allotted"),
        ("commissioned", date(2026, 9, 1), "")]
    assert agreement.status == "commissioned"


def test_a_status_change_is_neither_in_the_future_nor_before_the_last_one(factories):
    from datetime import timedelta

    from planner.followups.agreements import latest_today

    agreement = factories.agreement(signed_on=date(2026, 3, 1))
    change_status(agreement, "under_implementation", date(2026, 6, 1))
    for status, day in (("commissioned", latest_today() + timedelta(days=1)), ("dropped", date(2026, 5, 31))):
        with pytest.raises(DomainError) as raised:
            change_status(agreement, status, day)
        assert raised.value.field == "changed_on"
    assert (agreement.status, len(agreement.status_changes)) == ("under_implementation", 2)
    with pytest.raises(DomainError) as raised:
        factories.agreement(signed_on=latest_today() + timedelta(days=1))
    assert raised.value.field == "signed_on"
    change_status(agreement, "commissioned", latest_today())  # today in Japan is not the future


def test_status_cannot_change_before_signing(factories):
    agreement = factories.agreement(signed_on=date(2026, 3, 1))
    with pytest.raises(DomainError) as raised:
        change_status(agreement, "dropped", date(2026, 2, 1))
    assert raised.value.field == "changed_on"


def test_agreements_visible_to_party_regions_and_firm_regions(factories, database):
    by_region = factories.agreement(regions=("IN-GJ",))
    by_firm = factories.agreement(regions=(), firms=[factories.firm("JP-22")])
    other = factories.agreement(regions=("IN-MH", "JP-30"))
    gujarat, shizuoka = factories.user("state", "IN-GJ"), factories.user("prefecture", "JP-22")
    assert database.session.scalars(scoped_select(Agreement, gujarat)).all() == [by_region]
    assert database.session.scalars(scoped_select(Agreement, shizuoka)).all() == [by_firm]
    assert other not in database.session.scalars(scoped_select(Agreement, gujarat, edit=True)).all()


@pytest.mark.parametrize("base, quote, rate, day, field", [
    ("USD", "USD", "1", date(2026, 1, 1), "quote"), ("EUR", "USD", "1", date(2026, 1, 1), "base"),
    ("USD", "INR", "0", date(2026, 1, 1), "rate"), ("USD", "INR", "abc", date(2026, 1, 1), "rate"),
    ("USD", "INR", "1.123456789", date(2026, 1, 1), "rate"), ("USD", "INR", "84", None, "valid_from"),
    ("USD", "INR", "0.00000001", date(2026, 1, 1), "rate"), ("USD", "JPY", "9999999999", date(2026, 1, 1), "rate"),
])
def test_add_rate_refuses_bad_input(base, quote, rate, day, field, factories):
    with pytest.raises(DomainError) as raised:
        add_rate(base, quote, rate, day)
    assert raised.value.field == field


@pytest.mark.parametrize("text, expected", [("84.25", Decimal("84.25")), ("1,234.5", Decimal("1234.5")),
                                            ("８４．２５", Decimal("84.25")), (".5", Decimal("0.5"))])
def test_add_rate_reads_a_point_and_thousands_commas(text, expected, factories):
    assert add_rate("USD", "INR", text, date(2026, 1, 1)).rate == expected


@pytest.mark.parametrize("text, message", [
    ("84,5", "Write the decimal point as “.”: 84.5."),  # was saved as 845
    ("1,5.2", "a comma only between thousands"), ("1,23,456", "a comma only between thousands"),
    ("1e2", "Enter a positive rate"), ("1_0", "Enter a positive rate"),
])
def test_add_rate_refuses_a_comma_that_does_not_separate_thousands(text, message, factories, database):
    with pytest.raises(DomainError) as raised:
        add_rate("USD", "INR", text, date(2026, 1, 1))
    assert raised.value.field == "rate" and message in raised.value.message
    assert database.session.scalar(select(func.count()).select_from(ExchangeRate)) == 0


def test_a_rate_far_off_the_one_in_force_is_saved_only_when_confirmed(factories, database):
    add_rate("USD", "INR", "84.25", date(2025, 1, 1))
    add_rate("USD", "JPY", "150.50", date(2025, 1, 1))
    with pytest.raises(RateFarOff) as raised:  # the USD → INR rate typed for 1 INR → JPY (≈ 1.79 through USD)
        add_rate("INR", "JPY", "84.25", date(2026, 6, 1))
    assert raised.value.field == "rate"
    assert raised.value.message == (
        "This rate is more than 5 times off: 1 INR = 1.79 JPY (1 JPY = 0.56 INR) is in force on that day. "
        "Correct it, or tick “Save anyway: the rate is right”.")
    with pytest.raises(RateFarOff):
        add_rate("USD", "INR", "8.425", date(2026, 1, 1))  # a decimal point one place off
    assert database.session.scalar(select(func.count()).select_from(ExchangeRate)) == 2
    assert add_rate("INR", "JPY", "1.9", date(2026, 6, 1)).rate == Decimal("1.9")  # near: no question
    assert add_rate("USD", "INR", "8.425", date(2026, 1, 1), confirmed=True).rate == Decimal("8.425")


def test_a_rate_before_the_table_begins_is_compared_with_its_first_rate(factories):
    add_rate("USD", "INR", "84.25", date(2025, 1, 1))
    with pytest.raises(RateFarOff) as raised:
        add_rate("INR", "USD", "84.25", date(2020, 1, 1))
    assert "1 INR = 0.0119 USD (1 USD = 84.25 INR) applies from Wed 1 Jan 2025." in raised.value.message


def _edit_data(factories, agreement, **extra) -> dict:
    data = {"title": agreement.title, "kind": agreement.kind, "signed_on": agreement.signed_on.isoformat(),
            "regions": [str(r.id) for r in agreement.regions], "firms": [str(f.id) for f in agreement.firms],
            "partnership": "", "sector": "", "value_currency": ""}
    data.update(extra)
    return data


def test_the_other_partys_follow_up_is_neither_shown_nor_lost_on_an_edit(login_as, factories, b2b):
    # Shizuoka links its own follow-up (naming only Shizuoka) to a Gujarat–Shizuoka agreement
    shizuoka = factories.user("prefecture", "JP-22")
    theirs = factories.followup(b2b.meeting, actor=shizuoka, owner=shizuoka, title="Shizuoka internal lead",
                                firm_ids=[b2b.japanese.firm_id], region_ids=[factories.region("JP-22").id])
    gujarat = factories.user("state", "IN-GJ")
    ours = factories.followup(b2b.meeting_2, owner=gujarat, title="Gujarat lead")
    agreement = create_agreement(AgreementData(
        title="Joint MoU", signed_on=date(2026, 3, 1),
        region_ids=[factories.region("IN-GJ").id, factories.region("JP-22").id],
        followup_ids=[theirs.id, ours.id]), factories.SYSTEM)
    db.session.commit()
    assert {m.id for m in agreement.meetings} == {b2b.meeting.id, b2b.meeting_2.id}  # through the follow-ups
    client = login_as("state", "IN-GJ")
    assert client.get(f"/outcomes/followups/{theirs.id}").status_code == 404
    page = client.get(f"/outcomes/agreements/{agreement.id}").get_data(as_text=True)
    assert "Gujarat lead" in page and "Shizuoka internal lead" not in page
    assert "and 1 more, recorded by another party" in page
    form = client.get(f"/outcomes/agreements/{agreement.id}/edit").get_data(as_text=True)
    assert "Shizuoka internal lead" not in form and "stays linked" in form
    # Gujarat unticks its own follow-up and saves: Shizuoka's stays, with its meeting; ours goes, with its own
    response = client.post(f"/outcomes/agreements/{agreement.id}/edit",
                           data=_edit_data(factories, agreement, title="Joint MoU (rev)"))
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    agreement = db.session.get(Agreement, agreement.id)
    assert agreement.title == "Joint MoU (rev)"
    assert [f.id for f in agreement.followups] == [theirs.id]
    assert [m.id for m in agreement.meetings] == [b2b.meeting.id]
    # and it can link its follow-up again
    response = client.post(f"/outcomes/agreements/{agreement.id}/edit",
                           data=_edit_data(factories, agreement, followups=[str(ours.id)]))
    assert response.status_code == 302
    db.session.expire_all()
    assert {f.id for f in db.session.get(Agreement, agreement.id).followups} == {theirs.id, ours.id}


def test_a_firm_the_other_region_archived_stays_a_party_on_an_edit(login_as, factories):
    shizuoka_firm = factories.firm("JP-22")
    agreement = factories.agreement(regions=("IN-GJ",), firms=[shizuoka_firm], title="With a Shizuoka firm")
    shizuoka_firm.status = "archived"
    db.session.commit()
    client = login_as("state", "IN-GJ")
    response = client.post(f"/outcomes/agreements/{agreement.id}/edit",
                           data=_edit_data(factories, agreement, notes="signed copy filed"))
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    agreement = db.session.get(Agreement, agreement.id)
    assert agreement.notes == "signed copy filed" and [f.id for f in agreement.firms] == [shizuoka_firm.id]
    # a new firm the user cannot see is still refused
    hidden = factories.firm("JP-22")
    hidden.status = "archived"
    db.session.commit()
    response = client.post(f"/outcomes/agreements/{agreement.id}/edit",
                           data=_edit_data(factories, agreement, firms=[str(shizuoka_firm.id), str(hidden.id)]))
    assert response.status_code == 200


@pytest.mark.parametrize("field_name", ["partnership", "sector"])
def test_an_id_beyond_the_databases_integers_is_an_error_at_the_field(login_as, factories, field_name):
    client = login_as("state", "IN-GJ")
    response = client.post("/outcomes/agreements/new", data={
        "title": "MoU", "kind": "mou", "signed_on": "2026-03-01", "regions": [str(factories.region("IN-GJ").id)],
        "partnership": "", "sector": "", "value_currency": "", field_name: "99999999999999999999"})
    assert response.status_code == 200
    assert "Unknown" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Agreement.id))) == 0


def test_a_cell_files_agreements_under_its_own_regions_partnerships(login_as, factories):
    ours = factories.partnership("IN-GJ", "JP-22")
    theirs = factories.partnership("IN-MH", "JP-30")
    db.session.commit()
    client = login_as("state", "IN-GJ")
    form = client.get("/outcomes/agreements/new").get_data(as_text=True)
    options = re.search(r'<select[^>]*name="partnership".*?</select>', form, re.S).group(0)
    assert f'value="{ours.id}"' in options and f'value="{theirs.id}"' not in options
    data = {"title": "MoU", "kind": "mou", "signed_on": "2026-03-01", "regions": [str(factories.region("IN-GJ").id)],
            "sector": "", "value_currency": "", "partnership": str(theirs.id)}
    with pytest.raises(DomainError, match="Choose a partnership of Gujarat"):
        create_agreement(AgreementData(title="MoU", signed_on=date(2026, 3, 1), partnership_id=theirs.id,
                                       region_ids=[factories.region("IN-GJ").id]), client.user)
    assert client.post("/outcomes/agreements/new", data=data).status_code == 200
    assert db.session.scalar(select(func.count(Agreement.id))) == 0
    data["partnership"] = str(ours.id)
    assert client.post("/outcomes/agreements/new", data=data).status_code == 302


def test_another_party_cannot_take_a_region_off_an_agreement(login_as, factories):
    gujarat_firm = factories.firm("IN-GJ")
    agreement = factories.agreement(regions=("IN-GJ", "JP-22"), title="Joint MoU")
    through_firm = factories.agreement(regions=("JP-22",), firms=[gujarat_firm], title="MoU with a Gujarat firm")
    db.session.commit()
    shizuoka = login_as("prefecture", "JP-22")
    jp22 = str(factories.region("JP-22").id)
    for target, data in ((agreement, _edit_data(factories, agreement, regions=[jp22])),
                         (through_firm, _edit_data(factories, through_firm, firms=[]))):
        response = shizuoka.post(f"/outcomes/agreements/{target.id}/edit", data=data)
        assert response.status_code == 200
        assert ("Gujarat is a party to this agreement: only Gujarat itself or an administrator can take it off."
                in response.get_data(as_text=True))
    db.session.expire_all()
    assert {r.code for r in db.session.get(Agreement, agreement.id).regions} == {"IN-GJ", "JP-22"}
    assert [f.id for f in db.session.get(Agreement, through_firm.id).firms] == [gujarat_firm.id]
    # Shizuoka may still edit the rest, and an administrator may take Gujarat off
    response = shizuoka.post(f"/outcomes/agreements/{agreement.id}/edit",
                             data=_edit_data(factories, agreement, notes="filed"))
    assert response.status_code == 302
    admin = login_as("admin")
    assert admin.post(f"/outcomes/agreements/{agreement.id}/edit",
                      data=_edit_data(factories, agreement, regions=[jp22])).status_code == 302
    db.session.expire_all()
    assert {r.code for r in db.session.get(Agreement, agreement.id).regions} == {"JP-22"}


def test_an_agreement_left_without_partnership_takes_the_one_its_parties_form(factories):
    pair = factories.partnership("IN-GJ", "JP-22")
    factories.partnership("IN-MH", "JP-30")
    agreement = factories.agreement(regions=("IN-GJ", "JP-22"))
    assert agreement.partnership_id == pair.id  # the dashboard opened on Gujarat–Shizuoka did not count it
    through_firm = factories.agreement(regions=("IN-GJ",), firms=[factories.firm("JP-22")])
    assert through_firm.partnership_id == pair.id
    # parties forming no partnership, or two of them: left as it is
    assert factories.agreement(regions=("IN-GJ", "JP-30")).partnership_id is None
    assert factories.agreement(regions=("IN-GJ", "JP-22", "IN-MH", "JP-30")).partnership_id is None


def test_a_corrected_signing_date_moves_the_historys_first_entry_and_stays_before_the_changes(factories):
    from planner.followups.agreements import update_agreement

    def edit(agreement, signed_on):
        update_agreement(agreement, AgreementData(
            title=agreement.title, signed_on=signed_on, region_ids=[r.id for r in agreement.regions]),
            factories.SYSTEM)

    agreement = factories.agreement(signed_on=date(2026, 6, 1))
    edit(agreement, date(2026, 3, 1))  # a typo corrected: the history's signing entry follows
    change_status(agreement, "under_implementation", date(2026, 4, 1))  # was refused as before 1 June
    assert [(c.status, c.changed_on) for c in agreement.status_changes] == [
        ("signed", date(2026, 3, 1)), ("under_implementation", date(2026, 4, 1))]
    with pytest.raises(DomainError) as raised:
        edit(agreement, date(2026, 5, 1))  # after the change it had: the history would be out of order
    assert raised.value.field == "signed_on" and agreement.signed_on == date(2026, 3, 1)


def test_a_conversion_beyond_what_decimals_hold_is_shown_as_none_not_a_500():
    # two extreme rates (stored before the rates were bounded) through a third currency made the outcome
    # pages fail for everyone: INR→JPY via USD at 10**18 yen a rupee, on the largest amount
    from planner.followups.money import RateTable

    day = date(2026, 1, 1)
    table = RateTable({("USD", "INR"): [(day, Decimal("0.00000001"))],
                       ("USD", "JPY"): [(day, Decimal("9999999999.99999999"))]})
    assert table.convert(Decimal("9999999999999999"), "INR", "JPY", day) is None
    assert table.equivalents(Decimal("9999999999999999"), "INR", day) == {
        "USD": Decimal("999999999999999900000000.00")}
    assert table.convert(Decimal("100"), "USD", "JPY", day) == Decimal("1000000000000.00")  # half-even cents


def test_the_agreement_form_shows_every_refusal_at_its_field_at_once(login_as, factories):
    # a future date, a currency the amount's words contradict and a party other than the cell's own region
    # came back one per try: three sends to learn three mistakes
    ours = factories.region("IN-GJ")
    other = factories.region("IN-MH")
    db.session.commit()
    client = login_as("state", "IN-GJ")
    response = client.post("/outcomes/agreements/new", data={
        "title": "MoU", "kind": "mou", "signed_on": "2099-03-01", "value_amount": "12.5 crore",
        "value_currency": "JPY", "regions": [str(other.id)], "partnership": "", "sector": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for field_name, message in [
            ("signed_on", "the date cannot be in the future"),
            ("value_amount", "The amount is in INR but the currency chosen is JPY."),
            ("regions", "One party must be Gujarat or one of its firms.")]:
        error = re.search(rf'id="{field_name}-error"[^>]*>(.*?)</div>', page, re.S)
        assert error and message in error.group(1), field_name
    assert db.session.scalar(select(func.count(Agreement.id))) == 0
    with pytest.raises(DomainError) as refused:
        create_agreement(AgreementData(title="MoU", signed_on=date(2099, 3, 1), region_ids=[ours.id]), client.user)
    assert refused.value.field == "signed_on"  # one refusal is raised as itself


def test_an_agreement_value_in_oku_and_man_is_read_and_a_bad_one_is_named_as_such(login_as, factories):
    # 1億5,000万円 was refused, and 1億5000万円 or -5億 got 'Give a value together with its currency'
    gujarat = factories.region("IN-GJ")
    db.session.commit()
    client = login_as("state", "IN-GJ")
    form = {"title": "MoU", "kind": "mou", "signed_on": "2026-03-01", "regions": [str(gujarat.id)],
            "partnership": "", "sector": "", "value_currency": ""}
    assert client.post("/outcomes/agreements/new", data={**form, "value_amount": "1億5,000万円"}).status_code == 302
    agreement = db.session.scalars(select(Agreement)).one()
    assert (agreement.value_amount, agreement.value_currency) == (Decimal("150000000.00"), "JPY")
    page = client.post("/outcomes/agreements/new", data={**form, "value_amount": "-5億"}).get_data(as_text=True)
    error = re.search(r'id="value_amount-error"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert "is negative" in error and "together with its currency" not in page


def test_an_agreement_recorded_from_a_follow_up_moves_it_to_signed(login_as, factories, b2b):
    # recording the MoU left its follow-up at 'Negotiation started': the funnel showed 'MoU/LoI or later 0'
    # beside 'Agreements signed 1' (a walk-through); ?followup= ticked nothing, and the follow-up page had no link
    from planner.followups.models import FollowUp

    client = login_as("state", "IN-GJ")
    followup = factories.followup(b2b.meeting, owner=client.user, stage="negotiation_started", title="Die-casting")
    db.session.commit()
    page = client.get(f"/outcomes/followups/{followup.id}").get_data(as_text=True)
    assert f'href="/outcomes/agreements/new?followup={followup.id}">Record agreement</a>' in page
    form = client.get(f"/outcomes/agreements/new?followup={followup.id}").get_data(as_text=True)
    assert re.search(rf'<input checked[^>]*name="followups"[^>]*value="{followup.id}"|<input[^>]*name="followups"'
                     rf'[^>]*value="{followup.id}"[^>]*checked', form)
    assert client.post("/outcomes/agreements/new", data={
        "title": "MoU on die-casting", "kind": "mou", "signed_on": "2026-03-01", "partnership": "", "sector": "",
        "value_currency": "", "regions": [str(r.id) for r in followup.regions],
        "followups": [str(followup.id)]}).status_code == 302
    followup = db.session.get(FollowUp, followup.id)
    assert followup.stage == "mou_signed"
    assert followup.entries[-1].note == "Agreement recorded: MoU on die-casting"
