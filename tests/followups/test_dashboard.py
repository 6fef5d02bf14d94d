"""Dashboard numbers on a constructed dataset, and its page and charts."""

import re
from datetime import date, datetime
from decimal import Decimal

from planner.core.timefmt import today_ist
from planner.followups.agreements import add_rate, change_status
from planner.followups.dashboard import agreements_by_year, build_dashboard
from planner.followups.money import RateTable

TODAY = date(2026, 11, 25)


def _dataset(b2b, factories):
    """Gujarat–Shizuoka 2026: 2 meetings held (13 Oct), a third on a later session (not yet held), follow-ups at
    exploring, negotiation, MoU and investment (one overdue), a 2025 follow-up; agreements in 2026 and 2025; and a
    Maharashtra–Wakayama agreement that must not count."""
    owner = factories.user("state", "IN-GJ", name="Kiran Patel")
    office = factories.user("prefecture", "JP-22", name="Yuki Suzuki")
    later = factories.b2b_session(factories.delegation(("IN-GJ",), ("JP-22",), partnership_id=b2b.partnership.id,
                                                       start=date(2026, 12, 1), end=date(2026, 12, 3)))
    # factories.b2b_session puts its event on 13 Oct 2026; move it to December (not held by 25 Nov).
    later.event.starts_at, later.event.ends_at = datetime(2026, 12, 2, 1, 0).astimezone(), datetime(
        2026, 12, 2, 8, 0).astimezone()
    factories.b2b_meeting(later, factories.b2b_participant(later, "IN-GJ"), factories.b2b_participant(later, "JP-22"),
                          slot=1)
    factories.followup(b2b.meeting, owner=owner, stage="exploring", due_date=date(2026, 11, 1))  # overdue
    factories.followup(b2b.meeting_2, owner=office, stage="negotiation_started", due_date=date(2026, 12, 20))
    factories.followup(b2b.meeting, owner=owner, stage="mou_signed", due_date=date(2026, 11, 10))  # overdue
    factories.followup(b2b.delegation, owner=office, stage="investment_committed", is_open=False)
    old_delegation = factories.delegation(("IN-GJ",), ("JP-22",), partnership_id=b2b.partnership.id,
                                          start=date(2025, 5, 1), end=date(2025, 5, 3))
    factories.followup(old_delegation, owner=owner, stage="order_placed", due_date=date(2025, 6, 1))  # overdue
    add_rate("USD", "INR", "80", date(2025, 1, 1))
    add_rate("USD", "JPY", "150", date(2025, 1, 1))
    first = factories.agreement(partnership_=b2b.partnership, signed_on=date(2026, 2, 1), value="1000000",
                                currency="INR", jobs_expected=120)
    factories.agreement(partnership_=b2b.partnership, signed_on=date(2026, 8, 1), value="2.50", currency="USD",
                        jobs_expected=30)
    factories.agreement(partnership_=b2b.partnership, signed_on=date(2025, 8, 1), value="999", currency="JPY")
    other = factories.partnership("IN-MH", "JP-30")
    factories.agreement(partnership_=other, regions=("IN-MH", "JP-30"), signed_on=date(2026, 5, 1), value="5",
                        currency="USD", jobs_expected=7)
    change_status(first, "under_implementation", date(2026, 9, 1))
    return owner, office


def test_dashboard_counts_for_a_partnership_and_year(b2b, factories):
    owner, office = _dataset(b2b, factories)
    board = build_dashboard(owner, year=2026, partnership_id=b2b.partnership.id, today=TODAY)
    assert (board.meetings_held, board.meetings_upcoming) == (2, 1)
    assert dict(board.by_stage) == {"no_interest": 0, "exploring": 1, "nda_signed": 0, "negotiation_started": 1,
                                    "mou_signed": 1, "investment_committed": 1, "order_placed": 0}
    assert board.funnel == [("meetings", 2), ("negotiations", 3), ("agreements", 2), ("investments", 1)]
    assert len(board.agreements) == 2
    assert board.totals == {"INR": Decimal("1000000.00"), "USD": Decimal("2.50")}
    assert board.converted == {"INR": Decimal("1000200.00"), "JPY": Decimal("1875375.00"),
                               "USD": Decimal("12502.50")}
    assert board.jobs == 150
    assert board.overdue_by_owner == [("Kiran Patel", 3)]
    assert [f.stage for f in board.open_followups] == ["exploring", "mou_signed", "negotiation_started"]


def test_dashboard_fiscal_year_moves_the_window(b2b, factories):
    owner, _office = _dataset(b2b, factories)
    # FY2025-26: 1 Apr 2025 – 31 Mar 2026 holds the Aug 2025 and Feb 2026 agreements.
    board = build_dashboard(owner, year=2025, basis="fiscal", partnership_id=b2b.partnership.id, today=TODAY,
                            rates=RateTable({}))
    assert board.label == "FY2025-26"
    assert len(board.agreements) == 2
    assert board.totals == {"INR": Decimal("1000000.00"), "JPY": Decimal("999.00")}
    assert board.converted == {}


def test_dashboard_respects_tenancy(b2b, factories):
    _dataset(b2b, factories)
    maharashtra = factories.user("state", "IN-MH")
    board = build_dashboard(maharashtra, year=2026, today=TODAY)
    assert (board.meetings_held, board.followup_count, len(board.agreements), board.jobs) == (0, 0, 1, 7)


def test_agreements_by_year_and_partnership(b2b, factories):
    owner, _office = _dataset(b2b, factories)
    years, partnerships, counts = agreements_by_year(owner)
    assert years == ["2025", "2026"]
    assert partnerships == ["Gujarat–Shizuoka"]
    assert counts == {("2025", "Gujarat–Shizuoka"): 1, ("2026", "Gujarat–Shizuoka"): 2}


def test_dashboard_page_and_charts(b2b, factories, login_as, database):
    _dataset(b2b, factories)
    client = login_as("state", "IN-GJ")
    page = client.get(f"/outcomes/?partnership={b2b.partnership.id}&year=2026")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="kpi-meetings">2<' in html and 'id="kpi-jobs">150<' in html
    for chart in ("/outcomes/funnel.svg?year=2026", "/outcomes/agreements.svg"):
        response = client.get(chart)
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        assert response.data.lstrip().startswith(b"<?xml") and b"<svg" in response.data


def test_a_dropped_agreement_is_listed_but_counts_in_neither_jobs_nor_values(b2b, factories, login_as,
                                                                               database):
    _dataset(b2b, factories)
    dropped = factories.agreement(partnership_=b2b.partnership, signed_on=date(2026, 3, 1), value="5000000",
                                  currency="INR", jobs_expected=400, title="LoI that fell through")
    change_status(dropped, "dropped", date(2026, 6, 1))
    board = build_dashboard(factories.user("state", "IN-GJ"), year=2026, partnership_id=b2b.partnership.id,
                            today=TODAY)
    assert (len(board.agreements), board.jobs, board.dropped) == (3, 150, 1)
    assert board.totals == {"INR": Decimal("1000000.00"), "USD": Decimal("2.50")}
    assert board.converted == {"INR": Decimal("1000200.00"), "JPY": Decimal("1875375.00"),
                               "USD": Decimal("12502.50")}
    html = login_as("state", "IN-GJ").get(f"/outcomes/?partnership={b2b.partnership.id}&year=2026").get_data(
        as_text=True)
    assert 'id="kpi-jobs">150<' in html and 'id="kpi-agreements">3<' in html
    assert "LoI that fell through" in html and "Not counting 1 dropped agreement." in html
    assert "INR 1,000,000.00" in html and "INR 6,000,000.00" not in html


def test_dashboard_ignores_malformed_arguments(login_as):
    client = login_as("state", "IN-GJ")
    for query in ("year=abc", "year=99999", "partnership=x", "basis=lunar", "partnership=999999999999"):
        assert client.get(f"/outcomes/?{query}").status_code == 200
        assert client.get(f"/outcomes/funnel.svg?{query}").status_code == 200


def test_delegate_cannot_open_the_dashboard(login_as):
    assert login_as("delegate").get("/outcomes/").status_code == 403


def test_the_chart_addresses_name_the_language(b2b, factories, login_as, database):
    # the charts are cached for a minute: after switching to Japanese the page showed the English ones
    _dataset(b2b, factories)
    client = login_as("state", "IN-GJ")
    client.user.locale = "ja"
    database.session.commit()
    html = client.get("/outcomes/?year=2026").get_data(as_text=True)
    srcs = re.findall(r'<img[^>]*src="(/outcomes/[a-z]+\.svg[^"]*)"', html)
    assert len(srcs) == 2 and all("lang=ja" in src for src in srcs), srcs


def test_a_year_out_of_range_is_named_not_silently_replaced(login_as):
    client = login_as("state", "IN-GJ")
    html = client.get("/outcomes/?year=1999").get_data(as_text=True)
    assert 'id="d-year-error"' in html and "“1999” is not a year from 2000 to 2100" in html
    assert 'value="1999"' in html and f"the page shows {today_ist().year}." in html
    for url, box in (("/outcomes/followups/?year=abc", "f-year"), ("/outcomes/agreements/?year=1800", "a-year")):
        html = client.get(url).get_data(as_text=True)
        assert f'id="{box}-error"' in html and "the list is not filtered by year" in html
    for year in ("2026", "%202026%20"):  # a space pasted around a good year is no error
        html = client.get(f"/outcomes/followups/?year={year}").get_data(as_text=True)
        assert 'id="f-year-error"' not in html and 'value="2026"' in html


def test_agreements_without_a_partnership_are_counted_under_words_not_a_dash(factories):
    # the chart's legend and rows read '—' (Japanese walk-through)
    factories.agreement(regions=("IN-MH",), title="Maharashtra MoU")  # Maharashtra alone: no partnership to take
    years, partnerships, counts = agreements_by_year(factories.user("admin"))
    assert "No partnership" in partnerships and "—" not in partnerships


def test_the_dashboard_counts_years_as_the_office_does(b2b, factories, login_as, database, app):
    # with PLANNER_YEAR_BASIS=fiscal the tracker opened on FY2026-27 and the dashboard on calendar 2026
    client = login_as("state", "IN-GJ")
    app.config.update(EXCHANGE_YEAR_BASIS="fiscal")
    try:
        page = client.get("/outcomes/?year=2026").get_data(as_text=True)
        assert "FY2026-27" in page
        assert "FY2026-27" not in client.get("/outcomes/?year=2026&basis=calendar").get_data(as_text=True)
    finally:
        app.config.update(EXCHANGE_YEAR_BASIS="calendar")
    assert "FY2026-27" not in client.get("/outcomes/?year=2026").get_data(as_text=True)


def test_a_cell_starts_on_its_most_recent_active_partnership(factories, login_as, database):
    # it opened on the first by title, "Gujarat–Aichi", a proposed pair with nothing in it
    factories.partnership("IN-GJ", "JP-23", status="proposed", since=None)
    factories.partnership("IN-GJ", "JP-19", status="active", since=date(2015, 1, 1))
    latest = factories.partnership("IN-GJ", "JP-22", status="active", since=date(2023, 5, 16))
    database.session.commit()
    html = login_as("state", "IN-GJ").get("/outcomes/").get_data(as_text=True)
    assert re.findall(r'<option value="(\d+)" selected>', html) == [str(latest.id)]


def test_a_cell_with_no_active_partnership_starts_on_its_first(factories, login_as, database):
    aichi = factories.partnership("IN-GJ", "JP-23", status="proposed", since=None)
    factories.partnership("IN-GJ", "JP-22", status="lapsed")
    database.session.commit()
    html = login_as("state", "IN-GJ").get("/outcomes/").get_data(as_text=True)
    assert re.findall(r'<option value="(\d+)" selected>', html) == [str(aichi.id)]
